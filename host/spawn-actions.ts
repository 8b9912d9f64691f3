// posix_spawn file actions (`proc_spawn_v3`/`proc_spawn_v4`): the action stream is applied to a
// virtual copy of the child's descriptor table (stdio inherited from the parent) and cwd, so a
// bad record fails the spawn before anything is exported; the result is the child's fd specs
// and cwd.

import * as fs from "node:fs";
import {
  Errno,
  O_RDONLY,
  O_WRONLY,
  O_EXCL,
  SPAWN_FILE_ACTION_BYTES_MAX,
  SPAWN_FILE_ACTIONS_MAX,
  SpawnFileActionLayout,
  SpawnFileOp,
  fail,
  loadSpawnFileAction,
} from "../generated/ts/index.ts";
import { errnoOf } from "./errno.ts";
import type { DescriptorSpec } from "./fdtable.ts";
import { FileOffset } from "./file-offset.ts";
import { guestDirectory, guestPathOfDir, sandboxFsDeps } from "./fs-deps.ts";
import { FD_CWD } from "./fs.ts";
import type { Guest } from "./guest.ts";

/** wasi-libc's `O_*` bits not named by the contract: oflags << 12 and fdflags. */
const O_APPEND = 0x1;
const O_CREAT = 0x1 << 12;
const O_DIRECTORY = 0x2 << 12;
const O_TRUNC = 0x8 << 12;

const HEADER = SpawnFileActionLayout.size;
const dec = new TextDecoder("utf-8", { fatal: true });

/** A child descriptor: one of the parent's (exported at the end) or a file opened for it. */
type Source = { parentFd: number } | { spec: DescriptorSpec };

export interface ChildSetup {
  fds: [number, DescriptorSpec][];
  /** The child's guest cwd once the chdir/fchdir actions ran. */
  cwd: string;
}

/**
 * Applies `actions` to the child's inherited stdio and its cwd (which starts at `cwd`, a
 * checked guest path); exports the parent's descriptors last.
 */
export function applyFileActions(g: Guest, actions: Uint8Array, cwd: string): ChildSetup {
  if (actions.length > SPAWN_FILE_ACTION_BYTES_MAX) throw fail(Errno._2big);
  const table = new Map<number, Source>();
  for (const fd of [0, 1, 2]) if (g.fds.has(fd)) table.set(fd, { parentFd: fd });
  const dv = new DataView(actions.buffer, actions.byteOffset, actions.byteLength);
  let count = 0;
  for (let at = 0; at < actions.length; ) {
    if (++count > SPAWN_FILE_ACTIONS_MAX) throw fail(Errno._2big);
    if (at + HEADER > actions.length) throw fail(Errno.Inval);
    const a = loadSpawnFileAction(dv, at);
    at += HEADER;
    if (at + a.pathLen > actions.length) throw fail(Errno.Inval);
    const pathBytes = actions.slice(at, at + a.pathLen);
    at += a.pathLen;
    if (a.opcode !== SpawnFileOp.Chdir && a.fd < 0) throw fail(Errno.Badf);
    switch (a.opcode) {
      case SpawnFileOp.Close:
        table.delete(a.fd);
        break;
      case SpawnFileOp.Dup2: {
        const source = table.get(a.srcFd) ?? (g.fds.has(a.srcFd) ? { parentFd: a.srcFd } : null);
        if (!source || a.srcFd < 0) throw fail(Errno.Badf);
        table.set(a.fd, source);
        break;
      }
      case SpawnFileOp.Open:
        table.set(a.fd, { spec: openForChild(g, cwd, text(pathBytes), a.oflag, a.mode) });
        break;
      case SpawnFileOp.Chdir:
        cwd = guestDirectory(g, text(pathBytes), cwd);
        break;
      case SpawnFileOp.Fchdir: {
        // Found like dup2's source; a file opened by an `open` action is never a directory.
        const source = table.get(a.fd) ?? (g.fds.has(a.fd) ? { parentFd: a.fd } : null);
        if (!source) throw fail(Errno.Badf);
        const d = "spec" in source ? null : g.fds.get(source.parentFd).desc;
        if (d?.kind !== "dir") throw fail(Errno.Notdir);
        cwd = guestPathOfDir(g, d);
        break;
      }
      case SpawnFileOp.Closefrom:
        for (const fd of [...table.keys()]) if (fd >= a.fd) table.delete(fd);
        break;
      default:
        throw fail(Errno.Inval);
    }
  }
  const fds: [number, DescriptorSpec][] = [];
  for (const [fd, source] of table) fds.push([fd, "spec" in source ? source.spec : g.fds.exportSpec(source.parentFd)]);
  return { fds, cwd };
}

function text(bytes: Uint8Array): string {
  if (bytes.length === 0) throw fail(Errno.Noent);
  try {
    return dec.decode(bytes);
  } catch {
    throw fail(Errno.Ilseq);
  }
}

/**
 * The `open` action: resolved in the parent's sandbox (a relative path below the child's cwd so
 * far), created/truncated here, opened by the child.
 */
function openForChild(g: Guest, cwd: string, path: string, oflag: number, mode: number): DescriptorSpec {
  const view = { fds: g.fds, env: [`PWD=${cwd}`], umask: g.umask, mutating: () => g.mutating() };
  const host = sandboxFsDeps(view).resolve(FD_CWD, path, true);
  if (typeof host !== "string") throw host;
  const writable = (oflag & O_WRONLY) !== 0;
  const readable = (oflag & O_RDONLY) !== 0 || !writable;
  const creat = (oflag & O_CREAT) !== 0;
  const trunc = (oflag & O_TRUNC) !== 0;
  if (oflag & O_DIRECTORY) throw fail(Errno.Notsup);
  if (writable || creat || trunc) g.mutating();
  try {
    const c = fs.constants;
    const flags = (creat ? c.O_CREAT : 0) | (oflag & O_EXCL ? c.O_EXCL : 0) | (trunc ? c.O_TRUNC : 0) | (writable ? c.O_WRONLY : c.O_RDONLY);
    fs.closeSync(fs.openSync(host, flags | c.O_NOFOLLOW, mode & 0o777 & ~g.umask));
    if (fs.statSync(host).isDirectory()) throw fail(Errno.Isdir);
  } catch (error) {
    throw fail(errnoOf(error));
  }
  return { kind: "file", hostPath: host, readable, writable, append: (oflag & O_APPEND) !== 0, offset: new FileOffset().sab };
}
