// Rendering on two threads (gen/parallel.ts): the targets are shared between the main thread and
// a worker, and the files are exactly those one thread renders, in the same order, for the real
// contract with every target, the fixtures and the generators' fixture; what the worker formatted
// reaches the run's format memo. The worker runs the build (the global setup makes it).

import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { newFormatMemo, withFormatMemo } from "../compiler/gen/format.ts";
import { generateTargets } from "../compiler/gen/index.ts";
import { TargetWorker, workerTargets } from "../compiler/gen/parallel.ts";
import { TARGET_NAMES } from "../compiler/gen/targets.ts";
import { tsBindingNames, tsTarget } from "../compiler/gen/ts.ts";
import { compileFile } from "../compiler/index.ts";
import type { ContractModel } from "../compiler/model.ts";

function model(file: string): ContractModel {
  const { model, diagnostics } = compileFile(file);
  if (model === null) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join("; ")}`);
  return model;
}

describe("sharing targets between two threads", () => {
  test("each target goes to exactly one share, both shares get work, one target is not shared", () => {
    for (const names of [TARGET_NAMES, TARGET_NAMES.filter((n) => n !== "html"), ["c", "ts"], ["docs", "manifest", "report"]]) {
      const there = workerTargets(names);
      const here = names.filter((n) => !there.includes(n));
      expect(there.length).toBeGreaterThan(0);
      expect(here.length).toBeGreaterThan(0);
      expect(there.every((n) => names.includes(n))).toBe(true);
    }
    expect(workerTargets(["c"])).toEqual([]);
    expect(workerTargets([])).toEqual([]);
  });

  test("no worker on one core, with nothing to share, or when the load keeps every core busy", async () => {
    expect(TargetWorker.start(TARGET_NAMES, 1, 0)).toBeNull();
    expect(TargetWorker.start(["ts"], 2, 0)).toBeNull();
    expect(TargetWorker.start(TARGET_NAMES, 2, 2.5)).toBeNull();
    const worker = TargetWorker.start(TARGET_NAMES, 4, 2.5);
    expect(worker).not.toBeNull();
    await worker!.close();
  });

  const contracts = [
    "abi.idl",
    "test/fixtures/gen/small/abi.idl",
    ...readdirSync("test/fixtures/valid").map((c) => path.join("test/fixtures/valid", c, "input.idl")),
  ];
  test.each(contracts)("%s: the same files, in the same order, as on one thread", async (file) => {
    const m = model(file);
    const ctx = { source: "abi.idl" };
    const serialMemo = newFormatMemo();
    const serial = await withFormatMemo(serialMemo, () => generateTargets(m, ctx, TARGET_NAMES));
    const worker = TargetWorker.start(TARGET_NAMES, 2, 0);
    expect(worker, "the worker is built (dist/compiler/gen/target-worker.js)").not.toBeNull();
    const memo = newFormatMemo();
    const shared = await worker!.render(m, ctx, TARGET_NAMES, memo);
    expect(shared.map((o) => o.target)).toEqual(serial.map((o) => o.target));
    for (const [i, o] of shared.entries()) {
      expect(o.files.map((f) => f.path)).toEqual(serial[i]!.files.map((f) => f.path));
      for (const [j, f] of o.files.entries()) expect(f.content, f.path).toBe(serial[i]!.files[j]!.content);
    }
    // Formatting done in the worker is recorded as if done here (what the cache keeps).
    expect(new Map([...memo.byKey].sort())).toEqual(new Map([...serialMemo.byKey].sort()));
    expect(new Map([...memo.used].sort())).toEqual(new Map([...serialMemo.used].sort()));
  });

  // The docs show the TS bindings' names; on a thread where the TS target did not run they come
  // from a view without glue, which must name everything as the full view does.
  test.each(contracts)("%s: the docs' TypeScript names without the glue are the TS target's", async (file) => {
    for (const ts of [{}, { target: "js+dts" as const }]) {
      const alone = tsBindingNames(model(file), { source: "abi.idl", ts });
      const afterTarget = model(file);
      await tsTarget.generate(afterTarget, { source: "abi.idl", ts });
      const remembered = tsBindingNames(afterTarget, { source: "abi.idl", ts });
      expect(alone.methods.size + alone.types.size).toBeGreaterThan(0);
      expect(alone).toEqual(remembered);
    }
  });

  test("a target failing in the worker fails the run with its message", async () => {
    const m = model("test/fixtures/gen/small/abi.idl");
    const worker = TargetWorker.start(TARGET_NAMES, 2, 0)!;
    // A model the targets cannot render, and only the worker's share to render: its error comes
    // back as an exception.
    const broken = { ...m, modules: null } as unknown as ContractModel;
    await expect(worker.render(broken, { source: "abi.idl" }, workerTargets(TARGET_NAMES), newFormatMemo())).rejects.toThrow(/in a worker thread failed/);
  });
});
