// The Markdown reference docs, generated/docs/: an index, one page for the top-level types and
// constants, one page per module, the command contract, the stability policy and the page of
// declared deviations (`@deviation`, with what is refused or stubbed). Every item
// gets an explicit `<a id>` anchor; type names and `a::b` references in doc text become links.

import type {
  CommandModel,
  ConstModel,
  ContractModel,
  FunctionModel,
  Gate,
  ModuleModel,
  TypeModel,
  TypeRef,
} from "../model.ts";
import { markdownBanner } from "./banner.ts";
import { cPrototype } from "./c.ts";
import { rustPrototype } from "./rust.ts";
import { formatMarkdown } from "./format.ts";
import type { GeneratedFile, Target } from "./index.ts";
import { LIBC_PAGE, libcAnchor, libcPageView } from "./libc.ts";
import { renderTemplate } from "./render.ts";
import { bigValue, coreSignature, flagBit, idlType } from "./report.ts";

// ---- pages and anchors ----

/** Pages that are not module pages; a module may not take one of these names. */
const FIXED_PAGES = ["index", "types", "command", "stability", "libc", "deviations"] as const;

export function modulePage(m: { name: string }): string {
  return `${m.name}.md`;
}

function typePage(t: { scope: string | null }): string {
  return t.scope ? `${t.scope}.md` : "types.md";
}

function constPage(c: ConstModel): string {
  return c.scope === "command" ? "command.md" : c.scope ? `${c.scope}.md` : "types.md";
}

export interface Link {
  page: string;
  /** null links to the top of the page. */
  anchor: string | null;
}

interface Candidate extends Link {
  /** For functions and their parameters: the module, so a reference prefers its own module. */
  module: string | null;
}

/**
 * Every anchor of every page, and every way doc text may name an item. Anchors are the item's
 * name (`errno`, `fd_write`, `dircookie_start`) or `owner.member` (`errno.badf`,
 * `fd_write.iovs`); a clash on one page gets a `-kind` suffix so both stay reachable.
 */
export class DocIndex {
  private readonly anchors = new Map<string, Link>();
  private readonly used = new Map<string, Set<string>>();
  private readonly refs = new Map<string, Candidate[]>();
  readonly typeNames = new Set<string>();
  readonly moduleNames = new Set<string>();
  readonly functionNames = new Set<string>();

  constructor(model: ContractModel) {
    for (const m of model.modules) {
      if ((FIXED_PAGES as readonly string[]).includes(m.name))
        throw new Error(`docs: module \`${m.name}\` would overwrite the ${m.name}.md page`);
      this.moduleNames.add(m.name);
      for (const name of [m.name, ...m.aliases]) this.addRef(name, { page: modulePage(m), anchor: null, module: null });
    }
    for (const t of model.types) {
      const page = typePage(t);
      this.typeNames.add(t.name);
      const anchor = this.claim(`type:${t.name}`, page, t.name, "type");
      this.addRef(t.name, { page, anchor, module: null });
      for (const member of typeMemberNames(t)) {
        const a = this.claim(`member:${t.name}.${member}`, page, `${t.name}.${member}`, "member");
        this.addRef(`${t.name}::${member}`, { page, anchor: a, module: null });
        this.addRef(`${t.name}.${member}`, { page, anchor: a, module: null });
      }
    }
    for (const c of model.constants) {
      const page = constPage(c);
      this.addRef(c.name, { page, anchor: this.claim(`const:${c.name}`, page, c.name, "const"), module: null });
    }
    for (const m of model.modules) {
      const page = modulePage(m);
      for (const f of m.functions) {
        this.functionNames.add(f.name);
        const anchor = this.claim(`fn:${m.name}.${f.name}`, page, f.name, "fn");
        const link = { page, anchor, module: m.name };
        this.addRef(f.name, link);
        for (const mod of [m.name, ...m.aliases]) {
          this.addRef(`${mod}.${f.name}`, link);
          this.addRef(`${mod}::${f.name}`, link);
        }
        const params = new Set(f.params.map((p) => p.name));
        const members = [
          ...f.params.map((p) => ({ name: p.name, key: `param:${m.name}.${f.name}.${p.name}`, kind: "param" })),
          ...(f.result.kind === "expected" ? f.result.values : []).map((v) => ({
            name: v.name,
            key: `out:${m.name}.${f.name}.${v.name}`,
            kind: params.has(v.name) ? "out" : "param",
          })),
        ];
        for (const p of members) {
          const a = this.claim(p.key, page, `${f.name}.${p.name}`, p.kind);
          this.addRef(`${f.name}::${p.name}`, { page, anchor: a, module: m.name });
          this.addRef(`${f.name}.${p.name}`, { page, anchor: a, module: m.name });
        }
      }
      for (const r of m.reservedFunctions) this.claim(`rfn:${m.name}.${r.name}`, page, r.name, "reserved");
    }
    if (model.command) {
      for (const e of model.command.exports)
        this.addRef(e.name, { page: "command.md", anchor: this.claim(`export:${e.name}`, "command.md", e.name, "export"), module: null });
      for (const c of model.command.conventions)
        this.addRef(c.name, {
          page: "command.md",
          anchor: this.claim(`convention:${c.name}`, "command.md", c.name, "convention"),
          module: null,
        });
    }
  }

