// The checker: resolves names across all files, validates the contract, and builds the model
// with every layout and core signature computed exactly once.

import { checkLibc } from "./check-libc.ts";
import type { Annotation, AnnotationValue, CommandAst, DeclAst, Docs, FieldAst, FileAst, FnAst, MemberAst, ModuleAst, TypeExpr } from "./ast.ts";
import { error, warning, withReplacement, withSuggestion, type Diagnostic } from "./diagnostics.ts";
import { findAnnotation, KNOWN_ANNOTATIONS, positional, readDeviation, readGate } from "./gates.ts";
import { POINTER_LAYOUT, primitiveLayout, structLayout, variantLayout } from "./layout.ts";
import { lowerParam, primitiveCore } from "./lower.ts";
import { checkDocReferences } from "./check-docs.ts";
import { checkGeneratedNames } from "./check-names.ts";
import { ReferenceIndex } from "./doc-refs.ts";
import { functionRefs, namedIn, typeRefs } from "./query.ts";
import { suggest } from "./suggest.ts";
import {
  SCHEMA_VERSION,
  TIERS,
  type CommandExport,
  type CommandModel,
  type ConstModel,
  type ContractModel,
  type CoreType,
  type EnumMember,
  type FunctionModel,
  type Gate,
  type Layout,
  type ModuleModel,
  type OutValueModel,
  type ParamModel,
  type PrimitiveName,
  type ReservedValue,
  type ResultModel,
  type Sentinel,
  type Span,
  type Status,
  type Tier,
  type TypeModel,
  type TypeRef,
} from "./model.ts";

