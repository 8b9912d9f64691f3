// The `pollfd` poll shared by host_net.net_poll and host_process.proc_ppoll_v1, over every
// kind of descriptor: pipes and files are checked in the worker, sockets on the main thread.

import { Errno, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLRDNORM, POLLWRNORM, fail, type GuestMemory } from "../generated/ts/index.ts";
import type { Guest } from "./guest.ts";

const SLICE_MS = 20;
const MAX_POLLFDS = 1024;
const READ_BITS = POLLIN | POLLRDNORM;
const WRITE_BITS = POLLOUT | POLLWRNORM;

/** Polls the `pollfd` array at `fds`, rewriting only `revents`; returns the ready count. */
export function pollSet(g: Guest, memory: GuestMemory, fds: number, nfds: number, timeoutMs: number): number {
  if (nfds > MAX_POLLFDS) throw fail(Errno.Inval);
  memory.check(fds, nfds * 8, 4);
  const entries = Array.from({ length: nfds }, (_, i) => ({ fd: memory.getS32(fds + i * 8), events: memory.getS16(fds + i * 8 + 4) }));
  const revents = pollDescriptors(g, entries, timeoutMs);
  revents.forEach((r, i) => memory.setS16(fds + i * 8 + 6, r));
  return revents.filter((r) => r !== 0).length;
}

/**
 * `revents` for a poll set over any descriptors, waiting up to `timeoutMs` (-1 = forever) in
 * slices: pipes and files are checked here, sockets on the main thread.
 */
export function pollDescriptors(g: Guest, entries: { fd: number; events: number }[], timeoutMs: number): number[] {
  const deadline = timeoutMs < 0 ? Infinity : performance.now() + timeoutMs;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const revents: number[] = [];
    const sockets: { index: number; id: number; events: number }[] = [];
    let pipeWait: (() => void) | null = null;
    entries.forEach(({ fd, events }, index) => {
      // A read request is pollin | pollrdnorm, a write request pollout | pollwrnorm.
      const wantIn = events & READ_BITS ? READ_BITS : 0;
      const wantOut = events & WRITE_BITS ? WRITE_BITS : 0;
      revents.push(0);
      if (fd < 0) return;
      if (!g.fds.has(fd)) {
        revents[index] = POLLNVAL;
        return;
      }
      const d = g.fds.get(fd).desc;
      if (d.kind === "socket") {
        sockets.push({ index, id: d.id, events: wantIn | wantOut });
      } else if (d.kind === "pipe") {
        const pipe = d.pipe;
        const seq = pipe.seq;
        pipeWait ??= () => pipe.wait(seq, SLICE_MS);
        if (d.end === "r") {
          if (pipe.readReady()) revents[index] = wantIn;
          if (pipe.available() === 0 && pipe.writers() === 0) revents[index] |= POLLHUP;
          // A pty end also writes the pair's other pipe.
          if (d.tty?.out.writeReady()) revents[index] |= wantOut;
        } else {
          if (pipe.readers() === 0) revents[index] = POLLERR;
          else if (pipe.writeReady()) revents[index] = wantOut;
        }
      } else {
        revents[index] = wantIn | wantOut;
      }
    });
    const left = deadline - performance.now();
    const ready = revents.some((r) => r !== 0);
    if (sockets.length > 0) {
      const waitMs = ready ? 0 : Math.max(0, Math.min(SLICE_MS, left));
      const got = g.net.call<number[]>({ fn: "poll", ids: sockets.map((s) => s.id), events: sockets.map((s) => s.events), waitMs });
      sockets.forEach((s, i) => (revents[s.index] = got[i]!));
    }
    if (revents.some((r) => r !== 0) || left <= 0) return revents;
    if (sockets.length === 0) {
      if (pipeWait) (pipeWait as () => void)();
      else Atomics.wait(sleeper, 0, 0, Math.min(SLICE_MS, left));
    }
    g.checkpoint(false);
  }
}
