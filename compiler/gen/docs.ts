// The Markdown reference docs, generated/docs/: an index, one page for the top-level types and
// constants, one page per module, the command contract, the stability policy and the page of
// declared deviations (`@deviation`, with what is refused or stubbed). Every item
// gets an explicit `<a id>` anchor; type names and `a::b` references in doc text become links.

import { bigValue, byValue, coreSignature, flagBitText, idlType, intText } from "../idl-text.ts";
import type { CommandModel, ConstModel, ContractModel, FunctionModel, Gate, ModuleModel, TypeModel } from "../model.ts";
import { exhaustive } from "../query.ts";
import { DIFF_RULES, VERIFY_RULES } from "../rules.ts";
import { markdownBanner } from "./banner.ts";
import { Bindings } from "./docs-bindings.ts";
import { code, constPage, DocIndex, firstSentence, href, htmlEscape, modulePage, PageWriter, plural, tableCell, typePage, type Link, type TableView } from "./doc-pages.ts";
import { markdownView, MarkdownChunks, tidyPage } from "./docs-markdown.ts";
import { LIBC_PAGE, libcAnchor, libcPageView } from "./libc.ts";
import { renderTemplate } from "./render.ts";
import type { GenContext, GeneratedFile, Target } from "./target.ts";

export { DocIndex, modulePage, tableCell, type Link, type TableView } from "./doc-pages.ts";

// ---- view models ----

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
  /** The method a TypeScript host implements, after a comment naming its interface; null when there is none. */
  tsMethod: string | null;
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
  /** One list item per page: its link and what it holds. */
  pages: string[];
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
  /** The rule catalogs of `abic diff` and `abic verify`. */
  diffRules: TableView;
  verifyRules: TableView;
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
    default:
      return exhaustive(t);
  }
}

function typeView(w: PageWriter, index: DocIndex, bindings: Bindings, t: TypeModel): TypeView {
  const memberCell = (name: string, reserved = false) =>
    `${anchorTag(index.anchor(`member:${t.name}.${name}`))}${code(name)}${reserved ? " (reserved)" : ""}`;
  const names = bindings.type(t);
  const facts = [
    `Size: ${plural(t.size, "byte")}, alignment: ${t.align}.`,
    `Generated as: C ${code(names.c)}, TypeScript ${code(names.ts)}, Rust ${code(names.rust)}.`,
    ...w.gate(t),
  ];
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
        `Tag: ${tag ? w.link(t.tag, tag) : code(t.tag)} (${plural(t.tagSize, "byte")} at offset 0); payload at offset ${t.payloadOffset}.`,
      );
      table = {
        headers: ["Case", "Tag", "Payload", "Description"],
        rows: t.cases.map((c) => [memberCell(c.name), String(c.tag), c.payload ? tableCell(w.type(c.payload)) : "", w.cellDocs(c.docs)]),
      };
      break;
    }
    default:
      exhaustive(t);
  }
  return {
    heading: `${anchorTag(index.anchor(`type:${t.name}`))}${code(t.name)}: ${typeKindLabel(t)}`,
    docs: w.docs(t.docs),
    facts,
    table,
  };
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
    default:
      return exhaustive(f.status, "status");
  }
}

/** Why a function has no TypeScript method: the host never sees its calls. */
function noMethodReason(f: FunctionModel): string {
  if (f.status.kind === "refused") return "the import is never linked";
  if (f.status.kind === "stubbed") return "the glue answers every call itself";
  return "it is linked at no tier";
}