const PRIMITIVES = new Set<string>(["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "bool", "char8", "usize", "handle"]);
const INTEGER_BITS: Partial<Record<PrimitiveName, { bits: number; signed: boolean }>> = {
  u8: { bits: 8, signed: false },
  u16: { bits: 16, signed: false },
  u32: { bits: 32, signed: false },
  u64: { bits: 64, signed: false },
  s8: { bits: 8, signed: true },
  s16: { bits: 16, signed: true },
  s32: { bits: 32, signed: true },
  s64: { bits: 64, signed: true },
  usize: { bits: 32, signed: false },
  handle: { bits: 32, signed: true },
  char8: { bits: 8, signed: false },
  bool: { bits: 1, signed: false },
};
/** How many named types may hold each other by value (see checkTypeDepth). */
export const MAX_TYPE_DEPTH = 100;
const CORE_TYPES = new Set<string>(["i32", "i64", "f32", "f64"]);
/** Type constructors the language defines, besides the primitives. */
const BUILTIN_TYPES = ["ptr", "const_ptr", "string", "list", "buffer", "result"];

interface Declared {
  decl: DeclAst;
  scope: string | null;
}

/** JSON-safe integer: a number when exact, else its decimal string. */
function jsonInt(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

export interface CheckResult {
  model: ContractModel | null;
  diagnostics: Diagnostic[];
}

export function checkContract(files: FileAst[]): CheckResult {
  return new Checker(files).run();
}

class Checker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly decls = new Map<string, Declared>();
  private readonly modules = new Map<string, ModuleAst>();
  private readonly functionNames = new Map<string, string>(); // fn name -> module
  private readonly layouts = new Map<string, Layout | null>();
  private readonly layoutInProgress = new Set<string>();
  private packageVersion: string | null = null;

  constructor(private readonly files: FileAst[]) {}

  private err(code: string, message: string, span: Span, related?: Diagnostic["related"]): void {
    this.diagnostics.push(error(code, message, span, related));
  }

  /** An error about a name that is not one of `candidates`, with "did you mean" when one is close. */
  private errNear(code: string, message: string, span: Span, name: string, candidates: Iterable<string>, render?: (c: string) => string): void {
    this.diagnostics.push(withSuggestion(error(code, message, span), name, candidates, render));
  }

  /** Every name that may stand where a type is written. */
  private typeNames(): string[] {
    const declared = [...this.decls.values()].filter((d) => d.decl.kind !== "const").map((d) => d.decl.name);
    return [...PRIMITIVES, ...BUILTIN_TYPES, ...declared];
  }

  private unknownType(name: string, span: Span): void {
    this.errNear("E0201", `unknown type \`${name}\``, span, name, this.typeNames());
  }

  run(): CheckResult {
    const pkg = this.checkPackage();
    this.collect();
    // Later stages recurse once per level of by-value nesting: bound it before any of them runs.
    if (!this.checkTypeDepth()) return { model: null, diagnostics: this.diagnostics };
    const types: TypeModel[] = [];
    const constants: ConstModel[] = [];
    for (const { decl, scope } of this.decls.values()) {
      if (decl.kind === "const") {
        const c = this.constModel(decl, scope);
        if (c) constants.push(c);
      } else {
        const t = this.typeModel(decl, scope);
        if (t) types.push(t);
      }
    }
    const modules = [...this.modules.values()].map((m) => this.moduleModel(m));
    const commands = this.files.flatMap((f) => f.commands);
    for (const extra of commands.slice(1))
      this.err("E0203", "the contract has more than one `command` block", extra.nameSpan, [
        { message: "the first one is here", span: commands[0]!.nameSpan },
      ]);
    const command = commands[0] ? this.commandModel(commands[0]) : null;
    this.checkGateConsistency(types, constants, modules);
    const errnoType = types.find((t) => t.name === "errno");
    const libc = checkLibc(
      this.files.flatMap((f) => f.libcs),
      {
        diagnostics: this.diagnostics,
        modules,
        errno: errnoType?.kind === "enum" ? errnoType : null,
        checkAnnotations: (a, allowed, what) => this.checkAnnotations(a, allowed, what),
        gate: (a, span, what) => this.gate(a, span, what),
        docsWarning: (docs, gate, span, what) => this.docsWarning(docs, gate, span, what),
      },
    );
    // Doc references are resolved against the checked items, so only once every item checks.
    if (!this.diagnostics.some((d) => d.severity === "error"))
      this.diagnostics.push(...checkDocReferences(this.files, new ReferenceIndex({ types, constants, modules, command })));
    if (!pkg) return { model: null, diagnostics: this.diagnostics };
    const model: ContractModel = {
      schemaVersion: SCHEMA_VERSION,
      package: pkg,
      files: this.files.map((f) => f.file).reverse(),
      types,
      constants,
      modules,
      command,
      libc: libc.functions,
      libcSurface: libc.surface,
    };
    // What the targets spell is judged on a contract that otherwise checks.
    if (!this.diagnostics.some((d) => d.severity === "error")) this.diagnostics.push(...checkGeneratedNames(model));
    return { model, diagnostics: this.diagnostics };
  }

  // ---------------------------------------------------------------- package and names

  private checkPackage(): ContractModel["package"] | null {
    const packages = this.files.flatMap((f) => f.packages);
    if (packages.length === 0) {
      const root = this.files[this.files.length - 1];
      if (root)
        this.err("E0105", "the contract has no `package NAME@VERSION;` declaration", {
          file: root.file,
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
        });
      return null;
    }
    for (const extra of packages.slice(1))
      this.err("E0105", "the contract declares its package more than once", extra.span, [
        { message: "the first declaration is here", span: packages[0]!.span },
      ]);
    const p = packages[0]!;
    this.packageVersion = p.version;
    for (const a of p.annotations) this.err("E0302", `@${a.name} does not apply to a package`, a.span);
    return { name: p.name, version: p.version, docs: p.docs.text, span: p.span };
  }

  private collect(): void {
    const declare = (decl: DeclAst, scope: string | null): void => {
      const prior = this.decls.get(decl.name);
      if (prior) {
        this.err("E0203", `\`${decl.name}\` is defined more than once`, decl.nameSpan, [
          { message: "first defined here", span: prior.decl.nameSpan },
        ]);
        return;
      }
      this.decls.set(decl.name, { decl, scope });
    };
    const importNames = new Map<string, Span>();
    for (const file of this.files) {
      for (const d of file.decls) declare(d, null);
      for (const c of file.commands) for (const d of c.decls) declare(d, "command");
      for (const m of file.modules) {
        const prior = this.modules.get(m.name) ? this.modules.get(m.name)!.nameSpan : importNames.get(m.name);
        if (prior) {
          this.err("E0203", `module \`${m.name}\` is defined more than once`, m.nameSpan, [
            { message: "first defined here", span: prior },
          ]);
          continue;
        }
        importNames.set(m.name, m.nameSpan);
        this.modules.set(m.name, m);
        for (const a of m.aliases) {
          const p = importNames.get(a.name);
          if (p) this.err("E0203", `import module name \`${a.name}\` is already used`, a.span, [{ message: "first used here", span: p }]);
          else importNames.set(a.name, a.span);
        }
        for (const d of m.decls) declare(d, m.name);
        for (const f of m.functions) if (!this.functionNames.has(f.name)) this.functionNames.set(f.name, m.name);
      }
    }
  }

  /**
   * Reports (E0208) the first type that holds more than MAX_TYPE_DEPTH named types inside each
   * other by value (alias targets, fields, tags, payloads; a pointer ends a chain). Computed
   * without recursion, since the chain may be as long as the contract; false after a report.
   */
  private checkTypeDepth(): boolean {
    const byValue = (t: TypeExpr | null): string[] =>
      t?.kind === "name" && t.args.length === 0 && this.decls.has(t.name) ? [t.name] : [];
    const edges = (d: DeclAst): string[] => {
      switch (d.kind) {
        case "alias":
          return byValue(d.target);
        case "struct":
          return d.fields.flatMap((f) => byValue(f.type));
        case "variant":
          return [d.tag, ...d.cases.flatMap((c) => byValue(c.payload))].filter((n) => this.decls.has(n));
        default:
          return [];
      }
    };
    const depth = new Map<string, number>();
    for (const root of this.decls.keys()) {
      if (depth.has(root)) continue;
      // Post-order walk; a name met again while on the stack is a cycle (E0204 reports it) and counts 0.
      const stack: { name: string; next: string[] }[] = [{ name: root, next: edges(this.decls.get(root)!.decl) }];
      const onStack = new Set([root]);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const child = top.next.pop();
        if (child !== undefined) {
          if (!depth.has(child) && !onStack.has(child)) {
            stack.push({ name: child, next: edges(this.decls.get(child)!.decl) });
            onStack.add(child);
          }
          continue;
        }
        const d = this.decls.get(top.name)!.decl;
        const deepest = Math.max(0, ...edges(d).map((n) => depth.get(n) ?? 0));
        depth.set(top.name, deepest + 1);
        stack.pop();
        onStack.delete(top.name);
        if (deepest + 1 > MAX_TYPE_DEPTH) {
          this.err("E0208", `type \`${top.name}\` nests more than ${MAX_TYPE_DEPTH} named types by value (through aliases, fields and payloads); use a pointer`, d.nameSpan);
          return false;
        }
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- type resolution

  private kindOf(name: string): string | null {
    const d = this.decls.get(name);
    if (d) return d.decl.kind === "const" ? "constant" : "type";
    if (this.modules.has(name)) return "module";
    if (this.functionNames.has(name)) return "function";
    return null;
  }

  /** Resolves a type as written; `where` says what position it is in, for messages. */
  private resolve(t: TypeExpr, where: "field" | "param" | "result" | "alias" | "const" | "payload" | "pointee"): TypeRef | null {
    if (t.kind === "tuple") {
      this.err("E0205", "a tuple is only allowed as the value of `result<..., errno>`", t.span);
      return null;
    }
    const arity = (n: number): boolean => {
      if (t.args.length === n) return true;
      this.err("E0205", n === 0 ? `\`${t.name}\` takes no type arguments` : `\`${t.name}\` takes exactly ${n} type argument${n > 1 ? "s" : ""}`, t.span);
      return false;
    };
    if (PRIMITIVES.has(t.name)) return arity(0) ? { kind: "primitive", name: t.name as PrimitiveName } : null;
    switch (t.name) {
      case "ptr":
      case "const_ptr": {
        if (!arity(1)) return null;
        const to = this.resolve(t.args[0]!, "pointee");
        return to && { kind: "ptr", const: t.name === "const_ptr", to };
      }
      case "string":
      case "list":
      case "buffer": {
        if (where !== "param") {
          this.err("E0205", `\`${t.name}\` is only allowed as a function parameter (it lowers to a pointer and a length)`, t.span);
          return null;
        }
        if (t.name === "string") return arity(0) ? { kind: "string" } : null;
        if (!arity(1)) return null;
        const of = this.resolve(t.args[0]!, "pointee");
        if (!of) return null;
        return t.name === "list" ? { kind: "list", of } : { kind: "buffer", of };
      }
      case "result":
        this.err("E0205", "`result<T, E>` is only allowed as a function's result", t.span);
        return null;
    }
    const kind = this.kindOf(t.name);
    if (kind === null) {
      this.unknownType(t.name, t.span);
      return null;
    }
    if (kind !== "type") {
      this.err("E0202", `\`${t.name}\` is a ${kind}, not a type`, t.span);
      return null;
    }
    if (t.args.length) {
      this.err("E0205", `\`${t.name}\` takes no type arguments`, t.span);
      return null;
    }
    return { kind: "named", name: t.name };
  }

  /** The primitive a named type is represented by, or null for structs and variants. */
  private scalarOf = (name: string, seen = new Set<string>()): PrimitiveName | null => {
    const d = this.decls.get(name)?.decl;
    if (!d || seen.has(name)) return null;
    seen.add(name);
    switch (d.kind) {
      case "enum":
      case "flags":
        return PRIMITIVES.has(d.repr) ? (d.repr as PrimitiveName) : null;
      case "alias": {
        if (d.target.kind !== "name" || d.target.args.length) return d.target.kind === "name" && ["ptr", "const_ptr"].includes(d.target.name) ? "u32" : null;
        if (PRIMITIVES.has(d.target.name)) return d.target.name as PrimitiveName;
        return this.scalarOf(d.target.name, seen);
      }
      default:
        return null;
    }
  };

  /** The enum a type reference names, through aliases; null for anything else. */
  private enumBehind(t: TypeRef): Extract<DeclAst, { kind: "enum" }> | null {
    const seen = new Set<string>();
    let name: string | null = t.kind === "named" ? t.name : null;
    while (name !== null && !seen.has(name)) {
      seen.add(name);
      const d: DeclAst | undefined = this.decls.get(name)?.decl;
      if (d?.kind === "enum") return d;
      name = d?.kind === "alias" && d.target.kind === "name" && d.target.args.length === 0 ? d.target.name : null;
    }
    return null;
  }

  /** True when a type reference is a pointer, directly or through aliases (a constant cannot be one). */
  private pointerBehind(t: TypeRef): boolean {
    if (t.kind === "ptr") return true;
    const seen = new Set<string>();
    let name: string | null = t.kind === "named" ? t.name : null;
    while (name !== null && !seen.has(name)) {
      seen.add(name);
      const d: DeclAst | undefined = this.decls.get(name)?.decl;
      if (d?.kind !== "alias" || d.target.kind !== "name") return false;
      if (d.target.name === "ptr" || d.target.name === "const_ptr") return true;
      name = d.target.args.length === 0 ? d.target.name : null;
    }
    return false;
  }

  private refScalar(t: TypeRef): PrimitiveName | null {
    if (t.kind === "primitive") return t.name;
    if (t.kind === "ptr") return "u32";
    if (t.kind === "named") return this.scalarOf(t.name);
    return null;
  }

  // ---------------------------------------------------------------- layout

  private layoutOfRef(t: TypeRef, at: Span): Layout | null {
    switch (t.kind) {
      case "primitive":
        return primitiveLayout(t.name);
      case "ptr":
        return POINTER_LAYOUT;
      case "named":
        return this.layoutOfName(t.name, at);
      default:
        return null;
    }
  }

  /** Computes (once) the layout of a named type; a type that contains itself by value is a cycle. */
  private layoutOfName(name: string, at: Span): Layout | null {
    if (this.layouts.has(name)) return this.layouts.get(name)!;
    const d = this.decls.get(name)?.decl;
    if (!d || d.kind === "const") return null;
    if (this.layoutInProgress.has(name)) {
      this.err("E0204", `type \`${name}\` contains itself (use a pointer to break the cycle)`, at);
      this.layouts.set(name, null);
      return null;
    }
    this.layoutInProgress.add(name);
    const layout = this.computeLayout(d);
    this.layoutInProgress.delete(name);
    if (!this.layouts.has(name)) this.layouts.set(name, layout);
    return this.layouts.get(name)!;
  }

  private computeLayout(d: Exclude<DeclAst, { kind: "const" }>): Layout | null {
    switch (d.kind) {
      case "enum":
      case "flags":
        return PRIMITIVES.has(d.repr) ? primitiveLayout(d.repr as PrimitiveName) : null;
      case "alias": {
        const t = this.resolveQuiet(d.target);
        return t ? this.layoutOfRef(t, d.target.span) : null;
      }
      case "struct": {
        const fields = d.fields.map((f) => {
          const t = this.resolveQuiet(f.type);
          return t ? this.layoutOfRef(t, f.type.span) : null;
        });
        if (fields.some((f) => f === null)) return null;
        const { size, align } = structLayout(fields as Layout[]);
        return { size, align };
      }
      case "variant": {
        const tag = this.scalarOf(d.tag);
        if (!tag || this.decls.get(d.tag)?.decl.kind !== "enum") return null;
        const cases = d.cases.map((c) => {
          if (!c.payload) return null;
          const t = this.resolveQuiet(c.payload);
          return t ? this.layoutOfRef(t, c.payload.span) : undefined;
        });
        if (cases.some((c) => c === undefined)) return null;
        const { size, align } = variantLayout(primitiveLayout(tag), cases as (Layout | null)[]);
        return { size, align };
      }
    }
  }

  /** Resolution without diagnostics, for layout recursion (each type is diagnosed once, in its own model). */
  private resolveQuiet(t: TypeExpr): TypeRef | null {
    const saved = this.diagnostics.length;
    const r = this.resolve(t, "field");
    this.diagnostics.length = saved;
    return r;
  }

  // ---------------------------------------------------------------- declarations

  private checkAnnotations(annotations: Annotation[], allowed: string[], what: string): void {
    const seen = new Map<string, Span>();
    for (const a of annotations) {
      if (!KNOWN_ANNOTATIONS.has(a.name)) {
        this.errNear("E0301", `unknown annotation @${a.name}`, a.span, a.name, KNOWN_ANNOTATIONS, (c) => `@${c}`);
        continue;
      }
      if (!allowed.includes(a.name)) this.err("E0302", `@${a.name} does not apply to ${what}`, a.span);
      const prior = seen.get(a.name);
      if (prior) this.err("E0302", `@${a.name} is given more than once`, a.span, [{ message: "first given here", span: prior }]);
      seen.set(a.name, a.span);
    }
  }

  private gate(annotations: Annotation[], nameSpan: Span, what: string, requireGate = true): Gate {
    const g = readGate(annotations, this.packageVersion, this.diagnostics);
    if (requireGate && g.since === null && g.unstable === null && !findAnnotation(annotations, "since") && !findAnnotation(annotations, "unstable"))
      this.err("E0307", `${what} needs @since(VERSION) or @unstable(FEATURE)`, nameSpan);
    return { since: g.since, unstable: g.unstable, deprecated: g.deprecated };
  }

  private docsWarning(docs: Docs, gate: Gate, span: Span, what: string): void {
    if (docs.text === "" && gate.unstable === null) this.diagnostics.push(warning("W0401", `${what} has no doc comment`, span));
  }

  private checkDuplicates<T extends { name: string; nameSpan: Span }>(items: T[], what: string): void {
    const seen = new Map<string, Span>();
    for (const i of items) {
      const prior = seen.get(i.name);
      if (prior) this.err("E0203", `${what} \`${i.name}\` is defined more than once`, i.nameSpan, [{ message: "first defined here", span: prior }]);
      else seen.set(i.name, i.nameSpan);
    }
  }

  private typeModel(d: Exclude<DeclAst, { kind: "const" }>, scope: string | null): TypeModel | null {
    const allowed = d.kind === "enum" ? ["since", "unstable", "deprecated", "open"] : ["since", "unstable", "deprecated"];
    this.checkAnnotations(d.annotations, allowed, `a ${d.kind === "alias" ? "type alias" : d.kind}`);
    const gate = this.gate(d.annotations, d.nameSpan, `type \`${d.name}\``);
    this.docsWarning(d.docs, gate, d.nameSpan, `type \`${d.name}\``);
    this.checkDeprecatedTarget(gate, d.annotations, null);
    const common = { name: d.name, docs: d.docs.text, span: d.nameSpan, scope, ...gate };
    switch (d.kind) {
      case "alias": {
        const target = this.resolve(d.target, "alias");
        const layout = this.layoutOfName(d.name, d.nameSpan);
        if (!target || !layout) return null;
        return { ...common, kind: "alias", target, ...layout };
      }
      case "enum":
      case "flags": {
        const members = this.members(d, gate);
        const layout = this.layoutOfName(d.name, d.nameSpan);
        if (!members || !layout) return null;
        if (d.kind === "enum")
          return { ...common, kind: "enum", repr: d.repr as PrimitiveName, open: !!findAnnotation(d.annotations, "open"), ...members, ...layout };
        return { ...common, kind: "flags", repr: d.repr as PrimitiveName, ...members, ...layout };
      }
      case "struct": {
        if (d.fields.length === 0) this.err("E0205", `struct \`${d.name}\` has no fields`, d.nameSpan);
        this.checkDuplicates(d.fields, "field");
        const refs = d.fields.map((f) => this.resolve(f.type, "field"));
        for (const f of d.fields) this.docsWarning(f.docs, gate, f.nameSpan, `field \`${d.name}.${f.name}\``);
        const layout = this.layoutOfName(d.name, d.nameSpan);
        if (!layout || refs.some((r) => r === null)) return null;
        const fieldLayouts = refs.map((r, i) => this.layoutOfRef(r!, d.fields[i]!.type.span)!);
        const { offsets } = structLayout(fieldLayouts);
        const fields = d.fields.map((f, i) => ({
          name: f.name,
          type: refs[i]!,
          offset: offsets[i]!,
          size: fieldLayouts[i]!.size,
          align: fieldLayouts[i]!.align,
          docs: f.docs.text,
          span: f.nameSpan,
        }));
        return { ...common, kind: "struct", fields, ...layout };
      }
      case "variant":
        return this.variantModel(d, common, gate);
    }
  }

  private members(d: Extract<DeclAst, { kind: "enum" | "flags" }>, gate: Gate): { members: EnumMember[]; reserved: ReservedValue[] } | null {
    const repr = INTEGER_BITS[d.repr as PrimitiveName];
    if (!repr || repr.signed || !["u8", "u16", "u32", "u64"].includes(d.repr)) {
      this.err("E0206", `${d.kind} representation must be u8, u16, u32 or u64, not \`${d.repr}\``, d.reprSpan);
      return null;
    }
    this.checkDuplicates(d.members, "member");
    const members: EnumMember[] = [];
    const reserved: ReservedValue[] = [];
    const byValue = new Map<bigint, MemberAst>();
    for (const m of d.members) {
      const value = this.memberValue(d.kind, m, repr.bits);
      if (value === null) continue;
      const prior = byValue.get(value);
      if (prior) {
        const code = prior.reserved || m.reserved ? "E0217" : "E0211";
        const what = d.kind === "flags" ? `bit ${m.bit}` : `value ${m.value}`;
        const message =
          code === "E0217"
            ? `${what} of \`${m.name}\` is reserved by \`${prior.name}\` and must never be reused`
            : `${what} of \`${m.name}\` is already used by \`${prior.name}\``;
        this.err(code, message, m.valueSpan, [{ message: `\`${prior.name}\` is here`, span: prior.nameSpan }]);
        continue;
      }
      byValue.set(value, m);
      if (m.reserved) reserved.push({ name: m.name, value: jsonInt(value), span: m.nameSpan });
      else {
        members.push({ name: m.name, value: jsonInt(value), docs: m.docs.text, span: m.nameSpan });
        this.docsWarning(m.docs, gate, m.nameSpan, `member \`${d.name}::${m.name}\``);
      }
    }
    return { members, reserved };
  }

  /** The numeric value of an enum member, or the mask of a flags member; null after a diagnostic. */
  private memberValue(kind: "enum" | "flags", m: MemberAst, bits: number): bigint | null {
    if (kind === "enum") {
      if (m.bit !== null) {
        this.err("E0213", "an enum member takes a plain value; `1 << N` is for flags", m.valueSpan);
        return null;
      }
      const max = (1n << BigInt(bits)) - 1n;
      if (m.value === null || m.value < 0n || m.value > max) {
        this.err("E0210", `value ${m.value} of \`${m.name}\` does not fit the representation u${bits} (0..${max})`, m.valueSpan);
        return null;
      }
      return m.value;
    }
    if (m.bit === null || m.value !== 1n) {
      this.err("E0213", `a flags member is written \`1 << BIT\`, e.g. \`${m.name} = 1 << 0\``, m.valueSpan);
      return null;
    }
    if (m.bit < 0n || m.bit >= BigInt(bits)) {
      this.err("E0212", `bit ${m.bit} of \`${m.name}\` is out of range for u${bits} (0..${bits - 1})`, m.valueSpan);
      return null;
    }
    return 1n << m.bit;
  }

  private variantModel(
    d: Extract<DeclAst, { kind: "variant" }>,
    common: Omit<TypeModel, "kind" | "size" | "align">,
    gate: Gate,
  ): TypeModel | null {
    const tagDecl = this.decls.get(d.tag)?.decl;
    const kind = this.kindOf(d.tag);
    if (!kind) {
      const enums = [...this.decls.values()].filter((x) => x.decl.kind === "enum").map((x) => x.decl.name);
      this.errNear("E0201", `unknown type \`${d.tag}\``, d.tagSpan, d.tag, enums);
      return null;
    }
    if (!tagDecl || tagDecl.kind !== "enum") {
      this.err("E0214", `the tag of variant \`${d.name}\` must be an enum, and \`${d.tag}\` is ${kind === "type" ? `a ${tagDecl?.kind}` : `a ${kind}`}`, d.tagSpan);
      return null;
    }
    this.checkDuplicates(d.cases, "case");
    const tagValues = new Map(tagDecl.members.filter((m) => !m.reserved).map((m) => [m.name, m.value]));
    const cases = [];
    for (const c of d.cases) {
      const tag = tagValues.get(c.name);
      if (tag === undefined || tag === null) {
        const unused = [...tagValues.keys()].filter((m) => !d.cases.some((x) => x.name === m));
        this.errNear("E0214", `\`${c.name}\` is not a member of the tag enum \`${d.tag}\``, c.nameSpan, c.name, unused);
        continue;
      }
      const payload = c.payload ? this.resolve(c.payload, "payload") : null;
      if (c.payload && !payload) continue;
      this.docsWarning(c.docs, gate, c.nameSpan, `case \`${d.name}::${c.name}\``);
      cases.push({ name: c.name, tag: Number(tag), payload, docs: c.docs.text, span: c.nameSpan });
    }
    for (const [member] of tagValues)
      if (!d.cases.some((c) => c.name === member)) this.err("E0214", `variant \`${d.name}\` has no case for tag member \`${d.tag}::${member}\``, d.nameSpan);
    const layout = this.layoutOfName(d.name, d.nameSpan);
    if (!layout || cases.length !== d.cases.length) return null;
    const tagLayout = primitiveLayout(tagDecl.repr as PrimitiveName);
    const { payloadOffset } = variantLayout(
      tagLayout,
      cases.map((c) => (c.payload ? this.layoutOfRef(c.payload, d.nameSpan) : null)),
    );
    return { ...common, kind: "variant", tag: d.tag, tagSize: tagLayout.size, payloadOffset, cases, ...layout } as TypeModel;
  }

  private constModel(d: Extract<DeclAst, { kind: "const" }>, scope: string | null): ConstModel | null {
    this.checkAnnotations(d.annotations, ["since", "unstable", "deprecated"], "a constant");
    const gate = this.gate(d.annotations, d.nameSpan, `constant \`${d.name}\``);
    this.docsWarning(d.docs, gate, d.nameSpan, `constant \`${d.name}\``);
    const type = this.resolve(d.type, "const");
    if (!type) return null;
    const scalar = this.refScalar(type);
    const range = scalar ? INTEGER_BITS[scalar] : undefined;
    if (!range || this.pointerBehind(type)) {
      this.err("E0215", "a constant must have an integer, bool, enum or flags type (not a pointer, even through an alias)", d.type.span);
      return null;
    }
    const min = range.signed ? -(1n << BigInt(range.bits - 1)) : 0n;
    const max = range.signed ? (1n << BigInt(range.bits - 1)) - 1n : (1n << BigInt(range.bits)) - 1n;
    if (d.value < min || d.value > max) {
      this.err("E0215", `value ${d.value} does not fit \`${scalar}\` (${min}..${max})`, d.valueSpan);
      return null;
    }
    const en = this.enumBehind(type);
    if (en && !findAnnotation(en.annotations, "open") && !en.members.some((m) => !m.reserved && m.value === d.value)) {
      this.err("E0215", `value ${d.value} is no member of the closed enum \`${en.name}\` (mark it @open to allow other values)`, d.valueSpan);
      return null;
    }
    return { name: d.name, type, value: jsonInt(d.value), docs: d.docs.text, span: d.nameSpan, scope, ...gate };
  }

  // ---------------------------------------------------------------- modules and functions

  private tierOf(annotations: Annotation[]): Tier | null {
    const a = findAnnotation(annotations, "tier");
    if (!a) return null;
    const v = positional(a, 0, "a tier: isolated, read-only, read-write or full", this.diagnostics);
    if (v === null) return null;
    if (!(TIERS as readonly string[]).includes(v)) {
      this.errNear("E0302", `unknown tier \`${v}\` (expected isolated, read-only, read-write or full)`, a.args[0]?.span ?? a.span, v, TIERS);
      return null;
    }
    return v as Tier;
  }

  private moduleModel(m: ModuleAst): ModuleModel {
    this.checkAnnotations(m.annotations, ["since", "unstable", "deprecated", "tier", "deviation"], "a module");
    const gate = this.gate(m.annotations, m.nameSpan, `module \`${m.name}\``);
    this.docsWarning(m.docs, gate, m.nameSpan, `module \`${m.name}\``);
    const tier = this.tierOf(m.annotations) ?? "isolated";
    this.checkDuplicates(m.functions, "function");
    const live = new Map(m.functions.map((f) => [f.name, f.nameSpan]));
    const reservedFunctions = [];
    for (const r of m.reservedFunctions) {
      const f = live.get(r.name);
      if (f) this.err("E0217", `function name \`${r.name}\` is reserved and must never be reused`, f, [{ message: "reserved here", span: r.span }]);
      reservedFunctions.push({ name: r.name, span: r.span });
    }
    const functions = m.functions.flatMap((f) => {
      const fm = this.functionModel(f, m, tier, gate);
      return fm ? [fm] : [];
    });
    const deviation = readDeviation(m.annotations, this.diagnostics);
    return { name: m.name, aliases: m.aliases.map((a) => a.name), tier, deviation, functions, reservedFunctions, docs: m.docs.text, span: m.nameSpan, ...gate };
  }

  private functionModel(f: FnAst, m: ModuleAst, moduleTier: Tier, moduleGate: Gate): FunctionModel | null {
    this.checkAnnotations(f.annotations, ["since", "unstable", "deprecated", "provided", "stubbed", "refused", "compat", "deviation", "tier", "sentinel"], "a function");
    const gate = this.gate(f.annotations, f.nameSpan, `function \`${f.name}\``);
    if (moduleGate.unstable !== null && gate.unstable === null)
      this.err("E0305", `function \`${f.name}\` is stable but its module \`${m.name}\` is unstable (@unstable(${moduleGate.unstable}))`, f.nameSpan);
    this.docsWarning(f.docs, gate, f.nameSpan, `function \`${m.name}.${f.name}\``);
    this.checkDeprecatedTarget(gate, f.annotations, m);
    this.checkDuplicates(f.params, "parameter");
    let ok = true;
    const params: ParamModel[] = [];
    for (const p of f.params) {
      const pm = this.paramModel(p, gate, `${f.name}.${p.name}`);
      if (pm) params.push(pm);
      else ok = false;
    }
    const result = this.resultModel(f);
    if (!result) ok = false;
    const sentinel = this.sentinelOf(f, result);
    if (sentinel === undefined) ok = false;
    const status = this.statusOf(f, result);
    const tier = this.tierOf(f.annotations) ?? moduleTier;
    const compatA = findAnnotation(f.annotations, "compat");
    const compat = compatA ? (compatA.args[0]?.value.text ?? "") : null;
    const deviation = readDeviation(f.annotations, this.diagnostics);
    if (deviation !== null && status?.kind === "refused")
      this.err(
        "E0310",
        `@deviation on refused function \`${f.name}\`: it is never linked, and its @refused reason already says why`,
        findAnnotation(f.annotations, "deviation")!.span,
      );
    if (!ok || !result || !status) return null;
    const outPtrs: CoreType[] = result.kind === "expected" ? result.values.map(() => "i32" as const) : [];
    const results: CoreType[] =
      result.kind === "scalar"
        ? [primitiveCore(this.refScalar(result.type)!)]
        : result.kind === "expected"
          ? [primitiveCore(this.scalarOf(result.error)!)]
          : [];
    const resultDocs = result.kind === "expected" ? result.values.map((v) => v.docs).filter(Boolean).join("\n") : "";
    return {
      name: f.name,
      import: { module: m.name, name: f.name },
      params,
      result: result.kind === "scalar" ? { ...result, sentinel: sentinel ?? null } : result,
      core: { params: [...params.flatMap((p) => p.core), ...outPtrs], results },
      status,
      compat,
      deviation,
      tiers: TIERS.slice(TIERS.indexOf(tier)) as Tier[],
      docs: f.docs.text,
      resultDocs,
      span: f.nameSpan,
      ...gate,
    };
  }

  private paramModel(p: FieldAst, gate: Gate, what: string): ParamModel | null {
    const type = this.resolve(p.type, "param");
    if (!type) return null;
    const core = lowerParam(type, this.scalarOf);
    if (!core) {
      this.err("E0205", `structs and variants are passed by pointer: write \`const_ptr<${p.type.kind === "name" ? p.type.name : "T"}>\``, p.type.span);
      return null;
    }
    if ((type.kind === "list" || type.kind === "buffer") && !this.layoutOfRef(type.of, p.type.span)) return null;
    this.docsWarning(p.docs, gate, p.nameSpan, `parameter \`${what}\``);
    return { name: p.name, type, docs: p.docs.text, span: p.nameSpan, core };
  }

  private resultModel(f: FnAst): ResultModel | null {
    if (f.result.kind === "none") return { kind: "none" };
    if (f.result.kind === "noreturn") return { kind: "noreturn" };
    const t = f.result.type;
    if (t.kind === "name" && t.name === "result") {
      if (t.args.length !== 2) {
        this.err("E0205", "`result` takes two type arguments: `result<T, errno>`", t.span);
        return null;
      }
      const [ok, err] = t.args as [TypeExpr, TypeExpr];
      const errorName = err.kind === "name" && err.args.length === 0 ? err.name : null;
      const errDecl = errorName ? this.decls.get(errorName)?.decl : undefined;
      if (!errorName || !errDecl) {
        if (err.kind === "name" && err.args.length === 0 && !this.kindOf(err.name)) this.unknownType(err.name, err.span);
        else this.err("E0216", "the error type of `result<T, E>` must be an errno-like enum", err.span);
        return null;
      }
      if (!this.isErrnoLike(errDecl)) {
        this.err("E0216", `\`${errorName}\` is not errno-like: it must be an enum of u8, u16 or u32 with a member \`success = 0\``, err.span);
        return null;
      }
      const values: OutValueModel[] = [];
      const fields = ok.kind === "tuple" ? ok.fields : [{ name: null, type: ok, docs: null, span: ok.span }];
      for (const [i, field] of fields.entries()) {
        const type = this.resolve(field.type, "result");
        if (!type) return null;
        if (!this.layoutOfRef(type, field.type.span)) return null;
        const name = field.name ?? (fields.length === 1 ? "result" : `result${i}`);
        // Out-values are named fields of a record in every binding: two of one name cannot be.
        const prior = values.find((v) => v.name === name);
        if (prior) {
          this.err("E0203", `the out-value \`${name}\` is defined more than once${field.name === null ? " (unnamed values are called `result0`, `result1`, ...)" : ""}`, field.span);
          return null;
        }
        values.push({ name, type, docs: field.docs?.text ?? "" });
      }
      return { kind: "expected", error: errorName, values };
    }
    const type = this.resolve(t, "result");
    if (!type) return null;
    if (!this.refScalar(type)) {
      this.err("E0205", "a plain result must be a scalar; return structs through `result<T, errno>`", t.span);
      return null;
    }
    return { kind: "scalar", type, sentinel: null };
  }

  /**
   * The `@sentinel(ERROR, fault = FAULT)` of a function returning a plain scalar, which must have
   * one; null for other results (where it may not appear); undefined after a diagnostic.
   */
  private sentinelOf(f: FnAst, result: ResultModel | null): Sentinel | null | undefined {
    const a = findAnnotation(f.annotations, "sentinel");
    if (result === null) return undefined;
    if (result.kind !== "scalar") {
      if (a) this.err("E0302", "@sentinel is for a function that returns a plain scalar; `result<T, E>` reports failure through its error", a.span);
      return a ? undefined : null;
    }
    if (!a) {
      this.err("E0311", `function \`${f.name}\` returns a plain scalar, so it must declare what it returns on failure: add @sentinel(VALUE)`, f.nameSpan);
      return undefined;
    }
    const scalar = this.refScalar(result.type)!;
    const positionals = a.args.filter((x) => x.key === null);
    for (const arg of a.args)
      if (arg.key !== null && arg.key !== "fault") this.err("E0302", `@sentinel has no argument \`${arg.key}\` (only \`fault = VALUE\`)`, arg.span);
    for (const extra of positionals.slice(1)) this.err("E0302", "@sentinel takes one value, then optionally `fault = VALUE`", extra.span);
    if (positionals.length === 0) {
      this.err("E0302", "@sentinel needs the value the function returns on failure, e.g. @sentinel(0)", a.span);
      return undefined;
    }
    const error = this.sentinelValue(positionals[0]!.value, scalar);
    const faultArg = a.args.find((x) => x.key === "fault");
    const fault = faultArg ? this.sentinelValue(faultArg.value, scalar) : error;
    if (error === null || fault === null) return undefined;
    return { error: jsonInt(error), fault: jsonInt(fault) };
  }

  /** An @sentinel value: an integer, a constant's name or `enum::member`, fitting the result type. */
  private sentinelValue(v: AnnotationValue, scalar: PrimitiveName): bigint | null {
    let value: bigint;
    if (v.kind === "int") value = v.value;
    else if (v.kind === "word" || v.kind === "path") {
      const found = this.namedValue(v.text);
      if (typeof found !== "bigint") {
        this.diagnostics.push(withReplacement(error("E0218", found.message, v.span), found.replacement));
        return null;
      }
      value = found;
    } else {
      this.err("E0218", `an @sentinel value is an integer, a constant or \`enum::member\`, not a ${v.kind}`, v.span);
      return null;
    }
    const range = INTEGER_BITS[scalar] ?? { bits: 54, signed: true }; // floats: integers they hold exactly
    const min = range.signed ? -(1n << BigInt(range.bits - 1)) : 0n;
    const max = range.signed ? (1n << BigInt(range.bits - 1)) - 1n : (1n << BigInt(range.bits)) - 1n;
    if (value < min || value > max) {
      this.err("E0218", `@sentinel value ${value} does not fit the result type \`${scalar}\` (${min}..${max})`, v.span);
      return null;
    }
    return value;
  }

  /**
   * The value of a constant or `enum::member`, or the message saying why there is none (with the
   * closest name that has one, when a name was mistyped).
   */
  private namedValue(text: string): bigint | { message: string; replacement: string | null } {
    const [owner, member] = text.includes("::") ? text.split("::", 2) : [text, null];
    const d = this.decls.get(owner!)?.decl;
    if (member === null) {
      if (d?.kind === "const") return d.value;
      const consts = [...this.decls.values()].flatMap((x) => (x.decl.kind === "const" ? [x.decl.name] : []));
      return { message: `\`${text}\` is not a constant`, replacement: suggest(text, consts) };
    }
    if (d?.kind !== "enum") return { message: `\`${owner}\` is not an enum, so \`${text}\` names no member`, replacement: null };
    const m = d.members.find((x) => x.name === member);
    if (m?.reserved) return { message: `\`${text}\` is reserved: a retired value is never used again`, replacement: null };
    if (m?.value == null) {
      const best = suggest(member!, d.members.filter((x) => !x.reserved).map((x) => x.name));
      return { message: `enum \`${owner}\` has no member \`${member}\``, replacement: best === null ? null : `${owner}::${best}` };
    }
    return m.value;
  }

  private isErrnoLike(d: DeclAst): boolean {
    return d.kind === "enum" && ["u8", "u16", "u32"].includes(d.repr) && d.members.some((m) => !m.reserved && m.name === "success" && m.value === 0n);
  }

  private statusOf(f: FnAst, result: ResultModel | null): Status | null {
    const given = ["provided", "stubbed", "refused"].flatMap((n) => {
      const a = findAnnotation(f.annotations, n);
      return a ? [a] : [];
    });
    for (const extra of given.slice(1)) this.err("E0308", `@${extra.name} conflicts with @${given[0]!.name}: a function has one status`, extra.span);
    const a = given[0];
    if (!a || a.name === "provided") return { kind: "provided" };
    if (a.name === "refused") return { kind: "refused", reason: a.args[0]?.value.text ?? "" };
    const member = positional(a, 0, "the errno it returns, e.g. @stubbed(nosys)", this.diagnostics);
    if (member === null) return null;
    if (result?.kind !== "expected") {
      this.err("E0302", "@stubbed needs a function whose result is `result<T, errno>`", a.span);
      return null;
    }
    const errDecl = this.decls.get(result.error)?.decl;
    const m = errDecl?.kind === "enum" ? errDecl.members.find((x) => x.name === member && !x.reserved) : undefined;
    if (!m || m.value === null) {
      const members = errDecl?.kind === "enum" ? errDecl.members.filter((x) => !x.reserved).map((x) => x.name) : [];
      this.errNear("E0302", `\`${member}\` is not a member of \`${result.error}\``, a.args[0]?.span ?? a.span, member, members);
      return null;
    }
    return { kind: "stubbed", errno: member, value: Number(m.value) };
  }

  private checkDeprecatedTarget(gate: Gate, annotations: Annotation[], m: ModuleAst | null): void {
    const use = gate.deprecated?.use;
    if (!use) return;
    const a = findAnnotation(annotations, "deprecated")!;
    const span = a.args.find((x) => x.key === "use")?.value.span ?? a.span;
    const [modName, fnName] = use.includes(".") ? use.split(".", 2) : [m?.name ?? null, use];
    const inModule = modName ? this.modules.get(modName)?.functions.some((f) => f.name === fnName) : false;
    if (inModule || this.decls.has(use)) return;
    // Candidates as they would be written here: a function of this module by its name, one of
    // another module as `module.fn`, or a type or constant.
    const candidates = [
      ...[...this.modules.values()].flatMap((x) => x.functions.map((f) => (x === m ? f.name : `${x.name}.${f.name}`))),
      ...this.decls.keys(),
    ];
    this.errNear("E0306", `the replacement \`${use}\` named by @deprecated does not exist`, span, use, candidates);
  }

  // ---------------------------------------------------------------- command

  private commandModel(c: CommandAst): CommandModel {
    this.checkAnnotations(c.annotations, ["since", "unstable"], "the command block");
    const gate = this.gate(c.annotations, c.nameSpan, "the command block");
    this.docsWarning(c.docs, gate, c.nameSpan, "the command block");
    this.checkDuplicates(c.exports, "export");
    this.checkDuplicates(c.conventions, "convention");
    const exports = c.exports.flatMap((e): CommandExport[] => {
      this.checkAnnotations(e.annotations, [], "an export");
      this.docsWarning(e.docs, gate, e.nameSpan, `export \`${e.name}\``);
      if (e.kind === "memory") {
        if (e.params || e.results) this.err("E0205", "a memory export has no parameters or results", e.kindSpan);
        return [{ name: e.name, required: !e.optional, kind: "memory" as const, params: [], results: [], docs: e.docs.text, span: e.nameSpan }];
      }
      if (e.kind !== "func") {
        this.err("E0205", `an export is \`memory\` or \`func(...)\`, not \`${e.kind}\``, e.kindSpan);
        return [];
      }
      const params = this.coreTypes(e.params);
      const results = e.results ? this.coreTypes(e.results) : [];
      if (!params || !results) return [];
      return [{ name: e.name, required: !e.optional, kind: "func" as const, params, results, docs: e.docs.text, span: e.nameSpan }];
    });
    const conventions = c.conventions.map((v) => {
      this.checkAnnotations(v.annotations, [], "a convention");
      if (v.docs.text === "") this.diagnostics.push(warning("W0401", `convention \`${v.name}\` has no doc comment: its doc is the rule`, v.nameSpan));
      return { name: v.name, docs: v.docs.text, span: v.nameSpan };
    });
    return { exports, conventions, docs: c.docs.text, span: c.nameSpan, ...gate };
  }

  private coreTypes(t: TypeExpr | null): CoreType[] | null {
    if (!t) return [];
    const items = t.kind === "tuple" ? t.fields.map((f) => f.type) : [t];
    const out: CoreType[] = [];
    for (const i of items) {
      if (i.kind !== "name" || !CORE_TYPES.has(i.name) || i.args.length) {
        this.err("E0205", "export signatures use core wasm types: i32, i64, f32, f64", i.span);
        return null;
      }
      out.push(i.name as CoreType);
    }
    return out;
  }

  // ---------------------------------------------------------------- gates across items

  /** A stable item may not refer to an unstable type (WIT's gate rule). */
  private checkGateConsistency(types: TypeModel[], constants: ConstModel[], modules: ModuleModel[]): void {
    const unstable = new Map(types.filter((t) => t.unstable !== null).map((t) => [t.name, t.unstable!]));
    const names = (refs: TypeRef[]): string[] => refs.flatMap((r) => namedIn(r) ?? []);
    const check = (owner: Gate, what: string, refs: string[], span: Span): void => {
      if (owner.unstable !== null) return;
      for (const r of refs) {
        const feature = unstable.get(r);
        if (feature) this.err("E0305", `stable ${what} refers to unstable type \`${r}\` (@unstable(${feature}))`, span);
      }
    };
    for (const t of types) check(t, `type \`${t.name}\``, names(typeRefs(t)), t.span);
    for (const c of constants) check(c, `constant \`${c.name}\``, names([c.type]), c.span);
    for (const m of modules) for (const f of m.functions) check(f, `function \`${f.name}\``, names(functionRefs(f)), f.span);
  }
}
