// The checked-in ABI report, generated/abi.report.txt: one normalized line per import, type,
// field, numbered value, constant and command export, so that an ABI change is a small diff.
// Doc comments and annotation prose never appear in it: a docs-only edit leaves it unchanged
// (a `@deviation` shows as the word `deviation`, so declaring or withdrawing one is visible).

import { byValue, coreSignature, flagBitText, gateAnnotations, idlSignature, idlType, sentinelAnnotation, tierRange } from "../idl-text.ts";
import type { CommandModel, ConstModel, ContractModel, FunctionModel, ModuleModel, TypeModel } from "../model.ts";
import { exhaustive } from "../query.ts";
import { lineBanner } from "./banner.ts";
import { libcReportLines } from "./libc.ts";
import type { Target } from "./target.ts";

export { tierRange } from "../idl-text.ts";
import { renderTemplate } from "./render.ts";


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
    default:
      return exhaustive(f.status, "status");
  }
}

export function moduleLine(m: ModuleModel): string {
  return `module ${m.name}${suffix(`tier=${m.tier}`, m.aliases.length ? `aliases=${[...m.aliases].sort().join(",")}` : "", gateAnnotations(m), m.deviation !== null ? "deviation" : "")}`;
}

export function importLine(f: FunctionModel): string {
  return (
    `import ${f.import.module}.${f.import.name} ${coreSignature(f.core)} : ${idlSignature(f)}` +
    suffix(
      gateAnnotations(f),
      f.result.kind === "scalar" && f.result.sentinel ? sentinelAnnotation(f.result.sentinel) : "",
      `tiers=${tierRange(f.tiers)}`,
      statusText(f),
      f.compat !== null ? "compat" : "",
      f.deviation !== null ? "deviation" : "",
    )
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
    case "flags":
      return [
        `type ${t.name} flags ${t.repr}${suffix(layout, gate, scopeOf(t))}`,
        ...[
          ...t.members.map((m) => ({ ...m, line: `bit ${t.name}.${m.name} = ${flagBitText(m.value)}` })),
          ...t.reserved.map((r) => ({ ...r, line: `reserved ${t.name}.${r.name} = ${flagBitText(r.value)}` })),
        ]
          .sort(byValue)
          .map((m) => m.line),
      ];
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
    default:
      return exhaustive(t);
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