  private claim(key: string, page: string, wanted: string, kind: string): string {
    const used = this.used.get(page) ?? new Set<string>();
    this.used.set(page, used);
    let anchor = used.has(wanted) ? `${wanted}-${kind}` : wanted;
    for (let i = 2; used.has(anchor); i++) anchor = `${wanted}-${kind}${i}`;
    used.add(anchor);
    this.anchors.set(key, { page, anchor });
    return anchor;
  }

  private addRef(text: string, c: Candidate): void {
    const list = this.refs.get(text) ?? [];
    if (!list.some((x) => x.page === c.page && x.anchor === c.anchor)) list.push(c);
    this.refs.set(text, list);
  }

  /** The anchor of an item by its key (`type:errno`, `fn:wasi_snapshot_preview1.fd_write`, ...). */
  anchor(key: string): string {
    const link = this.anchors.get(key);
    if (!link?.anchor) throw new Error(`docs: no anchor for ${key}`);
    return link.anchor;
  }

  /** Every anchor id on a page. */
  anchorsOf(page: string): ReadonlySet<string> {
    return this.used.get(page) ?? new Set();
  }

  /** What a reference in doc text names, preferring the module the text belongs to; null when unknown or ambiguous. */
  resolve(text: string, module: string | null): Link | null {
    const list = this.refs.get(text) ?? [];
    if (list.length === 1) return list[0];
    const own = list.filter((c) => c.module !== null && c.module === module);
    if (own.length === 1) return own[0];
    const global = list.filter((c) => c.module === null);
    return global.length === 1 ? global[0] : null;
  }

  /** Whether unresolved reference text clearly meant an item of this contract (so it is dangling). */
  looksLikeReference(text: string): boolean {
    const qualified = /^([A-Za-z_][A-Za-z0-9_]*)(::|\.)([A-Za-z0-9_]+)$/.exec(text);
    if (!qualified) return false;
    const [, owner, sep] = qualified;
    if (sep === ".") return this.moduleNames.has(owner);
    return this.typeNames.has(owner) || this.moduleNames.has(owner) || this.functionNames.has(owner);
  }
}

function typeMemberNames(t: TypeModel): string[] {
  switch (t.kind) {
    case "alias":
      return [];
    case "enum":
    case "flags":
      return [...t.members.map((m) => m.name), ...t.reserved.map((r) => r.name)];
    case "struct":
      return t.fields.map((f) => f.name);
    case "variant":
      return t.cases.map((c) => c.name);
  }
}

// ---- Markdown text ----

export function href(from: string, link: Link): string {
  const page = link.page === from ? "" : link.page;
  return link.anchor === null ? page || "#" : `${page}#${link.anchor}`;
}

/** A `|` would end a table cell and a newline the row. */
export function tableCell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|").trim();
}

function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function htmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Renders on one page: links are relative to it, and dangling references are collected. */
export class PageWriter {
  constructor(
    private readonly index: DocIndex,
    readonly page: string,
    private readonly module: string | null,
    private readonly dangling: string[],
  ) {}

  link(text: string, to: Link): string {
    return `[${code(text)}](${href(this.page, to)})`;
  }

  /** A type as Markdown: named types link to their definitions, the rest is code. */
  type(t: TypeRef): string {
    const parts = this.typeParts(t);
    return parts.map((p) => (p.link ? this.link(p.text, p.link) : code(p.text))).join("");
  }

