// Doc comments are for people: rewriting the text of every doc comment of the real contract
// changes no behaviour. The C headers, preprocessed (comments dropped), and the TypeScript,
// printed without comments, are the same as before; the ABI report is byte-identical; and
// `abic diff` calls the change a patch. The rewritten text says things a prose reader would
// act on (`u64::MAX` on error, a bad range returns `errno::fault`), so reading them would show.

import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, test } from "vitest";
import { diffContracts } from "../compiler/diff.ts";
import { cTarget } from "../compiler/gen/c.ts";
import { renderReport } from "../compiler/gen/report.ts";
import { tsTarget } from "../compiler/gen/ts.ts";
import type { GeneratedFile } from "../compiler/gen/target.ts";
import { compileFile } from "../compiler/index.ts";
import { cFeatureMacro } from "../compiler/lang/c.ts";
import type { ContractModel } from "../compiler/model.ts";
import { DIFF_RULES, type DiffRule } from "../compiler/rules.ts";
import { readSource } from "../compiler/source.ts";
import { wasiClang } from "../scripts/toolchain.ts";

const BUILD = path.resolve("test/.build/doc-invariance");

/** Every `///` line of a source text replaced by other words (blank lines stay blank). */
function rewriteDocs(text: string): string {
  let n = 0;
  return text.replace(/^([ \t]*)\/\/\/(.*)$/gm, (_, indent: string, rest: string) =>
    rest.trim() === ""
      ? `${indent}///`
      : `${indent}/// Rewritten ${++n}: \`u64::MAX\` on error, \`-1\` on error, a bad range returns \`errno::fault\`.`,
  );
}

function compile(rewrite: boolean): ContractModel {
  const c = compileFile("abi.idl", (file, at) => {
    const source = readSource(file, at);
    return rewrite && "text" in source ? { text: rewriteDocs(source.text) } : source;
  });
  if (!c.model) throw new Error(c.diagnostics.map((d) => `${d.span.file}:${d.span.line} ${d.code} ${d.message}`).join("\n"));
  return c.model;
}

function write(dir: string, files: GeneratedFile[]): void {
  for (const f of files) {
    const target = path.join(dir, f.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.content);
  }
}

/** A header as the compiler sees it: preprocessed for wasm32-wasi with every feature on, comments gone. */
function preprocess(include: string, header: string, features: string[]): string {
  const { cc, baseArgs } = wasiClang();
  const run = spawnSync(cc, [...baseArgs, "-E", "-P", ...features.map((f) => `-D${cFeatureMacro(f)}`), `-I${include}`, "-x", "c", "-"], {
    input: `#include <${header}>\n`,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

/** TypeScript printed from its syntax tree without comments: what it means, not what it says. */
function withoutComments(file: string, text: string): string {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

describe("rewriting every doc comment of the contract", { timeout: 120_000 }, () => {
  const original = compile(false);
  const rewritten = compile(true);
  const features = [...new Set([...original.types, ...original.constants, ...original.modules.flatMap((m) => [m, ...m.functions])].flatMap((i) => i.unstable ?? []))];
  let before: { c: GeneratedFile[]; ts: GeneratedFile[] };
  let after: { c: GeneratedFile[]; ts: GeneratedFile[] };

  beforeAll(async () => {
    before = { c: await cTarget.generate(original, { source: "abi.idl" }), ts: await tsTarget.generate(original, { source: "abi.idl" }) };
    after = { c: await cTarget.generate(rewritten, { source: "abi.idl" }), ts: await tsTarget.generate(rewritten, { source: "abi.idl" }) };
    rmSync(BUILD, { recursive: true, force: true });
    write(path.join(BUILD, "before"), before.c);
    write(path.join(BUILD, "after"), after.c);
  });

  test("really changes the doc text the generators see", () => {
    expect(rewritten.modules[0]!.functions[0]!.docs).toMatch(/^Rewritten \d+:/);
    expect(after.ts.map((f) => f.content)).not.toEqual(before.ts.map((f) => f.content));
    expect(after.c.map((f) => f.content)).not.toEqual(before.c.map((f) => f.content));
  });

  test("the C headers preprocess to the same code", () => {
    expect(after.c.map((f) => f.path)).toEqual(before.c.map((f) => f.path));
    for (const f of before.c) {
      const header = f.path.replace(/^c\//, "");
      const a = preprocess(path.join(BUILD, "before", "c"), header, features);
      const b = preprocess(path.join(BUILD, "after", "c"), header, features);
      expect(a.length, header).toBeGreaterThan(100);
      expect(b, header).toBe(a);
    }
  });

  test("the TypeScript bindings are the same code without their comments", () => {
    expect(after.ts.map((f) => f.path)).toEqual(before.ts.map((f) => f.path));
    for (const [i, f] of before.ts.entries()) {
      if (!f.path.endsWith(".ts")) continue;
      expect(withoutComments(f.path, after.ts[i]!.content), f.path).toBe(withoutComments(f.path, f.content));
    }
  });

  test("the ABI report is byte-identical and `abic diff` sees documentation only", () => {
    expect(renderReport(rewritten, "abi.idl")).toBe(renderReport(original, "abi.idl"));
    const report = diffContracts(original, rewritten);
    // Every finding is of the docs class; doc changes of unstable items are information that
    // wraps one (GATE_UNSTABLE_CHANGES: "DOC_COMMENT (no promise: unstable): ...").
    const classes = report.findings.map((f) =>
      f.rule === "GATE_UNSTABLE_CHANGES" ? DIFF_RULES[f.message.split(" ")[0] as DiffRule].classes.join("|") : f.class,
    );
    expect(new Set(classes)).toEqual(new Set(["docs"]));
    expect(report.findings.map((f) => f.rule)).toContain("DOC_COMMENT");
    expect(report.requiredBump).toBe("patch");
  });
});
