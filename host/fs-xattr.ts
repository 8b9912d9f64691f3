// host_fs extended attributes, emulated: Node has no xattr API, so the values live in a store on
// the main thread (`XattrStore`), shared by every process of the host, keyed by the file's
// identity (device, inode, birth time) and never written to disk. The worker side checks names,
// flags and capacities as Linux does and reaches the store through a system call.

import * as fs from "node:fs";
import { Errno, Failure, fail, type GuestMemory, type HostFs } from "../generated/ts/index.ts";
import { errnoOf } from "./errno.ts";
import type { HostFsDeps } from "./fs.ts";

/** `host_fs.xattr_name_max`, `host_fs.xattr_size_max`. */
const NAME_MAX = 255;
const SIZE_MAX = 65536;
/** `XATTR_CREATE`, `XATTR_REPLACE` (Linux values; unstable in the contract). */
const XATTR_CREATE = 1;
const XATTR_REPLACE = 2;
/** The namespaces the store keeps; others (`system.` ACLs, unknown prefixes) answer `notsup`. */
const NAMESPACES = ["user.", "trusted.", "security."];

export type XattrCall =
  | { fn: "get"; key: string; name: string }
  | { fn: "set"; key: string; name: string; value: Uint8Array; flags: number }
  | { fn: "list"; key: string }
  | { fn: "remove"; key: string; name: string }
  /** Carries a file's attributes to another identity (fd_link re-creating a tmpfile). */
  | { fn: "copy"; key: string; to: string };

/** The main thread's attribute table: file identity -> name -> value, in insertion order. */
export class XattrStore {
  private readonly files = new Map<string, Map<string, Uint8Array>>();

  handle(c: XattrCall): { errno: number; value?: unknown } {
    try {
      return { errno: 0, value: this.apply(c) };
    } catch (error) {
      return { errno: (error as { errno?: number }).errno ?? Errno.Io };
    }
  }

  private apply(c: XattrCall): unknown {
    const attrs = this.files.get(c.key);
    switch (c.fn) {
      case "get": {
        const value = attrs?.get(c.name);
        if (!value) throw fail(Errno.Nodata);
        return value;
      }
      case "list":
        return [...(attrs?.keys() ?? [])];
      case "set": {
        const exists = attrs?.has(c.name) ?? false;
        if (c.flags & XATTR_CREATE && exists) throw fail(Errno.Exist);
        if (c.flags & XATTR_REPLACE && !exists) throw fail(Errno.Nodata);
        const table = attrs ?? new Map<string, Uint8Array>();
        table.set(c.name, c.value);
        this.files.set(c.key, table);
        return 0;
      }
      case "remove":
        if (!attrs?.delete(c.name)) throw fail(Errno.Nodata);
        if (attrs.size === 0) this.files.delete(c.key);
        return 0;
      case "copy":
        if (attrs) this.files.set(c.to, new Map(attrs));
        return 0;
    }
  }
}

