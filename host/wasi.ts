// wasi_snapshot_preview1 over Node: the `WasiSnapshotPreview1` interface of the generated glue
// (which checks ranges, lifts arguments and writes results). File-system calls run
// synchronously in the worker against the `--dir` sandboxes.

import { randomFillSync } from "node:crypto";
import * as fs from "node:fs";
import { join } from "node:path";
import {
  Errno,
  Filetype,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  Preopentype,
  fail,
  type CiovecList,
  type Fdstat,
  type Filestat,
  type GuestMemory,
  type IovecList,
  type WasiSnapshotPreview1,
} from "../generated/ts/index.ts";
import { ProcExit, errnoOf } from "./errno.ts";
import { OpenFile, type Description } from "./fdtable.ts";
import { FileOffset } from "./file-offset.ts";
import type { Guest } from "./guest.ts";
import { PIPE_CAPACITY } from "./pipe.ts";
import { resolvePath } from "./sandbox.ts";

const ALL_RIGHTS = 0x1fffffffn;
const STREAM_RIGHTS = ALL_RIGHTS & ~(1n << 2n) & ~(1n << 5n); // no fd_seek, fd_tell: isatty()
const MAX_IOVS = 1024;
const MAX_MOVE = 64 << 20;
const enc = new TextEncoder();

export function fsCall<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw fail(errnoOf(error));
  }
}

function filetypeOf(st: fs.Stats | fs.BigIntStats): number {
  if (st.isFile()) return Filetype.RegularFile;
  if (st.isDirectory()) return Filetype.Directory;
  if (st.isSymbolicLink()) return Filetype.SymbolicLink;
  if (st.isCharacterDevice()) return Filetype.CharacterDevice;
  if (st.isBlockDevice()) return Filetype.BlockDevice;
  if (st.isSocket()) return Filetype.SocketStream;
  return Filetype.Unknown;
}

function dirOf(g: Guest, fd: number): Extract<Description, { kind: "dir" }> {
  const d = g.fds.get(fd).desc;
  if (d.kind !== "dir") throw fail(Errno.Notdir);
  return d;
}

/** Resolves a guest path against directory fd `fd` inside its sandbox. */
export function resolveAt(g: Guest, fd: number, path: string, follow: boolean) {
  const dir = dirOf(g, fd);
  return { ...resolvePath(dir.root, dir.rel, path, follow), root: dir.root };
}

function filestat(st: fs.BigIntStats | null, filetype?: number): Filestat {
  return {
    dev: st?.dev ?? 0n,
    ino: st?.ino ?? 0n,
    filetype: filetype ?? (st ? filetypeOf(st) : Filetype.Unknown),
    nlink: st?.nlink ?? 1n,
    size: st?.size ?? 0n,
    atim: st?.atimeNs ?? 0n,
    mtim: st?.mtimeNs ?? 0n,
    ctim: st?.ctimeNs ?? 0n,
  } as Filestat;
}

function statOf(file: OpenFile): fs.BigIntStats | null {
  const d = file.desc;
  if (d.kind === "file" || d.kind === "host") return fsCall(() => fs.fstatSync(d.osfd, { bigint: true }));
  if (d.kind === "dir") return fsCall(() => fs.statSync(join(d.root, ...d.rel), { bigint: true }));
  return null;
}

// The contract freezes the realtime clock for a whole execution (an anti-timing-side-channel
// measure) at its start time, truncated to 1 ms; each guest process loads this module afresh.
const FROZEN_REALTIME_NS = BigInt(Date.now()) * 1_000_000n;

export function realtimeNs(): bigint {
  return FROZEN_REALTIME_NS;
}

export function clockNow(id: number): bigint {
  if (id === 0) return realtimeNs();
  if (id === 1) return process.hrtime.bigint();
  if (id === 2 || id === 3) throw fail(Errno.Notsup);
  throw fail(Errno.Inval);
}

/** The argv/environ layout: a pointer array, then the NUL-terminated strings. */
function writeStrings(memory: GuestMemory, list: string[], ptrs: number, buf: number): void {
  const encoded = list.map((s) => enc.encode(s + "\0"));
  memory.check(ptrs, list.length * 4, 4);
  memory.check(buf, encoded.reduce((n, b) => n + b.length, 0));
  let at = buf;
  encoded.forEach((bytes, i) => {
    memory.setU32(ptrs + i * 4, at);
    memory.write(at, bytes);
    at += bytes.length;
  });
}

