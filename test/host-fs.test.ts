// host_fs (host/fs.ts): each function called directly with a fake HostFsDeps over a temp
// sandbox (success, errno and error-value paths, escapes that must leave the outside alone),
// the Guest adapter (host/fs-deps.ts) over a real FdTable, the generated glue's fd conventions,
// and the C guest test/conformance/fs_ext.c built with clang and run in-process against the
// host's preview1 and this module.

import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createImports, Errno, Failure, fail, ProcExit, type CallContext, type HostFs } from "../generated/ts/index.ts";
import { FdTable, OpenFile } from "../host/fdtable.ts";
import { FileOffset } from "../host/file-offset.ts";
import { sandboxFsDeps } from "../host/fs-deps.ts";
import { AT_FDCWD, FD_CWD, PIPE_MODE, hostFsImpl, type FdTarget, type HostFsDeps } from "../host/fs.ts";
import { Guest } from "../host/guest.ts";
import { Pipe } from "../host/pipe.ts";
import { resolvePath } from "../host/sandbox.ts";
import { preview1 } from "../host/wasi.ts";
import { compileC } from "../scripts/toolchain.ts";
import { sandbox } from "./conformance/build.ts";

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFIFO = 0o010000;
const isRoot = process.getuid?.() === 0;
/** The implementations never look at the context. */
const ctx = null as unknown as CallContext;

let root: string; // holds secret.txt, outside the sandbox
let data: string; // the sandbox
let opened: number[];
let readOnly: boolean;
let euid: number;
let targets: Map<number, FdTarget>;
let fsi: Required<Pick<HostFs, ImplementedName>>;

type ImplementedName = (typeof IMPLEMENTED)[number];
const IMPLEMENTED = [
  "pathMode",
  "pathSize",
  "pathBlocks",
  "pathRdev",
  "pathOwner",
  "fdMode",
  "fdSize",
  "fdBlocks",
  "fdOwner",
  "chown",
  "pathChown",
  "fchown",
  "fdChown",
  "chmod",
  "fchmod",
  "pathAccess",
  "pathStatfs",
  "ftruncate",
  "fdPunchHole",
  "fdZeroRange",
  "fdFiemap",
  "pathRenameat2",
  "pathMknod",
  "fdInsertRange",
  "fdCollapseRange",
  "remount",
] as const;

/** fd 3 = the sandbox root; FD_CWD = the sandbox root too; files are added with `openFd`. */
function fakeDeps(): HostFsDeps {
  return {
    resolve: (dirFd, path, follow) => {
      if (dirFd !== FD_CWD && dirFd !== 3) return targets.has(dirFd) ? fail(Errno.Notdir) : fail(Errno.Badf);
      return resolvePath(data, [], path, follow).host;
    },
    target: (fd) => (fd === 3 ? { kind: "dir", path: data } : (targets.get(fd) ?? fail(Errno.Badf))),
    mutating: () => (readOnly ? fail(Errno.Rofs) : undefined),
    umask: () => 0o022,
    euid: () => euid,
  };
}

function openFd(name: string, flags = "r+", append = false): number {
  const osfd = fs.openSync(join(data, name), flags);
  opened.push(osfd);
  const fd = 10 + targets.size;
  targets.set(fd, { kind: "file", osfd, writable: flags !== "r", append });
  return fd;
}

const errnoOf = (r: unknown) => (r instanceof Failure ? r.errno : r === undefined ? 0 : "value");
const mode = (name: string) => fs.lstatSync(join(data, name)).mode;

beforeEach(() => {
  ({ root, data } = sandbox());
  fs.writeFileSync(join(data, "f.txt"), "0123456789");
  fs.symlinkSync("f.txt", join(data, "link"));
  opened = [];
  readOnly = false;
  euid = 0;
  targets = new Map();
  fsi = hostFsImpl(fakeDeps()) as typeof fsi;
});
afterEach(() => {
  for (const osfd of opened) fs.closeSync(osfd);
  fs.rmSync(root, { recursive: true, force: true });
});

describe("what is provided", () => {
  test("exactly the functions fs.ts serves; xattrs and unnamed files come from fs-xattr.ts and fs-tmpfile.ts", () => {
    const impl = hostFsImpl(fakeDeps());
    expect(Object.keys(impl).sort()).toEqual([...IMPLEMENTED].sort());
    const glue = createImports({ hostFs: impl }, { tier: "full", memory: new WebAssembly.Memory({ initial: 1 }) });
    for (const name of ["open_tmpfile", "fd_link", "set_open_mode", "path_getxattr", "fd_removexattr"]) {
      expect(glue.unlinked.get(`host_fs.${name}`)).toBe("not implemented by the runtime");
    }
    expect(typeof glue.imports.host_fs!.path_mode).toBe("function");
  });
});

