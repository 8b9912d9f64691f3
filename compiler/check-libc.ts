// Checks the `libc` block (abi/libc.idl): the headers and functions of the patched wasi-libc,
// each function's C prototype, change kind, the host imports it calls (which must exist in the
// contract), its extra errno values, and the functions porters must do without.

import type { Annotation, Docs, LibcAst, LibcFnAst, LibcPropertyAst, LibcValueAst } from "./ast.ts";
import { cFunctionType, parseCPrototype } from "./c-prototype.ts";
import { error, withReplacement, withSuggestion, type Diagnostic } from "./diagnostics.ts";
import {
  LIBC_CHANGES,
  LIBC_HEADER_CHANGES,
  TIERS,
  type FunctionModel,
  type Gate,
  type LibcAbsentModel,
  type LibcChange,
  type LibcFunctionModel,
  type LibcHeaderChange,
  type LibcHeaderModel,
  type LibcSurfaceModel,
  type ModuleModel,
  type Span,
  type Tier,
  type TypeModel,
} from "./model.ts";

/** What the libc check needs from the contract checker. */
export interface LibcCheckContext {
  diagnostics: Diagnostic[];
  modules: ModuleModel[];
  /** The `errno` enum, or null when the contract has none. */
  errno: Extract<TypeModel, { kind: "enum" }> | null;
  checkAnnotations(annotations: Annotation[], allowed: string[], what: string): void;
  gate(annotations: Annotation[], nameSpan: Span, what: string): Gate;
  docsWarning(docs: Docs, gate: Gate, span: Span, what: string): void;
}

type ValueKind = LibcValueAst["kind"];

export interface PropertySpec {
  /** The value kinds it takes. */
  kinds: ValueKind[];
  /** `one`: exactly one value; `list`: one or more. */
  arity: "one" | "list";
  /** May be given more than once (each time adds to the list). */
  repeatable?: boolean;
  what: string;
}

export const PROPERTIES: Record<string, PropertySpec> = {
  header: { kinds: ["string"], arity: "one", what: `the header that declares it, e.g. header "unistd.h";` },
  prototype: { kinds: ["string"], arity: "one", what: `its C prototype, e.g. prototype "int pipe(int fd[2])";` },
  calls: { kinds: ["qualified"], arity: "list", what: "the host imports it calls, e.g. calls host_process::fd_pipe;" },
  errno: { kinds: ["name"], arity: "list", what: "members of `errno`, e.g. errno inval, nomem;" },
  returns: { kinds: ["int", "name"], arity: "one", what: "what a stub returns, e.g. returns -1; or returns NULL;" },
  deviation: { kinds: ["string"], arity: "one", repeatable: true, what: `one deviation from POSIX, e.g. deviation "...";` },
  patch: { kinds: ["string"], arity: "list", what: `the patches that make the change, e.g. patch "0001-pipe-dup";` },
  instead: { kinds: ["name", "qualified"], arity: "list", what: "what to use instead, e.g. instead posix_spawn, host_process::proc_exec;" },
};

export const ALLOWED: Record<"added" | "replaced" | "stubbed" | "absent", string[]> = {
  added: ["header", "prototype", "calls", "errno", "deviation", "patch"],
  replaced: ["header", "prototype", "calls", "errno", "deviation", "patch"],
  stubbed: ["header", "prototype", "calls", "errno", "returns", "deviation", "patch", "instead"],
  absent: ["header", "instead"],
};

export const REQUIRED: Record<"added" | "replaced" | "stubbed" | "absent", string[]> = {
  added: ["header", "prototype"],
  replaced: ["header", "prototype"],
  stubbed: ["header", "prototype", "returns"],
  absent: ["header", "instead"],
};

const HEADER_PATH = /^[A-Za-z0-9_][A-Za-z0-9_-]*(\/[A-Za-z0-9_][A-Za-z0-9_-]*)*\.h$/;

