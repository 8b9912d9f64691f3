// host_process in the worker, as the generated `HostProcess` interface: descriptors (pipe,
// dup) and signal state are local; spawn, wait, kill and process groups are system calls to
// the main thread's process table.

import {
  Errno,
  ItimerOp,
  LockCmd,
  LockType,
  RECVMSG_FLAG_CTRUNC,
  RECVMSG_LEN_SHIFT,
  SCM_RIGHTS_MAX,
  SOCK_DGRAM,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SpawnFlags,
  fail,
  type HostProcess,
} from "../generated/ts/index.ts";
import { fstatSync, statSync } from "node:fs";
import { join } from "node:path";
import { errnoOf } from "./errno.ts";
import { execImage } from "./exec.ts";
import { OpenFile, adoptSpec, releaseSpec, type DescriptorSpec } from "./fdtable.ts";
import { LOCK_UN } from "./flock.ts";
import type { Conflict } from "./record-lock.ts";
import type { Guest } from "./guest.ts";
import { Pipe } from "./pipe.ts";
import { pollSet } from "./poll.ts";
import { guestCwd, guestDirectory } from "./fs-deps.ts";
import { applyFileActions } from "./spawn-actions.ts";

const dec = new TextDecoder("utf-8", { fatal: true });
const U64_MAX = (1n << 64n) - 1n;

/** Splits a NUL-separated buffer, dropping exactly one trailing empty entry. */
function splitNul(bytes: Uint8Array): string[] {
  let text: string;
  try {
    text = dec.decode(bytes.slice());
  } catch {
    throw fail(Errno.Inval);
  }
  const parts = text.split("\0");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

function envEntries(bytes: Uint8Array): string[] {
  return splitNul(bytes).filter((e) => e.indexOf("=") > 0);
}

/** `env` with its `PWD` entry naming `cwd` (none added for `/` when there was none). */
function withPwd(env: string[], cwd: string): string[] {
  const rest = env.filter((e) => !e.startsWith("PWD="));
  return rest.length === env.length && cwd === "/" ? env : [...rest, `PWD=${cwd}`];
}

function statusV1(r: { code: number; signal: number }): number {
  return r.signal ? 128 + r.signal : r.code & 0xff;
}

/** A signal set of two words; SIGKILL and SIGSTOP are never in a mask. */
const sigset = (lo: number, hi: number) => ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)) & ~((1n << 8n) | (1n << 18n));

const SETSID = 1 << 7;
/** Names open file descriptions for the flock table, unique within a process. */
let descriptions = 0;
const lockOwners = new WeakMap<OpenFile, string>();
const ALL_SPAWN_FLAGS = 0xff;
const MAX_SAFE_US = BigInt(Number.MAX_SAFE_INTEGER);

const MSG_PEEK = 0x2;
const MSG_DONTWAIT = 0x40;
const MSG_CMSG_CLOEXEC = 0x40000000;
/** The pty window size before any `set_size`. */
const PTY_WINSIZE = [80, 24];

const rlimitDefault = (resource: number): [bigint, bigint] => (resource === 7 ? [1n << 20n, 1n << 20n] : [U64_MAX, U64_MAX]);