describe("scalar metadata by path", () => {
  test("mode, size, blocks and rdev, following or not", () => {
    expect(fsi.pathMode(FD_CWD, "f.txt", 1, ctx) & S_IFMT).toBe(S_IFREG);
    expect(fsi.pathMode(FD_CWD, "sub", 1, ctx) & S_IFMT).toBe(S_IFDIR);
    expect(fsi.pathMode(FD_CWD, "link", 0, ctx) & S_IFMT).toBe(S_IFLNK);
    expect(fsi.pathMode(FD_CWD, "link", 1, ctx) & S_IFMT).toBe(S_IFREG);
    expect(fsi.pathMode(3, "sub/../f.txt", 1, ctx)).toBe(mode("f.txt"));
    expect(fsi.pathSize(FD_CWD, "f.txt", 1, ctx)).toBe(10n);
    expect(fsi.pathSize(FD_CWD, "link", 0, ctx)).toBe(5n);
    expect(fsi.pathSize(FD_CWD, "link", 1, ctx)).toBe(10n);
    expect(fsi.pathBlocks(FD_CWD, "f.txt", 1, ctx)).toBe(fs.statSync(join(data, "f.txt"), { bigint: true }).blocks);
    expect(fsi.pathRdev(FD_CWD, "f.txt", 1, ctx)).toBe(0n);
  });

  test("errors answer the documented error value, not an errno", () => {
    expect(fsi.pathMode(FD_CWD, "missing", 1, ctx)).toBe(0);
    expect(fsi.pathSize(FD_CWD, "missing", 1, ctx)).toBe(U64_MAX);
    expect(fsi.pathBlocks(FD_CWD, "missing", 1, ctx)).toBe(U64_MAX);
    expect(fsi.pathRdev(FD_CWD, "missing", 1, ctx)).toBe(0n);
    expect(fsi.pathMode(FD_CWD, "", 1, ctx)).toBe(0);
    expect(fsi.pathMode(99, "f.txt", 1, ctx)).toBe(0); // not open
    expect(fsi.pathSize(FD_CWD, "f.txt/x", 1, ctx)).toBe(U64_MAX); // not a directory
  });

  test("escapes answer the error value", () => {
    for (const path of ["../secret.txt", `${root}/secret.txt`, "sub/../../secret.txt"]) {
      expect(fsi.pathMode(FD_CWD, path, 1, ctx)).toBe(0);
      expect(fsi.pathSize(FD_CWD, path, 1, ctx)).toBe(U64_MAX);
    }
    expect(fsi.pathSize(FD_CWD, "out-abs", 1, ctx)).toBe(U64_MAX);
    expect(fsi.pathSize(FD_CWD, "out-rel", 1, ctx)).toBe(U64_MAX);
    expect(fsi.pathBlocks(FD_CWD, "out-dir/secret.txt", 0, ctx)).toBe(U64_MAX);
    // Not following, the link itself is inside and may be looked at.
    expect(fsi.pathMode(FD_CWD, "out-abs", 0, ctx) & S_IFMT).toBe(S_IFLNK);
  });
});

describe("scalar metadata by descriptor", () => {
  test("files, directories, streams and pipes", () => {
    const fd = openFd("f.txt");
    expect(fsi.fdMode(fd, ctx)).toBe(mode("f.txt"));
    expect(fsi.fdSize(fd, ctx)).toBe(10n);
    expect(fsi.fdBlocks(fd, ctx)).toBe(fs.statSync(join(data, "f.txt"), { bigint: true }).blocks);
    expect(fsi.fdMode(3, ctx) & S_IFMT).toBe(S_IFDIR);
    targets.set(20, { kind: "stream", mode: PIPE_MODE });
    expect(fsi.fdMode(20, ctx)).toBe(S_IFIFO | 0o600);
    expect(fsi.fdBlocks(20, ctx)).toBe(0n);
    expect(fsi.fdSize(20, ctx)).toBe(0n);
    // A host stdio descriptor is fstat'ed.
    targets.set(21, { kind: "host", osfd: opened[0]! });
    expect(fsi.fdMode(21, ctx) & S_IFMT).toBe(S_IFREG);
  });

  test("a bad fd answers the error value", () => {
    expect(fsi.fdMode(99, ctx)).toBe(0);
    expect(fsi.fdSize(99, ctx)).toBe(U64_MAX);
    expect(fsi.fdBlocks(99, ctx)).toBe(U64_MAX);
    expect(fsi.fdMode(FD_CWD, ctx)).toBe(0);
  });

  test("a directory fd whose directory was replaced by a link out answers an error", () => {
    fs.mkdirSync(join(data, "d"));
    targets.set(30, { kind: "dir", path: join(data, "d") });
    fs.rmdirSync(join(data, "d"));
    fs.symlinkSync(root, join(data, "d"));
    const before = fs.statSync(root).mode;
    expect(fsi.fdMode(30, ctx)).toBe(0);
    expect(errnoOf(fsi.fchmod(30, 0o700, ctx))).toBe(Errno.Noent);
    expect(fs.statSync(root).mode).toBe(before);
  });
});