export interface LibcCheckResult {
  functions: LibcFunctionModel[];
  surface: LibcSurfaceModel | null;
}

export function checkLibc(blocks: LibcAst[], ctx: LibcCheckContext): LibcCheckResult {
  return new LibcChecker(ctx).run(blocks);
}

class LibcChecker {
  private readonly imports = new Map<string, { module: ModuleModel; fn: FunctionModel }>();

  constructor(private readonly ctx: LibcCheckContext) {
    for (const m of ctx.modules) for (const f of m.functions) this.imports.set(`${m.name}.${f.name}`, { module: m, fn: f });
  }

  private err(code: string, message: string, span: Span, related?: Diagnostic["related"]): void {
    this.ctx.diagnostics.push(error(code, message, span, related));
  }

  /** An error about a name that is not one of `candidates`, with "did you mean" when one is close. */
  private errNear(code: string, message: string, span: Span, name: string, candidates: Iterable<string>, render?: (c: string) => string): void {
    this.ctx.diagnostics.push(withSuggestion(error(code, message, span), name, candidates, render));
  }

  run(blocks: LibcAst[]): LibcCheckResult {
    if (blocks.length === 0) return { functions: [], surface: null };
    for (const extra of blocks.slice(1))
      this.err("E0203", "the contract has more than one `libc` block", extra.nameSpan, [{ message: "the first one is here", span: blocks[0]!.nameSpan }]);
    const block = blocks[0]!;
    this.ctx.checkAnnotations(block.annotations, [], "the libc block");

    const headers = this.headers(block);
    const byHeader = new Map(headers.map((h) => [h.name, h]));
    const seen = new Map<string, Span>();
    for (const f of block.functions) {
      const prior = seen.get(f.name);
      if (prior) this.err("E0502", `libc function \`${f.name}\` is declared more than once`, f.nameSpan, [{ message: "first declared here", span: prior }]);
      else seen.set(f.name, f.nameSpan);
    }
    const present = new Set(block.functions.filter((f) => f.kind === "fn").map((f) => f.name));
    const functions: LibcFunctionModel[] = [];
    const absent: LibcAbsentModel[] = [];
    for (const f of block.functions) {
      if (seen.get(f.name) !== f.nameSpan) continue; // a duplicate: reported above
      if (f.kind === "absent") {
        const a = this.absentModel(f, byHeader, present);
        if (a) absent.push(a);
      } else {
        const fm = this.functionModel(f, byHeader, present);
        if (fm) functions.push(fm);
      }
    }
    return { functions, surface: { docs: block.docs.text, span: block.nameSpan, headers, absent } };
  }

  private headers(block: LibcAst): LibcHeaderModel[] {
    const out: LibcHeaderModel[] = [];
    const seen = new Map<string, Span>();
    for (const h of block.headers) {
      this.ctx.checkAnnotations(h.annotations, ["since", "unstable"], "a libc header");
      const gate = this.ctx.gate(h.annotations, h.nameSpan, `libc header \`${h.name}\``);
      this.ctx.docsWarning(h.docs, gate, h.nameSpan, `libc header \`${h.name}\``);
      const prior = seen.get(h.name);
      if (prior) {
        this.err("E0502", `libc header \`${h.name}\` is declared more than once`, h.nameSpan, [{ message: "first declared here", span: prior }]);
        continue;
      }
      seen.set(h.name, h.nameSpan);
      if (!HEADER_PATH.test(h.name)) this.err("E0503", `\`${h.name}\` is not a header path like \`netdb.h\` or \`sys/wait.h\``, h.nameSpan);
      if (!(LIBC_HEADER_CHANGES as readonly string[]).includes(h.change)) {
        this.errNear("E0506", `unknown header kind \`${h.change}\` (expected ${LIBC_HEADER_CHANGES.join(", ")})`, h.changeSpan, h.change, LIBC_HEADER_CHANGES);
        continue;
      }
      out.push({ name: h.name, change: h.change as LibcHeaderChange, docs: h.docs.text, span: h.nameSpan, ...gate });
    }
    return out;
  }

