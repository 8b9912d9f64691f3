// The second thread of `abic gen` (see gen/parallel.ts): renders the targets it is sent over the
// checked model it is sent, with the formatted texts the main thread knows, and answers with
// their files and the texts formatted (or found) here. Runs as compiled JavaScript from dist/.
// It starts loading the generators of its share (workerData.preload) at once, while the main
// thread is still checking the contract.

import { parentPort, workerData } from "node:worker_threads";
import type { ContractModel } from "../model.ts";
import { newFormatMemo, withFormatMemo } from "./format.ts";
import { generateTargets } from "./index.ts";
import type { WorkerReply, WorkerRequest } from "./parallel.ts";
import { targetEntry } from "./targets.ts";

const preloaded = Promise.all(((workerData as { preload?: string[] } | null)?.preload ?? []).map((name) => targetEntry(name)?.load())).catch(
  // A generator that fails to load fails again, reported, when its target runs.
  () => undefined,
);

parentPort?.on("message", (request: WorkerRequest) => {
  void answer(request).then((reply) => parentPort!.postMessage(reply));
});

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    await preloaded;
    // The model is plain JSON data (model.ts), sent as its text: far cheaper than a structured clone.
    const model = JSON.parse(request.model) as ContractModel;
    const memo = newFormatMemo(new Map(request.known));
    const outputs = await withFormatMemo(memo, () => generateTargets(model, request.ctx, request.names));
    return { outputs, used: [...memo.used], byKey: [...memo.byKey] };
  } catch (e) {
    return { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}
