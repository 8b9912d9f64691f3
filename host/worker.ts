// The worker thread that runs one guest process: builds its descriptor table and imports,
// instantiates the module, runs `_start`, and reports the exit status to the main thread.

import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import type { Tier } from "../generated/ts/index.ts";
import { SyscallClient } from "./channel.ts";
import { ProcExit as GuestExit } from "../generated/ts/index.ts";
import { ProcExit } from "./errno.ts";
import { ExecImage } from "./exec.ts";
import { adoptSpec, type DescriptorSpec } from "./fdtable.ts";
import { Guest } from "./guest.ts";
import { linkGuest } from "./impls.ts";

export interface WorkerInit {
  pid: number;
  ppid: number;
  name: string;
  argv: string[];
  env: string[];
  tier: Tier;
  module: WebAssembly.Module;
  features: string[];
  fds: [number, DescriptorSpec][];
  preopens: DescriptorSpec[];
  /** `--preopens hidden`: the preopens get no fd number (only `fd_cwd` paths reach them). */
  hidePreopens: boolean;
  pending: SharedArrayBuffer;
  flag: SharedArrayBuffer;
  port: MessagePort;
  winsize: [number, number] | null;
  /** The initial signal mask (posix_spawn's `setsigmask`). */
  mask: bigint;
  debug: boolean;
}

export interface ExitMessage {
  type: "exit";
  code: number;
  signal: number;
}

function run(init: WorkerInit): ExitMessage {
  let instance: WebAssembly.Instance | null = null;
  let name = init.name;
  const g = new Guest(
    init.pid,
    init.ppid,
    init.argv,
    init.env,
    init.tier,
    new SyscallClient(init.port, init.flag),
    new Int32Array(init.pending),
  );
  const message = (text: string) => {
    try {
      g.write(g.fds.get(2), new TextEncoder().encode(text));
    } catch {
      process.stderr.write(text);
    }
  };
  g.mask = init.mask;
  try {
    for (const [fd, spec] of init.fds) g.fds.put(fd, adoptSpec(spec, g.net));
    for (const spec of init.preopens) {
      if (init.hidePreopens) g.fds.hide(adoptSpec(spec));
      else g.fds.add(adoptSpec(spec), 3);
    }
    const glue = linkGuest(g, init.winsize, {
      tier: init.tier,
      features: init.features,
      getMemory: () => instance!.exports["memory"] as WebAssembly.Memory,
      // An implementation that throws something other than an errno is a host bug: the call
      // answers `io`; --debug shows the error.
      onError: (error, site) => {
        if (init.debug) console.error(`host: ${site.module}.${site.function}:`, error);
      },
    });
    let module = init.module;
    for (;;) {
      instance = new WebAssembly.Instance(module, glue.imports);
      // The glue caches the memory it found: point it at this image's.
      glue.memory.bind(instance.exports["memory"] as WebAssembly.Memory);
      g.exports = instance.exports;
      try {
        (instance.exports["_start"] as () => void)();
        return { type: "exit", code: 0, signal: 0 };
      } catch (error) {
        if (!(error instanceof ExecImage)) throw error;
        // exec: the same process and imports over a new image; handlers reset to default.
        module = error.module;
        name = error.imageName;
        g.args = error.argv;
        g.env = error.env;
        for (const [sig, disp] of g.dispositions) if (disp.action === 2) g.dispositions.delete(sig);
      }
    }
  } catch (error) {
    if (error instanceof GuestExit) return { type: "exit", code: error.code & 0xff, signal: error instanceof ProcExit ? error.signal : 0 };
    const text = error instanceof Error ? `${error.name === "RuntimeError" ? "trap" : error.name}: ${error.message}` : String(error);
    message(`abic run: ${name}: ${text}\n`);
    return { type: "exit", code: 1, signal: 0 };
  } finally {
    g.fds.closeAll();
  }
}

const init = workerData as WorkerInit;
const exit = run(init);
parentPort!.postMessage(exit);
init.port.close();