const sizes = (list: string[]) => list.reduce((n, s) => n + enc.encode(s).length + 1, 0);

/** Checked byte views of every buffer of an iovec list, before any side effect. */
export function buffers(iovs: IovecList | CiovecList, memory: GuestMemory): Uint8Array[] {
  if (iovs.length > MAX_IOVS) throw fail(Errno.Inval);
  const views: Uint8Array[] = [];
  for (let i = 0; i < iovs.length; i++) views.push(memory.bytes(iovs.bufAt(i), iovs.bufLenAt(i)));
  return views;
}

function concat(views: Uint8Array[]): Uint8Array {
  const total = views.reduce((n, v) => n + v.length, 0);
  if (total > MAX_MOVE) throw fail(Errno.Inval);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const v of views) {
    bytes.set(v, at);
    at += v.length;
  }
  return bytes;
}

const I64_MAX = (1n << 63n) - 1n;

export function preview1(g: Guest): WasiSnapshotPreview1 {
  const readv = (fd: number, iovs: IovecList, offset: bigint | undefined, memory: GuestMemory): number => {
    const views = buffers(iovs, memory);
    const file = g.fds.get(fd);
    let pos = offset === undefined ? undefined : Number(offset);
    if (pos !== undefined && file.desc.kind !== "file") throw fail(file.desc.kind === "dir" ? Errno.Isdir : Errno.Spipe);
    let total = 0;
    for (const view of views) {
      if (view.length === 0) continue;
      const bytes = g.read(file, view.length, pos);
      // A blocking read may have let the memory be re-bound: write through the checked API.
      memory.write(view.byteOffset, bytes);
      total += bytes.length;
      if (pos !== undefined) pos += bytes.length;
      // Streams return what one read gave; files keep filling until a short read.
      if (bytes.length < view.length || file.desc.kind !== "file") break;
    }
    return total;
  };
  const writev = (fd: number, iovs: CiovecList, offset: bigint | undefined, memory: GuestMemory): number => {
    const bytes = concat(buffers(iovs, memory));
    const file = g.fds.get(fd);
    if (fd > 2 && !g.tierAtLeast("read-write")) throw fail(Errno.Rofs);
    if (offset !== undefined && file.desc.kind !== "file") throw fail(file.desc.kind === "dir" ? Errno.Isdir : Errno.Spipe);
    return g.write(file, bytes, offset === undefined ? undefined : Number(offset));
  };

  return {
    argsGet: (argv, buf, ctx) => writeStrings(ctx.memory, g.args, argv, buf),
    argsSizesGet: () => ({ argc: g.args.length, argvBufSize: sizes(g.args) }),
    environGet: (env, buf, ctx) => writeStrings(ctx.memory, g.env, env, buf),
    environSizesGet: () => ({ environc: g.env.length, environBufSize: sizes(g.env) }),

    clockResGet: (id) => {
      clockNow(id);
      return id === 0 ? 1_000_000n : 1n;
    },
    clockTimeGet: (id) => clockNow(id),

    fdAllocate: (fd, offset, len) => {
      const d = g.fds.get(fd).desc;
      g.mutating();
      if (d.kind !== "file") throw fail(d.kind === "dir" ? Errno.Isdir : Errno.Spipe);
      const end = offset + len;
      if (end > I64_MAX) throw fail(Errno.Fbig);
      const size = fsCall(() => fs.fstatSync(d.osfd, { bigint: true }).size);
      if (end > size) fsCall(() => fs.ftruncateSync(d.osfd, Number(end)));
    },
    fdClose: (fd) => g.fds.close(fd),
    fdDatasync: (fd) => {
      const d = g.fds.get(fd).desc;
      if (d.kind === "file") fsCall(() => fs.fdatasyncSync(d.osfd));
    },
    fdSync: (fd) => {
      const d = g.fds.get(fd).desc;
      if (d.kind === "file") fsCall(() => fs.fsyncSync(d.osfd));
    },
    fdFdstatGet: (fd): Fdstat => {
      const file = g.fds.get(fd);
      const d = file.desc;
      let type: number = Filetype.Unknown;
      let rights = ALL_RIGHTS;
      if (d.kind === "dir") type = Filetype.Directory;
      else if (d.kind === "file") type = Filetype.RegularFile;
      else if (d.kind === "host") {
        type = filetypeOf(fsCall(() => fs.fstatSync(d.osfd)));
        if (type === Filetype.CharacterDevice) rights = STREAM_RIGHTS;
      } else {
        if (d.kind === "socket") type = d.type === "stream" ? Filetype.SocketStream : Filetype.SocketDgram;
        if (d.kind === "pipe" && d.tty) type = Filetype.CharacterDevice;
        rights = STREAM_RIGHTS;
      }
      const flags = (d.kind === "file" && d.append ? 1 : 0) | (file.nonblock ? 4 : 0);
      return { fsFiletype: type, fsFlags: flags, fsRightsBase: rights, fsRightsInheriting: rights } as Fdstat;
    },
    fdFdstatSetFlags: (fd, flags) => {
      const file = g.fds.get(fd);
      if (flags & ~(1 | 4)) throw fail(Errno.Notsup);
      if (file.desc.kind === "file") file.desc.append = (flags & 1) !== 0;
      file.nonblock = (flags & 4) !== 0;
    },
    fdFilestatGet: (fd) => {
      const file = g.fds.get(fd);
      const d = file.desc;
      const type = d.kind === "socket" ? (d.type === "stream" ? Filetype.SocketStream : Filetype.SocketDgram) : d.kind === "pipe" ? (d.tty ? Filetype.CharacterDevice : Filetype.Unknown) : undefined;
      return filestat(statOf(file), type);
    },
    fdFilestatSetSize: (fd, size) => {
      const d = g.fds.get(fd).desc;
      g.mutating();
      if (d.kind !== "file") throw fail(d.kind === "dir" ? Errno.Isdir : Errno.Inval);
      if (size > I64_MAX) throw fail(Errno.Fbig);
      fsCall(() => fs.ftruncateSync(d.osfd, Number(size)));
    },
    fdFilestatSetTimes: (fd, atim, mtim, fst) => {
      const file = g.fds.get(fd);
      g.mutating();
      const d = file.desc;
      const [a, m] = times(statOf(file), atim, mtim, fst);
      if (d.kind === "file") fsCall(() => fs.futimesSync(d.osfd, a, m));
      else if (d.kind === "dir") fsCall(() => fs.utimesSync(join(d.root, ...d.rel), a, m));
      else throw fail(Errno.Badf);
    },
    fdPread: (fd, iovs, offset, ctx) => readv(fd, iovs, offset, ctx.memory),
    fdPwrite: (fd, iovs, offset, ctx) => writev(fd, iovs, offset, ctx.memory),
    fdRead: (fd, iovs, ctx) => readv(fd, iovs, undefined, ctx.memory),
    fdWrite: (fd, iovs, ctx) => writev(fd, iovs, undefined, ctx.memory),
    fdPrestatGet: (fd) => {
      const d = g.fds.get(fd).desc;
      if (d.kind !== "dir" || d.preopen === null) throw fail(Errno.Badf);
      return { tag: Preopentype.Dir, value: { prNameLen: enc.encode(d.preopen).length } };
    },
    fdPrestatDirName: (fd, path) => {
      const d = g.fds.get(fd).desc;
      if (d.kind !== "dir" || d.preopen === null) throw fail(Errno.Badf);
      const name = enc.encode(d.preopen);
      if (path.length < name.length) throw fail(Errno.Nametoolong);
      path.set(name);
    },
    fdReaddir: (fd, buf, cookie) => {
      const d = dirOf(g, fd);
      const host = join(d.root, ...d.rel);
      const names = [".", "..", ...fsCall(() => fs.readdirSync(host))];
      let at = 0;
      let count = 0;
      for (let i = Number(cookie); i < names.length && at < buf.length && count < 4096; i++, count++) {
        const name = enc.encode(names[i]!);
        let ino = 0n;
        let type: number = Filetype.Unknown;
        try {
          const st = i === 1 && d.rel.length === 0 ? fs.statSync(host, { bigint: true }) : fs.lstatSync(join(host, names[i]!), { bigint: true });
          ino = st.ino;
          type = filetypeOf(st);
        } catch {
          // Vanished between the listing and the stat: report what is known.
        }
        const record = new Uint8Array(24 + name.length);
        const view = new DataView(record.buffer);
        view.setBigUint64(0, BigInt(i + 1), true);
        view.setBigUint64(8, ino, true);
        view.setUint32(16, name.length, true);
        view.setUint8(20, type);
        record.set(name, 24);
        const n = Math.min(record.length, buf.length - at);
        buf.set(record.subarray(0, n), at);
        at += n;
      }
      return at;
    },
    fdRenumber: (fd, to) => {
      g.fds.get(fd);
      g.fds.dup2(fd, to);
      if (fd !== to) g.fds.close(fd);
    },
    fdSeek: (fd, offset, whence) => {
      const d = g.fds.get(fd).desc;
      if (d.kind !== "file") throw fail(d.kind === "dir" ? Errno.Isdir : Errno.Spipe);
      const delta = BigInt.asIntN(64, offset);
      if (whence < 0 || whence > 2) throw fail(Errno.Inval);
      return d.offset.locked(() => {
        let base = 0n;
        if (whence === 1) base = BigInt(d.offset.get());
        else if (whence === 2) base = fsCall(() => fs.fstatSync(d.osfd, { bigint: true }).size);
        const next = base + delta;
        if (next < 0n) throw fail(Errno.Inval);
        d.offset.set(Number(next));
        return next;
      });
    },
    fdTell: (fd) => {
      const d = g.fds.get(fd).desc;
      if (d.kind !== "file") throw fail(d.kind === "dir" ? Errno.Isdir : Errno.Spipe);
      return BigInt(d.offset.get());
    },

    pathCreateDirectory: (fd, path) => {
      const r = resolveAt(g, fd, path, false);
      g.mutating();
      fsCall(() => fs.mkdirSync(r.host, 0o777 & ~g.umask));
    },
    pathFilestatGet: (fd, flags, path) => {
      const r = resolveAt(g, fd, path, (flags & 1) !== 0);
      return filestat(fsCall(() => fs.lstatSync(r.host, { bigint: true })));
    },
    pathFilestatSetTimes: (fd, flags, path, atim, mtim, fst) => {
      const r = resolveAt(g, fd, path, (flags & 1) !== 0);
      g.mutating();
      const [a, m] = times(fsCall(() => fs.lstatSync(r.host, { bigint: true })), atim, mtim, fst);
      fsCall(() => fs.lutimesSync(r.host, a, m));
    },
    pathLink: (oldFd, oldFlags, oldPath, newFd, newPath) => {
      const from = resolveAt(g, oldFd, oldPath, (oldFlags & 1) !== 0);
      const to = resolveAt(g, newFd, newPath, false);
      g.mutating();
      fsCall(() => fs.linkSync(from.host, to.host));
    },
    pathOpen: (fd, dirflags, path, oflags, rightsBase, _inheriting, fdflags) => {
      // host_fs latches apply to this open only, whether or not it succeeds.
      const latch = g.takeOpenLatch();
      const r = resolveAt(g, fd, path, (dirflags & 1) !== 0);
      const creat = (oflags & 1) !== 0;
      const directory = (oflags & 2) !== 0;
      const excl = (oflags & 4) !== 0;
      const trunc = (oflags & 8) !== 0;
      const write = (rightsBase & ((1n << 6n) | (1n << 22n) | (1n << 8n))) !== 0n || trunc;
      const read = (rightsBase & ((1n << 1n) | (1n << 14n))) !== 0n || !write;
      let st: fs.Stats | null = null;
      try {
        st = fs.statSync(r.host);
      } catch {
        st = null;
      }
      if (st?.isDirectory() || (directory && !creat)) {
        if (!st) throw fail(Errno.Noent);
        if (!st.isDirectory()) throw fail(Errno.Notdir);
        if (write || creat) throw fail(Errno.Isdir);
        const dir = dirOf(g, fd);
        return g.fds.add(new OpenFile({ kind: "dir", root: dir.root, rel: r.rel, preopen: null }));
      }
      if (directory) throw fail(Errno.Notdir);
      if ((creat && !st) || trunc || write) g.mutating();
      const c = fs.constants;
      const mode = (read && write ? c.O_RDWR : write ? c.O_WRONLY : c.O_RDONLY) | c.O_NOFOLLOW;
      const flags =
        mode | (creat ? c.O_CREAT : 0) | (excl ? c.O_EXCL : 0) | (trunc ? c.O_TRUNC : 0) | (fdflags & 1 ? c.O_APPEND : 0);
      const osfd = fsCall(() => fs.openSync(r.host, flags, (latch.mode ?? 0o666) & ~g.umask));
      const file = new OpenFile({
        kind: "file",
        osfd,
        hostPath: r.host,
        readable: read,
        writable: write,
        append: (fdflags & 1) !== 0,
        offset: new FileOffset(),
        ...(latch.direct ? { direct: true } : {}),
      });
      file.nonblock = (fdflags & 4) !== 0;
      return g.fds.add(file);
    },
    pathReadlink: (fd, path, buf) => {
      const r = resolveAt(g, fd, path, false);
      const target = fsCall(() => fs.readlinkSync(r.host, { encoding: "buffer" }));
      const n = Math.min(target.length, buf.length);
      buf.set(target.subarray(0, n));
      return n;
    },
    pathRemoveDirectory: (fd, path) => {
      const r = resolveAt(g, fd, path, false);
      g.mutating();
      if (r.rel.length === 0) throw fail(Errno.Busy);
      fsCall(() => fs.rmdirSync(r.host));
    },
    pathRename: (fd, oldPath, newFd, newPath) => {
      const from = resolveAt(g, fd, oldPath, false);
      const to = resolveAt(g, newFd, newPath, false);
      g.mutating();
      fsCall(() => fs.renameSync(from.host, to.host));
    },
    pathSymlink: (target, fd, newPath) => {
      const r = resolveAt(g, fd, newPath, false);
      g.mutating();
      // A link that could only ever point outside the sandbox is refused at creation.
      if (target.startsWith("/")) throw fail(Errno.Perm);
      fsCall(() => fs.symlinkSync(target, r.host));
    },
    pathUnlinkFile: (fd, path) => {
      const r = resolveAt(g, fd, path, false);
      g.mutating();
      const st = fsCall(() => fs.lstatSync(r.host));
      if (st.isDirectory()) throw fail(Errno.Isdir);
      fsCall(() => fs.unlinkSync(r.host));
    },

    pollOneoff: (inPtr, outPtr, n, ctx) => pollOneoff(g, ctx.memory, inPtr, outPtr, n),
    procExit: (code) => {
      throw new ProcExit(code & 0xff);
    },
    schedYield: () => g.checkpoint(),
    randomGet: (buf) => {
      if (buf.length > 16 << 20) throw fail(Errno.Inval);
      for (let at = 0; at < buf.length; at += 65536) randomFillSync(buf.subarray(at, Math.min(at + 65536, buf.length)));
    },
    sockShutdown: (fd, how) => {
      const d = g.fds.get(fd).desc;
      if (d.kind !== "socket") throw fail(Errno.Notsock);
      if (how === 0 || how & ~3) throw fail(Errno.Inval);
      d.net.call({ fn: "shutdown", id: d.id, how });
    },
  };
}