describe("owners", () => {
  test("path_owner and fd_owner report the host ids", () => {
    const st = fs.statSync(join(data, "f.txt"));
    expect(fsi.pathOwner(FD_CWD, "f.txt", 1, ctx)).toEqual({ owner: st.uid, group: st.gid });
    expect(fsi.fdOwner(openFd("f.txt"), ctx)).toEqual({ owner: st.uid, group: st.gid });
    targets.set(20, { kind: "stream", mode: PIPE_MODE });
    euid = 5;
    expect(fsi.fdOwner(20, ctx)).toEqual({ owner: 5, group: 0 });
  });

  test("errors", () => {
    expect(errnoOf(fsi.pathOwner(FD_CWD, "missing", 1, ctx))).toBe(Errno.Noent);
    expect(errnoOf(fsi.pathOwner(FD_CWD, "out-abs", 1, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.pathOwner(FD_CWD, "../secret.txt", 0, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.fdOwner(99, ctx))).toBe(Errno.Badf);
  });

  test("chown: unchanged ids and the current owner are no-ops", () => {
    const st = fs.statSync(join(data, "f.txt"));
    expect(fsi.chown(FD_CWD, "f.txt", 0xffff_ffff, 0xffff_ffff, 1, ctx)).toBeUndefined();
    expect(fsi.pathChown(FD_CWD, "f.txt", st.uid, st.gid, 1, ctx)).toBeUndefined();
    expect(fsi.fchown(openFd("f.txt"), 0xffff_ffff, st.gid, ctx)).toBeUndefined();
    expect(fsi.fdChown(3, 0xffff_ffff, 0xffff_ffff, ctx)).toBeUndefined();
  });

  test("chown by the virtual root is accepted (applied when the host can)", () => {
    expect(fsi.chown(FD_CWD, "f.txt", 1234, 0xffff_ffff, 1, ctx)).toBeUndefined();
    if (isRoot) expect(fs.statSync(join(data, "f.txt")).uid).toBe(1234);
    // Not following: the link changes, not its target.
    expect(fsi.chown(FD_CWD, "link", 0xffff_ffff, 4321, 0, ctx)).toBeUndefined();
    if (isRoot) {
      expect(fs.lstatSync(join(data, "link")).gid).toBe(4321);
      expect(fs.statSync(join(data, "f.txt")).gid).not.toBe(4321);
    }
  });

  test("chown errors: escapes, read-only tier, streams", () => {
    const secret = fs.statSync(join(root, "secret.txt"));
    expect(errnoOf(fsi.chown(FD_CWD, "out-abs", 1234, 1234, 1, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.chown(FD_CWD, "out-rel", 1234, 1234, 1, ctx))).toBe(Errno.Notcapable);
    expect(fs.statSync(join(root, "secret.txt")).uid).toBe(secret.uid);
    expect(errnoOf(fsi.chown(FD_CWD, "missing", 1, 1, 1, ctx))).toBe(Errno.Noent);
    targets.set(20, { kind: "stream", mode: PIPE_MODE });
    expect(errnoOf(fsi.fchown(20, 1, 1, ctx))).toBe(Errno.Notsup);
    readOnly = true;
    expect(errnoOf(fsi.chown(FD_CWD, "f.txt", 1, 1, 1, ctx))).toBe(Errno.Rofs);
    expect(errnoOf(fsi.fchown(3, 1, 1, ctx))).toBe(Errno.Rofs);
  });
});

describe("modes", () => {
  test("chmod follows a final link; fchmod on files and directories", () => {
    expect(fsi.chmod(FD_CWD, "f.txt", 0o640, ctx)).toBeUndefined();
    expect(mode("f.txt") & 0o7777).toBe(0o640);
    expect(fsi.chmod(FD_CWD, "link", 0o604, ctx)).toBeUndefined();
    expect(mode("f.txt") & 0o7777).toBe(0o604);
    expect(fsi.chmod(3, "sub", 0o1777 | 0o170000, ctx)).toBeUndefined(); // type bits ignored
    expect(mode("sub") & 0o7777).toBe(0o1777);
    expect(fsi.fchmod(openFd("f.txt"), 0o600, ctx)).toBeUndefined();
    expect(mode("f.txt") & 0o7777).toBe(0o600);
    expect(fsi.fchmod(3, 0o750, ctx)).toBeUndefined();
    expect(fs.statSync(data).mode & 0o7777).toBe(0o750);
  });

  test("errors leave everything as it was", () => {
    const secret = fs.statSync(join(root, "secret.txt")).mode;
    expect(errnoOf(fsi.chmod(FD_CWD, "out-abs", 0o777, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.chmod(FD_CWD, "out-rel", 0o777, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.chmod(FD_CWD, "../secret.txt", 0o777, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.chmod(FD_CWD, `${root}/secret.txt`, 0o777, ctx))).toBe(Errno.Notcapable);
    expect(fs.statSync(join(root, "secret.txt")).mode).toBe(secret);
    expect(errnoOf(fsi.chmod(FD_CWD, "missing", 0o777, ctx))).toBe(Errno.Noent);
    expect(errnoOf(fsi.fchmod(99, 0o777, ctx))).toBe(Errno.Badf);
    targets.set(20, { kind: "stream", mode: PIPE_MODE });
    expect(errnoOf(fsi.fchmod(20, 0o777, ctx))).toBe(Errno.Notsup);
    const before = mode("f.txt");
    readOnly = true;
    expect(errnoOf(fsi.chmod(FD_CWD, "f.txt", 0o777, ctx))).toBe(Errno.Rofs);
    expect(errnoOf(fsi.fchmod(3, 0o777, ctx))).toBe(Errno.Rofs);
    expect(mode("f.txt")).toBe(before);
  });
});

describe("path_access", () => {
  test("existence and permission bits", () => {
    expect(fsi.pathAccess(FD_CWD, "f.txt", 0, 0, ctx)).toBeUndefined();
    expect(fsi.pathAccess(FD_CWD, "f.txt", 4 | 2, 1, ctx)).toBeUndefined();
    expect(fsi.pathAccess(FD_CWD, "sub", 1, 0, ctx)).toBeUndefined();
    expect(fsi.pathAccess(FD_CWD, "link", 4, 0, ctx)).toBeUndefined();
    fs.chmodSync(join(data, "f.txt"), 0o644);
    // X_OK needs an execute bit even for root.
    expect(errnoOf(fsi.pathAccess(FD_CWD, "f.txt", 1, 0, ctx))).toBe(Errno.Acces);
  });

  test("errors", () => {
    expect(errnoOf(fsi.pathAccess(FD_CWD, "missing", 0, 0, ctx))).toBe(Errno.Noent);
    expect(errnoOf(fsi.pathAccess(FD_CWD, "f.txt", 8, 0, ctx))).toBe(Errno.Inval);
    expect(errnoOf(fsi.pathAccess(FD_CWD, "out-abs", 0, 0, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.pathAccess(FD_CWD, "../secret.txt", 0, 0, ctx))).toBe(Errno.Notcapable);
    readOnly = true;
    expect(errnoOf(fsi.pathAccess(FD_CWD, "f.txt", 2, 0, ctx))).toBe(Errno.Rofs);
    expect(fsi.pathAccess(FD_CWD, "f.txt", 4, 0, ctx)).toBeUndefined();
  });
});

describe("path_statfs", () => {
  test("sizes of the file system holding the path", () => {
    const s = fsi.pathStatfs(FD_CWD, "sub", ctx);
    if (s instanceof Failure) throw s;
    const host = fs.statfsSync(data, { bigint: true });
    expect(s.totalBytes).toBe(host.blocks * host.bsize);
    expect(s.usedBytes).toBeLessThanOrEqual(s.totalBytes);
    expect(s.availBytes).toBeLessThanOrEqual(s.totalBytes);
    expect(s.totalInodes).toBe(host.files);
    expect(s.freeInodes).toBeLessThanOrEqual(s.totalInodes);
  });

  test("errors", () => {
    expect(errnoOf(fsi.pathStatfs(FD_CWD, "missing", ctx))).toBe(Errno.Noent);
    expect(errnoOf(fsi.pathStatfs(FD_CWD, "out-dir", ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.pathStatfs(FD_CWD, "/", ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.pathStatfs(42, "sub", ctx))).toBe(Errno.Badf);
  });
});

describe("ftruncate", () => {
  test("shrinks and grows", () => {
    const fd = openFd("f.txt");
    expect(fsi.ftruncate(fd, 4n, ctx)).toBeUndefined();
    expect(fs.readFileSync(join(data, "f.txt"), "utf8")).toBe("0123");
    expect(fsi.ftruncate(fd, 6n, ctx)).toBeUndefined();
    expect([...fs.readFileSync(join(data, "f.txt"))]).toEqual([48, 49, 50, 51, 0, 0]);
  });

  test("errors", () => {
    expect(errnoOf(fsi.ftruncate(3, 0n, ctx))).toBe(Errno.Isdir);
    targets.set(20, { kind: "stream", mode: PIPE_MODE });
    expect(errnoOf(fsi.ftruncate(20, 0n, ctx))).toBe(Errno.Inval);
    expect(errnoOf(fsi.ftruncate(99, 0n, ctx))).toBe(Errno.Badf);
    const fd = openFd("f.txt");
    expect(errnoOf(fsi.ftruncate(fd, 1n << 62n, ctx))).toBe(Errno.Fbig);
    expect(errnoOf(fsi.ftruncate(openFd("f.txt", "r"), 0n, ctx))).toBe(Errno.Inval); // not open for writing
    readOnly = true;
    expect(errnoOf(fsi.ftruncate(fd, 0n, ctx))).toBe(Errno.Rofs);
    expect(fs.statSync(join(data, "f.txt")).size).toBe(10);
  });
});

describe("punch_hole and zero_range", () => {
  const bytes = () => fs.readFileSync(join(data, "f.txt"), "latin1").replace(/\0/g, "_");

  test("punch_hole zeroes inside the file and keeps the size", () => {
    const fd = openFd("f.txt");
    expect(fsi.fdPunchHole(fd, 2n, 3n, ctx)).toBeUndefined();
    expect(bytes()).toBe("01___56789");
    expect(fsi.fdPunchHole(fd, 8n, 100n, ctx)).toBeUndefined();
    expect(bytes()).toBe("01___567__");
    expect(fsi.fdPunchHole(fd, 50n, 10n, ctx)).toBeUndefined();
    expect(bytes()).toBe("01___567__");
  });

  test("zero_range keeps the size or grows the file", () => {
    const fd = openFd("f.txt");
    expect(fsi.fdZeroRange(fd, 0n, 2n, 1, ctx)).toBeUndefined();
    expect(bytes()).toBe("__23456789");
    expect(fsi.fdZeroRange(fd, 8n, 10n, 1, ctx)).toBeUndefined();
    expect(bytes()).toBe("__234567__");
    expect(fsi.fdZeroRange(fd, 9n, 5n, 0, ctx)).toBeUndefined();
    expect(bytes()).toBe("__234567______");
  });

  test("an O_APPEND descriptor writes at the offset, not at the end", () => {
    const fd = openFd("f.txt", "a+", true);
    expect(fsi.fdPunchHole(fd, 1n, 2n, ctx)).toBeUndefined();
    expect(bytes()).toBe("0__3456789");
  });

  test("a range larger than one write chunk", () => {
    fs.writeFileSync(join(data, "big"), Buffer.alloc(3 << 20, 0x61));
    const fd = openFd("big");
    expect(fsi.fdZeroRange(fd, 1n, BigInt((3 << 20) - 2), 1, ctx)).toBeUndefined();
    const b = fs.readFileSync(join(data, "big"));
    expect([b[0], b[1], b[b.length - 2], b[b.length - 1], b.length]).toEqual([0x61, 0, 0, 0x61, 3 << 20]);
  });

  test("errors", () => {
    const fd = openFd("f.txt");
    expect(errnoOf(fsi.fdPunchHole(fd, 0n, 0n, ctx))).toBe(Errno.Inval);
    expect(errnoOf(fsi.fdZeroRange(fd, 1n << 63n, 1n, 0, ctx))).toBe(Errno.Inval);
    expect(errnoOf(fsi.fdZeroRange(fd, (1n << 63n) - 1n, 2n, 0, ctx))).toBe(Errno.Fbig);
    expect(errnoOf(fsi.fdPunchHole(3, 0n, 1n, ctx))).toBe(Errno.Isdir);
    targets.set(20, { kind: "stream", mode: PIPE_MODE });
    expect(errnoOf(fsi.fdZeroRange(20, 0n, 1n, 0, ctx))).toBe(Errno.Spipe);
    expect(errnoOf(fsi.fdPunchHole(99, 0n, 1n, ctx))).toBe(Errno.Badf);
    expect(errnoOf(fsi.fdPunchHole(openFd("f.txt", "r"), 0n, 1n, ctx))).toBe(Errno.Badf);
    // A read-only O_APPEND descriptor is not reopened for writing.
    expect(errnoOf(fsi.fdZeroRange(openFd("f.txt", "r", true), 0n, 1n, 1, ctx))).toBe(Errno.Badf);
    readOnly = true;
    expect(errnoOf(fsi.fdZeroRange(fd, 0n, 5n, 0, ctx))).toBe(Errno.Rofs);
    expect(bytes()).toBe("0123456789");
  });
});

describe("fd_fiemap", () => {
  test("one extent covering the file, then nodata", () => {
    const fd = openFd("f.txt");
    expect(fsi.fdFiemap(fd, 0, ctx)).toEqual({ start: 0n, end: 10n, extentFlags: 0 });
    expect(errnoOf(fsi.fdFiemap(fd, 1, ctx))).toBe(Errno.Nodata);
    fs.writeFileSync(join(data, "empty"), "");
    expect(errnoOf(fsi.fdFiemap(openFd("empty"), 0, ctx))).toBe(Errno.Nodata);
    expect(errnoOf(fsi.fdFiemap(3, 0, ctx))).toBe(Errno.Isdir);
    expect(errnoOf(fsi.fdFiemap(99, 0, ctx))).toBe(Errno.Badf);
  });
});

describe("path_renameat2", () => {
  test("no flags: rename, replacing; AT_FDCWD and fd_cwd both accepted", () => {
    fs.writeFileSync(join(data, "g.txt"), "g");
    expect(fsi.pathRenameat2(FD_CWD, "f.txt", AT_FDCWD, "g.txt", 0, ctx)).toBeUndefined();
    expect(fs.readFileSync(join(data, "g.txt"), "utf8")).toBe("0123456789");
    expect(fs.existsSync(join(data, "f.txt"))).toBe(false);
    expect(fsi.pathRenameat2(AT_FDCWD, "g.txt", 3, "sub/h.txt", 0, ctx)).toBeUndefined();
    expect(fs.existsSync(join(data, "sub/h.txt"))).toBe(true);
  });

  test("NOREPLACE: files and directories, refused onto an existing name", () => {
    fs.writeFileSync(join(data, "g.txt"), "g");
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "g.txt", 1, ctx))).toBe(Errno.Exist);
    expect(fs.readFileSync(join(data, "g.txt"), "utf8")).toBe("g");
    expect(fs.existsSync(join(data, "f.txt"))).toBe(true);
    expect(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "new.txt", 1, ctx)).toBeUndefined();
    expect(fs.existsSync(join(data, "f.txt"))).toBe(false);
    expect(fs.readFileSync(join(data, "new.txt"), "utf8")).toBe("0123456789");
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "sub", FD_CWD, "out", 1, ctx))).toBe(Errno.Exist);
    expect(fsi.pathRenameat2(FD_CWD, "sub", FD_CWD, "sub2", 1, ctx)).toBeUndefined();
    expect(fs.statSync(join(data, "sub2")).isDirectory()).toBe(true);
    // A link is moved, not its target.
    expect(fsi.pathRenameat2(FD_CWD, "out-abs", FD_CWD, "moved-link", 1, ctx)).toBeUndefined();
    expect(fs.readlinkSync(join(data, "moved-link"))).toBe(join(root, "secret.txt"));
  });

  test("unsupported and invalid flags", () => {
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "g.txt", 2, ctx))).toBe(Errno.Notsup);
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "g.txt", 4, ctx))).toBe(Errno.Notsup);
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "g.txt", 3, ctx))).toBe(Errno.Inval);
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "g.txt", 8, ctx))).toBe(Errno.Inval);
    expect(fs.existsSync(join(data, "f.txt"))).toBe(true);
  });

  test("errors and escapes touch nothing", () => {
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "missing", FD_CWD, "x", 0, ctx))).toBe(Errno.Noent);
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "../stolen", 0, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "out-dir/stolen", 1, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "../secret.txt", FD_CWD, "mine", 0, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "out-rel/x", FD_CWD, "mine", 0, ctx))).toBe(Errno.Notcapable);
    expect(fs.readdirSync(root).sort()).toEqual(["data", "secret.txt"]);
    expect(fs.existsSync(join(data, "mine"))).toBe(false);
    readOnly = true;
    expect(errnoOf(fsi.pathRenameat2(FD_CWD, "f.txt", FD_CWD, "g.txt", 0, ctx))).toBe(Errno.Rofs);
    expect(fs.existsSync(join(data, "f.txt"))).toBe(true);
  });
});

