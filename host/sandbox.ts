// Path resolution inside a `--dir` sandbox root. Components are walked one at a time and
// symlinks are expanded by the host, so `..` past the root, absolute paths and symlinks that
// point out (absolute targets, or relative ones climbing past the root) are refused with
// `notcapable` before anything outside is touched.

import { lstatSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { Errno, fail } from "../generated/ts/index.ts";

/** Most symlinks expanded in one resolution (Linux MAXSYMLINKS). */
const MAX_LINKS = 40;

export interface Resolved {
  /** The host path of the result (its last component is not followed unless asked). */
  host: string;
  /** The components below the root. */
  rel: string[];
}

/**
 * Resolves `path` relative to directory `rel` below `root`. With `follow`, a symlink in the
 * last position is expanded too; a trailing slash always follows.
 */
export function resolvePath(root: string, rel: string[], path: string, follow: boolean): Resolved {
  if (path.length === 0) throw fail(Errno.Noent);
  if (path.includes("\0")) throw fail(Errno.Inval);
  if (path.startsWith("/")) throw fail(Errno.Notcapable);
  const parts = [...rel];
  const queue = path.split("/");
  let links = 0;
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (name === "" || name === ".") continue;
    if (name === "..") {
      if (parts.length === 0) throw fail(Errno.Notcapable);
      parts.pop();
      continue;
    }
    const rest = queue.filter((c) => c !== "" && c !== ".");
    const last = rest.length === 0;
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
      queue.unshift(...target.split("/"));
      continue;
    }
    parts.push(name);
  }
  return { host: join(root, ...parts), rel: parts };
}
