// wasi_snapshot_preview1 over Node: each function takes the core wasm arguments, validates
// every guest range before any side effect, and returns a WASI errno (or throws Errno).
// File-system calls run synchronously in the worker against the `--dir` sandboxes.

import { randomFillSync } from "node:crypto";
import * as fs from "node:fs";
import { join } from "node:path";
import { E, Errno, ProcExit, errnoOf } from "./errno.ts";
import { OpenFile, type Description } from "./fdtable.ts";
import type { Guest } from "./guest.ts";
import { PIPE_CAPACITY } from "./pipe.ts";
import { resolvePath } from "./sandbox.ts";

type Fn = (...args: never[]) => number | void;

const ALL_RIGHTS = 0x1fffffffn;
const TTY_RIGHTS = ALL_RIGHTS & ~(1n << 2n) & ~(1n << 5n); // no fd_seek, fd_tell: isatty()
const enc = new TextEncoder();

function fsCall<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw new Errno(errnoOf(error));
  }
}

function filetypeOf(st: fs.Stats | fs.BigIntStats): number {
  if (st.isFile()) return 4;
  if (st.isDirectory()) return 3;
  if (st.isSymbolicLink()) return 7;
  if (st.isCharacterDevice()) return 2;
  if (st.isBlockDevice()) return 1;
  if (st.isSocket()) return 6;
  return 0;
}

function dirOf(g: Guest, fd: number): Extract<Description, { kind: "dir" }> {
  const d = g.fds.get(fd).desc;
  if (d.kind !== "dir") throw new Errno(E.notdir);
  return d;
}

/** Resolves a guest path against directory fd `fd` inside its sandbox. */
export function resolveAt(g: Guest, fd: number, pathPtr: number, pathLen: number, follow: boolean) {
  const path = g.mem.string(pathPtr, pathLen);
  const dir = dirOf(g, fd);
  return { ...resolvePath(dir.root, dir.rel, path, follow), root: dir.root };
}

function writeFilestat(g: Guest, ptr: number, st: fs.BigIntStats | null, filetype?: number): void {
  g.mem.check(ptr, 64);
  g.mem.setU64(ptr, st?.dev ?? 0n);
  g.mem.setU64(ptr + 8, st?.ino ?? 0n);
  g.mem.setU8(ptr + 16, filetype ?? (st ? filetypeOf(st) : 0));
  g.mem.setU64(ptr + 24, st?.nlink ?? 1n);
  g.mem.setU64(ptr + 32, st?.size ?? 0n);
  g.mem.setU64(ptr + 40, st?.atimeNs ?? 0n);
  g.mem.setU64(ptr + 48, st?.mtimeNs ?? 0n);
  g.mem.setU64(ptr + 56, st?.ctimeNs ?? 0n);
}

function statOf(g: Guest, file: OpenFile): fs.BigIntStats | null {
  const d = file.desc;
  if (d.kind === "file" || d.kind === "host") return fsCall(() => fs.fstatSync(d.osfd, { bigint: true }));
  if (d.kind === "dir") return fsCall(() => fs.statSync(join(d.root, ...d.rel), { bigint: true }));
  return null;
}

export function realtimeNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function clockNow(id: number): bigint {
  if (id === 0) return realtimeNs();
  if (id === 1) return process.hrtime.bigint();
  if (id === 2 || id === 3) throw new Errno(E.notsup);
  throw new Errno(E.inval);
}

function writeStrings(g: Guest, list: string[], ptrs: number, buf: number): void {
  const encoded = list.map((s) => enc.encode(s + "\0"));
  g.mem.check(ptrs, list.length * 4);
  g.mem.check(buf, encoded.reduce((n, b) => n + b.length, 0));
  let at = buf;
  encoded.forEach((bytes, i) => {
    g.mem.setU32(ptrs + i * 4, at);
    g.mem.write(at, bytes);
    at += bytes.length;
  });
}

