// A worker thread of the fuzz campaign (scripts/fuzz.ts): runs the units it is sent with
// scripts/fuzz-work.ts and posts, before each step, what it is about to run, so the main
// thread's watchdog can kill a step that never returns.

import { register } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import type { Setup, Unit } from "./fuzz-work.ts";

const data = workerData as { setup: Setup; withoutPrettier: boolean };
// A measuring aid: see fuzz-without-prettier.mjs. Registered before the compiler is loaded.
if (data.withoutPrettier) register("./fuzz-without-prettier.mjs", import.meta.url);
const { Worker } = await import("./fuzz-work.ts");

const port = parentPort!;
const worker = new Worker(data.setup, (begin) => port.postMessage({ type: "begin", begin }));
port.on("message", (unit: Unit) => {
  worker.run(unit).then(
    (result) => port.postMessage({ type: "done", unit, result: { ...result, phaseMs: worker.takePhaseMs() } }),
    (e: unknown) => port.postMessage({ type: "error", unit, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
port.postMessage({ type: "ready" });