/** The store key of a file: its identity, with the birth time guarding against inode reuse. */
export function xattrKey(st: fs.BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.birthtimeNs}`;
}

const enc = new TextEncoder();

/** A name's namespace check, Linux's order: empty or over-long `range`, unknown prefix `notsup`. */
function checkName(name: string): void {
  const bytes = enc.encode(name).length;
  if (bytes === 0 || bytes > NAME_MAX) throw fail(Errno.Range);
  if (!NAMESPACES.some((ns) => name.startsWith(ns) && name.length > ns.length)) throw fail(Errno.Notsup);
}

/** The contract's buffer rule: the full length always, capacity 0 a size query, short `range`. */
function writeSized(memory: GuestMemory, out: Uint8Array, data: Uint8Array, retSize: number): void {
  memory.setU32(retSize, data.length);
  if (out.length === 0) return;
  if (out.length < data.length) throw fail(Errno.Range);
  memory.write(out.byteOffset, data);
}

/** The eight xattr calls over a sandbox (`deps`) and the store behind `store`. */
export function xattrCalls(deps: HostFsDeps, store: <T>(call: XattrCall) => T): Partial<HostFs> {
  const must = <T>(v: T | Failure): T => {
    if (v instanceof Failure) throw v;
    return v;
  };
  /** The identity of a path (`follow`: through a final symlink) and whether it is a link. */
  const pathFile = (fd: number, path: string, follow: number) => {
    const host = must(deps.resolve(fd | 0, path, follow !== 0));
    const st = fsCall(() => fs.lstatSync(host, { bigint: true }));
    return { key: xattrKey(st), link: st.isSymbolicLink(), root: deps.euid() === 0 };
  };
  const fdFile = (fd: number) => {
    const t = must(deps.target(fd));
    let st: fs.BigIntStats;
    if (t.kind === "file") st = fsCall(() => fs.fstatSync(t.osfd, { bigint: true }));
    else if (t.kind === "dir") st = fsCall(() => fs.lstatSync(t.path, { bigint: true }));
    // Pipes, sockets and the host's stdio have no inode the host can name.
    else throw fail(Errno.Notsup);
    return { key: xattrKey(st), link: false, root: deps.euid() === 0 };
  };
  type File = ReturnType<typeof fdFile>;
  /** Names visible to the caller: `trusted.` only to the (virtual) root. */
  const visible = (f: File, name: string) => f.root || !name.startsWith("trusted.");

  const get = (f: File, name: string, out: Uint8Array, retSize: number, memory: GuestMemory) => {
    checkName(name);
    if (!visible(f, name)) throw fail(Errno.Nodata);
    writeSized(memory, out, store<Uint8Array>({ fn: "get", key: f.key, name }), retSize);
  };
  const list = (f: File, out: Uint8Array, retSize: number, memory: GuestMemory) => {
    const names = store<string[]>({ fn: "list", key: f.key }).filter((n) => visible(f, n));
    writeSized(memory, out, enc.encode(names.map((n) => `${n}\0`).join("")), retSize);
  };
  const set = (f: File, name: string, value: Uint8Array, flags: number) => {
    checkName(name);
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) throw fail(Errno.Inval);
    if (value.length > SIZE_MAX) throw fail(Errno._2big);
    must(deps.mutating());
    // Linux keeps user attributes off symlinks; trusted ones need CAP_SYS_ADMIN.
    if (f.link && name.startsWith("user.")) throw fail(Errno.Perm);
    if (!visible(f, name)) throw fail(Errno.Perm);
    store({ fn: "set", key: f.key, name, value: value.slice(), flags });
  };
  const remove = (f: File, name: string) => {
    checkName(name);
    must(deps.mutating());
    if (!visible(f, name)) throw fail(Errno.Perm);
    store({ fn: "remove", key: f.key, name });
  };

  return {
    pathGetxattr: (fd, path, name, value, follow, retSize, ctx) => get(pathFile(fd, path, follow), name, value, retSize, ctx.memory),
    fdGetxattr: (fd, name, value, retSize, ctx) => get(fdFile(fd), name, value, retSize, ctx.memory),
    pathListxattr: (fd, path, out, follow, retSize, ctx) => list(pathFile(fd, path, follow), out, retSize, ctx.memory),
    fdListxattr: (fd, out, retSize, ctx) => list(fdFile(fd), out, retSize, ctx.memory),
    pathSetxattr: (fd, path, name, value, flags, follow) => set(pathFile(fd, path, follow), name, value, flags),
    fdSetxattr: (fd, name, value, flags) => set(fdFile(fd), name, value, flags),
    pathRemovexattr: (fd, path, name, follow) => remove(pathFile(fd, path, follow), name),
    fdRemovexattr: (fd, name) => remove(fdFile(fd), name),
  };
}

/** A Node fs call whose error becomes the errno it names. */
function fsCall<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw fail(errnoOf(error));
  }
}
