// host_fs over Node's fs: metadata, modes, owners, truncation and range zeroing, statfs and
// rename-with-flags, against a sandbox and descriptor table the host hands in as `HostFsDeps`.
//
// Wiring (the host's implementations object for the generated bindings):
//
//   import { hostFsImpl } from "./fs.ts";
//   import { sandboxFsDeps } from "./fs-deps.ts";
//   // in implementations(g, winsize) (host/impls.ts):
//   hostFs: hostFsImpl(sandboxFsDeps(g)),                            // or, with the identity:
//   hostFs: hostFsImpl(sandboxFsDeps(g, { euid: () => currentEuid })),
//
// `sandboxFsDeps(g)` adapts a Guest (its `fds`, `mutating()`, `env` and `umask`); the euid
// defaults to the virtual root (0) while the identity module keeps its ids to itself.
// Extended attributes (emulated, fs-xattr.ts) and unnamed files with the open latches
// (fs-tmpfile.ts) live apart; `guestHostFs` (fs-deps.ts) puts the three together for a Guest.

import * as fs from "node:fs";
import { Errno, Failure, ProcExit, fail, type HostFs } from "../generated/ts/index.ts";
import { errnoOf } from "./errno.ts";

/** `host_fs.fd_cwd`: the directory-fd value meaning "relative to the guest cwd". */
export const FD_CWD = -1;
/** `host_fs.at_fdcwd`: wasi-libc's AT_FDCWD, accepted by `path_renameat2`. */
export const AT_FDCWD = -2;

/** What a guest descriptor refers to, as far as host_fs needs to know. */
export type FdTarget =
  /** An open host file; `append` fds cannot be written at an offset (Linux pwrite appends). */
  | { kind: "file"; osfd: number; writable: boolean; append: boolean }
  /** A directory inside the sandbox, by its (already resolved) host path. */
  | { kind: "dir"; path: string }
  /** A descriptor of the Node process itself (the CLI's stdio), fstat'ed. */
  | { kind: "host"; osfd: number }
  /** A pipe or socket the host keeps no inode for; `mode` is the st_mode to report. */
  | { kind: "stream"; mode: number };

/**
 * What the host lends host_fs. Each method returns its value or a `Failure`, or throws one
 * (a thrown Node fs error is mapped to its errno too).
 */
export interface HostFsDeps {
  /**
   * The host path of guest `path` relative to directory fd `dirFd` (`FD_CWD`: the guest cwd),
   * resolved inside the sandbox: every symlink is expanded except a final one when `follow` is
   * false, and anything leaving the sandbox answers `notcapable`.
   */
  resolve(dirFd: number, path: string, follow: boolean): string | Failure;
  /** What `fd` refers to; `badf` when it is not open. */
  target(fd: number): FdTarget | Failure;
  /** The tier's mutation guard: `rofs` below read-write. */
  mutating(): void | Failure;
  /** The guest's file-mode creation mask. */
  umask(): number;
  /** The guest's effective user id (0 = the virtual root). */
  euid(): number;
}

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const I64_MAX = (1n << 63n) - 1n;
const UNCHANGED = 0xffff_ffff;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/** st_mode of a pipe, as older hosts answered for fd_mode. */
export const PIPE_MODE = 0o010600;
/** st_mode of a socket. */
export const SOCKET_MODE = 0o140777;
const ACCESS_BITS = 7; // R_OK | W_OK | X_OK (wasi-libc values, equal to Linux's)
const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
const RENAME_WHITEOUT = 4;
const ZERO_CHUNK = 1 << 20;

/** The Failure for anything an fs call or a dependency threw. */
function failureOf(error: unknown): Failure {
  if (error instanceof Failure) return error;
  return fail(errnoOf(error));
}

/** Runs `f`, answering a Failure for whatever it throws. */
function attempt<T>(f: () => T): T | Failure {
  try {
    return f();
  } catch (error) {
    if (error instanceof ProcExit) throw error;
    return failureOf(error);
  }
}

