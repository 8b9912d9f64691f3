// Hover: what the item under the cursor is, from the checked model. Its docs, its kind, its
// stability; for types the wasm32 size, alignment and field offsets; for functions the core
// wasm signature and the C prototype of the generated header; for libc functions their
// prototype, change and the imports they call. Built-in types, annotations and the libc
// block's properties and kinds are described from the language's vocabulary.

import type { FileAst } from "../ast.ts";
import { ALLOWED as LIBC_ALLOWED, PROPERTIES as LIBC_PROPERTIES, REQUIRED as LIBC_REQUIRED } from "../check-libc.ts";
import { HEADER_KIND } from "../gen/libc.ts";
import type { ConstModel, ContractModel, FunctionModel, Gate, LibcAbsentModel, LibcFunctionModel, LibcHeaderModel, ModuleModel, TypeModel } from "../model.ts";
import { coreSignature, idlSignature, idlType, sentinelAnnotation, tierRange } from "../idl-text.ts";
import { cPrototype } from "../lang/c.ts";
import { ModelQuery } from "../query.ts";
import type { Contract } from "./project.ts";
import type { ContractIndex, SymbolDef } from "./symbols.ts";
import { splitLines } from "./convert.ts";
import { annotationDoc, builtinType, LIBC_CHANGE_DOCS } from "./vocabulary.ts";

/** Markdown for the position, or null when there is nothing to say. */
export function hoverText(contract: Contract, index: ContractIndex, file: string, line: number, column: number): string | null {
  const occ = index.at(file, line, column);
  if (occ) {
    const def = index.defs.get(occ.key);
    return def ? describe(def, contract.model) : null;
  }
  const ast = contract.files.find((f) => f.file === file);
  const libc = ast ? libcWordHover(ast, contract.model, line, column) : null;
  if (libc) return libc;
  const word = wordAt(contract.texts.get(file) ?? "", line, column);
  if (!word) return null;
  if (word.at) {
    const a = annotationDoc(word.name);
    return a ? [fence(a.usage), `annotation · on ${a.on}`, a.summary].join("\n\n") : null;
  }
  const b = builtinType(word.name);
  if (!b) return null;
  return [
    fence(word.name),
    `built-in type · ${b.summary}`,
    b.layout ? `wasm32: size ${b.layout.size}, align ${b.layout.align}` : "no layout of its own: never stored in memory",
    `core wasm (as a parameter): ${b.core}`,
  ].join("\n\n");
}

/** The identifier (or `@annotation`) around a 1-based position. */
export function wordAt(text: string, line: number, column: number): { name: string; at: boolean; start: number } | null {
  const l = splitLines(text)[line - 1] ?? "";
  const i = column - 1;
  let start = i;
  while (start > 0 && /[A-Za-z0-9_]/.test(l[start - 1]!)) start--;
  let end = i;
  while (end < l.length && /[A-Za-z0-9_]/.test(l[end]!)) end++;
  if (start === end) return null;
  return { name: l.slice(start, end), at: l[start - 1] === "@", start: start + 1 };
}

function fence(code: string, lang = "idl"): string {
  return "```" + lang + "\n" + code + "\n```";
}

function gateLine(g: Gate): string {
  const parts = [g.unstable !== null ? `unstable (feature \`${g.unstable}\`)` : g.since !== null ? `stable since ${g.since}` : "no @since or @unstable"];
  if (g.deprecated)
    parts.push(
      `deprecated since ${g.deprecated.since}` +
        (g.deprecated.use ? `, use \`${g.deprecated.use}\`` : "") +
        (g.deprecated.note ? `: ${g.deprecated.note}` : ""),
    );
  return parts.join(" · ");
}

function scopeText(scope: string | null): string {
  return scope === null ? "top level" : scope === "command" ? "in the command block" : `in module \`${scope}\``;
}