describe("path_mknod", () => {
  test("regular files, with the umask applied", () => {
    expect(fsi.pathMknod(FD_CWD, "node", S_IFREG | 0o666, 0n, ctx)).toBeUndefined();
    expect(mode("node")).toBe(S_IFREG | 0o644);
    expect(fsi.pathMknod(3, "sub/plain", 0o600, 0n, ctx)).toBeUndefined();
    expect(mode("sub/plain")).toBe(S_IFREG | 0o600);
  });

  test("other types, existing names, links and escapes", () => {
    expect(errnoOf(fsi.pathMknod(FD_CWD, "fifo", S_IFIFO | 0o644, 0n, ctx))).toBe(Errno.Notsup);
    expect(errnoOf(fsi.pathMknod(FD_CWD, "dev", 0o020000 | 0o644, 0x0103n, ctx))).toBe(Errno.Perm);
    expect(errnoOf(fsi.pathMknod(FD_CWD, "f.txt", S_IFREG, 0n, ctx))).toBe(Errno.Exist);
    // A dangling link is not followed to create its target.
    fs.symlinkSync("made-through-link", join(data, "dangling"));
    expect(errnoOf(fsi.pathMknod(FD_CWD, "dangling", S_IFREG, 0n, ctx))).toBe(Errno.Exist);
    expect(fs.existsSync(join(data, "made-through-link"))).toBe(false);
    expect(errnoOf(fsi.pathMknod(FD_CWD, "../planted", S_IFREG, 0n, ctx))).toBe(Errno.Notcapable);
    expect(errnoOf(fsi.pathMknod(FD_CWD, "out-dir/planted", S_IFREG, 0n, ctx))).toBe(Errno.Notcapable);
    expect(fs.existsSync(join(root, "planted"))).toBe(false);
    readOnly = true;
    expect(errnoOf(fsi.pathMknod(FD_CWD, "ro", S_IFREG, 0n, ctx))).toBe(Errno.Rofs);
    expect(fs.existsSync(join(data, "ro"))).toBe(false);
  });
});

