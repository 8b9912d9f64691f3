// Path resolution inside a `--dir` sandbox root. Components are walked one at a time and
// symlinks are expanded by the host, so `..` above the floor, absolute paths and symlinks that
// lead out (absolute targets, or relative ones climbing above the floor) are refused with
// `notcapable` before anything outside is touched. preview1 puts the floor at the directory a
// path is relative to (WASI's capability rule: a path reaches only what lies beneath its
// descriptor); host_fs, like POSIX, puts it at the root of the mapping.

import { lstatSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import { Errno, fail } from "../generated/ts/index.ts";

/** Most symlinks expanded in one resolution (Linux MAXSYMLINKS). */
const MAX_LINKS = 40;

export interface Resolved {
  /** The host path of the result (its last component is not followed unless asked). */
  host: string;
  /** The components below the root. */
  rel: string[];
  /**
   * The path ended in `/` (or `/.`): the result must be a directory. An existing one is (a
   * trailing slash follows a final symlink, and a non-directory answers `notdir`); a missing
   * one may only be created as a directory, which each caller decides.
   */
  slash: boolean;
}

/**
 * Resolves `path` relative to directory `base` (components below `root`), never above its
 * first `floor` components. With `follow`, a symlink in the last position is expanded too; a
 * trailing slash always follows.
 */
export function resolvePath(root: string, base: readonly string[], path: string, follow: boolean, floor = 0): Resolved {
  if (path.length === 0) throw fail(Errno.Noent);
  if (path.includes("\0")) throw fail(Errno.Inval);
  if (path.startsWith("/")) throw fail(Errno.Notcapable);
  const parts = [...base];
  const queue = path.split("/");
  let links = 0;
  let slash = false;
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name === "" || name === ".") continue;
    if (name === "..") {
      if (parts.length <= floor) throw fail(Errno.Notcapable);
      parts.pop();
      continue;
    }
    const last = queue.every((c) => c === "" || c === ".");
    const trailingSlash = last && queue.length > 0;
    const host = join(root, ...parts, name);
    let isLink = false;
    try {
      isLink = lstatSync(host).isSymbolicLink();
    } catch {
      // Missing: fine for the last component (it may be created); otherwise `noent`.
      if (!last) throw fail(Errno.Noent);
    }
    if (isLink && (!last || follow || trailingSlash)) {
      if (++links > MAX_LINKS) throw fail(Errno.Loop);
      const target = readlinkSync(host);
      if (target.startsWith("/")) throw fail(Errno.Notcapable);
      // The link's own trailing slash stays after its expansion.
      queue.unshift(...target.split("/"));
      continue;
    }
    parts.push(name);
    if (last) slash = trailingSlash;
  }
  const host = join(root, ...parts);
  if (slash) {
    let dir: boolean | null = null;
    try {
      dir = statSync(host).isDirectory();
    } catch {
      // Missing: the caller decides whether a directory may be made here.
    }
    if (dir === false) throw fail(Errno.Notdir);
  }
  return { host, rel: parts, slash };
}
