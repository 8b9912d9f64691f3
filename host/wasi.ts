// wasi_snapshot_preview1 over Node: the `WasiSnapshotPreview1` interface of the generated glue
// (which checks ranges, lifts arguments and writes results). File-system calls run
// synchronously in the worker against the `--dir` sandboxes.

import { randomFillSync } from "node:crypto";
import * as fs from "node:fs";
import { join } from "node:path";
import {
  Errno,
  Fdflags,
  Filetype,
  Fstflags,
  POLLHUP,
  POLLIN,
  POLLNVAL,
  POLLOUT,
  Lookupflags,
  Oflags,
  Preopentype,
  Rights,
  fail,
  type CiovecList,
  type Fdstat,
  type Filestat,
  type GuestMemory,
  type IovecList,
  type WasiSnapshotPreview1,
} from "../generated/ts/index.ts";
import { ProcExit, errnoOf } from "./errno.ts";
import { OpenFile, syncOpenFlags, type Description } from "./fdtable.ts";
import { FileOffset } from "./file-offset.ts";
import type { Guest } from "./guest.ts";
import { PIPE_CAPACITY } from "./pipe.ts";
import { resolvePath } from "./sandbox.ts";

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

/** Resolves a guest path beneath directory fd `fd` (WASI's capability rule). */
export function resolveAt(g: Guest, fd: number, path: string, follow: boolean) {
  const dir = dirOf(g, fd);
  return { ...resolvePath(dir.root, dir.rel, path, follow, dir.rel.length), root: dir.root };
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

/** Looked up once: `process` is an accessor in a worker, and clock reads are hot. */
const monotonicNs: () => bigint = process.hrtime.bigint;

export function clockNow(id: number): bigint {
  if (id === 1) return monotonicNs();
  if (id === 0) return realtimeNs();
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

const I64_MAX = (1n << 63n) - 1n;

export function preview1(g: Guest): WasiSnapshotPreview1 {
  const readv = (fd: number, iovs: IovecList, offset: bigint | undefined, memory: GuestMemory): number => {
    const views = buffers(iovs, memory);
    // The contract's 64 MiB bound on one pread (a read stops at what one read gives anyway).
    if (offset !== undefined && views.reduce((n, v) => n + v.length, 0) > MAX_MOVE) throw fail(Errno.Inval);
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
    // The common single buffer is written straight from guest memory's own view: no copy and
    // no view per call (the write is synchronous and the guest is not running meanwhile).
    let ptr = 0;
    let len = 0;
    let views: Uint8Array[] | null = null;
    if (iovs.length === 1) {
      ptr = iovs.bufAt(0);
      len = iovs.bufLenAt(0);
      memory.check(ptr, len);
      if (len > MAX_MOVE) throw fail(Errno.Inval);
    } else {
      views = buffers(iovs, memory);
      if (views.reduce((n, v) => n + v.length, 0) > MAX_MOVE) throw fail(Errno.Inval);
    }
    const file = g.fds.get(fd);
    if (fd > 2 && !g.tierAtLeast("read-write")) throw fail(Errno.Rofs);
    if (offset !== undefined && file.desc.kind !== "file") throw fail(file.desc.kind === "dir" ? Errno.Isdir : Errno.Spipe);
    const position = offset === undefined ? undefined : Number(offset);
    return views ? g.writev(file, views, position) : g.write(file, memory.u8, position, ptr, len);
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
      // Not open for writing: the write rights are not reported, and the call answers badf.
      if (!d.writable) throw fail(Errno.Badf);
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
    fdFdstatGet: (fd): Fdstat => fdstatOf(g.fds.get(fd)),
    fdFdstatSetFlags: (fd, flags) => {
      const file = g.fds.get(fd);
      const d = file.desc;
      // The synchronized-I/O flags are fixed at open (Linux ignores them in F_SETFL): passing
      // the ones the descriptor has is accepted, changing them is not supported.
      const sync = d.kind === "file" ? (d.sync ?? 0) : 0;
      if (flags & ~(Fdflags.Append | Fdflags.Nonblock | SYNC_FLAGS) || (flags & SYNC_FLAGS) !== sync) throw fail(Errno.Notsup);
      if (d.kind === "file") setAppend(d, (flags & Fdflags.Append) !== 0);
      file.nonblock = (flags & Fdflags.Nonblock) !== 0;
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
      if (!d.writable) throw fail(Errno.Badf);
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
    fdRenumber: (fd, to) => g.fds.renumber(fd, to),
    fdSeek: (fd, offset, whence) => {
      const d = g.fds.get(fd).desc;
      if (d.kind !== "file") throw fail(d.kind === "dir" ? Errno.Isdir : Errno.Spipe);
      const delta = BigInt.asIntN(64, offset);
      if (whence < 0 || whence > 2) throw fail(Errno.Inval);
      const size = () => fsCall(() => fs.fstatSync(d.osfd).size);
      return d.offset.locked(() => {
        const base = whence === 0 ? 0 : whence === 1 ? fsCall(() => d.offset.get(d.osfd)) : size();
        const next = BigInt(base) + delta;
        if (next < 0n) throw fail(Errno.Inval);
        if (next > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(Errno.Overflow);
        d.offset.set(Number(next));
        return next;
      });
    },
    fdTell: (fd) => {
      const d = g.fds.get(fd).desc;
      if (d.kind !== "file") throw fail(d.kind === "dir" ? Errno.Isdir : Errno.Spipe);
      return BigInt(d.offset.locked(() => fsCall(() => d.offset.get(d.osfd))));
    },

    pathCreateDirectory: (fd, path) => {
      const r = resolveAt(g, fd, path, false);
      g.mutating();
      fsCall(() => fs.mkdirSync(r.host, 0o777 & ~g.umask));
    },
    pathFilestatGet: (fd, flags, path) => {
      const r = resolveAt(g, fd, path, (flags & Lookupflags.SymlinkFollow) !== 0);
      return filestat(fsCall(() => fs.lstatSync(r.host, { bigint: true })));
    },
    pathFilestatSetTimes: (fd, flags, path, atim, mtim, fst) => {
      const r = resolveAt(g, fd, path, (flags & Lookupflags.SymlinkFollow) !== 0);
      g.mutating();
      const [a, m] = times(fsCall(() => fs.lstatSync(r.host, { bigint: true })), atim, mtim, fst);
      fsCall(() => fs.lutimesSync(r.host, a, m));
    },
    pathLink: (oldFd, oldFlags, oldPath, newFd, newPath) => {
      const from = resolveAt(g, oldFd, oldPath, (oldFlags & Lookupflags.SymlinkFollow) !== 0);
      const to = resolveAt(g, newFd, newPath, false);
      g.mutating();
      // A new name with a trailing slash would have to be a directory: Linux's `noent`.
      if (to.slash && !exists(to.host)) throw fail(Errno.Noent);
      fsCall(() => fs.linkSync(from.host, to.host));
    },
    pathOpen: (fd, dirflags, path, oflags, rightsBase, _inheriting, fdflags) => {
      // host_fs latches apply to this open only, whether or not it succeeds.
      const latch = g.takeOpenLatch();
      const creat = (oflags & Oflags.Creat) !== 0;
      const directory = (oflags & Oflags.Directory) !== 0;
      const excl = (oflags & Oflags.Excl) !== 0;
      const trunc = (oflags & Oflags.Trunc) !== 0;
      // O_CREAT|O_EXCL never follows a final symlink (POSIX).
      const r = resolveAt(g, fd, path, (dirflags & Lookupflags.SymlinkFollow) !== 0 && !(creat && excl));
      // Only `fd_write` asks for write access; the other rights are not tracked.
      const write = (rightsBase & Rights.FdWrite) !== 0n;
      const read = (rightsBase & (Rights.FdRead | Rights.FdReaddir)) !== 0n || !write;
      let st: fs.Stats | null = null;
      try {
        st = fs.lstatSync(r.host);
      } catch {
        st = null;
      }
      if (st && creat && excl) throw fail(Errno.Exist);
      // A final symlink that is not followed cannot be opened (O_NOFOLLOW).
      if (st?.isSymbolicLink()) throw fail(directory ? Errno.Notdir : Errno.Loop);
      // A trailing slash names a directory, which path_open never creates.
      if (!st && r.slash) throw fail(creat ? Errno.Isdir : Errno.Noent);
      if (st?.isDirectory() || (directory && !creat)) {
        if (!st) throw fail(Errno.Noent);
        if (!st.isDirectory()) throw fail(Errno.Notdir);
        if (write || creat || trunc) throw fail(Errno.Isdir);
        const dir = dirOf(g, fd);
        return g.fds.add(new OpenFile({ kind: "dir", root: dir.root, rel: r.rel, preopen: null }));
      }
      if (directory) throw fail(Errno.Notdir);
      if ((creat && !st) || trunc || write) g.mutating();
      const c = fs.constants;
      const sync = fdflags & SYNC_FLAGS;
      const mode = (read && write ? c.O_RDWR : write ? c.O_WRONLY : c.O_RDONLY) | c.O_NOFOLLOW;
      const flags =
        mode |
        (creat ? c.O_CREAT : 0) |
        (excl ? c.O_EXCL : 0) |
        (trunc ? c.O_TRUNC : 0) |
        (fdflags & Fdflags.Append ? c.O_APPEND : 0) |
        syncOpenFlags(sync);
      const osfd = fsCall(() => fs.openSync(r.host, flags, (latch.mode ?? 0o666) & ~g.umask));
      const file = new OpenFile({
        kind: "file",
        osfd,
        hostPath: r.host,
        readable: read,
        writable: write,
        append: (fdflags & Fdflags.Append) !== 0,
        ...(sync ? { sync } : {}),
        offset: new FileOffset(),
        ...(latch.direct ? { direct: true } : {}),
      });
      file.nonblock = (fdflags & Fdflags.Nonblock) !== 0;
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
      // Only a directory may be renamed to a name with a trailing slash (Linux: `notdir`).
      if (to.slash && !fsCall(() => fs.lstatSync(from.host)).isDirectory()) throw fail(Errno.Notdir);
      fsCall(() => fs.renameSync(from.host, to.host));
    },
    pathSymlink: (target, fd, newPath) => {
      const r = resolveAt(g, fd, newPath, false);
      g.mutating();
      // A link that could only ever point outside the sandbox is refused at creation.
      if (target.startsWith("/")) throw fail(Errno.Perm);
      if (r.slash && !exists(r.host)) throw fail(Errno.Noent);
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

/**
 * The new [atime, mtime] of a set-times call, as Node's seconds. The contract keeps timestamps
 * to the microsecond: Node (libuv) sets both at once and drops what is below a microsecond, so
 * the one not being set is rewritten with its current value, to the microsecond too. `*_now`
 * is the frozen realtime clock, as `clock_time_get(realtime)` answers.
 */
function times(st: fs.BigIntStats | null, atim: bigint, mtim: bigint, fst: number): [number, number] {
  if (fst & ~0xf || (fst & Fstflags.Atim && fst & Fstflags.AtimNow) || (fst & Fstflags.Mtim && fst & Fstflags.MtimNow)) throw fail(Errno.Inval);
  const pick = (now: number, set: number, value: bigint, current: bigint | undefined) =>
    utimeSeconds(fst & now ? realtimeNs() : fst & set ? value : (current ?? 0n));
  return [pick(Fstflags.AtimNow, Fstflags.Atim, atim, st?.atimeNs), pick(Fstflags.MtimNow, Fstflags.Mtim, mtim, st?.mtimeNs)];
}

/**
 * Nanoseconds as the seconds Node's utimes takes: the whole microseconds plus half of one, so
 * the float's rounding (under 0.25 us for dates before 2242) never crosses the microsecond
 * libuv truncates to, and the microsecond asked for is the one stored.
 */
function utimeSeconds(ns: bigint): number {
  const us = ns / 1000n;
  return Number(us / 1_000_000n) + (Number(us % 1_000_000n) + 0.5) / 1e6;
}

const exists = (host: string): boolean => {
  try {
    fs.lstatSync(host);
    return true;
  } catch {
    return false;
  }
};

// ---- what fd_fdstat_get reports ----

/** The synchronized-I/O flags, fixed when a file is opened. */
const SYNC_FLAGS = Fdflags.Dsync | Fdflags.Rsync | Fdflags.Sync;

/**
 * Rights are derived from the file type and the access mode; no table of them is kept. Every
 * regular file reports these, plus `fd_read` when readable and FILE_WRITE_RIGHTS when writable.
 */
const FILE_RIGHTS =
  Rights.FdDatasync | Rights.FdSeek | Rights.FdFdstatSetFlags | Rights.FdSync | Rights.FdTell | Rights.FdFilestatGet | Rights.FdFilestatSetTimes | Rights.PollFdReadwrite;
const FILE_WRITE_RIGHTS = Rights.FdWrite | Rights.FdAllocate | Rights.FdFilestatSetSize;
/** A directory: never `fd_read`, `fd_write`, `fd_seek` or `fd_filestat_set_size`. */
const DIR_RIGHTS =
  Rights.FdDatasync |
  Rights.FdFdstatSetFlags |
  Rights.FdSync |
  Rights.FdReaddir |
  Rights.FdFilestatGet |
  Rights.FdFilestatSetTimes |
  Rights.PathCreateDirectory |
  Rights.PathCreateFile |
  Rights.PathLinkSource |
  Rights.PathLinkTarget |
  Rights.PathOpen |
  Rights.PathReadlink |
  Rights.PathRenameSource |
  Rights.PathRenameTarget |
  Rights.PathFilestatGet |
  Rights.PathFilestatSetSize |
  Rights.PathFilestatSetTimes |
  Rights.PathSymlink |
  Rights.PathRemoveDirectory |
  Rights.PathUnlinkFile |
  Rights.PollFdReadwrite;
/** What a directory's children may get: its own rights and every file right. */
const DIR_INHERITING = DIR_RIGHTS | FILE_RIGHTS | Rights.FdRead | FILE_WRITE_RIGHTS;
/** Pipes, terminals, sockets and host streams: no `fd_seek`/`fd_tell` (wasi-libc's isatty). */
const STREAM_RIGHTS = Rights.FdFdstatSetFlags | Rights.FdFilestatGet | Rights.PollFdReadwrite;

const streamRights = (readable: boolean, writable: boolean): bigint =>
  STREAM_RIGHTS | (readable ? Rights.FdRead : 0n) | (writable ? Rights.FdWrite : 0n);

function fdstatOf(file: OpenFile): Fdstat {
  const d = file.desc;
  let type: number = Filetype.Unknown;
  let base: bigint;
  let inheriting = 0n;
  let flags = file.nonblock ? Fdflags.Nonblock : 0;
  switch (d.kind) {
    case "dir":
      type = Filetype.Directory;
      base = DIR_RIGHTS;
      inheriting = DIR_INHERITING;
      break;
    case "file":
      type = Filetype.RegularFile;
      base = FILE_RIGHTS | (d.readable ? Rights.FdRead : 0n) | (d.writable ? FILE_WRITE_RIGHTS : 0n);
      flags |= (d.append ? Fdflags.Append : 0) | (d.sync ?? 0);
      break;
    case "host":
      type = filetypeOf(fsCall(() => fs.fstatSync(d.osfd)));
      base = streamRights(d.readable, d.writable);
      break;
    case "pipe":
      if (d.tty) type = Filetype.CharacterDevice;
      base = streamRights(d.tty !== undefined || d.end === "r", d.tty !== undefined || d.end === "w");
      break;
    case "socket":
      type = d.type === "stream" ? Filetype.SocketStream : Filetype.SocketDgram;
      base = streamRights(true, true) | Rights.SockShutdown;
      break;
  }
  return { fsFiletype: type, fsFlags: flags, fsRightsBase: base, fsRightsInheriting: inheriting } as Fdstat;
}

/**
 * Sets or clears `append`, which is the OS's O_APPEND (so appends stay atomic): the file is
 * reopened through /proc/self/fd (its path where there is no /proc) with the new flag, and
 * the description moves to the new descriptor.
 */
function setAppend(d: Extract<Description, { kind: "file" }>, append: boolean): void {
  if (d.append === append) return;
  const c = fs.constants;
  const flags = (d.readable && d.writable ? c.O_RDWR : d.writable ? c.O_WRONLY : c.O_RDONLY) | (append ? c.O_APPEND : 0) | syncOpenFlags(d.sync ?? 0);
  const self = `/proc/self/fd/${d.osfd}`;
  const osfd = fsCall(() => (fs.existsSync(self) ? fs.openSync(self, flags) : fs.openSync(d.hostPath, flags | c.O_NOFOLLOW)));
  d.offset.locked(() => d.offset.set(fsCall(() => d.offset.get(d.osfd))));
  fs.closeSync(d.osfd);
  if (d.hostPath === self) d.hostPath = `/proc/self/fd/${osfd}`;
  d.osfd = osfd;
  d.append = append;
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