describe("the Guest adapter (fs-deps.ts)", () => {
  let table: FdTable;
  let env: string[];
  const guest = () => ({
    fds: table,
    env,
    umask: 0o022,
    mutating: () => {
      if (readOnly) throw fail(Errno.Rofs);
    },
  });
  beforeEach(() => {
    table = new FdTable();
    env = [];
    table.add(new OpenFile({ kind: "dir", root: data, rel: [], preopen: "/data" }), 3);
    table.add(new OpenFile({ kind: "dir", root: join(data, "sub"), rel: [], preopen: "/data/sub/" }), 3);
  });
  afterEach(() => table.closeAll());

  test("fd_cwd paths are guest paths, looked up among the mappings, longest first", () => {
    const deps = sandboxFsDeps(guest());
    expect(deps.resolve(FD_CWD, "/data/f.txt", true)).toBe(join(data, "f.txt"));
    expect(deps.resolve(FD_CWD, "/data", true)).toBe(data);
    fs.writeFileSync(join(data, "sub", "s"), "");
    expect(deps.resolve(FD_CWD, "/data/sub/s", false)).toBe(join(data, "sub", "s"));
    expect(() => deps.resolve(FD_CWD, "/database/x", true)).toThrow(fail(Errno.Notcapable));
    expect(() => deps.resolve(FD_CWD, "/etc/passwd", true)).toThrow(fail(Errno.Notcapable));
    expect(() => deps.resolve(FD_CWD, "/data/../secret.txt", true)).toThrow(fail(Errno.Notcapable));
    expect(() => deps.resolve(FD_CWD, "/data/sub/../f.txt", true)).toThrow(fail(Errno.Notcapable));
    expect(() => deps.resolve(FD_CWD, "/data/out-abs", true)).toThrow(fail(Errno.Notcapable));
    expect(() => deps.resolve(FD_CWD, "f.txt", true)).toThrow(fail(Errno.Notcapable)); // cwd "/"
    env.push("PWD=/data");
    expect(deps.resolve(FD_CWD, "f.txt", true)).toBe(join(data, "f.txt"));
  });

  test("directory fds, file fds, pipes; the tier guard and ids", () => {
    const deps = sandboxFsDeps(guest(), { euid: () => 42 });
    expect(deps.resolve(3, "sub/../f.txt", true)).toBe(join(data, "f.txt"));
    expect(() => deps.resolve(3, "../secret.txt", true)).toThrow(fail(Errno.Notcapable));
    expect(() => deps.resolve(99, "f.txt", true)).toThrow(fail(Errno.Badf));
    const osfd = fs.openSync(join(data, "f.txt"), "r");
    const file = table.add(
      new OpenFile({
        kind: "file",
        osfd,
        hostPath: join(data, "f.txt"),
        readable: true,
        writable: false,
        append: false,
        offset: new FileOffset(),
      }),
    );
    expect(() => deps.resolve(file, "x", true)).toThrow(fail(Errno.Notdir));
    expect(deps.target(file)).toEqual({ kind: "file", osfd, writable: false, append: false });
    expect(deps.target(3)).toEqual({ kind: "dir", path: data });
    const pipe = Pipe.create();
    const r = table.add(new OpenFile({ kind: "pipe", pipe, end: "r" }));
    pipe.release("w");
    expect(deps.target(r)).toEqual({ kind: "stream", mode: PIPE_MODE });
    expect(deps.euid()).toBe(42);
    expect(deps.umask()).toBe(0o022);
    readOnly = true;
    expect(() => deps.mutating()).toThrow(fail(Errno.Rofs));
  });

  test("through hostFsImpl: a read-only guest cannot chmod, an escape is refused", () => {
    const impl = hostFsImpl(sandboxFsDeps(guest())) as typeof fsi;
    expect(impl.pathSize(FD_CWD, "/data/f.txt", 1, ctx)).toBe(10n);
    expect(impl.pathSize(FD_CWD, "/data/out-rel", 1, ctx)).toBe(U64_MAX);
    expect(errnoOf(impl.chmod(FD_CWD, "/data/../secret.txt", 0o777, ctx))).toBe(Errno.Notcapable);
    readOnly = true;
    expect(errnoOf(impl.chmod(FD_CWD, "/data/f.txt", 0o777, ctx))).toBe(Errno.Rofs);
  });
});

