// The worker thread that runs one guest process: builds its descriptor table and imports,
// instantiates the module, runs `_start`, and reports the exit status to the main thread.

import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import type { Tier } from "../compiler/model.ts";
import { SyscallClient } from "./channel.ts";
import { ProcExit } from "./errno.ts";
import { adoptSpec, type DescriptorSpec } from "./fdtable.ts";
import { Guest } from "./guest.ts";
import { hostImpls } from "./impls.ts";
import { buildImports, type LinkEntry } from "./link.ts";

export interface WorkerInit {
  pid: number;
  ppid: number;
  name: string;
  argv: string[];
  env: string[];
  tier: Tier;
  module: WebAssembly.Module;
  plan: LinkEntry[];
  fds: [number, DescriptorSpec][];
  preopens: DescriptorSpec[];
  pending: SharedArrayBuffer;
  flag: SharedArrayBuffer;
  port: MessagePort;
  winsize: [number, number] | null;
  debug: boolean;
}

export interface ExitMessage {
  type: "exit";
  code: number;
  signal: number;
}

function run(init: WorkerInit): ExitMessage {
  let instance: WebAssembly.Instance | null = null;
  const g = new Guest(
    init.pid,
    init.ppid,
    init.argv,
    init.env,
    init.tier,
    new SyscallClient(init.port, init.flag),
    new Int32Array(init.pending),
    () => instance!.exports["memory"] as WebAssembly.Memory,
  );
  const message = (text: string) => {
    try {
      g.write(g.fds.get(2), new TextEncoder().encode(text));
    } catch {
      process.stderr.write(text);
    }
  };
  try {
    for (const [fd, spec] of init.fds) g.fds.put(fd, adoptSpec(spec));
    for (const spec of init.preopens) g.fds.add(adoptSpec(spec), 3);
    instance = new WebAssembly.Instance(init.module, buildImports(init.plan, hostImpls(g, init.winsize), g, init.debug));
    g.exports = instance.exports;
    (instance.exports["_start"] as () => void)();
    return { type: "exit", code: 0, signal: 0 };
  } catch (error) {
    if (error instanceof ProcExit) return { type: "exit", code: error.code, signal: error.signal };
    const text = error instanceof Error ? `${error.name === "RuntimeError" ? "trap" : error.name}: ${error.message}` : String(error);
    message(`abic run: ${init.name}: ${text}\n`);
    return { type: "exit", code: 1, signal: 0 };
  } finally {
    g.fds.closeAll();
  }
}

const init = workerData as WorkerInit;
const exit = run(init);
parentPort!.postMessage(exit);
init.port.close();