function functionView(w: PageWriter, index: DocIndex, bindings: Bindings, m: ModuleModel, f: FunctionModel): FunctionView {
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
    case "scalar": {
      const s = f.result.sentinel;
      const fault = s && String(s.fault) !== String(s.error) ? `, and ${code(intText(s.fault))} when an argument's memory range is outside guest memory` : "";
      result = `Returns ${w.type(f.result.type)} directly` + (s ? `; on failure it returns ${code(intText(s.error))}${fault}.` : ".");
      break;
    }
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
  const signatures = bindings.function(m, f);
  const facts = [
    `Import: ${importNames[0]}${importNames.length > 1 ? ` (also ${importNames.slice(1).join(", ")})` : ""}.`,
    `Core wasm signature: ${code(coreSignature(f.core))}.`,
    `Status: ${statusText(w, f)}`,
    ...(f.compat !== null ? [`Compat: kept for existing guests; ${w.docs(f.compat)}.`] : []),
    ...(f.deviation !== null ? [`Deviation: ${w.docs(f.deviation)} ([all deviations](deviations.md))`] : []),
    `Tiers: ${f.tiers.length ? f.tiers.map(code).join(", ") : "none"}.`,
    ...(signatures.ts === null ? [`TypeScript: no method, since ${noMethodReason(f)}.`] : []),
    ...w.gate(f),
  ];
  return {
    heading: `${anchorTag(index.anchor(`fn:${m.name}.${f.name}`))}${code(f.name)}`,
    docs: w.docs(f.docs),
    signatureHtml: `fn ${htmlEscape(f.name)}(${params})${resultHtml}`,
    cPrototype: signatures.c,
    tsMethod: signatures.ts,
    rustPrototype: signatures.rust,
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

function modulePageView(index: DocIndex, bindings: Bindings, model: ContractModel, m: ModuleModel, banner: string): ModulePageView {
  const page = modulePage(m);
  const w = new PageWriter(index, page, m.name);
  return {
    banner,
    name: m.name,
    docs: w.docs(m.docs),
    facts: [
      `Import module: ${code(m.name)}${m.aliases.length ? `; also served as ${m.aliases.map(code).join(", ")}` : ""}.`,
      `Tier: linked from ${code(m.tier)} up, unless a function names its own ${code("@tier")}.`,
      `${plural(m.functions.length, "function")}: ${countBy(m.functions.map((f) => f.status.kind))}.`,
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
    functions: m.functions.map((f) => functionView(w, index, bindings, m, f)),
    reserved: m.reservedFunctions.map((r) => `${anchorTag(index.anchor(`rfn:${m.name}.${r.name}`))}${code(r.name)}`),
    types: model.types.filter((t) => t.scope === m.name).map((t) => typeView(w, index, bindings, t)),
    constants: constantsTable(w, index, model.constants.filter((c) => c.scope === m.name)),
  };
}

function countBy(items: string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ") || "none";
}

function typesPageView(index: DocIndex, bindings: Bindings, model: ContractModel, banner: string): TypesPageView {
  const w = new PageWriter(index, "types.md", null);
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
    types: model.types.filter((t) => t.scope === null).map((t) => typeView(w, index, bindings, t)),
    constants: constantsTable(w, index, model.constants.filter((c) => c.scope === null)),
  };
}

function commandPageView(index: DocIndex, model: ContractModel, command: CommandModel, banner: string): CommandPageView {
  const w = new PageWriter(index, "command.md", null);
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

/** A page of the reference, in the order the index and the HTML sidebar list them. */
export interface DocPage {
  path: string;
  /** Markdown: `Module \`host_fs\``. */
  title: string;
  description: string;
  /** The module a module page documents. */
  module: ModuleModel | null;
}

export function docPages(model: ContractModel): DocPage[] {
  const page = (path: string, title: string, description: string): DocPage => ({ path, title, description, module: null });
  return [
    page("index.md", "Overview", "the modules and pages of the contract"),
    page("types.md", "Types and constants", "every type shared by the modules, with layouts, values and the top-level constants"),
    ...model.modules.map((m) => ({ path: modulePage(m), title: `Module ${code(m.name)}`, description: firstSentence(m.docs), module: m })),
    ...(model.command ? [page("command.md", "Command contract", "how the runtime starts a command module")] : []),
    ...(model.libcSurface
      ? [page(LIBC_PAGE, "The libc surface", "every function the patched wasi-libc adds, replaces or stubs, with the imports behind it, per header")]
      : []),
    page("stability.md", "Stability policy", "what the version numbers promise and how the ABI evolves"),
    page("deviations.md", "Deviations", "where the modules differ from the specifications they follow, in one place"),
  ];
}

function indexPageView(index: DocIndex, model: ContractModel, banner: string): IndexPageView {
  const w = new PageWriter(index, "index.md", null);
  const functions = model.modules.flatMap((m) => m.functions);
  return {
    banner,
    packageName: model.package.name,
    version: model.package.version,
    docs: w.docs(model.package.docs),
    pages: docPages(model)
      .filter((p) => p.path !== "index.md")
      .map((p) => {
        const description = p.module ? w.docs(firstSentence(p.module.docs)) : p.description;
        return `[${p.title}](${p.path})${description ? `: ${description}` : ""}`;
      }),
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
      `${plural(model.modules.length, "module")}, ${plural(functions.length, "function")}`,
      plural(model.types.length, "type"),
      plural(model.constants.length, "constant"),
      ...(model.libc.length ? [plural(model.libc.length, "libc function")] : []),
    ],
  };
}

function stabilityPageView(index: DocIndex, model: ContractModel, banner: string): StabilityPageView {
  const w = new PageWriter(index, "stability.md", null);
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
    diffRules: {
      headers: ["Rule", "Class", "What it protects"],
      rows: Object.entries(DIFF_RULES).map(([id, r]) => [code(id), r.classes.join(", "), tableCell(r.purpose)]),
    },
    verifyRules: {
      headers: ["Rule", "Severity", "What it checks"],
      rows: Object.entries(VERIFY_RULES).map(([id, r]) => [code(id), r.severity, tableCell(r.purpose)]),
    },
  };
}

/**
 * The deviations page: per module that declares any, the module's `@deviation`, then every
 * function with a `@deviation`, is `@refused` or is `@stubbed` (refusing or always failing is
 * a deviation too), in declaration order. Built from annotations only, never from doc text.
 */
function deviationsPageView(index: DocIndex, model: ContractModel, banner: string): DeviationsPageView {
  const w = new PageWriter(index, "deviations.md", null);
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

/** One page of the reference: its text with a placeholder for each chunk prettier still formats. */
export interface DocsPage {
  path: string;
  /** The page with every chunk as written: what the HTML reference reads. */
  markdown: string;
  /** The page's text with its placeholders, and its chunks. */
  rendered: string;
  chunks: MarkdownChunks;
}

/** The pages of the reference, with the anchors and binding names they were written with. */
export interface DocsRendering {
  /** The banner each page starts with. */
  banner: string;
  index: DocIndex;
  bindings: Bindings;
  pages: DocsPage[];
}

function renderPage(path: string, template: string, view: object): DocsPage {
  const chunks = new MarkdownChunks();
  const rendered = tidyPage(renderTemplate(template, markdownView(view, chunks)));
  return { path, markdown: chunks.raw(rendered), rendered, chunks };
}

// The docs and the HTML reference read the same rendering; one gen renders it once.
const renderings = new WeakMap<ContractModel, Map<string, DocsRendering>>();

/** Renders every page: in the form prettier prints, except for the chunks it still has to format. */
export function renderDocs(model: ContractModel, ctx: Pick<GenContext, "source" | "ts">): DocsRendering {
  const key = JSON.stringify([ctx.source, ctx.ts ?? null]);
  const known = renderings.get(model) ?? new Map<string, DocsRendering>();
  renderings.set(model, known);
  const cached = known.get(key);
  if (cached) return cached;
  const rendering = renderAllPages(model, ctx);
  known.set(key, rendering);
  return rendering;
}

function renderAllPages(model: ContractModel, ctx: Pick<GenContext, "source" | "ts">): DocsRendering {
  const index = new DocIndex(model);
  const bindings = new Bindings(model, ctx);
  const banner = markdownBanner(model, ctx.source);
  const pages = [
    renderPage("index.md", "docs/index.md.hbs", indexPageView(index, model, banner)),
    renderPage("types.md", "docs/types.md.hbs", typesPageView(index, bindings, model, banner)),
    ...model.modules.map((m) => renderPage(modulePage(m), "docs/module.md.hbs", modulePageView(index, bindings, model, m, banner))),
    ...(model.command ? [renderPage("command.md", "docs/command.md.hbs", commandPageView(index, model, model.command, banner))] : []),
    renderPage("stability.md", "docs/stability.md.hbs", stabilityPageView(index, model, banner)),
    ...(model.libcSurface
      ? [renderPage(LIBC_PAGE, "docs/libc.md.hbs", libcPageView(model, new PageWriter(index, LIBC_PAGE, null), banner))]
      : []),
    renderPage("deviations.md", "docs/deviations.md.hbs", deviationsPageView(index, model, banner)),
  ];
  return { banner, index, bindings, pages };
}

export async function generateDocs(model: ContractModel, ctx: Pick<GenContext, "source" | "ts"> | string): Promise<GeneratedFile[]> {
  const { pages } = renderDocs(model, typeof ctx === "string" ? { source: ctx } : ctx);
  // One page at a time: formatting them all at once holds every page's syntax tree in memory.
  const files: GeneratedFile[] = [];
  for (const p of pages) files.push({ path: `docs/${p.path}`, content: await p.chunks.format(p.rendered) });
  return files;
}

export const docsTarget: Target = {
  name: "docs",
  async generate(model, ctx) {
    return generateDocs(model, ctx);
  },
};