/** The new [atime, mtime] in seconds for the `fstflags` of a set-times call. */
function times(st: fs.BigIntStats | null, atim: bigint, mtim: bigint, fst: number): [number, number] {
  if (fst & ~0xf || (fst & 1 && fst & 2) || (fst & 4 && fst & 8)) throw fail(Errno.Inval);
  const now = Date.now() / 1000;
  const a = fst & 2 ? now : fst & 1 ? Number(atim) / 1e9 : Number(st?.atimeNs ?? 0n) / 1e9;
  const m = fst & 8 ? now : fst & 4 ? Number(mtim) / 1e9 : Number(st?.mtimeNs ?? 0n) / 1e9;
  return [a, m];
}

/** `poll_oneoff`: clock and fd subscriptions; waits in slices until one is ready. */
function pollOneoff(g: Guest, memory: GuestMemory, inPtr: number, outPtr: number, n: number): number {
  if (n === 0 || n > 1024) throw fail(Errno.Inval);
  memory.check(inPtr, n * 48, 8);
  memory.check(outPtr, n * 32, 8);
  type Sub = { userdata: bigint; tag: number; deadline?: bigint; fd?: number; error?: number };
  const subs: Sub[] = [];
  const now = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const p = inPtr + i * 48;
    const userdata = memory.getU64(p);
    const tag = memory.getU8(p + 8);
    if (tag === 0) {
      const id = memory.getU32(p + 16);
      const timeout = memory.getU64(p + 24);
      const abstime = (memory.getU16(p + 40) & 1) !== 0;
      let deadline: bigint;
      try {
        const clockNowNs = clockNow(id);
        deadline = now + (abstime ? timeout - clockNowNs : timeout);
        subs.push({ userdata, tag, deadline });
      } catch (error) {
        subs.push({ userdata, tag, error: errnoOf(error) });
      }
    } else if (tag === 1 || tag === 2) {
      subs.push({ userdata, tag, fd: memory.getU32(p + 16) });
    } else throw fail(Errno.Inval);
  }
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const events: { sub: Sub; error: number; nbytes: bigint; flags: number }[] = [];
    const t = process.hrtime.bigint();
    let waitOn: { seq: number; wait: (seq: number, ms: number) => void } | null = null;
    const sockets: { sub: Sub; id: number }[] = [];
    for (const sub of subs) {
      if (sub.error !== undefined) {
        events.push({ sub, error: sub.error, nbytes: 0n, flags: 0 });
      } else if (sub.tag === 0) {
        if (t >= sub.deadline!) events.push({ sub, error: 0, nbytes: 0n, flags: 0 });
      } else {
        let file: OpenFile;
        try {
          file = g.fds.get(sub.fd!);
        } catch {
          events.push({ sub, error: Errno.Badf, nbytes: 0n, flags: 0 });
          continue;
        }
        const d = file.desc;
        if (d.kind === "pipe") {
          // A pty end reads its pipe and writes the pair's other one.
          const pipe = sub.tag === 2 && d.tty ? d.tty.out : d.pipe;
          const end = d.tty ? (sub.tag === 1 ? "r" : "w") : d.end;
          waitOn ??= { seq: pipe.seq, wait: (s, ms) => pipe.wait(s, ms) };
          if (sub.tag === 1 && end === "r" && pipe.readReady()) {
            const hup = pipe.available() === 0 ? 1 : 0;
            events.push({ sub, error: 0, nbytes: BigInt(pipe.available()), flags: hup });
          } else if (sub.tag === 2 && end === "w" && pipe.writeReady()) {
            const hup = pipe.readers() === 0 ? 1 : 0;
            events.push({ sub, error: hup ? Errno.Pipe : 0, nbytes: BigInt(pipe.capacity - pipe.available()), flags: hup });
          } else if ((sub.tag === 1) !== (end === "r")) {
            events.push({ sub, error: Errno.Badf, nbytes: 0n, flags: 0 });
          }
        } else if (d.kind === "socket") {
          sockets.push({ sub, id: d.id });
        } else {
          // Files, directories and host streams are always ready.
          events.push({ sub, error: 0, nbytes: sub.tag === 2 ? BigInt(PIPE_CAPACITY) : 0n, flags: 0 });
        }
      }
    }
    const deadlines = subs.filter((s) => s.deadline !== undefined).map((s) => s.deadline!);
    const next = deadlines.length ? deadlines.reduce((a, b) => (a < b ? a : b)) : null;
    const ms = Math.max(0, Math.min(20, next === null ? 20 : Number(next - t) / 1e6));
    if (sockets.length > 0) {
      // Socket readiness lives on the main thread, which also does this round's wait.
      const revents = g.net.call<number[]>({
        fn: "poll",
        ids: sockets.map((s) => s.id),
        events: sockets.map((s) => (s.sub.tag === 1 ? POLLIN : POLLOUT)),
        waitMs: events.length > 0 ? 0 : ms,
      });
      sockets.forEach(({ sub }, i) => {
        const r = revents[i]!;
        if (r & POLLNVAL) events.push({ sub, error: Errno.Badf, nbytes: 0n, flags: 0 });
        else if (r !== 0) events.push({ sub, error: 0, nbytes: 0n, flags: r & POLLHUP ? 1 : 0 });
      });
    }
    if (events.length > 0) {
      events.forEach((e, i) => {
        const p = outPtr + i * 32;
        memory.setU64(p, e.sub.userdata);
        memory.setU16(p + 8, e.error);
        memory.setU8(p + 10, e.sub.tag);
        memory.setU64(p + 16, e.nbytes);
        memory.setU16(p + 24, e.flags);
      });
      return events.length;
    }
    if (sockets.length > 0) {
      // Waited on the main thread already.
    } else if (waitOn) waitOn.wait(waitOn.seq, ms);
    else Atomics.wait(sleeper, 0, 0, ms);
    g.checkpoint(false);
  }
}