  /** The properties of one function, by key; unknown, misplaced, repeated and malformed ones are reported. */
  private properties(f: LibcFnAst, kind: keyof typeof ALLOWED): { values: Map<string, LibcValueAst[]>; ok: boolean } {
    const out = new Map<string, LibcValueAst[]>();
    const first = new Map<string, Span>();
    let ok = true;
    const where = kind === "absent" ? "an absent function" : `a function that is ${kind}`;
    for (const p of f.properties) {
      const spec = PROPERTIES[p.key];
      if (!spec) {
        this.errNear("E0505", `unknown libc property \`${p.key}\` (expected one of ${Object.keys(PROPERTIES).join(", ")})`, p.keySpan, p.key, ALLOWED[kind]);
        ok = false;
        continue;
      }
      if (!ALLOWED[kind].includes(p.key)) {
        this.err(p.key === "returns" || p.key === "instead" ? "E0507" : "E0505", `\`${p.key}\` does not apply to ${where}`, p.keySpan);
        ok = false;
        continue;
      }
      const prior = first.get(p.key);
      if (prior && !spec.repeatable) {
        this.err("E0505", `\`${p.key}\` is given more than once`, p.keySpan, [{ message: "first given here", span: prior }]);
        ok = false;
        continue;
      }
      first.set(p.key, p.keySpan);
      if (!this.checkValues(p, spec)) {
        ok = false;
        continue;
      }
      out.set(p.key, [...(out.get(p.key) ?? []), ...p.values]);
    }
    for (const key of REQUIRED[kind])
      if (!first.has(key)) {
        const code = key === "header" ? "E0503" : key === "returns" ? "E0507" : "E0505";
        this.err(code, `${kind === "absent" ? "absent function" : "libc function"} \`${f.name}\` needs ${PROPERTIES[key]!.what}`, f.nameSpan);
        ok = false;
      }
    return { values: out, ok };
  }

  private checkValues(p: LibcPropertyAst, spec: PropertySpec): boolean {
    if (p.values.length === 0 || (spec.arity === "one" && p.values.length > 1)) {
      this.err("E0505", `\`${p.key}\` takes ${spec.arity === "one" ? "exactly one value" : "one or more values"}: ${spec.what}`, p.span);
      return false;
    }
    for (const v of p.values)
      if (!spec.kinds.includes(v.kind)) {
        this.err("E0505", `\`${p.key}\` does not take ${describe(v)}: ${spec.what}`, v.span);
        return false;
      }
    return true;
  }

  private functionModel(f: LibcFnAst, headers: Map<string, LibcHeaderModel>, present: Set<string>): LibcFunctionModel | null {
    const what = `libc function \`${f.name}\``;
    this.ctx.checkAnnotations(f.annotations, ["since", "unstable"], "a libc function");
    const gate = this.ctx.gate(f.annotations, f.nameSpan, what);
    this.ctx.docsWarning(f.docs, gate, f.nameSpan, what);
    if (!(LIBC_CHANGES as readonly string[]).includes(f.change!)) {
      this.errNear("E0506", `unknown change \`${f.change}\` (expected added, replaced or stubbed)`, f.changeSpan!, f.change!, LIBC_CHANGES);
      return null;
    }
    const change = f.change as LibcChange;
    const { values: props, ok } = this.properties(f, change);
    // Every property present is checked, so one run reports every mistake of the function.
    const headerValue = props.get("header")?.[0];
    const header = headerValue ? this.header(headerValue, headers, gate, what) : null;
    const prototypeValue = props.get("prototype")?.[0];
    const prototype = prototypeValue ? this.prototype(f, prototypeValue) : null;
    const imports = this.calls(props.get("calls") ?? [], gate, what);
    const errno = this.errno(props.get("errno") ?? []);
    const instead = this.instead(props.get("instead") ?? [], present, f.name);
    const returns = props.get("returns")?.[0] ?? null;
    const returnsOk = !(returns && returns.kind === "name" && returns.text !== "NULL");
    if (!returnsOk) this.err("E0507", `a stub returns a number or NULL, not \`${returns!.text}\``, returns!.span);
    if (!ok || !returnsOk || header === null || prototype === null || imports === null || errno === null || instead === null) return null;
    return {
      name: f.name,
      header,
      prototype: prototypeValue!.text,
      cType: prototype,
      change,
      imports: imports.names,
      returns: returns?.text ?? null,
      errno,
      deviations: (props.get("deviation") ?? []).map((v) => v.text),
      patches: (props.get("patch") ?? []).map((v) => v.text),
      instead,
      tiers: imports.tiers,
      docs: f.docs.text,
      span: f.nameSpan,
      ...gate,
    };
  }

