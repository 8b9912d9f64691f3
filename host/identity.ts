// host_user (a virtual root identity, two-entry passwd and group databases), host_system (a fixed
// uname) and host_tty (terminal queries on the Node process's own terminal descriptors and on
// pty_open pairs; stdin reads with a deadline), as the generated `HostUser`, `HostSystem` and
// `HostTty` interfaces.

import { isatty as hostIsatty } from "node:tty";
import {
  Errno,
  POLLIN,
  fail,
  loadTermiosCc,
  type GuestMemory,
  type HostSystem,
  type HostTty,
  type HostUser,
  type TermiosCc,
} from "../generated/ts/index.ts";
import type { Guest } from "./guest.ts";
import { pollDescriptors } from "./poll.ts";

const enc = new TextEncoder();
const KEEP = 0xffffffff;
const LINUX_EBADF = 9;
const LINUX_ENOTTY = 25;
/** Most bytes one `host_tty.read` returns. */
const TTY_READ_MAX = 65536;

const PASSWD = ["root:x:0:0:root:/root:/bin/sh", "nobody:x:65534:65534:nobody:/nonexistent:/bin/false"];

/** The group database (`name:x:gid:members`), served with the unstable `group_records`. */
const GROUPS = ["root:x:0:", "nogroup:x:65534:"];

const IDENTITY = ["localhost", "Linux", "6.0.0-abic", "#1 abic reference host", "wasm32", "(none)"];

/** Cooked defaults: icrnl | opost | onlcr | icanon | echo | isig; ^C ^\ ^Z ^D DEL ^U ^W. */
const COOKED_MODE = 0x3f;
const COOKED_CC: TermiosCc = { vintr: 3, vquit: 28, vsusp: 26, veof: 4, verase: 127, vkill: 21, vwerase: 23 };

interface Ids {
  r: number;
  e: number;
  s: number;
}

export interface IdentityModules {
  hostUser: Partial<HostUser>;
  hostSystem: Partial<HostSystem>;
  hostTty: Partial<HostTty>;
  /** The effective uid, for the permission checks of host_fs. */
  euid(): number;
}

