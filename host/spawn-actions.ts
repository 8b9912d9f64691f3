// posix_spawn file actions (`proc_spawn_v3`/`proc_spawn_v4`): the action stream is applied to a
// virtual copy of the child's descriptor table (stdio inherited from the parent), so a bad
// record fails the spawn before anything is exported; the result is the child's fd specs.

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
import { sandboxFsDeps } from "./fs-deps.ts";
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
  /** The cwd named by the last chdir action, if any. */
  cwd: string | null;
}

/** Applies `actions` to the child's inherited stdio; exports the parent's descriptors last. */
export function applyFileActions(g: Guest, actions: Uint8Array): ChildSetup {
  if (actions.length > SPAWN_FILE_ACTION_BYTES_MAX) throw fail(Errno._2big);
  const table = new Map<number, Source>();
  for (const fd of [0, 1, 2]) if (g.fds.has(fd)) table.set(fd, { parentFd: fd });
  const dv = new DataView(actions.buffer, actions.byteOffset, actions.byteLength);
  let cwd: string | null = null;
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
        table.set(a.fd, { spec: openForChild(g, text(pathBytes), a.oflag, a.mode) });
        break;
      case SpawnFileOp.Chdir:
        cwd = text(pathBytes);
        break;
      case SpawnFileOp.Fchdir: {
        const d = g.fds.get(a.fd).desc;
        if (d.kind !== "dir") throw fail(Errno.Notdir);
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

/** The `open` action: resolved in the parent's sandbox, created/truncated here, opened by the child. */
function openForChild(g: Guest, path: string, oflag: number, mode: number): DescriptorSpec {
  const host = sandboxFsDeps(g).resolve(FD_CWD, path, true);
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
  return { kind: "file", hostPath: host, readable, writable, append: (oflag & O_APPEND) !== 0, position: 0 };
}