describe("through the generated glue", () => {
  test("fd_cwd as the i32 -1 (0xFFFFFFFF), strings and out-values in guest memory", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const { imports } = createImports({ hostFs: hostFsImpl(fakeDeps()) }, { tier: "full", memory });
    const hf = imports.host_fs as Record<string, (...args: unknown[]) => unknown>;
    const u8 = new Uint8Array(memory.buffer);
    const put = (at: number, s: string) => (u8.set(Buffer.from(s), at), [at, Buffer.byteLength(s)] as const);
    const [p, n] = put(64, "f.txt");
    expect(hf.path_size!(0xffffffff | 0, p, n, 1)).toBe(10n);
    expect(hf.path_size!(-1, p, n, 1)).toBe(10n);
    expect((hf.path_mode!(-1, p, n, 1) as number) & S_IFMT).toBe(S_IFREG);
    const [q, m] = put(128, "../secret.txt");
    expect(hf.path_mode!(-1, q, m, 1)).toBe(0);
    expect(hf.chmod!(-1, q, m, 0o777)).toBe(Errno.Notcapable);
    expect(hf.path_owner!(-1, p, n, 1, 256, 260)).toBe(0);
    const view = new DataView(memory.buffer);
    expect(view.getUint32(256, true)).toBe(fs.statSync(join(data, "f.txt")).uid);
    expect(hf.path_statfs!(-1, p, n, 512, 520, 528, 536, 544)).toBe(0);
    expect(view.getBigUint64(512, true)).toBeGreaterThan(0n);
    expect(hf.path_renameat2!(-2, p, n, -1, ...put(192, "moved"), 0)).toBe(0);
    expect(fs.existsSync(join(data, "moved"))).toBe(true);
  });
});