/** The value of a dependency call; a Failure is thrown on to `attempt`. */
function must<T>(value: T | Failure): T {
  if (value instanceof Failure) throw value;
  return value;
}

/** The fd_cwd conventions: -1 and 0xFFFFFFFF both arrive as -1. */
const dirFdOf = (fd: number): number => fd | 0;

export function hostFsImpl(deps: HostFsDeps): Partial<HostFs> {
  const resolve = (dirFd: number, path: string, follow: boolean): string =>
    must(deps.resolve(dirFdOf(dirFd), path, follow));
  /** lstat of a resolved path: the sandbox already expanded every link that is followed. */
  const statAt = (dirFd: number, path: string, follow: number): fs.BigIntStats =>
    fs.lstatSync(resolve(dirFd, path, follow !== 0), { bigint: true });
  const target = (fd: number): FdTarget => must(deps.target(fd));
  const mutating = (): void => void must(deps.mutating());

  /** The directory of a dir fd, refusing one whose path is no longer a directory. */
  const dirPath = (t: Extract<FdTarget, { kind: "dir" }>): string => {
    if (!fs.lstatSync(t.path).isDirectory()) throw fail(Errno.Noent);
    return t.path;
  };

  /** fstat of a descriptor; for a pipe or socket, its mode alone. */
  const statFd = (fd: number): fs.BigIntStats | { mode: number } => {
    const t = target(fd);
    if (t.kind === "dir") return fs.lstatSync(dirPath(t), { bigint: true });
    if (t.kind === "stream") return { mode: t.mode };
    return fs.fstatSync(t.osfd, { bigint: true });
  };

  /** The descriptor of a regular file to modify, checked against the tier. */
  const writableFile = (fd: number): Extract<FdTarget, { kind: "file" }> => {
    const t = target(fd);
    mutating();
    if (t.kind === "dir") throw fail(Errno.Isdir);
    if (t.kind !== "file") throw fail(Errno.Spipe);
    // fallocate's rule; it also keeps the O_APPEND reopen below from granting write access.
    if (!t.writable) throw fail(Errno.Badf);
    return t;
  };

  /** A fallocate-style range: `len` > 0 and the end within i64 (Linux's checks). */
  const rangeOf = (offset: bigint, len: bigint): { start: number; end: number } => {
    if (len === 0n || offset > I64_MAX || len > I64_MAX) throw fail(Errno.Inval);
    const end = offset + len;
    if (end > I64_MAX) throw fail(Errno.Fbig);
    if (end > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(Errno.Fbig);
    return { start: Number(offset), end: Number(end) };
  };

  /**
   * Runs `f` on a descriptor that writes at offsets. An O_APPEND descriptor would append
   * instead, so the same open file is reopened (Linux /proc/self/fd) without the flag.
   */
  const positional = (t: Extract<FdTarget, { kind: "file" }>, f: (osfd: number) => void): void => {
    let osfd = t.osfd;
    if (t.append) {
      try {
        osfd = fs.openSync(`/proc/self/fd/${t.osfd}`, fs.constants.O_RDWR);
      } catch {
        throw fail(Errno.Notsup);
      }
    }
    try {
      f(osfd);
    } finally {
      if (osfd !== t.osfd) fs.closeSync(osfd);
    }
  };

  /** Writes zeros over [start, end) of a file. */
  const zeroFill = (t: Extract<FdTarget, { kind: "file" }>, start: number, end: number): void => {
    if (start >= end) return;
    positional(t, (osfd) => {
      const zeros = new Uint8Array(Math.min(ZERO_CHUNK, end - start));
      for (let at = start; at < end;) {
        const n = fs.writeSync(osfd, zeros, 0, Math.min(zeros.length, end - at), at);
        at += n;
      }
    });
  };

  /**
   * The checks of fallocate's INSERT_RANGE / COLLAPSE_RANGE: a block-aligned range (the file
   * system's block size), starting inside the file (collapse: ending before its end).
   */
  const shiftRange = (fd: number, offset: bigint, len: bigint, collapse: boolean) => {
    const t = writableFile(fd);
    const { start, end } = rangeOf(offset, len);
    const st = fs.fstatSync(t.osfd, { bigint: true });
    const block = st.blksize > 0n ? st.blksize : 4096n;
    if (offset % block !== 0n || len % block !== 0n) throw fail(Errno.Inval);
    const size = Number(st.size);
    if (collapse ? end >= size : start >= size) throw fail(Errno.Inval);
    if (!collapse && size + (end - start) > Number.MAX_SAFE_INTEGER) throw fail(Errno.Fbig);
    return { t, start, end, size };
  };

  /** chown / lchown / fchown with the contract's "unchanged" value and the virtual root. */
  const changeOwner = (
    owner: number,
    group: number,
    current: fs.BigIntStats,
    apply: (uid: number, gid: number) => void,
  ): void => {
    const uid = owner >>> 0 === UNCHANGED ? -1 : owner >>> 0;
    const gid = group >>> 0 === UNCHANGED ? -1 : group >>> 0;
    const same = (uid === -1 || BigInt(uid) === current.uid) && (gid === -1 || BigInt(gid) === current.gid);
    if (same) return;
    try {
      apply(uid, gid);
    } catch (error) {
      // The virtual root may give files away, but the host user usually cannot: the call is
      // accepted and the host owner stays (path_owner keeps reporting it).
      if (failureOf(error).errno === Errno.Perm && deps.euid() === 0) return;
      throw error;
    }
  };

  const chownPath = (fd: number, path: string, owner: number, group: number, follow: number) =>
    attempt(() => {
      const host = resolve(fd, path, follow !== 0);
      mutating();
      const st = fs.lstatSync(host, { bigint: true });
      changeOwner(owner, group, st, (u, g) => (follow !== 0 ? fs.chownSync(host, u, g) : fs.lchownSync(host, u, g)));
    });

  const chownFd = (fd: number, owner: number, group: number) =>
    attempt(() => {
      const t = target(fd);
      mutating();
      if (t.kind === "file")
        changeOwner(owner, group, fs.fstatSync(t.osfd, { bigint: true }), (u, g) => fs.fchownSync(t.osfd, u, g));
      else if (t.kind === "dir") {
        const path = dirPath(t);
        changeOwner(owner, group, fs.lstatSync(path, { bigint: true }), (u, g) => fs.lchownSync(path, u, g));
      } else throw fail(Errno.Notsup);
    });

  return {
    pathMode: (fd, path, follow) => attemptScalar(() => Number(statAt(fd, path, follow).mode), 0),
    pathSize: (fd, path, follow) => attemptScalar(() => statAt(fd, path, follow).size, U64_MAX),
    pathBlocks: (fd, path, follow) => attemptScalar(() => statAt(fd, path, follow).blocks, U64_MAX),
    pathRdev: (fd, path, follow) => attemptScalar(() => statAt(fd, path, follow).rdev, 0n),

    fdMode: (fd) => attemptScalar(() => Number(statFd(fd).mode), 0),
    fdSize: (fd) => attemptScalar(() => sizeOf(statFd(fd), "size"), U64_MAX),
    fdBlocks: (fd) => attemptScalar(() => sizeOf(statFd(fd), "blocks"), U64_MAX),

    pathOwner: (fd, path, follow) =>
      attempt(() => {
        const st = statAt(fd, path, follow);
        return { owner: Number(st.uid), group: Number(st.gid) };
      }),
    fdOwner: (fd) =>
      attempt(() => {
        const st = statFd(fd);
        // A pipe or socket belongs to whoever made it: the guest.
        return "uid" in st ? { owner: Number(st.uid), group: Number(st.gid) } : { owner: deps.euid(), group: 0 };
      }),

    chown: chownPath,
    pathChown: chownPath,
    fchown: chownFd,
    fdChown: chownFd,

    chmod: (fd, path, mode) =>
      attempt(() => {
        // fchmodat follows a final symlink (Linux has no lchmod); the sandbox expands it.
        const host = resolve(fd, path, true);
        mutating();
        fs.chmodSync(host, mode & 0o7777);
      }),
    fchmod: (fd, mode) =>
      attempt(() => {
        const t = target(fd);
        mutating();
        if (t.kind === "file") fs.fchmodSync(t.osfd, mode & 0o7777);
        else if (t.kind === "dir") fs.chmodSync(dirPath(t), mode & 0o7777);
        else throw fail(Errno.Notsup);
      }),

    pathAccess: (fd, path, mode, _effectiveIds) =>
      attempt(() => {
        // The host process has one identity, so real and effective checks are the same.
        if (mode & ~ACCESS_BITS) throw fail(Errno.Inval);
        const host = resolve(fd, path, true);
        fs.lstatSync(host);
        if (mode & fs.constants.W_OK) mutating();
        try {
          fs.accessSync(host, mode);
        } catch (error) {
          const f = failureOf(error);
          throw f.errno === Errno.Perm ? fail(Errno.Acces) : f;
        }
      }),

    pathStatfs: (fd, path) =>
      attempt(() => {
        const s = fs.statfsSync(resolve(fd, path, true), { bigint: true });
        return {
          totalBytes: s.blocks * s.bsize,
          usedBytes: (s.blocks - s.bfree) * s.bsize,
          availBytes: s.bavail * s.bsize,
          totalInodes: s.files,
          freeInodes: s.ffree,
        };
      }),

    ftruncate: (fd, len) =>
      attempt(() => {
        const t = target(fd);
        mutating();
        if (t.kind === "dir") throw fail(Errno.Isdir);
        if (t.kind !== "file") throw fail(Errno.Inval);
        if (len > BigInt(Number.MAX_SAFE_INTEGER)) throw fail(Errno.Fbig);
        fs.ftruncateSync(t.osfd, Number(len));
      }),

    // Node has no fallocate: a punched hole reads back as zeros, which is what is written
    // (the blocks stay allocated).
    fdPunchHole: (fd, offset, len) =>
      attempt(() => {
        const t = writableFile(fd);
        const { start, end } = rangeOf(offset, len);
        const size = Number(fs.fstatSync(t.osfd, { bigint: true }).size);
        zeroFill(t, start, Math.min(end, size));
      }),
    fdZeroRange: (fd, offset, len, keepSize) =>
      attempt(() => {
        const t = writableFile(fd);
        const { start, end } = rangeOf(offset, len);
        const size = Number(fs.fstatSync(t.osfd, { bigint: true }).size);
        zeroFill(t, start, Math.min(end, size));
        // Growing by truncation fills with zeros too.
        if (keepSize === 0 && end > size) fs.ftruncateSync(t.osfd, end);
      }),

    // Node has no fallocate: the data after the range is moved by copying.
    fdInsertRange: (fd, offset, len) =>
      attempt(() => {
        const { t, start, end, size } = shiftRange(fd, offset, len, false);
        positional(t, (osfd) => moveData(osfd, start, size, end - start));
        zeroFill(t, start, end);
      }),
    fdCollapseRange: (fd, offset, len) =>
      attempt(() => {
        const { t, start, end, size } = shiftRange(fd, offset, len, true);
        positional(t, (osfd) => {
          moveData(osfd, end, size, start - end);
          fs.ftruncateSync(osfd, size - (end - start));
        });
      }),

    // The host cannot change mount options; only the tier decides what is read-only.
    remount: (path, _opts) =>
      attempt(() => {
        if (deps.euid() !== 0) throw fail(Errno.Perm);
        fs.lstatSync(resolve(FD_CWD, path, true));
        throw fail(Errno.Notsup);
      }),

    // Without FIEMAP the file is reported as one data extent (what a file system without
    // sparse files reports): index 0 is [0, size), anything past it answers `nodata`.
    fdFiemap: (fd, index) =>
      attempt(() => {
        const t = target(fd);
        if (t.kind === "dir") throw fail(Errno.Isdir);
        if (t.kind !== "file") throw fail(Errno.Notsup);
        const size = fs.fstatSync(t.osfd, { bigint: true }).size;
        if (index !== 0 || size === 0n) throw fail(Errno.Nodata);
        return { start: 0n, end: size, extentFlags: 0 };
      }),

    pathRenameat2: (oldFd, oldPath, newFd, newPath, flags) =>
      attempt(() => {
        if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) throw fail(Errno.Inval);
        if (flags & RENAME_EXCHANGE && flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) throw fail(Errno.Inval);
        // Node cannot swap two paths atomically or leave whiteouts.
        if (flags & (RENAME_EXCHANGE | RENAME_WHITEOUT)) throw fail(Errno.Notsup);
        const cwd = (fd: number) => (dirFdOf(fd) === AT_FDCWD ? FD_CWD : fd);
        const from = resolve(cwd(oldFd), oldPath, false);
        const to = resolve(cwd(newFd), newPath, false);
        mutating();
        if (flags & RENAME_NOREPLACE) renameNoReplace(from, to);
        else fs.renameSync(from, to);
      }),

    pathMknod: (fd, path, mode, _rdev) =>
      attempt(() => {
        const host = resolve(fd, path, false);
        mutating();
        const type = mode & S_IFMT;
        // Only regular files can be made with Node; device nodes need privileges the host
        // lacks, and FIFOs and sockets have no Node call.
        if (type === 0o020000 || type === 0o060000) throw fail(Errno.Perm);
        if (type !== 0 && type !== S_IFREG) throw fail(Errno.Notsup);
        const c = fs.constants;
        fs.closeSync(
          fs.openSync(host, c.O_WRONLY | c.O_CREAT | c.O_EXCL | c.O_NOFOLLOW, mode & 0o7777 & ~deps.umask()),
        );
      }),
  };
}

