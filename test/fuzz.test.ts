// The fuzz campaign script itself (scripts/fuzz.ts), on a few cases: a planted verify that never
// returns is killed by the watchdog and counted as a hang while the campaign goes on; a planted
// C failure is found by the batch compile and written as a shrunk reproducer; the counts and
// reproducers of a seed are the same whatever the job count. Kept small: it runs in `npm test`.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compileText } from "../compiler/index.ts";
import { campaignMemo, shrinkText, units } from "../scripts/fuzz-work.ts";
import { hostileContract } from "./support/contract-arbitrary.ts";
import { generateAll } from "../compiler/gen/index.ts";
import { prettierRuns, withFormatMemo } from "../compiler/gen/format.ts";
import { compileBatch, type BatchCase } from "./support/robustness.ts";

const BUILD = path.join("test", ".build", "fuzz-script");

interface Summary {
  counts: Record<string, number>;
  failures: number;
  reproducers: string[];
}

/** `npm run fuzz -- <args>`, as a child process. */
const runFuzz = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/fuzz.ts", ...args], { encoding: "utf8" });

function fuzz(out: string, args: string[]): { status: number | null; summary: Summary; output: string } {
  const run = runFuzz(["--out", out, ...args]);
  const output = `${run.stdout}\n${run.stderr}`;
  expect(existsSync(path.join(out, "summary.json")), output).toBe(true);
  return { status: run.status, summary: JSON.parse(readFileSync(path.join(out, "summary.json"), "utf8")) as Summary, output };
}

const hasStruct = (text: string): boolean => compileText(text, "contract.idl").model?.types.some((t) => t.kind === "struct") ?? false;

describe("the shrinker", () => {
  test("cuts a contract into items and members, braces in text and comments not counted", () => {
    const text = ['/// doc {', "@since(1.0.0)", "struct s {", '    /// a "}"', "    a: u32,", "    b: u8,", "}", "", "const c: u32 = 1;"];
    expect(units(text, 0)).toEqual([text.slice(0, 7), [""], ["const c: u32 = 1;"]]);
    expect(units(text, 1).map((u) => u.length)).toEqual([3, 2, 1, 1, 1, 1]);
  });

  test("deletes items, members and lines while the property holds", async () => {
    const text = fc.sample(hostileContract, { numRuns: 40, seed: 3 }).find(hasStruct)!;
    let tries = 0;
    const small = await shrinkText(text, async (t) => (tries++, hasStruct(t)), 400);
    expect(hasStruct(small)).toBe(true);
    expect(small.length).toBeLessThan(text.length / 3);
    expect(tries).toBeLessThanOrEqual(400);
  });
});

describe("the batch type-check", () => {
  // Cases written by hand (a model is not read by the TypeScript check): `m.ts` is the same text
  // in every case, what it imports is not.
  const tsCase = (id: string, t: string): BatchCase => ({
    id,
    model: null as never,
    files: [
      { path: "ts/types.ts", content: `export type T = ${t};\n` },
      { path: "ts/m.ts", content: 'import type { T } from "./types.js";\nexport const x: T = 1;\n' },
    ],
  });
  const failing = (cases: BatchCase[]): string[] =>
    compileBatch(path.join(BUILD, "ts-closure"), cases, { c: false, ts: true, rust: 0 }).map((f) => `${f.id} ${f.outcome}`);

  test("a file the same as a clean one is checked again when a file it imports differs, in one batch or a later one", () => {
    expect(failing([tsCase("a", "number"), tsCase("b", "string")])).toEqual(["b fail:ts"]);
    // `a` was clean: a later batch with its twin and a differing case still finds the failure.
    expect(failing([tsCase("c", "number"), tsCase("d", "string")])).toEqual(["d fail:ts"]);
    expect(failing([tsCase("e", "number")])).toEqual([]);
  }, 120_000);
});

describe("the campaign's formatting memo", () => {
  test("a text formatted before is not formatted again, and the output is the same bytes", async () => {
    // Hostile docs: Markdown and TypeScript pieces that only prettier can lay out.
    const model = fc
      .sample(hostileContract, { numRuns: 30, seed: 5 })
      .map((t) => compileText(t, "contract.idl").model)
      .find((m) => m !== null && m.types.some((t) => t.docs.includes("*/")))!;
    const plain = await generateAll(model, { source: "contract.idl" });
    const memo = campaignMemo();
    const first = await withFormatMemo(memo, () => generateAll(model, { source: "contract.idl" }));
    expect(memo.known.size).toBeGreaterThan(0);
    const before = prettierRuns();
    const again = await withFormatMemo(memo, () => generateAll(model, { source: "contract.idl" }));
    expect(prettierRuns()).toBe(before);
    expect(first).toEqual(plain);
    expect(again).toEqual(plain);
    // Bounded: the oldest texts are forgotten first.
    const small = campaignMemo(3);
    for (const k of ["a", "b", "c", "d"]) small.known.set(k, k);
    expect([...small.known.keys()]).toEqual(["b", "c", "d"]);
  }, 120_000);
});