function writeSizes(g: Guest, list: string[], countPtr: number, sizePtr: number): void {
  g.mem.check(countPtr, 4);
  g.mem.check(sizePtr, 4);
  g.mem.setU32(countPtr, list.length);
  g.mem.setU32(sizePtr, list.reduce((n, s) => n + enc.encode(s).length + 1, 0));
}

const I64_MAX = (1n << 63n) - 1n;

export function preview1(g: Guest): Record<string, Fn> {
  const readv = (fd: number, iovs: number, iovsLen: number, offset: bigint | undefined, outPtr: number) => {
    const vecs = g.mem.iovecs(iovs, iovsLen);
    g.mem.check(outPtr, 4);
    const file = g.fds.get(fd);
    let total = 0;
    let pos = offset === undefined ? undefined : Number(offset);
    if (pos !== undefined && file.desc.kind !== "file") throw new Errno(file.desc.kind === "dir" ? E.isdir : E.spipe);
    for (const v of vecs) {
      if (v.len === 0) continue;
      const bytes = g.read(file, v.len, pos);
      g.mem.write(v.buf, bytes);
      total += bytes.length;
      if (pos !== undefined) pos += bytes.length;
      // Streams return what one read gave; files keep filling until a short read.
      if (bytes.length < v.len || file.desc.kind !== "file") break;
    }
    g.mem.setU32(outPtr, total);
  };
  const writev = (fd: number, iovs: number, iovsLen: number, offset: bigint | undefined, outPtr: number) => {
    const vecs = g.mem.iovecs(iovs, iovsLen);
    g.mem.check(outPtr, 4);
    const file = g.fds.get(fd);
    if (fd > 2 && !g.tierAtLeast("read-write")) throw new Errno(E.rofs);
    const total = vecs.reduce((n, v) => n + v.len, 0);
    if (total > 64 << 20) throw new Errno(E.inval);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const v of vecs) {
      bytes.set(g.mem.slice(v.buf, v.len), at);
      at += v.len;
    }
    if (offset !== undefined && file.desc.kind !== "file") throw new Errno(file.desc.kind === "dir" ? E.isdir : E.spipe);
    g.mem.setU32(outPtr, g.write(file, bytes, offset === undefined ? undefined : Number(offset)));
  };

  return {
    args_get: (argv: number, buf: number) => writeStrings(g, g.args, argv, buf),
    args_sizes_get: (count: number, size: number) => writeSizes(g, g.args, count, size),
    environ_get: (env: number, buf: number) => writeStrings(g, g.env, env, buf),
    environ_sizes_get: (count: number, size: number) => writeSizes(g, g.env, count, size),

    clock_res_get: (id: number, out: number) => {
      g.mem.check(out, 8);
      clockNow(id);
      g.mem.setU64(out, id === 0 ? 1_000_000n : 1n);
    },
    clock_time_get: (id: number, _precision: bigint, out: number) => {
      g.mem.check(out, 8);
      g.mem.setU64(out, clockNow(id));
    },

    fd_allocate: (fd: number, offset: bigint, len: bigint) => {
      const d = g.fds.get(fd).desc;
      g.mutating();
      if (d.kind !== "file") throw new Errno(d.kind === "dir" ? E.isdir : E.spipe);
      const end = offset + len;
      if (end > I64_MAX) throw new Errno(E.fbig);
      const size = fsCall(() => fs.fstatSync(d.osfd, { bigint: true }).size);
      if (end > size) fsCall(() => fs.ftruncateSync(d.osfd, Number(end)));
    },
    fd_close: (fd: number) => g.fds.close(fd),
    fd_datasync: (fd: number) => {
      const d = g.fds.get(fd).desc;
      if (d.kind === "file") fsCall(() => fs.fdatasyncSync(d.osfd));
    },
    fd_sync: (fd: number) => {
      const d = g.fds.get(fd).desc;
      if (d.kind === "file") fsCall(() => fs.fsyncSync(d.osfd));
    },
    fd_fdstat_get: (fd: number, out: number) => {
      const file = g.fds.get(fd);
      g.mem.check(out, 24);
      const d = file.desc;
      let type = 0;
      let rights = ALL_RIGHTS;
      if (d.kind === "dir") type = 3;
      else if (d.kind === "file") type = 4;
      else if (d.kind === "host") {
        const st = fsCall(() => fs.fstatSync(d.osfd));
        type = filetypeOf(st);
        if (type === 2) rights = TTY_RIGHTS;
      } else rights = ALL_RIGHTS & ~(1n << 2n) & ~(1n << 5n);
      const flags = (d.kind === "file" && d.append ? 1 : 0) | (file.nonblock ? 4 : 0);
      g.mem.setU8(out, type);
      g.mem.setU8(out + 1, 0);
      g.mem.setU16(out + 2, flags);
      g.mem.setU32(out + 4, 0);
      g.mem.setU64(out + 8, rights);
      g.mem.setU64(out + 16, rights);
    },
    fd_fdstat_set_flags: (fd: number, flags: number) => {
      const file = g.fds.get(fd);
      if (flags & ~(1 | 4)) throw new Errno(E.notsup);
      if (file.desc.kind === "file") file.desc.append = (flags & 1) !== 0;
      file.nonblock = (flags & 4) !== 0;
    },
    fd_filestat_get: (fd: number, out: number) => {
      const file = g.fds.get(fd);
      g.mem.check(out, 64);
      writeFilestat(g, out, statOf(g, file), file.desc.kind === "pipe" ? 0 : undefined);
    },
    fd_filestat_set_size: (fd: number, size: bigint) => {
      const d = g.fds.get(fd).desc;
      g.mutating();
      if (d.kind !== "file") throw new Errno(d.kind === "dir" ? E.isdir : E.inval);
      if (size > I64_MAX) throw new Errno(E.fbig);
      fsCall(() => fs.ftruncateSync(d.osfd, Number(size)));
    },
    fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, fst: number) => {
      const file = g.fds.get(fd);
      g.mutating();
      const d = file.desc;
      const [a, m] = times(statOf(g, file), atim, mtim, fst);
      if (d.kind === "file") fsCall(() => fs.futimesSync(d.osfd, a, m));
      else if (d.kind === "dir") fsCall(() => fs.utimesSync(join(d.root, ...d.rel), a, m));
      else throw new Errno(E.badf);
    },
    fd_pread: (fd: number, iovs: number, len: number, offset: bigint, out: number) => readv(fd, iovs, len, offset, out),
    fd_pwrite: (fd: number, iovs: number, len: number, offset: bigint, out: number) => writev(fd, iovs, len, offset, out),
    fd_read: (fd: number, iovs: number, len: number, out: number) => readv(fd, iovs, len, undefined, out),
    fd_write: (fd: number, iovs: number, len: number, out: number) => writev(fd, iovs, len, undefined, out),
    fd_prestat_get: (fd: number, out: number) => {
      const d = g.fds.get(fd).desc;
      g.mem.check(out, 8);
      if (d.kind !== "dir" || d.preopen === null) throw new Errno(E.badf);
      g.mem.setU32(out, 0);
      g.mem.setU32(out + 4, enc.encode(d.preopen).length);
    },
    fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
      const d = g.fds.get(fd).desc;
      g.mem.check(ptr, len);
      if (d.kind !== "dir" || d.preopen === null) throw new Errno(E.badf);
      const name = enc.encode(d.preopen);
      if (len < name.length) throw new Errno(E.nametoolong);
      g.mem.write(ptr, name);
    },
    fd_readdir: (fd: number, buf: number, bufLen: number, cookie: bigint, out: number) => {
      const d = dirOf(g, fd);
      g.mem.check(buf, bufLen);
      g.mem.check(out, 4);
      const host = join(d.root, ...d.rel);
      const names = [".", "..", ...fsCall(() => fs.readdirSync(host))];
      let at = 0;
      let count = 0;
      for (let i = Number(cookie); i < names.length && at < bufLen && count < 4096; i++, count++) {
        const name = enc.encode(names[i]!);
        let ino = 0n;
        let type = 0;
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
        const n = Math.min(record.length, bufLen - at);
        g.mem.write(buf + at, record.subarray(0, n));
        at += n;
      }
      g.mem.setU32(out, at);
    },
    fd_renumber: (fd: number, to: number) => {
      g.fds.get(fd);
      g.fds.dup2(fd, to);
      if (fd !== to) g.fds.close(fd);
    },
    fd_seek: (fd: number, offset: bigint, whence: number, out: number) => {
      const d = g.fds.get(fd).desc;
      g.mem.check(out, 8);
      if (d.kind !== "file") throw new Errno(d.kind === "dir" ? E.isdir : E.spipe);
      const delta = BigInt.asIntN(64, offset);
      let base: bigint;
      if (whence === 0) base = 0n;
      else if (whence === 1) base = BigInt(d.position);
      else if (whence === 2) base = fsCall(() => fs.fstatSync(d.osfd, { bigint: true }).size);
      else throw new Errno(E.inval);
      const next = base + delta;
      if (next < 0n) throw new Errno(E.inval);
      d.position = Number(next);
      g.mem.setU64(out, next);
    },
    fd_tell: (fd: number, out: number) => {
      const d = g.fds.get(fd).desc;
      g.mem.check(out, 8);
      if (d.kind !== "file") throw new Errno(d.kind === "dir" ? E.isdir : E.spipe);
      g.mem.setU64(out, BigInt(d.position));
    },

    path_create_directory: (fd: number, ptr: number, len: number) => {
      const r = resolveAt(g, fd, ptr, len, false);
      g.mutating();
      fsCall(() => fs.mkdirSync(r.host, 0o777 & ~g.umask));
    },
    path_filestat_get: (fd: number, flags: number, ptr: number, len: number, out: number) => {
      const r = resolveAt(g, fd, ptr, len, (flags & 1) !== 0);
      g.mem.check(out, 64);
      writeFilestat(g, out, fsCall(() => fs.lstatSync(r.host, { bigint: true })));
    },
    path_filestat_set_times: (fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fst: number) => {
      const r = resolveAt(g, fd, ptr, len, (flags & 1) !== 0);
      g.mutating();
      const [a, m] = times(fsCall(() => fs.lstatSync(r.host, { bigint: true })), atim, mtim, fst);
      fsCall(() => fs.lutimesSync(r.host, a, m));
    },
    path_link: (oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) => {
      const from = resolveAt(g, oldFd, oldPtr, oldLen, (oldFlags & 1) !== 0);
      const to = resolveAt(g, newFd, newPtr, newLen, false);
      g.mutating();
      fsCall(() => fs.linkSync(from.host, to.host));
    },
    path_open: (
      fd: number,
      dirflags: number,
      ptr: number,
      len: number,
      oflags: number,
      rightsBase: bigint,
      _inheriting: bigint,
      fdflags: number,
      out: number,
    ) => {
      const r = resolveAt(g, fd, ptr, len, (dirflags & 1) !== 0);
      g.mem.check(out, 4);
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
        if (!st) throw new Errno(E.noent);
        if (!st.isDirectory()) throw new Errno(E.notdir);
        if (write || creat) throw new Errno(st ? E.isdir : E.notdir);
        const dir = dirOf(g, fd);
        g.mem.setU32(out, g.fds.add(new OpenFile({ kind: "dir", root: dir.root, rel: r.rel, preopen: null })));
        return;
      }
      if (directory) throw new Errno(E.notdir);
      if ((creat && !st) || trunc || write) g.mutating();
      const c = fs.constants;
      const mode = (read && write ? c.O_RDWR : write ? c.O_WRONLY : c.O_RDONLY) | c.O_NOFOLLOW;
      const flags =
        mode | (creat ? c.O_CREAT : 0) | (excl ? c.O_EXCL : 0) | (trunc ? c.O_TRUNC : 0) | (fdflags & 1 ? c.O_APPEND : 0);
      const osfd = fsCall(() => fs.openSync(r.host, flags, 0o666 & ~g.umask));
      const file = new OpenFile({
        kind: "file",
        osfd,
        hostPath: r.host,
        readable: read,
        writable: write,
        append: (fdflags & 1) !== 0,
        position: 0,
      });
      file.nonblock = (fdflags & 4) !== 0;
      g.mem.setU32(out, g.fds.add(file));
    },
    path_readlink: (fd: number, ptr: number, len: number, buf: number, bufLen: number, out: number) => {
      const r = resolveAt(g, fd, ptr, len, false);
      g.mem.check(buf, bufLen);
      g.mem.check(out, 4);
      const target = fsCall(() => fs.readlinkSync(r.host, { encoding: "buffer" }));
      const n = Math.min(target.length, bufLen);
      g.mem.write(buf, target.subarray(0, n));
      g.mem.setU32(out, n);
    },
    path_remove_directory: (fd: number, ptr: number, len: number) => {
      const r = resolveAt(g, fd, ptr, len, false);
      g.mutating();
      if (r.rel.length === 0) throw new Errno(E.busy);
      fsCall(() => fs.rmdirSync(r.host));
    },
    path_rename: (fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) => {
      const from = resolveAt(g, fd, oldPtr, oldLen, false);
      const to = resolveAt(g, newFd, newPtr, newLen, false);
      g.mutating();
      fsCall(() => fs.renameSync(from.host, to.host));
    },
    path_symlink: (oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number) => {
      const target = g.mem.string(oldPtr, oldLen);
      const r = resolveAt(g, fd, newPtr, newLen, false);
      g.mutating();
      // A link that could only ever point outside the sandbox is refused at creation.
      if (target.startsWith("/")) throw new Errno(E.perm);
      fsCall(() => fs.symlinkSync(target, r.host));
    },
    path_unlink_file: (fd: number, ptr: number, len: number) => {
      const r = resolveAt(g, fd, ptr, len, false);
      g.mutating();
      const st = fsCall(() => fs.lstatSync(r.host));
      if (st.isDirectory()) throw new Errno(E.isdir);
      fsCall(() => fs.unlinkSync(r.host));
    },

    poll_oneoff: (inPtr: number, outPtr: number, n: number, countPtr: number) => pollOneoff(g, inPtr, outPtr, n, countPtr),
    proc_exit: (code: number) => {
      throw new ProcExit(code & 0xff);
    },
    sched_yield: () => g.checkpoint(),
    random_get: (ptr: number, len: number) => {
      if (len > 16 << 20) throw new Errno(E.inval);
      g.mem.check(ptr, len);
      for (let at = 0; at < len; at += 65536) randomFillSync(g.mem.slice(ptr + at, Math.min(65536, len - at)));
    },
    sock_shutdown: (fd: number, _how: number) => {
      g.fds.get(fd);
      throw new Errno(57); // notsock: this host serves no sockets
    },
  };
}

