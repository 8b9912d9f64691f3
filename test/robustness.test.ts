// Robustness properties (issue 12), with run counts small enough for `npm test`; the long
// campaign over the same properties is `npm run fuzz`. Random contracts written to break the
// generators (hostile names and text, every construct) are checked without a throw; an accepted
// one generates, its outputs compile (C11 strict, C++, TypeScript strict) and clang agrees with
// its layouts; diffs against a mutation of it and against the real contract never throw.
// Mutations of the real contract never make `check` throw. The hostile fixture holds one
// contract per crash class found so far and is built by every toolchain, Rust included.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { compileFile, compileText } from "../compiler/index.ts";
import type { ContractModel } from "../compiler/model.ts";
import { hostileContract, inlineUses, mutatedContract } from "./support/contract-arbitrary.ts";
import { checkAndGenerate, compileBatch, diffBothWays, type BatchCase } from "./support/robustness.ts";

const BUILD = path.join("test", ".build", "robustness");
const REAL = "abi.idl";
// The real contract as one text, so mutations reach every file of it.
const realText = inlineUses(REAL, (f) => readFileSync(f, "utf8"));
const realModel = compileFile(REAL).model as ContractModel;

function diagnosticsOk(text: string): void {
  const c = compileText(text, "contract.idl");
  if (c.model === null) expect(c.diagnostics.some((d) => d.severity === "error")).toBe(true);
  for (const d of c.diagnostics) expect(d.code).toMatch(/^[EW]\d{4}$/);
}

describe("random contracts never crash abic", () => {
  test.prop([hostileContract.chain((t) => mutatedContract(t).map((m) => [t, m] as const))], { numRuns: 8 })(
    "check never throws; an accepted contract generates; diff never throws",
    async ([text, mutated]) => {
      const r = await checkAndGenerate(text);
      expect(r.outcome, r.error ?? "").not.toMatch(/^crash/);
      diagnosticsOk(text);
      if (r.model === null) return;
      expect(r.files.length).toBeGreaterThan(0);
      expect(diffBothWays(r.model, realModel)).toBeNull();
      const other = compileText(mutated, "contract.idl").model;
      if (other) expect(diffBothWays(r.model, other)).toBeNull();
    },
    60_000,
  );

  test.prop([mutatedContract(realText)], { numRuns: 15 })("mutations of the real contract never make check throw", (text) => {
    expect(() => compileText(text, "abi-inlined.idl")).not.toThrow();
    diagnosticsOk(text);
  });
});

/** Generates and compiles a batch of contracts; failures name the case folder holding its contract. */
async function buildAll(dir: string, texts: string[], rust: number): Promise<{ accepted: number; failures: string[] }> {
  const cases: BatchCase[] = [];
  for (const [i, text] of texts.entries()) {
    const r = await checkAndGenerate(text);
    expect(r.outcome, r.error ?? "").not.toMatch(/^crash/);
    if (r.model) cases.push({ id: `c${i}`, model: r.model, files: r.files });
  }
  const failures = compileBatch(dir, cases, { c: true, ts: true, rust, keepTs: true });
  for (const [i, text] of texts.entries()) {
    mkdirSync(path.join(dir, `c${i}`), { recursive: true });
    writeFileSync(path.join(dir, `c${i}`, "contract.idl"), text);
  }
  return { accepted: cases.length, failures: failures.map((f) => `${path.join(dir, f.id, "contract.idl")}: ${f.outcome}\n${f.detail}`) };
}

describe("generated code compiles", () => {
  test("accepted random contracts compile as C11, C++ and strict TypeScript, with clang agreeing on layouts", async () => {
    // A fresh seed each run; a failure prints it and leaves each contract next to its outputs.
    const seed = Date.now() % 2 ** 31;
    const texts = fc.sample(hostileContract, { numRuns: 6, seed });
    const { failures } = await buildAll(path.join(BUILD, "random"), texts, 0);
    expect(failures, `seed ${seed}`).toEqual([]);
  }, 180_000);

  test("the hostile fixture (one item per crash class found) generates and compiles everywhere, Rust included", async () => {
    const text = readFileSync("test/fixtures/robustness/hostile.idl", "utf8");
    const { accepted, failures } = await buildAll(path.join(BUILD, "hostile"), [text], 1);
    expect(accepted).toBe(1);
    expect(failures).toEqual([]);
  }, 180_000);
});