  /** A type inside `<pre>`: HTML links around the named parts. */
  typeHtml(t: TypeRef): string {
    return this.typeParts(t)
      .map((p) => (p.link ? `<a href="${href(this.page, p.link)}">${htmlEscape(p.text)}</a>` : htmlEscape(p.text)))
      .join("");
  }

  private typeParts(t: TypeRef): { text: string; link: Link | null }[] {
    switch (t.kind) {
      case "named":
        return [{ text: t.name, link: this.index.resolve(t.name, null) }];
      case "ptr":
        return [{ text: `${t.const ? "const_ptr" : "ptr"}<`, link: null }, ...this.typeParts(t.to), { text: ">", link: null }];
      case "list":
      case "buffer":
        return [{ text: `${t.kind}<`, link: null }, ...this.typeParts(t.of), { text: ">", link: null }];
      default:
        return [{ text: idlType(t), link: null }];
    }
  }

  /** A name that links when it resolves (`use = proc_spawn_v4`, an errno member). */
  ref(text: string, module: string | null = this.module): string {
    const to = this.index.resolve(text, module);
    if (to) return this.link(text, to);
    if (this.index.looksLikeReference(text)) this.dangling.push(`${this.page}: \`${text}\``);
    return code(text);
  }

  /** Doc text with its backticked references turned into links; fenced blocks are left alone. */
  docs(text: string): string {
    let fenced = false;
    return text
      .split("\n")
      .map((line) => {
        if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
        if (fenced) return line;
        return line.replace(/(?<!`)`([^`\n]+)`(?!`)/g, (whole, inner: string) => {
          const to = this.index.resolve(inner, this.module);
          if (to) return this.link(inner, to);
          if (this.index.looksLikeReference(inner)) this.dangling.push(`${this.page}: \`${inner}\``);
          return whole;
        });
      })
      .join("\n");
  }

  /** Doc text for a table cell. */
  cellDocs(text: string): string {
    return tableCell(this.docs(text));
  }

  gate(g: Gate): string[] {
    const lines: string[] = [];
    if (g.since !== null) lines.push(`Stable since ${g.since}.`);
    if (g.unstable !== null) lines.push(`Unstable: linked only with the feature ${code(g.unstable)} enabled; it may change or disappear.`);
    if (g.deprecated) {
      const use = g.deprecated.use ? ` Use ${this.ref(g.deprecated.use)} instead.` : "";
      const note = g.deprecated.note ? ` ${this.docs(g.deprecated.note)}` : "";
      lines.push(`**Deprecated** since ${g.deprecated.since}.${use}${note}`);
    }
    return lines;
  }

  /** One line for a table cell: `since 1.0.0`, `unstable(x)`, `deprecated 1.1.0`. */
  gateShort(g: Gate): string {
    const parts = [g.since !== null ? `since ${g.since}` : `unstable ${code(g.unstable ?? "")}`];
    if (g.deprecated) parts.push(`**deprecated** ${g.deprecated.since}`);
    return parts.join(", ");
  }
}

// ---- view models ----

export interface TableView {
  headers: string[];
  rows: string[][];
}

export interface TypeView {
  heading: string;
  docs: string;
  facts: string[];
  table: TableView | null;
}

export interface FunctionView {
  heading: string;
  docs: string;
  /** The IDL signature as HTML for a `<pre>` block, with linked type names. */
  signatureHtml: string;
  cPrototype: string;
  /** The Rust wrapper's signature, after a comment naming its path in the generated crate. */
  rustPrototype: string;
  facts: string[];
  params: TableView | null;
  result: string;
  outValues: TableView | null;
}

export interface ModulePageView {
  banner: string;
  name: string;
  docs: string;
  facts: string[];
  summary: TableView;
  functions: FunctionView[];
  reserved: string[];
  types: TypeView[];
  constants: TableView | null;
}

export interface TypesPageView {
  banner: string;
  packageName: string;
  summary: TableView;
  types: TypeView[];
  constants: TableView | null;
}

export interface CommandPageView {
  banner: string;
  docs: string;
  facts: string[];
  exports: TableView;
  conventions: { heading: string; docs: string }[];
  constants: TableView | null;
}

export interface IndexPageView {
  banner: string;
  packageName: string;
  version: string;
  docs: string;
  pages: { title: string; href: string; description: string }[];
  modules: TableView;
  totals: string[];
}

export interface DeviationsPageView {
  banner: string;
  packageName: string;
  version: string;
  modules: { heading: string; deviation: string; table: TableView | null }[];
}

export interface StabilityPageView {
  banner: string;
  packageName: string;
  version: string;
  major: string;
  modules: string[];
  /** Whether the contract declares a libc surface (its page and its promise). */
  libc: boolean;
  deprecated: TableView | null;
  unstable: TableView | null;
  reserved: TableView | null;
}

function anchorTag(id: string): string {
  return `<a id="${id}"></a>`;
}

function typeKindLabel(t: TypeModel): string {
  switch (t.kind) {
    case "alias":
      return "alias";
    case "enum":
      return `enum (${t.repr}${t.open ? ", open" : ""})`;
    case "flags":
      return `flags (${t.repr})`;
    case "struct":
      return "struct";
    case "variant":
      return "variant";
  }
}

function typeView(w: PageWriter, index: DocIndex, t: TypeModel): TypeView {
  const memberCell = (name: string, reserved = false) =>
    `${anchorTag(index.anchor(`member:${t.name}.${name}`))}${code(name)}${reserved ? " (reserved)" : ""}`;
  const facts = [`Size: ${t.size} bytes, alignment: ${t.align}.`, ...w.gate(t)];
  let table: TableView | null = null;
  switch (t.kind) {
    case "alias":
      facts.unshift(
        `Definition: ${t.target.kind === "primitive" ? code(`type ${t.name} = ${idlType(t.target)}`) : `${code(`type ${t.name} =`)} ${w.type(t.target)}`}.`,
      );
      break;
    case "enum": {
      facts.unshift(
        `Representation: ${code(t.repr)}.` +
          (t.open ? " Open: consumers must accept values not listed here." : " Closed: no other value is valid."),
      );
      const rows = [
        ...t.members.map((m) => ({ value: m.value, name: m.name, row: [memberCell(m.name), code(String(m.value)), w.cellDocs(m.docs)] })),
        ...t.reserved.map((r) => ({
          value: r.value,
          name: r.name,
          row: [memberCell(r.name, true), code(String(r.value)), "Reserved: never reused."],
        })),
      ].sort(byValue);
      table = { headers: ["Name", "Value", "Description"], rows: rows.map((r) => r.row) };
      break;
    }
    case "flags": {
      facts.unshift(`Representation: ${code(t.repr)}; each member is one bit.`);
      const bitCells = (v: number | string) => [code(flagBitText(v)), code(`0x${bigValue(v).toString(16)}`)];
      const rows = [
        ...t.members.map((m) => ({ value: m.value, name: m.name, row: [memberCell(m.name), ...bitCells(m.value), w.cellDocs(m.docs)] })),
        ...t.reserved.map((r) => ({
          value: r.value,
          name: r.name,
          row: [memberCell(r.name, true), ...bitCells(r.value), "Reserved: never reused."],
        })),
      ].sort(byValue);
      table = { headers: ["Name", "Bit", "Value", "Description"], rows: rows.map((r) => r.row) };
      break;
    }
    case "struct":
      table = {
        headers: ["Field", "Type", "Offset", "Size", "Description"],
        rows: t.fields.map((f) => [memberCell(f.name), tableCell(w.type(f.type)), String(f.offset), String(f.size), w.cellDocs(f.docs)]),
      };
      break;
    case "variant": {
      const tag = index.resolve(t.tag, null);
      facts.unshift(
        `Tag: ${tag ? w.link(t.tag, tag) : code(t.tag)} (${t.tagSize} byte${t.tagSize === 1 ? "" : "s"} at offset 0); payload at offset ${t.payloadOffset}.`,
      );
      table = {
        headers: ["Case", "Tag", "Payload", "Description"],
        rows: t.cases.map((c) => [memberCell(c.name), String(c.tag), c.payload ? tableCell(w.type(c.payload)) : "", w.cellDocs(c.docs)]),
      };
      break;
    }
  }
  return {
    heading: `${anchorTag(index.anchor(`type:${t.name}`))}${code(t.name)}: ${typeKindLabel(t)}`,
    docs: w.docs(t.docs),
    facts,
    table,
  };
}

/** `1 << 5` for a one-bit value, else the value itself. */
function flagBitText(v: number | string): string {
  const bit = flagBit(v);
  return bit === null ? String(v) : `1 << ${bit}`;
}

function byValue(a: { value: number | string; name: string }, b: { value: number | string; name: string }): number {
  const d = bigValue(a.value) - bigValue(b.value);
  return d < 0n ? -1 : d > 0n ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function constantsTable(w: PageWriter, index: DocIndex, constants: ConstModel[]): TableView | null {
  if (constants.length === 0) return null;
  return {
    headers: ["Constant", "Type", "Value", "Gate", "Description"],
    rows: constants.map((c) => [
      `${anchorTag(index.anchor(`const:${c.name}`))}${code(c.name)}`,
      tableCell(w.type(c.type)),
      code(String(c.value)),
      tableCell(w.gateShort(c)),
      w.cellDocs(c.docs),
    ]),
  };
}

function statusText(w: PageWriter, f: FunctionModel): string {
  switch (f.status.kind) {
    case "provided":
      return "provided: served by the implementation.";
    case "stubbed":
      return `stubbed: linked, but always returns ${w.ref(`errno::${f.status.errno}`)} (${f.status.value}).`;
    case "refused":
      return `refused: not linked; a guest importing it fails to instantiate. ${w.docs(f.status.reason)}.`;
  }
}

function functionView(w: PageWriter, index: DocIndex, model: ContractModel, m: ModuleModel, f: FunctionModel): FunctionView {
  const params = f.params.map((p) => `${htmlEscape(p.name)}: ${w.typeHtml(p.type)}`).join(", ");
  let result = "";
  let outValues: TableView | null = null;
  switch (f.result.kind) {
    case "none":
      result = "Returns nothing.";
      break;
    case "noreturn":
      result = "Does not return.";
      break;
    case "scalar":
      result = `Returns ${w.type(f.result.type)} directly.`;
      break;
    case "expected": {
      const err = f.result.error;
      result =
        `Returns ${w.ref(err)}: ${w.ref(`${err}::success`)} on success, otherwise the error.` +
        (f.result.values.length
          ? f.result.values.length === 1
            ? " On success the value is written through a trailing out-pointer parameter."
            : " On success the values are written through trailing out-pointer parameters, in order."
          : "");
      outValues = f.result.values.length
        ? {
            headers: ["Value", "Type", "Description"],
            rows: f.result.values.map((v) => [
              `${anchorTag(index.anchor(`out:${m.name}.${f.name}.${v.name}`))}${code(v.name)}`,
              tableCell(w.type(v.type)),
              w.cellDocs(v.docs),
            ]),
          }
        : null;
    }
  }
  const resultHtml = (() => {
    switch (f.result.kind) {
      case "none":
        return "";
      case "noreturn":
        return " -&gt; !";
      case "scalar":
        return ` -&gt; ${w.typeHtml(f.result.type)}`;
      case "expected": {
        const vs = f.result.values;
        const ok =
          vs.length === 0
            ? "()"
            : vs.length === 1 && vs[0].name === "result"
              ? w.typeHtml(vs[0].type)
              : `(${vs.map((v) => `${htmlEscape(v.name)}: ${w.typeHtml(v.type)}`).join(", ")})`;
        const err = index.resolve(f.result.error, null);
        const errHtml = err ? `<a href="${href(w.page, err)}">${f.result.error}</a>` : f.result.error;
        return ` -&gt; result&lt;${ok}, ${errHtml}&gt;`;
      }
    }
  })();
  const importNames = [m.name, ...m.aliases].map((mod) => code(`${mod}.${f.import.name}`));
  const facts = [
    `Import: ${importNames[0]}${importNames.length > 1 ? ` (also ${importNames.slice(1).join(", ")})` : ""}.`,
    `Core wasm signature: ${code(coreSignature(f.core))}.`,
    `Status: ${statusText(w, f)}`,
    ...(f.compat !== null ? [`Compat: kept for existing guests; ${w.docs(f.compat)}.`] : []),
    ...(f.deviation !== null ? [`Deviation: ${w.docs(f.deviation)} ([all deviations](deviations.md))`] : []),
    `Tiers: ${f.tiers.length ? f.tiers.map(code).join(", ") : "none"}.`,
    ...w.gate(f),
  ];
  return {
    heading: `${anchorTag(index.anchor(`fn:${m.name}.${f.name}`))}${code(f.name)}`,
    docs: w.docs(f.docs),
    signatureHtml: `fn ${htmlEscape(f.name)}(${params})${resultHtml}`,
    cPrototype: cPrototype(model, f),
    rustPrototype: rustPrototype(model, f),
    facts,
    params: f.params.length
      ? {
          headers: ["Parameter", "Type", "Core", "Description"],
          rows: f.params.map((p) => [
            `${anchorTag(index.anchor(`param:${m.name}.${f.name}.${p.name}`))}${code(p.name)}`,
            tableCell(w.type(p.type)),
            code(p.core.join(" ")),
            w.cellDocs(p.docs),
          ]),
        }
      : null,
    result,
    outValues,
  };
}

function statusShort(f: FunctionModel): string {
  return f.status.kind === "stubbed" ? `stubbed (${code(f.status.errno)})` : f.status.kind;
}

function firstSentence(docs: string): string {
  const para = docs.split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, " ").trim();
  const m = /^(.*?[.!?])(\s|$)/.exec(para);
  return m ? m[1] : para;
}

function modulePageView(index: DocIndex, model: ContractModel, m: ModuleModel, banner: string, dangling: string[]): ModulePageView {
  const page = modulePage(m);
  const w = new PageWriter(index, page, m.name, dangling);
  return {
    banner,
    name: m.name,
    docs: w.docs(m.docs),
    facts: [
      `Import module: ${code(m.name)}${m.aliases.length ? `; also served as ${m.aliases.map(code).join(", ")}` : ""}.`,
      `Tier: linked from ${code(m.tier)} up, unless a function names its own ${code("@tier")}.`,
      `${m.functions.length} functions: ${countBy(m.functions.map((f) => f.status.kind))}.`,
      ...(m.deviation !== null ? [`Deviation: ${w.docs(m.deviation)} ([all deviations](deviations.md))`] : []),
      ...w.gate(m),
    ],
    summary: {
      headers: ["Function", "Core signature", "Status", "Gate", "Summary"],
      rows: m.functions.map((f) => [
        w.link(f.name, { page, anchor: index.anchor(`fn:${m.name}.${f.name}`) }),
        code(coreSignature(f.core)),
        statusShort(f),
        tableCell(w.gateShort(f)),
        w.cellDocs(firstSentence(f.docs)),
      ]),
    },
    functions: m.functions.map((f) => functionView(w, index, model, m, f)),
    reserved: m.reservedFunctions.map((r) => `${anchorTag(index.anchor(`rfn:${m.name}.${r.name}`))}${code(r.name)}`),
    types: model.types.filter((t) => t.scope === m.name).map((t) => typeView(w, index, t)),
    constants: constantsTable(w, index, model.constants.filter((c) => c.scope === m.name)),
  };
}

function countBy(items: string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ") || "none";
}

function typesPageView(index: DocIndex, model: ContractModel, banner: string, dangling: string[]): TypesPageView {
  const w = new PageWriter(index, "types.md", null, dangling);
  return {
    banner,
    packageName: model.package.name,
    summary: {
      headers: ["Type", "Kind", "Size", "Align", "Declared in"],
      rows: model.types.map((t) => [
        w.link(t.name, { page: typePage(t), anchor: index.anchor(`type:${t.name}`) }),
        typeKindLabel(t),
        String(t.size),
        String(t.align),
        t.scope ? w.link(t.scope, { page: `${t.scope}.md`, anchor: null }) : "top level",
      ]),
    },
    types: model.types.filter((t) => t.scope === null).map((t) => typeView(w, index, t)),
    constants: constantsTable(w, index, model.constants.filter((c) => c.scope === null)),
  };
}

function commandPageView(index: DocIndex, model: ContractModel, command: CommandModel, banner: string, dangling: string[]): CommandPageView {
  const w = new PageWriter(index, "command.md", null, dangling);
  return {
    banner,
    docs: w.docs(command.docs),
    facts: w.gate(command),
    exports: {
      headers: ["Export", "Kind", "Core signature", "Required", "Description"],
      rows: command.exports.map((e) => [
        `${anchorTag(index.anchor(`export:${e.name}`))}${code(e.name)}`,
        e.kind,
        e.kind === "func" ? code(coreSignature(e)) : "",
        e.required ? "required" : "optional",
        w.cellDocs(e.docs),
      ]),
    },
    conventions: command.conventions.map((c) => ({
      heading: `${anchorTag(index.anchor(`convention:${c.name}`))}${code(c.name)}`,
      docs: w.docs(c.docs),
    })),
    constants: constantsTable(w, index, model.constants.filter((c) => c.scope === "command")),
  };
}

function indexPageView(index: DocIndex, model: ContractModel, banner: string, dangling: string[]): IndexPageView {
  const w = new PageWriter(index, "index.md", null, dangling);
  const functions = model.modules.flatMap((m) => m.functions);
  return {
    banner,
    packageName: model.package.name,
    version: model.package.version,
    docs: w.docs(model.package.docs),
    pages: [
      { title: "Types and constants", href: "types.md", description: "every type shared by the modules, with layouts, values and the top-level constants" },
      ...model.modules.map((m) => ({ title: `Module ${code(m.name)}`, href: modulePage(m), description: w.docs(firstSentence(m.docs)) })),
      ...(model.command ? [{ title: "Command contract", href: "command.md", description: "how the runtime starts a command module" }] : []),
      ...(model.libcSurface
        ? [{ title: "The libc surface", href: LIBC_PAGE, description: "every function the patched wasi-libc adds, replaces or stubs, with the imports behind it, per header" }]
        : []),
      { title: "Stability policy", href: "stability.md", description: "what the version numbers promise and how the ABI evolves" },
      {
        title: "Deviations",
        href: "deviations.md",
        description: "where the modules differ from the specifications they follow, in one place",
      },
    ],
    modules: {
      headers: ["Module", "Tier", "Functions", "Provided", "Refused", "Deprecated", "Gate"],
      rows: model.modules.map((m) => [
        w.link(m.name, { page: modulePage(m), anchor: null }) + (m.aliases.length ? ` (alias ${m.aliases.map(code).join(", ")})` : ""),
        code(m.tier),
        String(m.functions.length),
        String(m.functions.filter((f) => f.status.kind === "provided").length),
        String(m.functions.filter((f) => f.status.kind === "refused").length),
        String(m.functions.filter((f) => f.deprecated).length),
        tableCell(w.gateShort(m)),
      ]),
    },
    totals: [
      `${model.modules.length} modules, ${functions.length} functions`,
      `${model.types.length} types`,
      `${model.constants.length} constants`,
      ...(model.libc.length ? [`${model.libc.length} libc functions`] : []),
    ],
  };
}

function stabilityPageView(index: DocIndex, model: ContractModel, banner: string, dangling: string[]): StabilityPageView {
  const w = new PageWriter(index, "stability.md", null, dangling);
  type Item = Gate & { name: string; where: Link; kind: string; module: string | null };
  const items: Item[] = [
    ...model.types.map((t) => ({ ...t, kind: "type", module: null, where: { page: typePage(t), anchor: index.anchor(`type:${t.name}`) } })),
    ...model.constants.map((c) => ({ ...c, kind: "constant", module: null, where: { page: constPage(c), anchor: index.anchor(`const:${c.name}`) } })),
    ...model.modules.flatMap((m) =>
      m.functions.map((f) => ({
        ...f,
        name: `${m.name}.${f.name}`,
        kind: "function",
        module: m.name,
        where: { page: modulePage(m), anchor: index.anchor(`fn:${m.name}.${f.name}`) },
      })),
    ),
    ...model.libc.map((f) => ({ ...f, kind: "libc function", module: null, where: { page: LIBC_PAGE, anchor: libcAnchor(f.name) } })),
    ...(model.libcSurface?.absent ?? []).map((a) => ({ ...a, kind: "absent libc function", module: null, where: { page: LIBC_PAGE, anchor: libcAnchor(a.name) } })),
  ];
  const deprecated = items.filter((i) => i.deprecated);
  const unstable = items.filter((i) => i.unstable !== null);
  const reserved = [
    ...model.modules.flatMap((m) =>
      m.reservedFunctions.map((r) => [
        w.link(`${m.name}.${r.name}`, { page: modulePage(m), anchor: index.anchor(`rfn:${m.name}.${r.name}`) }),
        "function name",
      ]),
    ),
    ...model.types.flatMap((t) =>
      t.kind === "enum" || t.kind === "flags"
        ? t.reserved.map((r) => [
            w.link(`${t.name}::${r.name}`, { page: typePage(t), anchor: index.anchor(`member:${t.name}.${r.name}`) }),
            t.kind === "enum" ? `value ${code(String(r.value))}` : `bit ${code(flagBitText(r.value))}`,
          ])
        : [],
    ),
  ];
  return {
    banner,
    packageName: model.package.name,
    version: model.package.version,
    major: model.package.version.split(".")[0],
    modules: model.modules.map((m) => w.link(m.name, { page: modulePage(m), anchor: null })),
    libc: model.libcSurface !== null,
    deprecated: deprecated.length
      ? {
          headers: ["Item", "Kind", "Deprecated since", "Replacement"],
          rows: deprecated.map((i) => [
            w.link(i.name, i.where),
            i.kind,
            i.deprecated!.since,
            tableCell([i.deprecated!.use ? w.ref(i.deprecated!.use, i.module) : "", i.deprecated!.note ? w.docs(i.deprecated!.note) : ""].filter(Boolean).join("; ")),
          ]),
        }
      : null,
    unstable: unstable.length
      ? { headers: ["Item", "Kind", "Feature"], rows: unstable.map((i) => [w.link(i.name, i.where), i.kind, code(i.unstable!)]) }
      : null,
    reserved: reserved.length ? { headers: ["Reserved", "What"], rows: reserved } : null,
  };
}

/**
 * The deviations page: per module that declares any, the module's `@deviation`, then every
 * function with a `@deviation`, is `@refused` or is `@stubbed` (refusing or always failing is
 * a deviation too), in declaration order. Built from annotations only, never from doc text.
 */
function deviationsPageView(index: DocIndex, model: ContractModel, banner: string, dangling: string[]): DeviationsPageView {
  const w = new PageWriter(index, "deviations.md", null, dangling);
  const modules = model.modules.flatMap((m) => {
    const rows = m.functions.flatMap((f) => {
      const what = [
        f.status.kind === "refused" ? `Not linked: ${w.docs(f.status.reason)}.` : "",
        f.status.kind === "stubbed" ? `Always answers ${w.ref(`errno::${f.status.errno}`)}.` : "",
        f.deviation !== null ? w.docs(f.deviation) : "",
      ].filter(Boolean);
      if (what.length === 0) return [];
      return [[w.link(f.name, { page: modulePage(m), anchor: index.anchor(`fn:${m.name}.${f.name}`) }), statusShort(f), tableCell(what.join(" "))]];
    });
    if (m.deviation === null && rows.length === 0) return [];
    return [
      {
        heading: `Module ${w.link(m.name, { page: modulePage(m), anchor: null })}`,
        deviation: m.deviation !== null ? w.docs(m.deviation) : "",
        table: rows.length ? { headers: ["Function", "Status", "Deviation"], rows } : null,
      },
    ];
  });
  return { banner, packageName: model.package.name, version: model.package.version, modules };
}

// ---- the target ----

export interface DocsOutput {
  files: GeneratedFile[];
  /** `page: \`ref\`` for every reference in doc text that names a missing item. */
  dangling: string[];
}

/** Renders every page (unformatted) and collects dangling references. */
export function renderDocs(model: ContractModel, source: string): { pages: { path: string; markdown: string }[]; dangling: string[] } {
  const index = new DocIndex(model);
  const banner = markdownBanner(model, source);
  const dangling: string[] = [];
  const pages = [
    { path: "index.md", markdown: renderTemplate("docs/index.md.hbs", indexPageView(index, model, banner, dangling)) },
    { path: "types.md", markdown: renderTemplate("docs/types.md.hbs", typesPageView(index, model, banner, dangling)) },
    ...model.modules.map((m) => ({
      path: modulePage(m),
      markdown: renderTemplate("docs/module.md.hbs", modulePageView(index, model, m, banner, dangling)),
    })),
    ...(model.command
      ? [{ path: "command.md", markdown: renderTemplate("docs/command.md.hbs", commandPageView(index, model, model.command, banner, dangling)) }]
      : []),
    { path: "stability.md", markdown: renderTemplate("docs/stability.md.hbs", stabilityPageView(index, model, banner, dangling)) },
    ...(model.libcSurface
      ? [{ path: LIBC_PAGE, markdown: renderTemplate("docs/libc.md.hbs", libcPageView(model, new PageWriter(index, LIBC_PAGE, null, dangling), banner)) }]
      : []),
    { path: "deviations.md", markdown: renderTemplate("docs/deviations.md.hbs", deviationsPageView(index, model, banner, dangling)) },
  ];
  return { pages, dangling: [...new Set(dangling)].sort() };
}

export async function generateDocs(model: ContractModel, source: string): Promise<DocsOutput> {
  const { pages, dangling } = renderDocs(model, source);
  const files = await Promise.all(pages.map(async (p) => ({ path: `docs/${p.path}`, content: await formatMarkdown(p.markdown) })));
  return { files, dangling };
}

export const docsTarget: Target = {
  name: "docs",
  async generate(model, ctx) {
    return (await generateDocs(model, ctx.source)).files;
  },
};