/** The new [atime, mtime] in seconds for the `fstflags` of a set-times call. */
function times(st: fs.BigIntStats | null, atim: bigint, mtim: bigint, fst: number): [number, number] {
  if (fst & ~0xf || (fst & 1 && fst & 2) || (fst & 4 && fst & 8)) throw new Errno(E.inval);
  const now = Date.now() / 1000;
  const a = fst & 2 ? now : fst & 1 ? Number(atim) / 1e9 : Number(st?.atimeNs ?? 0n) / 1e9;
  const m = fst & 8 ? now : fst & 4 ? Number(mtim) / 1e9 : Number(st?.mtimeNs ?? 0n) / 1e9;
  return [a, m];
}

/** `poll_oneoff`: clock and fd subscriptions; waits in slices until one is ready. */
function pollOneoff(g: Guest, inPtr: number, outPtr: number, n: number, countPtr: number): void {
  if (n === 0 || n > 1024) throw new Errno(E.inval);
  g.mem.check(inPtr, n * 48);
  g.mem.check(outPtr, n * 32);
  g.mem.check(countPtr, 4);
  type Sub = { userdata: bigint; tag: number; deadline?: bigint; fd?: number; error?: number };
  const subs: Sub[] = [];
  const now = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const p = inPtr + i * 48;
    const userdata = g.mem.u64(p);
    const tag = g.mem.u8(p + 8);
    if (tag === 0) {
      const id = g.mem.u32(p + 16);
      const timeout = g.mem.u64(p + 24);
      const abstime = (g.mem.u16(p + 40) & 1) !== 0;
      let deadline: bigint;
      try {
        const clockNowNs = clockNow(id);
        deadline = now + (abstime ? timeout - clockNowNs : timeout);
        subs.push({ userdata, tag, deadline });
      } catch (error) {
        subs.push({ userdata, tag, error: errnoOf(error) });
      }
    } else if (tag === 1 || tag === 2) {
      subs.push({ userdata, tag, fd: g.mem.u32(p + 16) });
    } else throw new Errno(E.inval);
  }
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const events: { sub: Sub; error: number; nbytes: bigint; flags: number }[] = [];
    const t = process.hrtime.bigint();
    let waitOn: { seq: number; wait: (seq: number, ms: number) => void } | null = null;
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
          events.push({ sub, error: E.badf, nbytes: 0n, flags: 0 });
          continue;
        }
        const d = file.desc;
        if (d.kind === "pipe") {
          const pipe = d.pipe;
          waitOn ??= { seq: pipe.seq, wait: (s, ms) => pipe.wait(s, ms) };
          if (sub.tag === 1 && d.end === "r" && pipe.readReady()) {
            const hup = pipe.available() === 0 ? 1 : 0;
            events.push({ sub, error: 0, nbytes: BigInt(pipe.available()), flags: hup });
          } else if (sub.tag === 2 && d.end === "w" && pipe.writeReady()) {
            const hup = pipe.readers() === 0 ? 1 : 0;
            events.push({ sub, error: hup ? E.pipe : 0, nbytes: BigInt(pipe.capacity - pipe.available()), flags: hup });
          } else if ((sub.tag === 1) !== (d.end === "r")) {
            events.push({ sub, error: E.badf, nbytes: 0n, flags: 0 });
          }
        } else {
          // Files, directories and host streams are always ready.
          events.push({ sub, error: 0, nbytes: sub.tag === 2 ? BigInt(PIPE_CAPACITY) : 0n, flags: 0 });
        }
      }
    }
    if (events.length > 0) {
      events.forEach((e, i) => {
        const p = outPtr + i * 32;
        g.mem.setU64(p, e.sub.userdata);
        g.mem.setU16(p + 8, e.error);
        g.mem.setU8(p + 10, e.sub.tag);
        g.mem.setU64(p + 16, e.nbytes);
        g.mem.setU16(p + 24, e.flags);
      });
      g.mem.setU32(countPtr, events.length);
      return;
    }
    const deadlines = subs.filter((s) => s.deadline !== undefined).map((s) => s.deadline!);
    const next = deadlines.length ? deadlines.reduce((a, b) => (a < b ? a : b)) : null;
    const ms = Math.max(0, Math.min(20, next === null ? 20 : Number(next - t) / 1e6));
    if (waitOn) waitOn.wait(waitOn.seq, ms);
    else Atomics.wait(sleeper, 0, 0, ms);
    g.checkpoint(false);
  }
}
