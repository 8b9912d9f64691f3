// The state of one guest process inside its worker: identity, arguments, descriptors,
// signal dispositions, and the blocking primitives every import uses (sleeps, pipe and
// stdio I/O) with signal checkpoints between wait slices.

import { readSync, writeSync, writevSync } from "node:fs";
import { SyscallClient } from "./channel.ts";
import { Errno, fail, TIERS, type Tier } from "../generated/ts/index.ts";
import { ProcExit, errnoOf } from "./errno.ts";
import { FdTable, type Description, type OpenFile } from "./fdtable.ts";
import { NetClient } from "./net.ts";

const SLICE_MS = 20;

type FileDescription = Extract<Description, { kind: "file" }>;

/** Signals whose default action is to be ignored (stop/continue are treated as ignored too). */
const DEFAULT_IGNORED = new Set([17, 18, 19, 20, 21, 22, 23, 28]);
const SIGKILL = 9;
const SIGSTOP = 19;

export interface Disposition {
  action: 0 | 1 | 2;
  flags: number;
}

export class Guest {
  readonly fds = new FdTable();
  /** Socket system calls (host_net, and fd_read/fd_write on sockets). */
  readonly net: NetClient;
  readonly dispositions = new Map<number, Disposition>();
  /** Blocked signals, bit (n-1) for signal n. */
  mask = 0n;
  umask = 0o022;
  readonly rlimits = new Map<number, [bigint, bigint]>();
  exports: WebAssembly.Exports | null = null;
  /** host_fs `set_open_mode` / `set_open_direct`: one-shot, consumed by the next path_open. */
  openLatch: { mode: number | null; direct: boolean } = { mode: null, direct: false };
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  private delivering = false;
  private readonly tierRank: number;

  constructor(
    readonly pid: number,
    readonly ppid: number,
    /** The arguments and environment of the running image (an exec replaces them). */
    public args: string[],
    public env: string[],
    readonly tier: Tier,
    readonly rpc: SyscallClient,
    /** Pending signals posted by the main thread: [lo, hi] words. */
    readonly pending: Int32Array,
  ) {
    this.net = new NetClient(rpc, () => this.checkpoint(false));
    this.tierRank = TIERS.indexOf(tier);
  }

  /** The open latches for this path_open, cleared for the next one. */
  takeOpenLatch(): { mode: number | null; direct: boolean } {
    const latch = this.openLatch;
    this.openLatch = { mode: null, direct: false };
    return latch;
  }

  tierAtLeast(tier: Tier): boolean {
    return this.tierRank >= TIERS.indexOf(tier);
  }
  /** Mutation guard: below `read-write` file-system changes answer `rofs`. */
  mutating(): void {
    if (!this.tierAtLeast("read-write")) throw fail(Errno.Rofs);
  }

  get hasTrampoline(): boolean {
    return typeof this.exports?.["__wasi_signal_trampoline"] === "function";
  }

  private takePending(): number[] {
    const lo = Atomics.load(this.pending, 0) >>> 0;
    const hi = Atomics.load(this.pending, 1) >>> 0;
    const bits = (BigInt(hi) << 32n) | BigInt(lo);
    const ready = bits & ~this.mask;
    if (ready === 0n) return [];
    Atomics.and(this.pending, 0, ~Number(ready & 0xffffffffn));
    Atomics.and(this.pending, 1, ~Number(ready >> 32n));
    const out: number[] = [];
    for (let n = 1; n <= 64; n++) if (ready & (1n << BigInt(n - 1))) out.push(n);
    return out;
  }

  /**
   * A signal checkpoint. Default actions apply at once; user handlers run through the
   * guest's trampoline only when `handlers` is true (not inside a host wait, where the
   * guest cannot be re-entered safely).
   */
  checkpoint(handlers = true): void {
    // The common case, small enough to inline into every import's wrapper: nothing pending.
    if (Atomics.load(this.pending, 0) === 0 && Atomics.load(this.pending, 1) === 0) return;
    this.deliver(handlers);
  }

  private deliver(handlers: boolean): void {
    if (this.delivering) return;
    for (const sig of this.takePending()) {
      const disp = this.dispositions.get(sig) ?? { action: 0, flags: 0 };
      if (sig === SIGKILL || sig === SIGSTOP) disp.action = 0;
      if (disp.action === 1) continue;
      if (disp.action === 2 && this.hasTrampoline) {
        if (!handlers) {
          // Put it back for the next boundary.
          Atomics.or(this.pending, sig <= 32 ? 0 : 1, 1 << ((sig - 1) % 32));
          continue;
        }
        if (disp.flags & 0x80000000) this.dispositions.delete(sig);
        this.delivering = true;
        try {
          (this.exports!["__wasi_signal_trampoline"] as (n: number) => void)(sig);
        } finally {
          this.delivering = false;
        }
        continue;
      }
      if (DEFAULT_IGNORED.has(sig)) continue;
      throw new ProcExit(128 + sig, sig);
    }
  }

