// host_process in the worker: descriptors (pipe, dup) and signal state are local; spawn,
// wait, kill and process groups are system calls to the main thread's process table.

import { E, Errno } from "./errno.ts";
import { OpenFile, releaseSpec, type DescriptorSpec } from "./fdtable.ts";
import type { Guest } from "./guest.ts";
import { Pipe } from "./pipe.ts";

type Fn = (...args: never[]) => number | void;

const dec = new TextDecoder("utf-8", { fatal: true });
const U64_MAX = (1n << 64n) - 1n;

/** Splits a NUL-separated buffer, dropping exactly one trailing empty entry. */
function splitNul(bytes: Uint8Array): string[] {
  let text: string;
  try {
    text = dec.decode(bytes);
  } catch {
    throw new Errno(E.inval);
  }
  const parts = text.split("\0");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

function envEntries(bytes: Uint8Array): string[] {
  return splitNul(bytes).filter((e) => e.indexOf("=") > 0);
}

function statusV1(r: { code: number; signal: number }): number {
  return r.signal ? 128 + r.signal : r.code & 0xff;
}

export function hostProcess(g: Guest): Record<string, Fn> {
  const call = (request: Parameters<Guest["rpc"]["call"]>[0]) => {
    const reply = g.rpc.call(request, () => g.checkpoint(false));
    if (reply.errno) throw new Errno(reply.errno);
    return reply.value;
  };

  /** Exports the stdio choice of a v1/v2 spawn: same number inherits, -1 closes. */
  const stdio = (fd: number, target: number): DescriptorSpec | null => {
    if (fd === -1) return null;
    return g.fds.exportSpec(fd === target ? target : fd);
  };

  const spawn = (path: string, argv: string[], env: string[], fds: [number, DescriptorSpec][], cwd: string, out: number): void => {
    try {
      const pid = call({ op: "spawn", path, argv, env, fds, cwd }) as number;
      g.mem.setU32(out, pid);
    } catch (error) {
      for (const [, spec] of fds) releaseSpec(spec);
      throw error;
    }
  };

  const stdioFds = (inFd: number, outFd: number, errFd: number): [number, DescriptorSpec][] => {
    for (const fd of [inFd, outFd, errFd]) if (fd !== -1) g.fds.get(fd);
    const specs: [number, DescriptorSpec][] = [];
    [inFd, outFd, errFd].forEach((fd, target) => {
      if (fd === target && !g.fds.has(target)) return;
      const spec = stdio(fd, target);
      if (spec) specs.push([target, spec]);
    });
    return specs;
  };

  const wait = (pid: number, options: number, allowed: number) => {
    if (options & ~allowed) throw new Errno(E.inval);
    return call({ op: "waitpid", pid, nohang: (options & 1) !== 0 }) as { pid: number; code: number; signal: number };
  };

  return {
    proc_spawn: (argvPtr: number, argvLen: number, envPtr: number, envLen: number, inFd: number, outFd: number, errFd: number, cwdPtr: number, cwdLen: number, out: number) => {
      const argv = splitNul(g.mem.read(argvPtr, argvLen));
      const env = envEntries(g.mem.read(envPtr, envLen));
      const cwd = g.mem.string(cwdPtr, cwdLen);
      g.mem.check(out, 4);
      if (argv.length === 0 || argv[0] === "") throw new Errno(E.fault);
      spawn(argv[0]!, argv, env, stdioFds(inFd, outFd, errFd), cwd, out);
    },
    proc_spawn_v2: (pathPtr: number, pathLen: number, argvPtr: number, argvLen: number, envPtr: number, envLen: number, inFd: number, outFd: number, errFd: number, cwdPtr: number, cwdLen: number, out: number) => {
      const path = g.mem.string(pathPtr, pathLen);
      const argv = splitNul(g.mem.read(argvPtr, argvLen));
      const env = envEntries(g.mem.read(envPtr, envLen));
      const cwd = g.mem.string(cwdPtr, cwdLen);
      g.mem.check(out, 4);
      if (path === "") throw new Errno(E.noent);
      spawn(path, argv.length ? argv : [path], env, stdioFds(inFd, outFd, errFd), cwd, out);
    },
    proc_waitpid: (pid: number, options: number, statusPtr: number, childPtr: number) => {
      g.mem.check(statusPtr, 4);
      g.mem.check(childPtr, 4);
      const r = wait(pid, options, 1);
      g.mem.setU32(statusPtr, r.pid ? statusV1(r) : 0);
      g.mem.setU32(childPtr, r.pid);
    },
    proc_waitpid_v2: (pid: number, options: number, codePtr: number, sigPtr: number, childPtr: number, corePtr: number) => {
      for (const p of [codePtr, sigPtr, childPtr, corePtr]) g.mem.check(p, 4);
      const r = wait(pid, options, 1);
      g.mem.setU32(codePtr, r.signal ? 0 : r.code & 0xff);
      g.mem.setU32(sigPtr, r.signal);
      g.mem.setU32(childPtr, r.pid);
      g.mem.setU32(corePtr, 0);
    },
    proc_waitpid_v3: (pid: number, options: number, statusPtr: number, childPtr: number) => {
      g.mem.check(statusPtr, 4);
      g.mem.check(childPtr, 4);
      const r = wait(pid, options, 1 | 2 | 8);
      g.mem.setU32(statusPtr, r.pid === 0 ? 0 : r.signal ? r.signal & 0x7f : (r.code & 0xff) << 8);
      g.mem.setU32(childPtr, r.pid);
    },
    proc_kill: (pid: number, sig: number) => {
      if (sig >>> 0 > 64) throw new Errno(E.inval);
      call({ op: "kill", pid, sig });
    },
    proc_getpid: (out: number) => g.mem.setU32(out, g.pid),
    proc_getppid: (out: number) => g.mem.setU32(out, g.ppid),
    proc_getpgid: (pid: number, out: number) => {
      g.mem.check(out, 4);
      g.mem.setU32(out, call({ op: "getpgid", pid }) as number);
    },
    proc_setpgid: (pid: number, pgid: number) => {
      call({ op: "setpgid", pid, pgid });
    },
    proc_getrlimit: (resource: number, softPtr: number, hardPtr: number) => {
      g.mem.check(softPtr, 8);
      g.mem.check(hardPtr, 8);
      if (resource >>> 0 > 9) throw new Errno(E.inval);
      const [soft, hard] = g.rlimits.get(resource) ?? (resource === 7 ? [1n << 20n, 1n << 20n] : [U64_MAX, U64_MAX]);
      g.mem.setU64(softPtr, soft);
      g.mem.setU64(hardPtr, hard);
    },
    proc_setrlimit: (resource: number, soft: bigint, hard: bigint) => {
      if (resource >>> 0 > 9) throw new Errno(E.inval);
      soft = BigInt.asUintN(64, soft);
      hard = BigInt.asUintN(64, hard);
      if (soft > hard) throw new Errno(E.inval);
      const current = g.rlimits.get(resource) ?? (resource === 7 ? [1n << 20n, 1n << 20n] : [U64_MAX, U64_MAX]);
      if (hard > current[1]) throw new Errno(E.perm);
      g.rlimits.set(resource, [soft, hard]);
    },
    proc_umask: (mask: number, out: number) => {
      g.mem.check(out, 4);
      g.mem.setU32(out, g.umask);
      g.umask = mask & 0o777;
    },
    umask: (mask: number, set: number, out: number) => {
      g.mem.check(out, 4);
      g.mem.setU32(out, g.umask);
      if (set) g.umask = mask & 0o777;
    },
    fd_pipe: (readPtr: number, writePtr: number) => {
      g.mem.check(readPtr, 4);
      g.mem.check(writePtr, 4);
      const pipe = Pipe.create();
      const r = g.fds.add(new OpenFile({ kind: "pipe", pipe, end: "r" }));
      const w = g.fds.add(new OpenFile({ kind: "pipe", pipe, end: "w" }));
      g.mem.setU32(readPtr, r);
      g.mem.setU32(writePtr, w);
    },
    fd_dup: (fd: number, out: number) => {
      g.mem.check(out, 4);
      g.mem.setU32(out, g.fds.dup(fd));
    },
    fd_dup2: (from: number, to: number) => g.fds.dup2(from, to),
    fd_dup_min: (fd: number, min: number, out: number) => {
      g.mem.check(out, 4);
      if (min < 0) throw new Errno(E.inval);
      g.mem.setU32(out, g.fds.dup(fd, min));
    },
    fd_getfd: (fd: number, out: number) => {
      g.mem.check(out, 4);
      g.mem.setU32(out, g.fds.entry(fd).cloexec ? 1 : 0);
    },
    fd_setfd: (fd: number, flags: number) => {
      g.fds.entry(fd).cloexec = (flags & 1) !== 0;
    },
    proc_closefrom: (low: number) => {
      if (low < 0) throw new Errno(E.badf);
      for (const fd of g.fds.numbers()) {
        const d = g.fds.get(fd).desc;
        if (fd >= low && !(d.kind === "dir" && d.preopen !== null)) g.fds.close(fd);
      }
    },
    sleep_ms: (ms: number) => g.sleep(ms >>> 0),
    proc_sigaction: (sig: number, action: number, _maskLo: number, _maskHi: number, flags: number) => {
      if (sig < 1 || sig > 64 || action >>> 0 > 2) throw new Errno(E.inval);
      if (sig === 9 || sig === 19) throw new Errno(E.inval);
      if (action === 2 && !g.hasTrampoline) throw new Errno(E.notsup);
      g.dispositions.set(sig, { action: action as 0 | 1 | 2, flags: flags >>> 0 });
    },
    proc_signal_mask_v2: (how: number, lo: number, hi: number, oldLo: number, oldHi: number) => {
      g.mem.check(oldLo, 4);
      g.mem.check(oldHi, 4);
      if (how >>> 0 > 3) throw new Errno(E.inval);
      const old = g.mask;
      const set = ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)) & ~((1n << 8n) | (1n << 18n));
      if (how === 0) g.mask |= set;
      else if (how === 1) g.mask &= ~set;
      else if (how === 2) g.mask = set;
      g.mem.setU32(oldLo, Number(old & 0xffffffffn));
      g.mem.setU32(oldHi, Number(old >> 32n));
    },
  };
}