  private absentModel(f: LibcFnAst, headers: Map<string, LibcHeaderModel>, present: Set<string>): LibcAbsentModel | null {
    const what = `absent function \`${f.name}\``;
    this.ctx.checkAnnotations(f.annotations, ["since", "unstable"], "an absent libc function");
    const gate = this.ctx.gate(f.annotations, f.nameSpan, what);
    this.ctx.docsWarning(f.docs, gate, f.nameSpan, what);
    const { values: props, ok } = this.properties(f, "absent");
    const headerValue = props.get("header")?.[0];
    const header = headerValue ? this.header(headerValue, headers, gate, what) : null;
    const instead = this.instead(props.get("instead") ?? [], present, f.name);
    if (!ok || header === null || instead === null) return null;
    return { name: f.name, header, instead, docs: f.docs.text, span: f.nameSpan, ...gate };
  }

  private header(v: LibcValueAst, headers: Map<string, LibcHeaderModel>, gate: Gate, what: string): string | null {
    const h = headers.get(v.text);
    if (!h) {
      const message = `header \`${v.text}\` is not declared in the libc block (add \`header "${v.text}": upstream;\`)`;
      this.errNear("E0503", message, v.span, v.text, headers.keys(), (c) => JSON.stringify(c));
      return null;
    }
    if (gate.unstable === null && h.unstable !== null) this.err("E0305", `stable ${what} is declared in unstable header \`${h.name}\` (@unstable(${h.unstable}))`, v.span);
    return h.name;
  }

  /** The C function type of the prototype, or null after a diagnostic pointing into the string. */
  private prototype(f: LibcFnAst, v: LibcValueAst): string | null {
    const parsed = parseCPrototype(v.text);
    // The literal's text starts one column after its opening quote (prototypes hold no escapes).
    const at = (offset: number, length: number): Span =>
      v.span.line === v.span.endLine && !v.text.includes("\\")
        ? { ...v.span, column: v.span.column + 1 + offset, endColumn: v.span.column + 1 + offset + Math.max(1, length) }
        : v.span;
    if (!parsed.ok) {
      this.err("E0504", `invalid C prototype: ${parsed.error.message}`, at(parsed.error.offset, parsed.error.length));
      return null;
    }
    if (parsed.prototype.name !== f.name) {
      const offset = v.text.indexOf(parsed.prototype.name);
      this.err("E0504", `the prototype declares \`${parsed.prototype.name}\`, not \`${f.name}\``, at(offset < 0 ? 0 : offset, parsed.prototype.name.length));
      return null;
    }
    return cFunctionType(parsed.prototype);
  }