export function hostProcess(g: Guest): Partial<HostProcess> {
  const call = (request: Parameters<Guest["rpc"]["call"]>[0]) => {
    const reply = g.rpc.call(request, () => g.checkpoint(false));
    if (reply.errno) throw fail(reply.errno);
    return reply.value;
  };

  /** Exports the stdio choice of a v1/v2 spawn: same number inherits, -1 closes. */
  const stdio = (fd: number, target: number): DescriptorSpec | null => {
    if (fd === -1) return null;
    return g.fds.exportSpec(fd === target ? target : fd);
  };

  /**
   * The child's cwd: the caller's for an empty `cwd` (or one naming the caller's own, or the
   * virtual root, which need no mapping), else a directory checked in the caller's sandbox.
   */
  const childCwd = (cwd: string): string => {
    const own = guestCwd(g);
    return cwd === "" || cwd === own || cwd === "/" ? cwd || own : guestDirectory(g, cwd, own);
  };

  /** `cwd` is a checked guest path; the child's `PWD` entry carries it (command.idl's `cwd`). */
  const spawn = (path: string, argv: string[], env: string[], fds: [number, DescriptorSpec][], cwd: string, mask?: bigint): number => {
    try {
      return call({ op: "spawn", path, argv, env: withPwd(env, cwd), fds, cwd, mask }) as number;
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

  /** posix_spawn (v3 and v4): attributes checked, file actions applied, then the spawn. */
  const spawnWithActions = (
    path: string,
    argvBytes: Uint8Array,
    envp: Uint8Array,
    actions: Uint8Array,
    cwd: string,
    flags: number,
    maskLo: number,
    maskHi: number,
    pgroup: number,
    policy: number,
    priority: number,
  ): number => {
    if (flags & ~ALL_SPAWN_FLAGS) throw fail(Errno.Notsup);
    if (flags & SETSID && flags & SpawnFlags.Setpgroup) throw fail(Errno.Perm);
    if (flags & SpawnFlags.Setscheduler && policy !== 0) throw fail(Errno.Perm);
    if (flags & (SpawnFlags.Setscheduler | SpawnFlags.Setschedparam) && priority !== 0) throw fail(Errno.Inval);
    if (flags & SpawnFlags.Setpgroup && pgroup < 0) throw fail(Errno.Inval);
    const argv = splitNul(argvBytes);
    const env = envEntries(envp);
    if (path === "") throw fail(Errno.Noent);
    // setsigdef and resetids hold already: a child starts with default actions and the root identity.
    const setup = applyFileActions(g, actions, childCwd(cwd));
    const mask = flags & SpawnFlags.Setsigmask ? sigset(maskLo, maskHi) : undefined;
    const pid = spawn(path, argv.length ? argv : [path], env, setup.fds, setup.cwd, mask);
    if (flags & SpawnFlags.Setpgroup) call({ op: "setpgid", pid, pgid: pgroup });
    if (flags & SETSID) call({ op: "setpgid", pid, pgid: 0 });
    return pid;
  };

  const wait = (pid: number, options: number, allowed: number) => {
    if (options & ~allowed) throw fail(Errno.Inval);
    return call({ op: "waitpid", pid, nohang: (options & 1) !== 0 }) as { pid: number; code: number; signal: number };
  };

  return {
    procSpawn: (argvBytes, envp, inFd, outFd, errFd, cwd) => {
      const argv = splitNul(argvBytes);
      const env = envEntries(envp);
      if (argv.length === 0 || argv[0] === "") throw fail(Errno.Fault);
      const dir = childCwd(cwd);
      return spawn(argv[0]!, argv, env, stdioFds(inFd, outFd, errFd), dir);
    },
    procSpawnV2: (path, argvBytes, envp, inFd, outFd, errFd, cwd) => {
      const argv = splitNul(argvBytes);
      const env = envEntries(envp);
      if (path === "") throw fail(Errno.Noent);
      const dir = childCwd(cwd);
      return spawn(path, argv.length ? argv : [path], env, stdioFds(inFd, outFd, errFd), dir);
    },
    procSpawnV3: (path, argv, envp, actions, cwd, flags, _defLo, _defHi, maskLo, maskHi, pgroup) =>
      spawnWithActions(path, argv, envp, actions, cwd, flags, maskLo, maskHi, pgroup, 0, 0),
    procSpawnV4: (path, argv, envp, actions, cwd, _searchPath, flags, _defLo, _defHi, maskLo, maskHi, pgroup, policy, priority) =>
      spawnWithActions(path, argv, envp, actions, cwd, flags, maskLo, maskHi, pgroup, policy, priority),
    procWaitpid: (pid, options) => {
      const r = wait(pid, options, 1);
      return { status: r.pid ? statusV1(r) : 0, child: r.pid };
    },
    procWaitpidV2: (pid, options) => {
      const r = wait(pid, options, 1);
      return { exitCode: r.signal ? 0 : r.code & 0xff, signal: r.signal, child: r.pid, coreDumped: 0 };
    },
    procWaitpidV3: (pid, options) => {
      const r = wait(pid, options, 1 | 2 | 8);
      return { rawStatus: r.pid === 0 ? 0 : r.signal ? r.signal & 0x7f : (r.code & 0xff) << 8, child: r.pid };
    },
    procKill: (pid, sig) => {
      if (sig >>> 0 > 64) throw fail(Errno.Inval);
      call({ op: "kill", pid, sig });
    },
    procItimerReal: (operation, valueUs, intervalUs) => {
      if (operation !== ItimerOp.Query && operation !== ItimerOp.Set) throw fail(Errno.Inval);
      if (valueUs > MAX_SAFE_US || intervalUs > MAX_SAFE_US) throw fail(Errno.Inval);
      const [oldValueUs, oldIntervalUs] = call({ op: "itimer", set: operation === ItimerOp.Set, valueUs, intervalUs }) as [bigint, bigint];
      return { oldValueUs, oldIntervalUs };
    },
    procGetpid: () => g.pid,
    procGetppid: () => g.ppid,
    procGetpgid: (pid) => call({ op: "getpgid", pid }) as number,
    procSetpgid: (pid, pgid) => {
      call({ op: "setpgid", pid, pgid });
    },
    procGetrlimit: (resource) => {
      if (resource >>> 0 > 9) throw fail(Errno.Inval);
      const [soft, hard] = g.rlimits.get(resource) ?? rlimitDefault(resource);
      return { soft, hard };
    },
    procSetrlimit: (resource, soft, hard) => {
      if (resource >>> 0 > 9) throw fail(Errno.Inval);
      soft = BigInt.asUintN(64, soft);
      hard = BigInt.asUintN(64, hard);
      if (soft > hard) throw fail(Errno.Inval);
      const current = g.rlimits.get(resource) ?? rlimitDefault(resource);
      if (hard > current[1]) throw fail(Errno.Perm);
      g.rlimits.set(resource, [soft, hard]);
    },
    procUmask: (mask) => {
      const old = g.umask;
      g.umask = mask & 0o777;
      return old;
    },
    umask: (mask, set) => {
      const old = g.umask;
      if (set) g.umask = mask & 0o777;
      return old;
    },
    fdPipe: () => {
      const pipe = Pipe.create();
      const readFd = g.fds.add(new OpenFile({ kind: "pipe", pipe, end: "r" }));
      const writeFd = g.fds.add(new OpenFile({ kind: "pipe", pipe, end: "w" }));
      return { readFd, writeFd };
    },
    fdDup: (fd) => g.fds.dup(fd),
    fdDup2: (from, to) => g.fds.dup2(from, to),
    fdDupMin: (fd, min) => {
      if (min < 0) throw fail(Errno.Inval);
      return g.fds.dup(fd, min);
    },
    fdGetfd: (fd) => (g.fds.entry(fd).cloexec ? 1 : 0),
    fdSetfd: (fd, flags) => {
      g.fds.entry(fd).cloexec = (flags & 1) !== 0;
    },
    fdSocketpair: (kind, nonblocking, cloexec) => {
      if (kind !== SOCK_STREAM && kind !== SOCK_DGRAM && kind !== SOCK_SEQPACKET) throw fail(Errno.Inval);
      const ids = g.net.call<[number, number]>({ fn: "pair", type: kind });
      const [fd0, fd1] = ids.map((id, i) => {
        const peer = ids[1 - i]!;
        const file = new OpenFile({ kind: "socket", id, type: kind === SOCK_STREAM ? "stream" : "dgram", net: g.net, peer });
        file.nonblock = nonblocking !== 0;
        const fd = g.fds.add(file);
        g.fds.entry(fd).cloexec = cloexec !== 0;
        return fd;
      }) as [number, number];
      return { fd0, fd1 };
    },
    fdFlock: (fd, op) => {
      const file = g.fds.get(fd);
      const d = file.desc;
      let stat;
      try {
        if (d.kind === "file") stat = fstatSync(d.osfd);
        else if (d.kind === "dir") stat = statSync(join(d.root, ...d.rel));
        else throw fail(Errno.Inval);
      } catch (error) {
        throw fail(errnoOf(error));
      }
      const key = `${stat.dev}:${stat.ino}`;
      let owner = lockOwners.get(file);
      if (!owner) {
        owner = `${g.pid}:${++descriptions}`;
        lockOwners.set(file, owner);
        const held = owner;
        file.onRelease = () => call({ op: "flock", call: { file: key, owner: held, op: LOCK_UN } });
      }
      call({ op: "flock", call: { file: key, owner, op } });
    },
    procExec: (path, argvBytes, envp, cloexec) => {
      const argv = splitNul(argvBytes);
      const env = envEntries(envp);
      if (path === "") throw fail(Errno.Noent);
      execImage(g, { path }, argv.length ? argv : [path], env, cloexec);
    },
    procFexec: (fd, argvBytes, envp, cloexec) => {
      const argv = splitNul(argvBytes);
      const env = envEntries(envp);
      const d = g.fds.get(fd).desc;
      if (d.kind !== "file") throw fail(Errno.Acces);
      execImage(g, { file: d.hostPath, name: d.hostPath.slice(d.hostPath.lastIndexOf("/") + 1) }, argv.length ? argv : [`/proc/self/fd/${fd}`], env, cloexec);
    },
    fdRecordLock: (fd, command, type, start, length) => {
      if (command !== LockCmd.Getlk && command !== LockCmd.Setlk && command !== LockCmd.Setlkw) throw fail(Errno.Inval);
      if (type !== LockType.Rdlck && type !== LockType.Wrlck && type !== LockType.Unlck) throw fail(Errno.Inval);
      if (start < 0n || length < 0n) throw fail(Errno.Inval);
      const d = g.fds.get(fd).desc;
      if (d.kind !== "file") throw fail(Errno.Notsup);
      if (command !== LockCmd.Getlk && ((type === LockType.Rdlck && !d.readable) || (type === LockType.Wrlck && !d.writable))) throw fail(Errno.Badf);
      let stat;
      try {
        stat = fstatSync(d.osfd);
      } catch (error) {
        throw fail(errnoOf(error));
      }
      const end = length === 0n ? Infinity : Number(start + length);
      const conflict = call({ op: "reclock", call: { file: `${stat.dev}:${stat.ino}`, pid: g.pid, cmd: command, type, start: Number(start), end } }) as Conflict | null;
      // Only getlk reports; the outputs of the other commands are zero.
      if (command !== LockCmd.Getlk) return { lType: LockType.Unlck, lPid: 0, lStart: 0n, lLen: 0n };
      if (!conflict) return { lType: LockType.Unlck, lPid: 0, lStart: start, lLen: length };
      return { lType: conflict.type as LockType, lPid: conflict.pid, lStart: BigInt(conflict.start), lLen: BigInt(conflict.len) };
    },
    fdSendmsgRights: (fd, data, rights, flags) => {
      const file = g.fds.get(fd);
      const d = file.desc;
      if (d.kind !== "socket") throw fail(Errno.Notsock);
      if (rights.length > SCM_RIGHTS_MAX) throw fail(Errno.Inval);
      const bytes = data.slice();
      if (rights.length > 0) {
        // Only a socketpair end knows where its peer's messages go.
        if (d.peer === undefined) throw fail(Errno.Notsup);
        const fds = [...rights];
        for (const right of fds) g.fds.get(right);
        const specs = fds.map((right) => g.fds.exportSpec(right));
        // Queued before the bytes are sent, so a receive that sees them finds the descriptors.
        call({ op: "rights", send: true, id: d.peer, specs });
      }
      return g.net.send(d.id, bytes, file.nonblock || (flags & MSG_DONTWAIT) !== 0);
    },
    fdRecvmsgRights: (fd, data, rights, flags, ctx) => {
      const file = g.fds.get(fd);
      const d = file.desc;
      if (d.kind !== "socket") throw fail(Errno.Notsock);
      if (rights.length > SCM_RIGHTS_MAX) throw fail(Errno.Inval);
      const peek = (flags & MSG_PEEK) !== 0;
      const at = data.byteOffset;
      const bytes = data.length === 0 ? new Uint8Array(0) : g.net.recv(d.id, data.length, peek, file.nonblock || (flags & MSG_DONTWAIT) !== 0);
      ctx.memory.write(at, bytes);
      let count = 0;
      let ctrunc = false;
      if (!peek && (bytes.length > 0 || data.length === 0)) {
        const taken = call({ op: "rights", send: false, id: d.id, max: rights.length }) as { specs: DescriptorSpec[]; ctrunc: boolean };
        ctrunc = taken.ctrunc;
        for (const spec of taken.specs) {
          const received = g.fds.add(adoptSpec(spec, g.net));
          g.fds.entry(received).cloexec = (flags & MSG_CMSG_CLOEXEC) !== 0;
          rights.set(count++, received);
        }
      }
      // The full length of a datagram is not known here: the received length stands for it.
      return { received: bytes.length, rightsCount: count, msgFlags: (ctrunc ? RECVMSG_FLAG_CTRUNC : 0) | (bytes.length << RECVMSG_LEN_SHIFT) };
    },
    ptyOpen: () => {
      const toSlave = Pipe.create();
      const toMaster = Pipe.create();
      const winsize = new Int32Array(new SharedArrayBuffer(8));
      winsize.set(PTY_WINSIZE);
      const master = g.fds.add(new OpenFile({ kind: "pipe", pipe: toMaster, end: "r", tty: { out: toSlave, winsize, master: true } }));
      const slave = g.fds.add(new OpenFile({ kind: "pipe", pipe: toSlave, end: "r", tty: { out: toMaster, winsize, master: false } }));
      return { master, slave };
    },
    procClosefrom: (low) => {
      if (low < 0) throw fail(Errno.Badf);
      for (const fd of g.fds.numbers()) {
        const d = g.fds.get(fd).desc;
        if (fd >= low && !(d.kind === "dir" && d.preopen !== null)) g.fds.close(fd);
      }
    },
    sleepMs: (ms) => g.sleep(ms >>> 0),
    procSigaction: (sig, action, _maskLo, _maskHi, flags) => {
      if (sig < 1 || sig > 64 || action >>> 0 > 2) throw fail(Errno.Inval);
      if (sig === 9 || sig === 19) throw fail(Errno.Inval);
      if (action === 2 && !g.hasTrampoline) throw fail(Errno.Notsup);
      g.dispositions.set(sig, { action: action as 0 | 1 | 2, flags: flags >>> 0 });
    },
    procPpollV1: (fds, nfds, sec, nsec, maskLo, maskHi, hasMask, ctx) => {
      let timeoutMs = -1;
      if (!(sec === -1n && nsec === -1n)) {
        if (sec < 0n || nsec < 0n || nsec > 999_999_999n) throw fail(Errno.Inval);
        const ms = sec * 1000n + (nsec + 999_999n) / 1_000_000n;
        timeoutMs = Number(ms > 0x7fffffffn ? 0x7fffffffn : ms);
      }
      if (!hasMask) return pollSet(g, ctx.memory, fds, nfds, timeoutMs);
      const saved = g.mask;
      g.mask = sigset(maskLo, maskHi);
      try {
        return pollSet(g, ctx.memory, fds, nfds, timeoutMs);
      } finally {
        g.mask = saved;
      }
    },
    procSignalMaskV2: (how, lo, hi) => {
      if (how >>> 0 > 3) throw fail(Errno.Inval);
      const old = g.mask;
      const set = sigset(lo, hi);
      if (how === 0) g.mask |= set;
      else if (how === 1) g.mask &= ~set;
      else if (how === 2) g.mask = set;
      return { oldLo: Number(old & 0xffffffffn), oldHi: Number(old >> 32n) };
    },
  };
}