describe("test/conformance/fs_ext.c", () => {
  const OUT = "test/.build/conformance/fs_ext.wasm";

  test("builds with clang against the generated header (a missing clang fails)", () => {
    compileC({
      sources: ["test/conformance/fs_ext.c"],
      out: OUT,
      includeDirs: ["generated/c"],
      extraArgs: ["-Wno-deprecated-declarations"],
    });
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(OUT)));
    const used = imports.filter((i) => i.module === "host_fs").map((i) => i.name);
    expect(used).toEqual(expect.arrayContaining(["path_mode", "fd_zero_range", "path_renameat2", "path_statfs"]));
  });

  test("runs in-process against the host's preview1 and host_fs: every check ok", () => {
    if (!fs.existsSync(OUT))
      compileC({
        sources: ["test/conformance/fs_ext.c"],
        out: OUT,
        includeDirs: ["generated/c"],
        extraArgs: ["-Wno-deprecated-declarations"],
      });
    const { code, out } = runInProcess(new WebAssembly.Module(fs.readFileSync(OUT)), data);
    expect(out).not.toContain("FAIL");
    expect(out).toContain("ok: rename into a link out: NOTCAPABLE");
    expect(code).toBe(0);
    expect(fs.readFileSync(join(root, "secret.txt"), "utf8")).toBe("secret\n");
    expect(fs.readdirSync(root).sort()).toEqual(["data", "secret.txt"]);
  });
});

