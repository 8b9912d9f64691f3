// Hover: what the item under the cursor is, from the checked model. Its docs, its kind, its
// stability; for types the wasm32 size, alignment and field offsets; for functions the core
// wasm signature and the C prototype of the generated header. Built-in types and annotations
// are described from the language's vocabulary.

import type { ConstModel, ContractModel, FunctionModel, Gate, ModuleModel, TypeModel } from "../model.ts";
import { coreSignature, idlSignature, idlType, tierRange } from "../gen/report.ts";
import type { Contract } from "./project.ts";
import type { ContractIndex, SymbolDef } from "./symbols.ts";
import { splitLines } from "./symbols.ts";
import { annotationDoc, builtinType } from "./vocabulary.ts";

/** Markdown for the position, or null when there is nothing to say. */
export async function hoverText(contract: Contract, index: ContractIndex, file: string, line: number, column: number): Promise<string | null> {
  const occ = index.at(file, line, column);
  if (occ) {
    const def = index.defs.get(occ.key);
    return def ? describe(def, contract.model) : null;
  }
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

async function describe(def: SymbolDef, model: ContractModel | null): Promise<string | null> {
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
    m.docs,
  ]
    .filter(Boolean)
    .join("\n\n");
}

async function functionHover(f: FunctionModel, model: ContractModel): Promise<string> {
  const status = f.status.kind === "stubbed" ? `stubbed: always returns \`${f.status.errno}\` (${f.status.value})` : f.status.kind === "refused" ? `refused: not linked (${f.status.reason})` : "provided";
  const lines = [
    fence(idlSignature(f)),
    `function · import \`${f.import.module}.${f.import.name}\` · ${gateLine(f)} · ${status} · tiers ${tierRange(f.tiers)}${f.compat !== null ? " · compat" : ""}`,
    `core wasm: \`${coreSignature(f.core)}\``,
  ];
  const c = await cPrototypeOf(f, model);
  if (c) lines.push(fence(c, "c"));
  if (f.docs) lines.push(f.docs);
  return lines.join("\n\n");
}

/** The C generator's prototype; loaded on first use, and absent while a type it needs has errors. */
async function cPrototypeOf(f: FunctionModel, model: ContractModel): Promise<string | null> {
  const { cPrototype } = await import("../gen/c.ts");
  try {
    return cPrototype(model, f);
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