function describe(def: SymbolDef, model: ContractModel | null): string | null {
  const unchecked = "Not in the checked model yet: fix the errors in it to see its layout.";
  switch (def.kind) {
    case "type": {
      const t = model?.types.find((x) => x.name === def.name);
      return t ? typeHover(t) : [fence(`${def.decl?.kind === "alias" ? "type" : def.decl?.kind} ${def.name}`), unchecked].join("\n\n");
    }
    case "const": {
      const c = model?.constants.find((x) => x.name === def.name);
      return c ? constHover(c) : [fence(`const ${def.name}`), unchecked].join("\n\n");
    }
    case "module": {
      const m = model?.modules.find((x) => x.name === def.name);
      return m ? moduleHover(m) : fence(`module ${def.name}`);
    }
    case "function": {
      const m = model?.modules.find((x) => x.name === def.container);
      const f = m?.functions.find((x) => x.name === def.name);
      return f && model ? functionHover(f, model) : [fence(`fn ${def.name}`), unchecked].join("\n\n");
    }
    case "member":
      return memberHover(def, model);
    case "param": {
      const [module, fn] = def.key.slice("param:".length).split(".");
      const f = model?.modules.find((m) => m.name === module)?.functions.find((x) => x.name === fn);
      const p = f?.params.find((x) => x.name === def.name);
      if (!p) return fence(`${def.name}`);
      return [fence(`${p.name}: ${idlType(p.type)}`), `parameter of \`${def.container}\` · core wasm: ${p.core.join(", ")}`, p.docs].filter(Boolean).join("\n\n");
    }
    case "export": {
      const e = model?.command?.exports.find((x) => x.name === def.name);
      if (!e) return fence(`export ${def.name}`);
      const sig = e.kind === "memory" ? "memory" : `func${coreSignature(e)}`;
      return [fence(`${e.required ? "" : "optional "}export ${e.name}: ${sig}`), "command export", e.docs].filter(Boolean).join("\n\n");
    }
    case "convention": {
      const c = model?.command?.conventions.find((x) => x.name === def.name);
      return [fence(`convention ${def.name}`), "command convention", c?.docs ?? ""].filter(Boolean).join("\n\n");
    }
    case "package":
      return model ? [fence(`package ${model.package.name}@${model.package.version}`), model.package.docs].filter(Boolean).join("\n\n") : fence(`package ${def.name}`);
    case "file":
      return `included file \`${def.name}\``;
    case "libc": {
      const f = model?.libc.find((x) => x.name === def.name);
      if (f) return libcFunctionHover(f);
      const a = model?.libcSurface?.absent.find((x) => x.name === def.name);
      if (a) return libcAbsentHover(a);
      const prototype = def.libc?.properties.find((p) => p.key === "prototype")?.values[0]?.text;
      return [fence(prototype ?? `${def.libc?.kind === "absent" ? "absent " : ""}fn ${def.name}`, prototype ? "c" : "idl"), unchecked].join("\n\n");
    }
    case "header": {
      const h = model?.libcSurface?.headers.find((x) => x.name === def.name);
      return h && model ? libcHeaderHover(h, model) : [fence(`header "${def.name}"`), unchecked].join("\n\n");
    }
  }
}