/**
 * Moves the bytes [from, to) of a file by `delta` (up: from the end backwards, so nothing is
 * overwritten before it is read).
 */
function moveData(osfd: number, from: number, to: number, delta: number): void {
  const buf = new Uint8Array(Math.min(ZERO_CHUNK, Math.max(1, to - from)));
  if (delta > 0) {
    for (let end = to; end > from;) {
      const at = Math.max(from, end - buf.length);
      const n = fs.readSync(osfd, buf, 0, end - at, at);
      fs.writeSync(osfd, buf, 0, n, at + delta);
      end = at;
    }
  } else {
    for (let at = from; at < to;) {
      const n = fs.readSync(osfd, buf, 0, Math.min(buf.length, to - at), at);
      if (n === 0) break;
      fs.writeSync(osfd, buf, 0, n, at + delta);
      at += n;
    }
  }
}

/** A size field of fstat; a pipe or socket has neither bytes nor blocks of its own. */
function sizeOf(st: fs.BigIntStats | { mode: number }, field: "size" | "blocks"): bigint {
  return "uid" in st ? st[field] : 0n;
}

/** A plain-scalar result: the value, or the function's documented error value. */
function attemptScalar<T>(f: () => T, onError: T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof ProcExit) throw error;
    return onError;
  }
}

/**
 * `renameat2(RENAME_NOREPLACE)`: a non-directory is linked to the new name (which fails when
 * it exists, atomically) and then unlinked; a directory is checked, then renamed (not atomic).
 */
function renameNoReplace(from: string, to: string): void {
  const st = fs.lstatSync(from);
  if (!st.isDirectory()) {
    fs.linkSync(from, to);
    fs.unlinkSync(from);
    return;
  }
  let exists = true;
  try {
    fs.lstatSync(to);
  } catch {
    exists = false;
  }
  if (exists) throw fail(Errno.Exist);
  fs.renameSync(from, to);
}