/**
 * Runs a command module in this thread the way a host worker does (one Guest, `/data`
 * preopened at fd 3, stdout and stderr into one pipe), with host_fs wired through fs-deps.ts.
 */
function runInProcess(module: WebAssembly.Module, dir: string): { code: number; out: string } {
  const g = new Guest(1, 0, ["fs_ext"], ["PWD=/"], "full", null as never, new Int32Array(new SharedArrayBuffer(8)));
  const pipe = Pipe.create(1 << 20);
  g.fds.put(1, new OpenFile({ kind: "pipe", pipe, end: "w" }));
  g.fds.dup2(1, 2);
  g.fds.add(new OpenFile({ kind: "dir", root: dir, rel: [], preopen: "/data" }), 3);
  let instance: WebAssembly.Instance | null = null;
  const glue = createImports(
    { wasiSnapshotPreview1: preview1(g), hostFs: hostFsImpl(sandboxFsDeps(g)) },
    { tier: "full", getMemory: () => instance!.exports["memory"] as WebAssembly.Memory },
  );
  glue.assertLinkable(module);
  instance = new WebAssembly.Instance(module, glue.imports);
  g.exports = instance.exports;
  let code = 0;
  try {
    (instance.exports["_start"] as () => void)();
  } catch (error) {
    if (!(error instanceof ProcExit)) throw error;
    code = error.code;
  } finally {
    g.fds.closeAll();
  }
  const chunks: Uint8Array[] = [];
  for (let got = pipe.tryRead(1 << 20); got && got.length > 0; got = pipe.tryRead(1 << 20)) chunks.push(got);
  pipe.release("r");
  return { code, out: Buffer.concat(chunks).toString() };
}