  /** Sleeps `ms` milliseconds in slices, applying terminating signals. */
  sleep(ms: number): void {
    const end = performance.now() + ms;
    for (;;) {
      const left = end - performance.now();
      if (left <= 0) return;
      Atomics.wait(this.sleeper, 0, 0, Math.min(left, SLICE_MS));
      this.checkpoint(false);
    }
  }

  /** Reads up to `max` bytes from a description, blocking as it allows. */
  read(file: OpenFile, max: number, position?: number): Uint8Array {
    const d = file.desc;
    switch (d.kind) {
      case "host": {
        if (!d.readable) throw fail(Errno.Badf);
        const buf = new Uint8Array(max);
        for (;;) {
          try {
            return buf.subarray(0, readSync(d.osfd, buf, 0, max, null));
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "EOF") return buf.subarray(0, 0);
            if (code !== "EAGAIN") throw fail(errnoOf(error));
            if (file.nonblock) throw fail(Errno.Again);
            this.sleep(5);
          }
        }
      }
      case "pipe": {
        if (d.end !== "r") throw fail(Errno.Badf);
        for (;;) {
          const seq = d.pipe.seq;
          const got = d.pipe.tryRead(max);
          if (got) return got;
          if (file.nonblock) throw fail(Errno.Again);
          d.pipe.wait(seq, SLICE_MS);
          this.checkpoint(false);
        }
      }
      case "file": {
        if (!d.readable) throw fail(Errno.Badf);
        const buf = new Uint8Array(max);
        try {
          if (position !== undefined) return buf.subarray(0, readSync(d.osfd, buf, 0, max, position));
          d.offset.lock();
          try {
            const from = d.offset.get(d.osfd);
            const n = readSync(d.osfd, buf, 0, max, from);
            d.offset.set(from + n);
            return buf.subarray(0, n);
          } finally {
            d.offset.unlock();
          }
        } catch (error) {
          throw fail(errnoOf(error));
        }
      }
      case "dir":
        throw fail(Errno.Isdir);
      case "socket":
        return d.net.recv(d.id, max, false, file.nonblock);
    }
  }

  /**
   * Writes all of `len` bytes of `buf` from `at` (a non-blocking pipe: what fits), returning the
   * count. `buf` may be a guest memory's whole byte view, so a write makes no view of its own.
   */
  write(file: OpenFile, buf: Uint8Array, position?: number, at = 0, len = buf.length - at): number {
    const d = file.desc;
    switch (d.kind) {
      case "file":
        return this.writeFile(d, buf, position, at, len);
      case "host": {
        if (!d.writable) throw fail(Errno.Badf);
        let done = 0;
        while (done < len) {
          try {
            done += writeSync(d.osfd, buf, at + done, len - done);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw fail(errnoOf(error));
            this.sleep(1);
          }
        }
        return done;
      }
      case "pipe": {
        // A pty end writes the pair's other pipe.
        const pipe = d.tty ? d.tty.out : d.pipe;
        if (!d.tty && d.end !== "w") throw fail(Errno.Badf);
        let done = 0;
        while (done < len) {
          const seq = pipe.seq;
          const n = pipe.tryWrite(buf.subarray(at + done, at + len));
          done += n;
          if (n > 0) continue;
          if (file.nonblock) {
            if (done === 0) throw fail(Errno.Again);
            break;
          }
          pipe.wait(seq, SLICE_MS);
          this.checkpoint(false);
        }
        return done;
      }
      case "dir":
        throw fail(Errno.Isdir);
      case "socket":
        return d.net.send(d.id, buf.subarray(at, at + len), file.nonblock);
    }
  }

  /** Writes several buffers (an iovec list): a regular file takes them in one `writev`. */
  writev(file: OpenFile, views: Uint8Array[], position?: number): number {
    const d = file.desc;
    if (d.kind === "file") return this.writeFile(d, views, position);
    return this.write(file, joined(views));
  }

  private writeFile(d: FileDescription, data: Uint8Array | Uint8Array[], position: number | undefined, at = 0, len = 0): number {
    if (!d.writable) throw fail(Errno.Badf);
    try {
      if (position !== undefined) return writeAt(d.osfd, data, at, len, position);
      // O_APPEND: the OS appends atomically; the offset is the end, read when needed.
      if (d.append) {
        const n = writeAt(d.osfd, data, at, len, null);
        d.offset.setAtEnd();
        return n;
      }
      d.offset.lock();
      try {
        const from = d.offset.get(d.osfd);
        const n = writeAt(d.osfd, data, at, len, from);
        d.offset.set(from + n);
        return n;
      } finally {
        d.offset.unlock();
      }
    } catch (error) {
      throw fail(errnoOf(error));
    }
  }
}

/** `len` bytes of `buf` from `at`, or several buffers, written at `position` (null: the OS offset). */
function writeAt(osfd: number, data: Uint8Array | Uint8Array[], at: number, len: number, position: number | null): number {
  return Array.isArray(data) ? writevSync(osfd, data, position ?? undefined) : writeSync(osfd, data, at, len, position);
}

/** Several buffers as one. */
export function joined(views: Uint8Array[]): Uint8Array {
  if (views.length === 1) return views[0]!;
  const bytes = new Uint8Array(views.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of views) {
    bytes.set(v, at);
    at += v.length;
  }
  return bytes;
}
