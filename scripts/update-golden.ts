// Refreshes the golden outputs of the fixture contracts: for each test/fixtures/gen/<case>/abi.idl,
// runs the `abic gen` targets named in <case>/golden-targets.txt (one per line) and rewrites
// <case>/expected/ with their files. Run `npm run golden` after an intended generator change
// and review the diff. A target owner opts a case in by adding the target's name to the list.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { compileFile } from "../compiler/index.ts";
import { formatDiagnostic } from "../compiler/diagnostics.ts";
import type { GeneratedFile } from "../compiler/gen/index.ts";
import { targetEntry } from "../compiler/gen/targets.ts";
import type { ContractModel } from "../compiler/model.ts";

export const GOLDEN_ROOT = "test/fixtures/gen";

/** The fixture cases: folders of GOLDEN_ROOT holding an abi.idl. */
export function goldenCases(): string[] {
  return readdirSync(GOLDEN_ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(GOLDEN_ROOT, e.name, "abi.idl")))
    .map((e) => e.name)
    .sort();
}

/** The target names a case keeps goldens for. */
export function goldenTargets(caseName: string): string[] {
  const list = path.join(GOLDEN_ROOT, caseName, "golden-targets.txt");
  if (!existsSync(list)) return [];
  return readFileSync(list, "utf8")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

/** Compiles a case's contract; throws with the diagnostics when it does not check. */
export function compileCase(caseName: string): ContractModel {
  const c = compileFile(`${GOLDEN_ROOT}/${caseName}/abi.idl`);
  if (!c.model) throw new Error(c.diagnostics.map((d) => formatDiagnostic(d, c.texts)).join("\n"));
  return c.model;
}

/** The files the named targets generate for a case, as `abic gen` names the source in banners. */
export async function generateGolden(caseName: string, targetNames: string[]): Promise<GeneratedFile[]> {
  const model = compileCase(caseName);
  const files: GeneratedFile[] = [];
  for (const name of targetNames) {
    const entry = targetEntry(name);
    if (!entry) throw new Error(`${GOLDEN_ROOT}/${caseName}/golden-targets.txt: unknown target \`${name}\``);
    files.push(...(await (await entry.load()).generate(model, { source: "abi.idl" })));
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

async function main(): Promise<number> {
  for (const name of goldenCases()) {
    const files = await generateGolden(name, goldenTargets(name));
    const expected = path.join(GOLDEN_ROOT, name, "expected");
    rmSync(expected, { recursive: true, force: true });
    for (const f of files) {
      const target = path.join(expected, f.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.content);
    }
    process.stdout.write(`${GOLDEN_ROOT}/${name}/expected: ${files.length} files\n`);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
