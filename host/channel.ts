// The worker -> main-thread system call channel. The worker posts a request on its port and
// blocks in `Atomics.wait` on a shared flag; the main thread answers asynchronously, posts
// the reply on the same channel and flips the flag; the worker then takes the reply
// synchronously with `receiveMessageOnPort`. Waits run in slices so the worker can act on
// signals (a terminating signal ends it while it waits).

import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";

export type Request =
  | { op: "spawn"; path: string; argv: string[]; env: string[]; fds: [number, import("./fdtable.ts").DescriptorSpec][]; cwd: string; mask?: bigint }
  | { op: "itimer"; set: boolean; valueUs: bigint; intervalUs: bigint }
  | { op: "flock"; call: import("./flock.ts").FlockCall }
  | { op: "xattr"; call: import("./fs-xattr.ts").XattrCall }
  | { op: "reclock"; call: import("./record-lock.ts").RecordLockCall }
  | { op: "exec"; path: string | null; file: string | null }
  | { op: "rights"; send: boolean; id: number; specs?: import("./fdtable.ts").DescriptorSpec[]; max?: number }
  | { op: "waitpid"; pid: number; nohang: boolean }
  | { op: "kill"; pid: number; sig: number }
  | { op: "getpgid"; pid: number }
  | { op: "setpgid"; pid: number; pgid: number }
  | { op: "net"; call: import("./net-kernel.ts").NetCall };

export type Reply = { errno: number; value?: unknown };

const SLICE_MS = 20;

export class SyscallClient {
  private readonly flag: Int32Array;

  constructor(
    private readonly port: MessagePort,
    flag: SharedArrayBuffer,
  ) {
    this.flag = new Int32Array(flag);
  }

  /** Sends a request and blocks until its reply; `onSlice` runs between wait slices. */
  call(request: Request, onSlice: () => void): Reply {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    while (Atomics.wait(this.flag, 0, 0, SLICE_MS) === "timed-out") onSlice();
    const message = receiveMessageOnPort(this.port);
    if (!message) throw new Error("host: system call reply missing");
    return message.message as Reply;
  }
}

/** Main-thread side: answers one worker's requests in order. */
export function serveSyscalls(port: MessagePort, flag: SharedArrayBuffer, handle: (r: Request) => Promise<Reply>): void {
  const cell = new Int32Array(flag);
  port.on("message", (request: Request) => {
    handle(request)
      .catch(() => ({ errno: 29 }))
      .then((reply) => {
        port.postMessage(reply);
        Atomics.store(cell, 0, 1);
        Atomics.notify(cell, 0);
      });
  });
}
