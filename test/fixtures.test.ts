// Folder-per-case golden tests of the whole front end: every invalid case pins its exact
// diagnostics (codes, positions, messages, code frames); every valid case pins its layouts
// and core signatures and must check without a warning.

import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileFile } from "../compiler/index.ts";
import { formatDiagnostic } from "../compiler/diagnostics.ts";
import type { ContractModel } from "../compiler/model.ts";
import { expectGolden } from "./support/golden.ts";

const root = path.join("test", "fixtures");
const cases = (kind: string) => readdirSync(path.join(root, kind)).sort();

/** The parts of the model a layout or lowering change would alter, one line each. */
export function modelSummary(m: ContractModel): string {
  const lines = [`package ${m.package.name}@${m.package.version}`];
  for (const t of m.types) {
    lines.push(`${t.kind} ${t.name} size=${t.size} align=${t.align}`);
    if (t.kind === "struct") for (const f of t.fields) lines.push(`  .${f.name} offset=${f.offset} size=${f.size}`);
    if (t.kind === "variant") {
      lines.push(`  tag=${t.tag} payloadOffset=${t.payloadOffset}`);
      for (const c of t.cases) lines.push(`  case ${c.name}=${c.tag} payload=${c.payload ? JSON.stringify(c.payload) : "none"}`);
    }
    if (t.kind === "enum" || t.kind === "flags") {
      for (const v of t.members) lines.push(`  ${v.name}=${v.value}`);
      for (const v of t.reserved) lines.push(`  reserved ${v.name}=${v.value}`);
    }
  }
  for (const c of m.constants) lines.push(`const ${c.name}=${c.value} scope=${c.scope}`);
  for (const mod of m.modules) {
    lines.push(`module ${mod.name} aliases=${mod.aliases.join(",")} tier=${mod.tier}${mod.deviation !== null ? ` deviation=${JSON.stringify(mod.deviation)}` : ""}`);
    for (const f of mod.functions)
      lines.push(
        `  fn ${f.name} (${f.core.params.join(" ")}) -> (${f.core.results.join(" ")}) status=${f.status.kind} tiers=${f.tiers.join(",")} since=${f.since} unstable=${f.unstable} deprecated=${f.deprecated ? f.deprecated.use ?? f.deprecated.note : null}${f.deviation !== null ? ` deviation=${JSON.stringify(f.deviation)}` : ""}` +
          (f.result.kind === "scalar" ? ` sentinel=${f.result.sentinel?.error},${f.result.sentinel?.fault}` : ""),
      );
    for (const r of mod.reservedFunctions) lines.push(`  reserved fn ${r.name}`);
  }
  if (m.command) for (const e of m.command.exports) lines.push(`export ${e.name} ${e.kind} required=${e.required} (${e.params.join(" ")}) -> (${e.results.join(" ")})`);
  for (const h of m.libcSurface?.headers ?? []) lines.push(`libc header ${h.name} ${h.change} since=${h.since} unstable=${h.unstable}`);
  for (const f of m.libc)
    lines.push(
      `libc fn ${f.name} ${f.change} <${f.header}> ${f.cType} imports=${f.imports.join(",")} tiers=${f.tiers.join(",")} errno=${f.errno.join(",")} returns=${f.returns} instead=${f.instead.join(",")} since=${f.since} unstable=${f.unstable}`,
    );
  for (const a of m.libcSurface?.absent ?? []) lines.push(`libc absent ${a.name} <${a.header}> instead=${a.instead.join(",")}`);
  return lines.join("\n") + "\n";
}

describe("invalid contracts report exactly their expected diagnostics", () => {
  for (const name of cases("invalid")) {
    test(name, () => {
      const dir = path.join(root, "invalid", name);
      const c = compileFile(path.join(dir, "input.idl"));
      expect(c.model).toBeNull();
      expect(c.diagnostics.some((d) => d.severity === "error")).toBe(true);
      const text = c.diagnostics.map((d) => formatDiagnostic(d, c.texts)).join("\n") + "\n";
      expectGolden(path.join(dir, "expected.txt"), text);
    });
  }
});

describe("valid contracts check cleanly and keep their layouts and signatures", () => {
  for (const name of cases("valid")) {
    test(name, () => {
      const dir = path.join(root, "valid", name);
      const c = compileFile(path.join(dir, "input.idl"));
      expect(c.diagnostics.map((d) => formatDiagnostic(d, c.texts))).toEqual([]);
      expect(c.model).not.toBeNull();
      expectGolden(path.join(dir, "expected.txt"), modelSummary(c.model!));
    });
  }
});
