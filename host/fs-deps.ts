// The HostFsDeps of a guest process: its descriptor table and `--dir` sandboxes (sandbox.ts),
// its tier guard, umask and cwd. `fd_cwd` paths are guest paths: absolute ones (or relative
// ones joined to `PWD`) are looked up among the preopened mappings (numbered or hidden),
// longest name first.

import { statSync } from "node:fs";
import { join } from "node:path";
import { Errno, fail, type HostFs } from "../generated/ts/index.ts";
import { errnoOf } from "./errno.ts";
import type { FdTable } from "./fdtable.ts";
import { FD_CWD, PIPE_MODE, SOCKET_MODE, hostFsImpl, type FdTarget, type HostFsDeps } from "./fs.ts";
import { tmpfileCalls } from "./fs-tmpfile.ts";
import { xattrCalls, type XattrCall } from "./fs-xattr.ts";
import type { Guest } from "./guest.ts";
import { resolvePath } from "./sandbox.ts";

/** The parts of a Guest host_fs uses (host/guest.ts satisfies it). */
export interface FsGuest {
  readonly fds: FdTable;
  /** Throws `rofs` below the read-write tier. */
  mutating(): void;
  readonly env: readonly string[];
  readonly umask: number;
}

export interface FsIdentity {
  euid(): number;
}

/**
 * host_fs for a guest process: fs.ts, the emulated xattrs (their store is on the main thread,
 * reached by system call) and the unnamed files and open latches.
 */
export function guestHostFs(g: Guest, ids: FsIdentity = ROOT): Partial<HostFs> {
  const deps = sandboxFsDeps(g, ids);
  const store = <T>(call: XattrCall): T => {
    const reply = g.rpc.call({ op: "xattr", call }, () => g.checkpoint(false));
    if (reply.errno) throw fail(reply.errno);
    return reply.value as T;
  };
  return { ...hostFsImpl(deps), ...xattrCalls(deps, store), ...tmpfileCalls(g, deps, store) };
}

/** The virtual root: the contract's default identity. */
const ROOT: FsIdentity = { euid: () => 0 };

export function sandboxFsDeps(g: FsGuest, ids: FsIdentity = ROOT): HostFsDeps {
  return {
    resolve: (dirFd, path, follow) => {
      if (dirFd !== FD_CWD) {
        // wasi.ts's resolveAt, over the narrower FsGuest.
        const d = g.fds.get(dirFd).desc;
        if (d.kind !== "dir") throw fail(Errno.Notdir);
        return resolvePath(d.root, d.rel, path, follow).host;
      }
      const mapping = mappingOf(g, guestPath(g, path));
      return resolvePath(mapping.root, [], mapping.rest, follow).host;
    },
    target: (fd): FdTarget => {
      const d = g.fds.get(fd).desc;
      switch (d.kind) {
        case "file":
          return { kind: "file", osfd: d.osfd, writable: d.writable, append: d.append };
        case "dir":
          return { kind: "dir", path: join(d.root, ...d.rel) };
        case "host":
          return { kind: "host", osfd: d.osfd };
        case "pipe":
          return { kind: "stream", mode: PIPE_MODE };
        case "socket":
          return { kind: "stream", mode: SOCKET_MODE };
      }
    },
    mutating: () => g.mutating(),
    umask: () => g.umask,
    euid: () => ids.euid(),
  };
}

/** The guest cwd: the `PWD` entry (command.idl's `cwd` convention), else `/`. */
export function guestCwd(g: FsGuest): string {
  const pwd = g.env.find((e) => e.startsWith("PWD="))?.slice(4) ?? "/";
  return pwd.startsWith("/") ? pwd : `/${pwd}`;
}

/** The absolute guest path of an `fd_cwd` path. */
function guestPath(g: FsGuest, path: string, cwd = guestCwd(g)): string {
  return path.startsWith("/") ? path : `${cwd.replace(/\/+$/, "")}/${path}`;
}

/**
 * The canonical guest path of directory `path` (a relative one below `cwd`): `..` and links
 * resolved inside its mapping. `noent`/`notdir` when it is not a directory, `notcapable`
 * outside every mapping.
 */
export function guestDirectory(g: FsGuest, path: string, cwd = guestCwd(g)): string {
  if (path === "") throw fail(Errno.Noent);
  const mapping = mappingOf(g, guestPath(g, path, cwd));
  const { host, rel } = resolvePath(mapping.root, [], mapping.rest, true);
  let directory: boolean;
  try {
    directory = statSync(host).isDirectory();
  } catch (error) {
    throw fail(errnoOf(error));
  }
  if (!directory) throw fail(Errno.Notdir);
  return below(mapping.name, rel);
}

/** The guest path of a directory description: its mapping's name and the components below. */
export function guestPathOfDir(g: FsGuest, dir: { root: string; rel: string[] }): string {
  for (const d of g.fds.preopens()) if (join(d.root, ...d.rel) === dir.root) return below(mappingName(d.preopen!), dir.rel);
  throw fail(Errno.Notcapable);
}

const below = (name: string, rel: string[]) => (rel.length === 0 ? name : `${name === "/" ? "" : name}/${rel.join("/")}`);

/** A preopen's guest name as an absolute path (`.`, `data/` and `/data` name `/` and `/data`). */
const mappingName = (preopen: string) => `/${preopen.replace(/^\.?\/+|\/+$/g, "")}`.replace(/^\/\.$/, "/");

/**
 * The preopened mapping holding `path` and the rest of the path below it. `..` is not
 * collapsed here: the sandbox refuses it past the mapping's root.
 */
function mappingOf(g: FsGuest, path: string): { root: string; name: string; rest: string } {
  if (path.includes("\0")) throw fail(Errno.Inval);
  let best: { root: string; name: string } | null = null;
  for (const d of g.fds.preopens()) {
    const name = mappingName(d.preopen!);
    const inside = name === "/" || path === name || path.startsWith(`${name}/`);
    if (inside && (best === null || name.length > best.name.length)) best = { root: join(d.root, ...d.rel), name };
  }
  if (best === null) throw fail(Errno.Notcapable);
  const rest = path.slice(best.name === "/" ? 0 : best.name.length).replace(/^\/+/, "");
  return { root: best.root, name: best.name, rest: rest === "" ? "." : rest };
}
