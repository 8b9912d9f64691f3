// The checked-in ABI report, generated/abi.report.txt: one normalized line per import, type,
// field, numbered value, constant and command export, so that an ABI change is a small diff.
// Doc comments and annotation prose never appear in it: a docs-only edit leaves it unchanged
// (a `@deviation` shows as the word `deviation`, so declaring or withdrawing one is visible).

import type {
  CommandModel,
  ConstModel,
  ContractModel,
  FunctionModel,
  Gate,
  ModuleModel,
  ResultModel,
  Tier,
  TypeModel,
  TypeRef,
} from "../model.ts";
import { TIERS } from "../model.ts";
import { lineBanner } from "./banner.ts";
import type { Target } from "./index.ts";
import { libcReportLines } from "./libc.ts";
import { renderTemplate } from "./render.ts";

// ---- IDL syntax, rendered back from the model (shared with the docs target) ----

/** A type as written in IDL: `list<ciovec>`, `const_ptr<u8>`, `fd`. */
export function idlType(t: TypeRef): string {
  switch (t.kind) {
    case "primitive":
      return t.name;
    case "named":
      return t.name;
    case "ptr":
      return `${t.const ? "const_ptr" : "ptr"}<${idlType(t.to)}>`;
    case "string":
      return "string";
    case "list":
      return `list<${idlType(t.of)}>`;
    case "buffer":
      return `buffer<${idlType(t.of)}>`;
  }
}

/** The `-> ...` part of a function, or "" when it returns nothing. */
export function idlResult(r: ResultModel): string {
  switch (r.kind) {
    case "none":
      return "";
    case "noreturn":
      return " -> !";
    case "scalar":
      return ` -> ${idlType(r.type)}`;
    case "expected": {
      // A single unnamed ok value is stored under the checker's name `result`.
      const ok =
        r.values.length === 0
          ? "()"
          : r.values.length === 1 && r.values[0].name === "result"
            ? idlType(r.values[0].type)
            : `(${r.values.map((v) => `${v.name}: ${idlType(v.type)}`).join(", ")})`;
      return ` -> result<${ok}, ${r.error}>`;
    }
  }
}

/** `fn fd_write(fd: fd, iovs: list<ciovec>) -> result<size, errno>` */
export function idlSignature(f: FunctionModel): string {
  return `fn ${f.name}(${f.params.map((p) => `${p.name}: ${idlType(p.type)}`).join(", ")})${idlResult(f.result)}`;
}

/** `(i32 i32) -> (i32)` */
export function coreSignature(core: { params: readonly string[]; results: readonly string[] }): string {
  return `(${core.params.join(" ")}) -> (${core.results.join(" ")})`;
}

/** The gate annotations of an item as IDL text, without prose: `@since(1.0.0) @deprecated(1.1.0, use = x)`. */
export function gateAnnotations(g: Gate): string {
  const parts: string[] = [];
  if (g.since !== null) parts.push(`@since(${g.since})`);
  if (g.unstable !== null) parts.push(`@unstable(${g.unstable})`);
  if (g.deprecated) parts.push(`@deprecated(${g.deprecated.since}${g.deprecated.use ? `, use = ${g.deprecated.use}` : ""})`);
  return parts.join(" ");
}

/** `isolated+` when the tiers are a tier and every tier above it, else the list. */
export function tierRange(tiers: readonly Tier[]): string {
  if (tiers.length === 0) return "none";
  const from = TIERS.indexOf(tiers[0]);
  const suffix = TIERS.slice(from);
  if (suffix.length === tiers.length && suffix.every((t, i) => tiers[i] === t)) return `${tiers[0]}+`;
  return tiers.join(",");
}

/** Numbered values may be strings beyond 2^53; compare them exactly. */
export function bigValue(v: number | string): bigint {
  return BigInt(v);
}

/** The bit index of a single-bit flag value, or null when the value is not one bit. */
export function flagBit(v: number | string): number | null {
  const n = bigValue(v);
  if (n <= 0n || (n & (n - 1n)) !== 0n) return null;
  return n.toString(2).length - 1;
}

// ---- report lines ----

export interface ReportSection {
  title: string;
  lines: string[];
}

export interface ReportView {
  banner: string;
  sections: ReportSection[];
}

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function byValue(a: { name: string; value: number | string }, b: { name: string; value: number | string }): number {
  const d = bigValue(a.value) - bigValue(b.value);
  return d < 0n ? -1 : d > 0n ? 1 : byName(a, b);
}

function suffix(...parts: string[]): string {
  const text = parts.filter((p) => p !== "").join(" ");
  return text ? ` ${text}` : "";
}

function scopeOf(item: { scope: string | null }): string {
  return item.scope ? `scope=${item.scope}` : "";
}

function statusText(f: FunctionModel): string {
  switch (f.status.kind) {
    case "provided":
      return "status=provided";
    case "stubbed":
      return `status=stubbed(${f.status.errno}=${f.status.value})`;
    case "refused":
      return "status=refused";
  }
}