describe("the batch clang run", () => {
  // One compiler process takes every case's headers: each must be compiled as if alone (no macro
  // or declaration of one reaches the next), and a fatal error in one must not hide the failures
  // of those after it (the compiler reports nothing more after a fatal error).
  const model = compileText("package demo@1.0.0;\n", "contract.idl").model!;
  const cCase = (id: string, header: string): BatchCase => ({ id, model, files: [{ path: "c/demo/api.h", content: header }] });
  const failing = (cases: BatchCase[]): string[] =>
    compileBatch(path.join(BUILD, "c-batch"), cases, { c: true, ts: false, rust: 0 })
      .map((f) => `${f.id} ${f.outcome}`)
      .sort();

  test("compiles each case's headers alone, and goes on past a fatal error", () => {
    const defines = "#define DEMO_SEEN 1\nstruct demo_s { int a; };\n";
    const clean = "#ifdef DEMO_SEEN\n#error a macro of another case\n#endif\nstruct demo_s { int a; };\n";
    const broken = "extern int demo_v;\nstatic const int demo_w = demo_undeclared;\n";
    expect(failing([cCase("a", defines), cCase("b", clean), cCase("c", '#include "missing.h"\n'), cCase("d", broken), cCase("e", clean)])).toEqual([
      "c fail:c",
      "c fail:c++",
      "d fail:c",
      "d fail:c++",
    ]);
    // Without the fatal error in between, the same failure is found in the same run.
    expect(failing([cCase("a", defines), cCase("d", broken), cCase("e", clean)])).toEqual(["d fail:c", "d fail:c++"]);
  }, 120_000);
});

describe("npm run fuzz", () => {
  test("a bad option or value is a one-line usage error with status 2, before any work", () => {
    for (const args of [["--bogus"], ["--cases"], ["--cases", "-3"], ["--plant", "nothing"]]) {
      const run = runFuzz(["--out", path.join(BUILD, "usage"), ...args]);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(/^fuzz: /);
      expect(run.stderr, args.join(" ")).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(path.join(BUILD, "usage", "summary.json"))).toBe(false);
    const help = runFuzz(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--max-minutes");
    expect(help.stdout).not.toMatch(/^\/\//m);
  }, 60_000);

  test("a hanging verify is killed and counted; a compile failure is shrunk before it is written", () => {
    // A seed whose first contract is accepted and has a struct, which the planted failure needs.
    let seed = 1;
    while (!hasStruct(fc.sample(hostileContract, { numRuns: 1, seed })[0]!)) seed++;
    const out = path.join(BUILD, "planted");
    const { status, summary, output } = fuzz(out, [
      ...["--seed", `${seed}`, "--cases", "1", "--manifests", "10", "--modules", "3", "--jobs", "1"],
      ...["--hang-ms", "3000", "--shrink-tries", "80", "--plant", "hang-verify", "--plant", "fail-c"],
    ]);
    expect(status, output).toBe(1);
    // The hung module is counted and written; the two others still ran.
    expect(summary.counts["hang:verify"], output).toBe(1);
    expect((summary.counts["verify:ok"] ?? 0) + (summary.counts["verify:refused"] ?? 0)).toBe(2);
    const hang = path.join(out, "failures", `hang-verify-s${seed}-0`);
    expect(readFileSync(path.join(hang, "step.txt"), "utf8")).toMatch(/killed after 3000 ms, then again after 12000 ms/);
    expect(readFileSync(path.join(hang, "module.wasm")).subarray(0, 4)).toBeDefined();
    // The manifests ran too.
    expect(Object.entries(summary.counts).filter(([k]) => k.startsWith("manifest:")).reduce((n, [, v]) => n + v, 0)).toBe(10);
    // The planted C failure: found, and its reproducer is a smaller contract that still has it.
    expect(summary.counts["fail:c"], output).toBe(1);
    expect(summary.counts["fail:c++"], output).toBeUndefined();
    const dir = readdirSync(path.join(out, "failures")).find((d) => d.startsWith("fail-c-"));
    expect(dir, output).toBeDefined();
    const small = readFileSync(path.join(out, "failures", dir!, "contract.idl"), "utf8");
    const original = readFileSync(path.join(out, "failures", dir!, "original.idl"), "utf8");
    expect(readFileSync(path.join(out, "failures", dir!, "error.txt"), "utf8")).toMatch(/planted: the contract has a struct/);
    expect(small.split("\n").length).toBeLessThan(original.split("\n").length / 2);
    expect(hasStruct(small)).toBe(true);
    expect(summary.failures).toBe(2);
  }, 300_000);

  test("a seed gives the same counts and reproducers with one job or two", () => {
    const args = ["--seed", "20261201", "--cases", "4", "--batch", "2", "--manifests", "150", "--modules", "150", "--chunk", "40", "--no-compile"];
    const one = fuzz(path.join(BUILD, "jobs1"), [...args, "--jobs", "1"]);
    const two = fuzz(path.join(BUILD, "jobs2"), [...args, "--jobs", "2"]);
    expect(one.status, one.output).toBe(0);
    expect(two.summary.counts).toEqual(one.summary.counts);
    expect(two.summary.reproducers).toEqual(one.summary.reproducers);
    // Every case was counted once: 4 contracts (2 generated, 2 mutations), 150 manifests, 150 modules.
    const sum = (prefix: RegExp): number => Object.entries(one.summary.counts).filter(([k]) => prefix.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(sum(/^generated:/)).toBe(2);
    expect(sum(/^mutated:/)).toBe(2);
    expect(sum(/^manifest:/)).toBe(150);
    expect(sum(/^verify:/)).toBe(150);
  }, 300_000);
});
