// The patched-libc surface in the generated outputs: its lines in the ABI report and the view
// model of the docs page "The libc surface" (docs/libc.md), one table per header.

import type { ContractModel, FunctionModel, LibcAbsentModel, LibcFunctionModel, LibcHeaderModel } from "../model.ts";
import { gateAnnotations, tierRange } from "../idl-text.ts";
import type { PageWriter, TableView } from "./doc-pages.ts";

export const LIBC_PAGE = "libc.md";

// ---- report ----

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function suffix(...parts: string[]): string {
  const text = parts.filter((p) => p !== "").join(" ");
  return text ? ` ${text}` : "";
}

function list(key: string, items: readonly string[]): string {
  return items.length ? `${key}=${items.join(",")}` : "";
}

export function libcHeaderLine(h: LibcHeaderModel): string {
  return `libc-header ${h.name} ${h.change}${suffix(gateAnnotations(h))}`;
}

/** One line per function: what a porter compiles and links against, never the prose. */
export function libcFunctionLine(f: LibcFunctionModel): string {
  return (
    `libc ${f.name} ${f.header} ${f.change}${f.returns !== null ? ` returns=${f.returns}` : ""} : ${f.cType}` +
    suffix(list("imports", f.imports), list("errno", f.errno), list("instead", f.instead), `tiers=${tierRange(f.tiers)}`, gateAnnotations(f))
  );
}

export function libcAbsentLine(a: LibcAbsentModel): string {
  return `libc-absent ${a.name} ${a.header}${suffix(list("instead", a.instead), gateAnnotations(a))}`;
}

/** The report's `libc` section, sorted by name so that moving a declaration changes nothing. */
export function libcReportLines(model: ContractModel): string[] {
  const surface = model.libcSurface;
  if (!surface) return [];
  return [
    ...[...surface.headers].sort(byName).map(libcHeaderLine),
    ...[...model.libc].sort(byName).map(libcFunctionLine),
    ...[...surface.absent].sort(byName).map(libcAbsentLine),
  ];
}

// ---- docs ----

export interface LibcHeaderView {
  heading: string;
  docs: string;
  facts: string[];
  table: TableView | null;
}

export interface LibcPageView {
  banner: string;
  docs: string;
  facts: string[];
  headers: LibcHeaderView[];
  absent: TableView | null;
}

export const HEADER_KIND: Record<LibcHeaderModel["change"], string> = {
  upstream: "upstream's header, unchanged",
  patched: "upstream's header, patched",
  replaced: "the runtime's own copy replaces upstream's",
  unomitted: "a musl header upstream omits, installed by the patches",
  added: "a header only the runtime ships",
};

function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|").trim();
}

export function libcAnchor(name: string): string {
  return name;
}

export function libcHeaderAnchor(header: string): string {
  return `header-${header.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

function countBy(items: readonly string[], order: readonly string[]): string {
  return order.flatMap((k) => {
    const n = items.filter((i) => i === k).length;
    return n ? [`${n} ${k}`] : [];
  }).join(", ");
}

/** A libc function or import name as a link: a function of this page, or an import's docs. */
function nameLink(w: PageWriter, name: string, page: ReadonlySet<string>): string {
  if (page.has(name)) return w.link(name, { page: LIBC_PAGE, anchor: libcAnchor(name) });
  return w.ref(name, null);
}

function importCell(w: PageWriter, imports: readonly string[], byImport: ReadonlyMap<string, FunctionModel>): string {
  if (imports.length === 0) return "none";
  return imports.map((i) => `${w.ref(i, null)}${byImport.get(i)?.deprecated ? " (deprecated)" : ""}`).join(", ");
}

function changeCell(w: PageWriter, f: LibcFunctionModel): string {
  if (f.change !== "stubbed") return f.change;
  const errno = f.errno.length ? `, errno ${f.errno.map((e) => w.ref(`errno::${e}`, null)).join(" or ")}` : "";
  return `stubbed: returns ${code(f.returns ?? "")}${errno}`;
}

function notesCell(w: PageWriter, f: LibcFunctionModel, page: ReadonlySet<string>): string {
  const parts = [w.docs(f.docs)];
  for (const d of f.deviations) parts.push(`**Deviation:** ${w.docs(d)}`);
  if (f.change !== "stubbed" && f.errno.length) parts.push(`Also sets errno: ${f.errno.map((e) => w.ref(`errno::${e}`, null)).join(", ")}.`);
  if (f.instead.length) parts.push(`Use instead: ${f.instead.map((i) => nameLink(w, i, page)).join(", ")}.`);
  if (f.patches.length) parts.push(`Changed by ${f.patches.map(code).join(", ")}.`);
  return cell(parts.filter(Boolean).join("<br>"));
}

export function libcPageView(model: ContractModel, w: PageWriter, banner: string): LibcPageView {
  const surface = model.libcSurface!;
  const page = new Set(model.libc.map((f) => f.name));
  const byImport = new Map(model.modules.flatMap((m) => m.functions.map((f): [string, FunctionModel] => [`${m.name}.${f.name}`, f])));
  const headers = surface.headers.map((h): LibcHeaderView => {
    const fns = model.libc.filter((f) => f.header === h.name);
    return {
      heading: `<a id="${libcHeaderAnchor(h.name)}"></a>${code(`<${h.name}>`)}`,
      docs: w.docs(h.docs),
      facts: [`${h.change[0]!.toUpperCase()}${h.change.slice(1)}: ${HEADER_KIND[h.change]}.`, ...w.gate(h)],
      table: fns.length
        ? {
            headers: ["Function", "Prototype", "Change", "Imports", "Tiers", "Notes", "Gate"],
            rows: fns.map((f) => [
              `<a id="${libcAnchor(f.name)}"></a>${code(f.name)}`,
              code(f.prototype),
              cell(changeCell(w, f)),
              cell(importCell(w, f.imports, byImport)),
              f.tiers.length ? code(tierRange(f.tiers)) : "none",
              notesCell(w, f, page),
              cell(w.gateShort(f)),
            ]),
          }
        : null,
    };
  });
  const changes = model.libc.map((f) => f.change);
  const unstable = model.libc.filter((f) => f.unstable !== null).length;
  return {
    banner,
    docs: w.docs(surface.docs),
    facts: [
      `${model.libc.length} functions: ${countBy(changes, ["added", "replaced", "stubbed"])}${unstable ? `; ${unstable} of them unstable` : ""}.`,
      `${surface.headers.length} headers: ${countBy(surface.headers.map((h) => h.change), ["upstream", "patched", "replaced", "unomitted", "added"])}.`,
      ...(surface.absent.length
        ? [`${surface.absent.length} function${surface.absent.length === 1 ? "" : "s"} a porter might expect ${surface.absent.length === 1 ? "is" : "are"} absent (listed at the end).`]
        : []),
    ],
    headers,
    absent: surface.absent.length
      ? {
          headers: ["Function", "Header", "Use instead", "Why", "Gate"],
          rows: surface.absent.map((a) => [
            `<a id="${libcAnchor(a.name)}"></a>${code(a.name)}`,
            code(`<${a.header}>`),
            cell(a.instead.map((i) => nameLink(w, i, page)).join(", ")),
            cell(w.docs(a.docs)),
            cell(w.gateShort(a)),
          ]),
        }
      : null,
  };
}