export function moduleLine(m: ModuleModel): string {
  return `module ${m.name}${suffix(`tier=${m.tier}`, m.aliases.length ? `aliases=${[...m.aliases].sort().join(",")}` : "", gateAnnotations(m), m.deviation !== null ? "deviation" : "")}`;
}

export function importLine(f: FunctionModel): string {
  return (
    `import ${f.import.module}.${f.import.name} ${coreSignature(f.core)} : ${idlSignature(f)}` +
    suffix(gateAnnotations(f), `tiers=${tierRange(f.tiers)}`, statusText(f), f.compat !== null ? "compat" : "", f.deviation !== null ? "deviation" : "")
  );
}

export function typeLines(t: TypeModel): string[] {
  const layout = `size=${t.size} align=${t.align}`;
  const gate = gateAnnotations(t);
  switch (t.kind) {
    case "alias":
      return [`type ${t.name} alias ${idlType(t.target)}${suffix(layout, gate, scopeOf(t))}`];
    case "enum":
      return [
        `type ${t.name} enum ${t.repr}${suffix(t.open ? "open" : "", layout, gate, scopeOf(t))}`,
        ...[
          ...t.members.map((m) => ({ ...m, line: `value ${t.name}.${m.name} = ${m.value}` })),
          ...t.reserved.map((r) => ({ ...r, line: `reserved ${t.name}.${r.name} = ${r.value}` })),
        ]
          .sort(byValue)
          .map((m) => m.line),
      ];
    case "flags": {
      const bit = (v: number | string): string => {
        const b = flagBit(v);
        return b === null ? `${v}` : `1 << ${b}`;
      };
      return [
        `type ${t.name} flags ${t.repr}${suffix(layout, gate, scopeOf(t))}`,
        ...[
          ...t.members.map((m) => ({ ...m, line: `bit ${t.name}.${m.name} = ${bit(m.value)}` })),
          ...t.reserved.map((r) => ({ ...r, line: `reserved ${t.name}.${r.name} = ${bit(r.value)}` })),
        ]
          .sort(byValue)
          .map((m) => m.line),
      ];
    }
    case "struct":
      return [
        `type ${t.name} struct${suffix(layout, gate, scopeOf(t))}`,
        ...t.fields.map((f) => `field ${t.name}.${f.name} offset=${f.offset} size=${f.size} align=${f.align} : ${idlType(f.type)}`),
      ];
    case "variant":
      return [
        `type ${t.name} variant${suffix(`tag=${t.tag}`, `tag_size=${t.tagSize}`, `payload_offset=${t.payloadOffset}`, layout, gate, scopeOf(t))}`,
        ...[...t.cases]
          .sort((a, b) => a.tag - b.tag)
          .map((c) => `case ${t.name}.${c.name} tag=${c.tag}${c.payload ? ` : ${idlType(c.payload)}` : ""}`),
      ];
  }
}

export function constLine(c: ConstModel): string {
  return `const ${c.name}: ${idlType(c.type)} = ${c.value}${suffix(gateAnnotations(c), scopeOf(c))}`;
}

export function commandLines(c: CommandModel): string[] {
  return [
    `command${suffix(gateAnnotations(c))}`,
    ...[...c.exports]
      .sort(byName)
      .map(
        (e) =>
          `export ${e.name}: ${e.kind === "memory" ? "memory" : `func ${coreSignature(e)}`} ${e.required ? "required" : "optional"}`,
      ),
    ...[...c.conventions].sort(byName).map((v) => `convention ${v.name}`),
  ];
}

export function reportView(model: ContractModel, source: string): ReportView {
  const modules = [...model.modules].sort(byName);
  const imports = modules.flatMap((m) =>
    [...m.functions].sort((a, b) => byName(a.import, b.import)).map(importLine),
  );
  const reservedFns = modules.flatMap((m) =>
    [...m.reservedFunctions].sort(byName).map((r) => `reserved-fn ${m.name}.${r.name}`),
  );
  const sections: ReportSection[] = [
    { title: "package", lines: [`package ${model.package.name}@${model.package.version}`] },
    { title: "modules", lines: modules.map(moduleLine) },
    { title: "imports", lines: [...imports, ...reservedFns] },
    { title: "types", lines: [...model.types].sort(byName).flatMap(typeLines) },
    { title: "constants", lines: [...model.constants].sort(byName).map(constLine) },
  ];
  if (model.command) sections.push({ title: "command", lines: commandLines(model.command) });
  sections.push({ title: "libc", lines: libcReportLines(model) });
  return { banner: lineBanner(model, source, "#"), sections: sections.filter((s) => s.lines.length > 0) };
}

export function renderReport(model: ContractModel, source: string): string {
  return renderTemplate("report/abi.report.txt.hbs", reportView(model, source));
}

export const reportTarget: Target = {
  name: "report",
  async generate(model, ctx) {
    return [{ path: "abi.report.txt", content: renderReport(model, ctx.source) }];
  },
};