function typeHover(t: TypeModel): string {
  const head =
    t.kind === "alias"
      ? `type ${t.name} = ${idlType(t.target)}`
      : t.kind === "enum" || t.kind === "flags"
        ? `${t.kind} ${t.name}: ${t.repr}`
        : t.kind === "variant"
          ? `variant ${t.name}: ${t.tag}`
          : `struct ${t.name}`;
  const lines = [fence(head), `${t.kind}${t.kind === "enum" && t.open ? " (open)" : ""} · ${gateLine(t)} · ${scopeText(t.scope)}`, `wasm32: size ${t.size}, align ${t.align}`];
  if (t.kind === "struct")
    lines.push(
      ["| field | type | offset | size | align |", "|---|---|--:|--:|--:|", ...t.fields.map((f) => `| ${f.name} | \`${idlType(f.type)}\` | ${f.offset} | ${f.size} | ${f.align} |`)].join("\n"),
    );
  if (t.kind === "variant")
    lines.push(
      `tag \`${t.tag}\` (${t.tagSize} byte${t.tagSize === 1 ? "" : "s"} at offset 0), payload at offset ${t.payloadOffset}\n\n` +
        ["| case | tag | payload |", "|---|--:|---|", ...t.cases.map((c) => `| ${c.name} | ${c.tag} | ${c.payload ? `\`${idlType(c.payload)}\`` : ""} |`)].join("\n"),
    );
  if (t.kind === "enum" || t.kind === "flags") lines.push(`${t.members.length} member${t.members.length === 1 ? "" : "s"}${t.reserved.length ? `, ${t.reserved.length} reserved` : ""}`);
  if (t.docs) lines.push(t.docs);
  return lines.join("\n\n");
}

function constHover(c: ConstModel): string {
  return [fence(`const ${c.name}: ${idlType(c.type)} = ${c.value}`), `constant · ${gateLine(c)} · ${scopeText(c.scope)}`, c.docs].filter(Boolean).join("\n\n");
}

function moduleHover(m: ModuleModel): string {
  const names = [m.name, ...m.aliases].map((n) => `\`${n}\``).join(", ");
  return [
    fence(`module ${m.name}`),
    `wasm import module ${names} · ${gateLine(m)} · tier ${m.tier}`,
    `${m.functions.length} function${m.functions.length === 1 ? "" : "s"}`,
    m.deviation !== null ? `**deviation** from the specification it follows: ${m.deviation}` : "",
    m.docs,
  ]
    .filter(Boolean)
    .join("\n\n");
}

function functionHover(f: FunctionModel, model: ContractModel): string {
  const status = f.status.kind === "stubbed" ? `stubbed: always returns \`${f.status.errno}\` (${f.status.value})` : f.status.kind === "refused" ? `refused: not linked (${f.status.reason})` : "provided";
  const lines = [
    fence(idlSignature(f)),
    `function · import \`${f.import.module}.${f.import.name}\` · ${gateLine(f)} · ${status} · tiers ${tierRange(f.tiers)}${f.compat !== null ? " · compat" : ""}`,
    `core wasm: \`${coreSignature(f.core)}\``,
  ];
  if (f.result.kind === "scalar" && f.result.sentinel) lines.push(`fails with \`${sentinelAnnotation(f.result.sentinel)}\``);
  const c = cPrototypeOf(f, model);
  if (c) lines.push(fence(c, "c"));
  if (f.deviation !== null) lines.push(`**deviation** from the specification its module follows: ${f.deviation}`);
  const callers = model.libc.filter((l) => l.imports.includes(`${f.import.module}.${f.import.name}`)).map((l) => `\`${l.name}\``);
  if (callers.length) lines.push(`called by libc: ${callers.join(", ")}`);
  if (f.docs) lines.push(f.docs);
  return lines.join("\n\n");
}

// ------------------------------------------------------------------ the libc block

/** `module.function` of the model as the IDL writes it. */
function importName(qualified: string): string {
  return qualified.replace(".", "::");
}

function names(label: string, items: readonly string[], render = (x: string) => `\`${x}\``): string {
  return items.length ? `${label}: ${items.map(render).join(", ")}` : "";
}

function libcFunctionHover(f: LibcFunctionModel): string {
  return [
    fence(f.prototype, "c"),
    `libc function · **${f.change}**: ${LIBC_CHANGE_DOCS[f.change]} · header \`${f.header}\` · ${gateLine(f)} · tiers ${tierRange(f.tiers)}`,
    f.imports.length ? names("calls", f.imports, (i) => `\`${importName(i)}\``) : "calls no host import",
    f.returns !== null ? `returns \`${f.returns}\`` : "",
    names("errno", f.errno),
    f.deviations.map((d) => `- deviation: ${d}`).join("\n"),
    names("patches", f.patches),
    names("instead", f.instead, (i) => `\`${importName(i)}\``),
    `C function type: \`${f.cType}\``,
    f.docs,
  ]
    .filter(Boolean)
    .join("\n\n");
}

function libcAbsentHover(a: LibcAbsentModel): string {
  return [
    fence(`absent fn ${a.name}`),
    `absent libc function: the patched libc does not provide it · header \`${a.header}\` · ${gateLine(a)}`,
    names("instead", a.instead, (i) => `\`${importName(i)}\``),
    a.docs,
  ]
    .filter(Boolean)
    .join("\n\n");
}

function libcHeaderHover(h: LibcHeaderModel, model: ContractModel): string {
  const declared = model.libc.filter((f) => f.header === h.name).map((f) => f.name);
  const absent = (model.libcSurface?.absent ?? []).filter((a) => a.header === h.name).map((a) => a.name);
  return [
    fence(`header "${h.name}": ${h.change}`),
    `libc header · ${HEADER_KIND[h.change]} · ${gateLine(h)}`,
    names("functions", declared),
    names("absent", absent),
    h.docs,
  ]
    .filter(Boolean)
    .join("\n\n");
}

function within(span: { line: number; column: number; endLine: number; endColumn: number } | null, line: number, column: number): boolean {
  return span !== null && span.line === line && span.endLine === line && span.column <= column && column <= span.endColumn;
}

/** The libc block's own words: the `libc` keyword, a property name, a function's change, a header's kind. */
function libcWordHover(file: FileAst, model: ContractModel | null, line: number, column: number): string | null {
  for (const block of file.libcs) {
    if (within(block.nameSpan, line, column)) {
      const surface = model?.libcSurface;
      const count = (change: string) => model?.libc.filter((f) => f.change === change).length ?? 0;
      return [
        fence("libc { ... }"),
        surface
          ? `the patched wasi-libc guests link: ${surface.headers.length} headers, ${count("added")} added, ${count("replaced")} replaced and ${count("stubbed")} stubbed functions, ${surface.absent.length} absent`
          : "the patched wasi-libc guests link",
        surface?.docs ?? block.docs.text,
      ]
        .filter(Boolean)
        .join("\n\n");
    }
    for (const h of block.headers)
      if (within(h.changeSpan, line, column) && Object.hasOwn(HEADER_KIND, h.change))
        return [fence(`header "${h.name}": ${h.change}`), `header kind · ${HEADER_KIND[h.change as keyof typeof HEADER_KIND]}`].join("\n\n");
    for (const f of block.functions) {
      if (f.change !== null && within(f.changeSpan, line, column) && Object.hasOwn(LIBC_CHANGE_DOCS, f.change))
        return [fence(`fn ${f.name}: ${f.change}`), `libc change · ${LIBC_CHANGE_DOCS[f.change as keyof typeof LIBC_CHANGE_DOCS]}`].join("\n\n");
      const p = f.properties.find((x) => within(x.keySpan, line, column));
      if (p && Object.hasOwn(LIBC_PROPERTIES, p.key)) return libcPropertyHover(p.key);
    }
  }
  return null;
}

function libcPropertyHover(key: string): string {
  const spec = LIBC_PROPERTIES[key]!;
  const kinds = Object.keys(LIBC_ALLOWED) as (keyof typeof LIBC_ALLOWED)[];
  const on = kinds.filter((k) => LIBC_ALLOWED[k].includes(key)).map((k) => (LIBC_REQUIRED[k].includes(key) ? `${k} (required)` : k));
  return [
    fence(key),
    `libc property · ${spec.arity === "one" ? "one value" : "a list of values"}${spec.repeatable ? ", repeatable" : ""} · on ${on.join(", ")}`,
    spec.what,
  ].join("\n\n");
}

/** The C header's prototype; absent while a type it needs has errors (the model lacks it). */
function cPrototypeOf(f: FunctionModel, model: ContractModel): string | null {
  try {
    return cPrototype(ModelQuery.of(model), f);
  } catch {
    return null;
  }
}

function memberHover(def: SymbolDef, model: ContractModel | null): string {
  const t = model?.types.find((x) => x.name === def.container);
  const owner = `of \`${def.container}\``;
  if (t?.kind === "enum" || t?.kind === "flags") {
    const m = t.members.find((x) => x.name === def.name);
    const r = t.reserved.find((x) => x.name === def.name);
    const value = m?.value ?? r?.value;
    const shown = t.kind === "flags" && value !== undefined ? `${value} (bit ${BigInt(value).toString(2).length - 1})` : String(value);
    return [fence(`${def.container}::${def.name} = ${shown}`), `${r ? "reserved " : ""}${t.kind} member ${owner}`, m?.docs ?? ""].filter(Boolean).join("\n\n");
  }
  if (t?.kind === "struct") {
    const f = t.fields.find((x) => x.name === def.name);
    if (f) return [fence(`${f.name}: ${idlType(f.type)}`), `field ${owner} · offset ${f.offset}, size ${f.size}, align ${f.align}`, f.docs].filter(Boolean).join("\n\n");
  }
  if (t?.kind === "variant") {
    const c = t.cases.find((x) => x.name === def.name);
    if (c)
      return [fence(`${c.name}${c.payload ? `(${idlType(c.payload)})` : ""}`), `case ${owner} · tag ${c.tag}, payload at offset ${t.payloadOffset}`, c.docs].filter(Boolean).join("\n\n");
  }
  return fence(`${def.container}::${def.name}`);
}
