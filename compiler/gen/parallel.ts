// Rendering targets on two threads. The targets are independent of each other (each a function of
// the checked model), so on a machine with a second core `abic gen` sends some of them to a worker
// thread (gen/target-worker.ts) while the main thread renders the rest: a greedy split by each
// target's weight (targets.ts) into two shares of about equal cost. The worker is started before
// the front end runs, so loading its modules costs no time on the main thread's path; it gets the
// model as JSON text. The output is the same bytes as rendering everything on one thread: the
// targets and the formatting are deterministic, and the files are put back in the registry's order.

import { existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ContractModel } from "../model.ts";
import { packageFile } from "../package-files.ts";
import { withFormatMemo, type FormatMemo } from "./format.ts";
import { checkTargetOutputs, generateTargets, type TargetOutput } from "./index.ts";
import type { GenContext } from "./target.ts";
import { TARGET_ENTRIES } from "./targets.ts";

/** What the main thread sends the worker: the targets to render and what they need. */
export interface WorkerRequest {
  /** The checked model, as JSON text. */
  model: string;
  ctx: GenContext;
  names: string[];
  /** The formatted texts known from earlier runs (FormatMemo.known). */
  known: [string, string][];
}

export type WorkerReply = { outputs: TargetOutput[]; used: [string, string][]; byKey: [string, string][] } | { error: string };

/**
 * The worker's compiled JavaScript. Workers always run the build, also when this module runs from
 * its TypeScript source (the tests build first), as the reference host's workers do.
 */
const WORKER_FILE = import.meta.url.endsWith(".js")
  ? fileURLToPath(new URL("./target-worker.js", import.meta.url))
  : packageFile("dist", "compiler", "gen", "target-worker.js");

/**
 * The targets of `names` the worker renders: a greedy split by weight (the heaviest target first,
 * each to the lighter share), the worker taking the share with the heaviest target. Empty when
 * there is only one target.
 */
export function workerTargets(names: readonly string[]): string[] {
  const entries = TARGET_ENTRIES.filter((e) => names.includes(e.name)).sort((a, b) => b.weight - a.weight);
  if (entries.length < 2) return [];
  const shares: { names: string[]; weight: number }[] = [
    { names: [], weight: 0 },
    { names: [], weight: 0 },
  ];
  for (const e of entries) {
    const lighter = shares[0]!.weight <= shares[1]!.weight ? shares[0]! : shares[1]!;
    lighter.names.push(e.name);
    lighter.weight += e.weight;
  }
  return shares[0]!.names;
}

/** A worker thread that renders some of a run's targets; one run's worth, then closed. */
export class TargetWorker {
  private readonly reply: Promise<WorkerReply>;

  private constructor(
    private readonly worker: Worker,
    readonly names: readonly string[],
  ) {
    this.reply = new Promise<WorkerReply>((resolve) => {
      worker.once("message", (r: WorkerReply) => resolve(r));
      worker.once("error", (e) => resolve({ error: e.stack ?? e.message }));
      worker.once("exit", (code) => resolve({ error: `the rendering worker exited (${code}) before it answered` }));
    });
  }

  /**
   * A worker for the share of `names` that workerTargets gives it, already loading their
   * generators; null when there is no second core, nothing to share, or no built worker (a run
   * from the sources without a build): everything is rendered on the main thread then. `cores`:
   * how many the process may use (Node's estimate by default).
   *
   * Also null when the system's load (the last minute's average number of runnable processes,
   * as `make -l` reads it) already keeps every core busy: a second thread then only competes for
   * a core (its start-up and the model's copy cost CPU time), and a gen on such a machine was
   * measured slower with it than without.
   */
  static start(names: readonly string[], cores = availableParallelism(), load = loadavg()[0]!): TargetWorker | null {
    const share = workerTargets(names);
    if (share.length === 0 || cores < 2 || load >= cores || !existsSync(WORKER_FILE)) return null;
    try {
      return new TargetWorker(new Worker(WORKER_FILE, { workerData: { preload: share } }), share);
    } catch {
      return null;
    }
  }

  /**
   * Renders `names` (`ctx` as for generateTargets) with the worker's share sent to it, the rest
   * on this thread with `memo`, which also receives what the worker formatted. The outputs come
   * in the registry's order, as generateTargets returns them.
   */
  async render(model: ContractModel, ctx: GenContext, names: readonly string[], memo: FormatMemo): Promise<TargetOutput[]> {
    const there = names.filter((n) => this.names.includes(n));
    this.worker.postMessage({ model: JSON.stringify(model), ctx, names: there, known: [...memo.known] } satisfies WorkerRequest);
    let here: TargetOutput[];
    try {
      here = await withFormatMemo(memo, () => generateTargets(model, ctx, names.filter((n) => !there.includes(n))));
    } catch (e) {
      await this.close();
      throw e;
    }
    const reply = await this.reply;
    // Its heap (a copy of the model, its copies of the files) goes before the files are written.
    await this.close();
    if ("error" in reply) throw new Error(`rendering ${there.join(", ")} in a worker thread failed: ${reply.error}`);
    for (const [text, key] of reply.used) memo.used.set(text, key);
    for (const [key, text] of reply.byKey) memo.byKey.set(key, text);
    const order = (o: TargetOutput): number => TARGET_ENTRIES.findIndex((e) => e.name === o.target);
    const outputs = [...here, ...reply.outputs].sort((a, b) => order(a) - order(b));
    checkTargetOutputs(outputs);
    return outputs;
  }

  /** Stops the worker (again: nothing). */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