  /** `module.function` names and the tiers that link all of them; null after a diagnostic. */
  private calls(values: LibcValueAst[], gate: Gate, what: string): { names: string[]; tiers: Tier[] } | null {
    let ok = true;
    const names: string[] = [];
    let tiers: Tier[] = [...TIERS];
    for (const v of values) {
      const hit = this.imports.get(v.text);
      if (!hit) {
        ok = false;
        this.unknownImport(v);
        continue;
      }
      if (names.includes(v.text)) {
        this.err("E0502", `\`${v.text.replace(".", "::")}\` is listed twice`, v.span);
        ok = false;
        continue;
      }
      names.push(v.text);
      if (hit.fn.status.kind === "refused")
        this.err("E0509", `\`${v.text}\` is refused by the contract (not linked), so a guest calling ${what} would not start`, v.span);
      const unstable = hit.fn.unstable ?? hit.module.unstable;
      if (gate.unstable === null && unstable !== null) this.err("E0305", `stable ${what} calls unstable import \`${v.text}\` (@unstable(${unstable}))`, v.span);
      tiers = tiers.filter((t) => hit.fn.tiers.includes(t));
    }
    return ok ? { names, tiers } : null;
  }

  /** `module::function` names no import: says which half is wrong and, when one is close, the fix. */
  private unknownImport(v: LibcValueAst): void {
    const [module, name] = v.text.split(".") as [string, string];
    const m = this.ctx.modules.find((x) => x.name === module || x.aliases.includes(module));
    const qualified = (mod: string, fn: string): string => `${mod}::${fn}`;
    if (!m) {
      // Only modules that have the function are offered: the suggestion is a whole import that exists.
      const modules = this.ctx.modules.filter((x) => x.functions.some((f) => f.name === name)).map((x) => x.name);
      this.errNear("E0501", `unknown import module \`${module}\``, v.span, module, modules, (c) => qualified(c, name));
    } else if (m.name !== module) {
      const d = error("E0501", `write the module's own name \`${m.name}\`, not its alias \`${module}\``, v.span);
      // The module is certain; the fix is offered when the function exists under it too.
      const fix = m.functions.some((f) => f.name === name) ? qualified(m.name, name) : null;
      this.ctx.diagnostics.push(withReplacement(d, fix));
    } else this.errNear("E0501", `module \`${module}\` has no function \`${name}\``, v.span, name, m.functions.map((f) => f.name), (c) => qualified(module, c));
  }

  private errno(values: LibcValueAst[]): string[] | null {
    if (values.length === 0) return [];
    const errno = this.ctx.errno;
    if (!errno) {
      this.err("E0508", "the contract has no `errno` enum, so `errno` values cannot be checked", values[0]!.span);
      return null;
    }
    const members = new Set(errno.members.map((m) => m.name));
    let ok = true;
    for (const v of values)
      if (!members.has(v.text)) {
        this.errNear("E0508", `\`${v.text}\` is not a member of \`errno\``, v.span, v.text, [...members].filter((n) => n !== "success"));
        ok = false;
      } else if (v.text === "success") {
        this.err("E0508", "`success` is not an error", v.span);
        ok = false;
      }
    const names = values.map((v) => v.text);
    if (ok && new Set(names).size !== names.length) {
      this.err("E0502", "an `errno` value is listed twice", values[0]!.span);
      ok = false;
    }
    return ok ? names : null;
  }

  /** Libc functions of this block or `module.function` imports; null after a diagnostic. */
  private instead(values: LibcValueAst[], present: Set<string>, self: string): string[] | null {
    let ok = true;
    for (const v of values) {
      if (v.kind === "qualified") {
        if (!this.imports.has(v.text)) {
          this.unknownImport(v);
          ok = false;
        }
      } else if (v.text === self) {
        this.err("E0501", "a function cannot be its own replacement", v.span);
        ok = false;
      } else if (!present.has(v.text)) {
        const others = [...present].filter((n) => n !== self);
        this.errNear("E0501", `\`${v.text}\` is not a libc function of this block (absent ones do not count)`, v.span, v.text, others);
        ok = false;
      }
    }
    return ok ? values.map((v) => v.text) : null;
  }
}

function describe(v: LibcValueAst): string {
  switch (v.kind) {
    case "string":
      return "a string";
    case "int":
      return "a number";
    case "name":
      return `a name (\`${v.text}\`)`;
    case "qualified":
      return `an import (\`${v.text.replace(".", "::")}\`)`;
  }
}