export function identityModules(g: Guest, winsize: [number, number] | null = null): IdentityModules {
  const uid: Ids = { r: 0, e: 0, s: 0 };
  const gid: Ids = { r: 0, e: 0, s: 0 };
  let groups: number[] = [0];
  let termMode = COOKED_MODE;
  let termCc = { ...COOKED_CC };

  /** Root may set any id; others only one of their current ids. */
  const setIds = (ids: Ids, r: number, e: number, s: number) => {
    const mine = [ids.r, ids.e, ids.s];
    for (const v of [r, e, s]) if (v !== KEEP && uid.e !== 0 && !mine.includes(v)) throw fail(Errno.Perm);
    if (r !== KEEP) ids.r = r;
    if (e !== KEEP) ids.e = e;
    if (s !== KEEP) ids.s = s;
  };
  /** An account record: the full length goes to `*retLen`; a short buffer answers `range`. */
  const record = (line: string | undefined, buf: Uint8Array, retLen: number, memory: GuestMemory) => {
    if (line === undefined) throw fail(Errno.Noent);
    const bytes = enc.encode(line);
    memory.setU32(retLen, bytes.length);
    if (bytes.length > buf.length) throw fail(Errno.Range);
    buf.set(bytes);
  };
  /** Whether `fd` is open on a terminal of the Node process. */
  const terminal = (fd: number): boolean => {
    const d = g.fds.get(fd).desc;
    return (d.kind === "host" && hostIsatty(d.osfd)) || (d.kind === "pipe" && d.tty !== undefined);
  };
  /** The window size of a pty end, shared by both ends of the pair. */
  const ptySize = (fd: number): Int32Array | null => {
    const d = g.fds.get(fd).desc;
    return d.kind === "pipe" && d.tty ? d.tty.winsize : null;
  };
  const requireTty = (fd: number) => {
    if (!terminal(fd)) throw fail(Errno.Notty);
  };

  const hostUser: Partial<HostUser> = {
    getuid: () => uid.r,
    getgid: () => gid.r,
    geteuid: () => uid.e,
    getegid: () => gid.e,
    getresuid: () => ({ ruid: uid.r, euid: uid.e, suid: uid.s }),
    getresgid: () => ({ rgid: gid.r, egid: gid.e, sgid: gid.s }),
    setuid: (id) => setIds(uid, id, id, uid.e === 0 ? id : KEEP),
    seteuid: (id) => setIds(uid, KEEP, id, KEEP),
    setgid: (id) => setIds(gid, id, id, uid.e === 0 ? id : KEEP),
    setegid: (id) => setIds(gid, KEEP, id, KEEP),
    setreuid: (r, e) => setIds(uid, r >>> 0, e >>> 0, KEEP),
    setregid: (r, e) => setIds(gid, r >>> 0, e >>> 0, KEEP),
    setresuid: (r, e, s) => setIds(uid, r >>> 0, e >>> 0, s >>> 0),
    setresgid: (r, e, s) => setIds(gid, r >>> 0, e >>> 0, s >>> 0),
    getgroups: (capacity, ptr, ctx) => {
      if (capacity > 0) {
        if (capacity < groups.length) throw fail(Errno.Inval);
        ctx.memory.check(ptr, groups.length * 4, 4);
        groups.forEach((id, i) => ctx.memory.setU32(ptr + i * 4, id));
      }
      return groups.length;
    },
    setgroups: (count, ptr, ctx) => {
      if (count > 64) throw fail(Errno.Inval);
      ctx.memory.check(ptr, count * 4, 4);
      if (uid.e !== 0) throw fail(Errno.Perm);
      groups = Array.from({ length: count }, (_, i) => ctx.memory.getU32(ptr + i * 4));
    },
    getpwuid: (id, buf, retLen, ctx) => record(PASSWD.find((l) => l.split(":")[2] === String(id >>> 0)), buf, retLen, ctx.memory),
    getpwnam: (name, buf, retLen, ctx) => {
      if (enc.encode(name).length > 4096) throw fail(Errno.Nametoolong);
      record(PASSWD.find((l) => l.split(":")[0] === name), buf, retLen, ctx.memory);
    },
    getpwent: (index, buf, retLen, ctx) => record(PASSWD[index >>> 0], buf, retLen, ctx.memory),
    getgrgid: (id, buf, retLen, ctx) => record(GROUPS.find((l) => l.split(":")[2] === String(id >>> 0)), buf, retLen, ctx.memory),
    getgrnam: (name, buf, retLen, ctx) => {
      if (enc.encode(name).length > 4096) throw fail(Errno.Nametoolong);
      record(GROUPS.find((l) => l.split(":")[0] === name), buf, retLen, ctx.memory);
    },
    getgrent: (index, buf, retLen, ctx) => record(GROUPS[index >>> 0], buf, retLen, ctx.memory),
    isatty: (fd) => (terminal(fd) ? 1 : 0),
  };

  const hostSystem: Partial<HostSystem> = {
    getIdentity: (field, buf) => {
      const value = IDENTITY[field >>> 0];
      if (value === undefined) throw fail(Errno.Inval);
      const bytes = enc.encode(value + "\0");
      if (buf.length === 0 || bytes.length > buf.length) throw fail(Errno.Nametoolong);
      buf.set(bytes);
    },
  };

  const hostTty: Partial<HostTty> = {
    read: (buf, timeoutMs, ctx) => {
      if (buf.length === 0 || !g.fds.has(0)) return 0;
      const at = buf.byteOffset;
      const [ready] = pollDescriptors(g, [{ fd: 0, events: POLLIN }], timeoutMs === 0xffffffff ? -1 : timeoutMs);
      if (!ready) return 0;
      const bytes = g.read(g.fds.get(0), Math.min(buf.length, TTY_READ_MAX));
      ctx.memory.write(at, bytes);
      return bytes.length;
    },
    isatty: (fd) => {
      try {
        return terminal(fd) ? 1 : 0;
      } catch {
        return 0;
      }
    },
    getSize: (fd, cols, rows, ctx) => {
      if (!g.fds.has(fd)) return LINUX_EBADF;
      if (!terminal(fd)) return LINUX_ENOTTY;
      const pty = ptySize(fd);
      const [c, r] = pty ? [pty[0]!, pty[1]!] : (winsize ?? [80, 24]);
      ctx.memory.setU16(cols, c);
      ctx.memory.setU16(rows, r);
      return 0;
    },
    setSize: (fd, cols, rows) => {
      if (cols > 0xffff || rows > 0xffff) throw fail(Errno.Inval);
      requireTty(fd);
      const pty = ptySize(fd);
      if (pty) pty.set([cols, rows]);
      else winsize = [cols, rows];
    },
    getAttr: (fd) => {
      requireTty(fd);
      return { mode: termMode, cc: { ...termCc } };
    },
    setAttr: (fd, mode, ccPtr, ctx) => {
      const cc = loadTermiosCc(ctx.memory.current(), ccPtr);
      requireTty(fd);
      if (mode & ~0x3f) throw fail(Errno.Inval);
      termMode = mode;
      termCc = cc;
    },
    getPgrp: (fd) => {
      requireTty(fd);
      return 1;
    },
    setPgrp: (fd) => requireTty(fd),
    getSid: (fd) => {
      requireTty(fd);
      return 1;
    },
    setRawMode: () => {
      try {
        return terminal(0) ? 0 : LINUX_ENOTTY;
      } catch {
        return LINUX_ENOTTY;
      }
    },
  };

  return { hostUser, hostSystem, hostTty, euid: () => uid.e };
}
