// host_user (a virtual root identity and a two-entry passwd database), host_system (a fixed
// uname) and host_tty (terminal queries on the Node process's own terminal descriptors).

import { isatty as hostIsatty } from "node:tty";
import { E, Errno } from "./errno.ts";
import type { Guest } from "./guest.ts";

type Fn = (...args: never[]) => number | void;

const enc = new TextEncoder();
const KEEP = 0xffffffff;
const LINUX_EBADF = 9;
const LINUX_ENOTTY = 25;

const PASSWD = ["root:x:0:0:root:/root:/bin/sh", "nobody:x:65534:65534:nobody:/nonexistent:/bin/false"];

const IDENTITY = ["localhost", "Linux", "6.0.0-abic", "#1 abic reference host", "wasm32", "(none)"];

/** Cooked defaults: icrnl | opost | onlcr | icanon | echo | isig; ^C ^\ ^Z ^D DEL ^U ^W. */
const COOKED_MODE = 0x3f;
const COOKED_CC = [3, 28, 26, 4, 127, 21, 23];

interface Ids {
  r: number;
  e: number;
  s: number;
}

export function identityModules(g: Guest, winsize: [number, number] | null = null) {
  const uid: Ids = { r: 0, e: 0, s: 0 };
  const gid: Ids = { r: 0, e: 0, s: 0 };
  let groups: number[] = [0];
  let termMode = COOKED_MODE;
  let termCc = [...COOKED_CC];

  /** Root may set any id; others only one of their current ids. */
  const setIds = (ids: Ids, r: number, e: number, s: number) => {
    const mine = [ids.r, ids.e, ids.s];
    for (const v of [r, e, s]) if (v !== KEEP && uid.e !== 0 && !mine.includes(v)) throw new Errno(E.perm);
    if (r !== KEEP) ids.r = r;
    if (e !== KEEP) ids.e = e;
    if (s !== KEEP) ids.s = s;
  };
  const record = (line: string | undefined, buf: number, cap: number, retLen: number) => {
    g.mem.check(buf, cap);
    g.mem.check(retLen, 4);
    if (line === undefined) throw new Errno(E.noent);
    const bytes = enc.encode(line);
    g.mem.setU32(retLen, bytes.length);
    if (bytes.length > cap) throw new Errno(E.range);
    g.mem.write(buf, bytes);
  };
  const out32 = (ptr: number, v: number) => {
    g.mem.check(ptr, 4);
    g.mem.setU32(ptr, v);
  };
  /** Whether `fd` is open on a terminal of the Node process. */
  const terminal = (fd: number): boolean => {
    const d = g.fds.get(fd).desc;
    return d.kind === "host" && hostIsatty(d.osfd);
  };
  const requireTty = (fd: number) => {
    if (!terminal(fd)) throw new Errno(E.notty);
  };

  const hostUser: Record<string, Fn> = {
    getuid: (out: number) => out32(out, uid.r),
    getgid: (out: number) => out32(out, gid.r),
    geteuid: (out: number) => out32(out, uid.e),
    getegid: (out: number) => out32(out, gid.e),
    getresuid: (r: number, e: number, s: number) => {
      for (const p of [r, e, s]) g.mem.check(p, 4);
      out32(r, uid.r);
      out32(e, uid.e);
      out32(s, uid.s);
    },
    getresgid: (r: number, e: number, s: number) => {
      for (const p of [r, e, s]) g.mem.check(p, 4);
      out32(r, gid.r);
      out32(e, gid.e);
      out32(s, gid.s);
    },
    setuid: (id: number) => setIds(uid, id, id, uid.e === 0 ? id : KEEP),
    seteuid: (id: number) => setIds(uid, KEEP, id, KEEP),
    setgid: (id: number) => setIds(gid, id, id, uid.e === 0 ? id : KEEP),
    setegid: (id: number) => setIds(gid, KEEP, id, KEEP),
    setreuid: (r: number, e: number) => setIds(uid, r >>> 0, e >>> 0, KEEP),
    setregid: (r: number, e: number) => setIds(gid, r >>> 0, e >>> 0, KEEP),
    setresuid: (r: number, e: number, s: number) => setIds(uid, r >>> 0, e >>> 0, s >>> 0),
    setresgid: (r: number, e: number, s: number) => setIds(gid, r >>> 0, e >>> 0, s >>> 0),
    getgroups: (capacity: number, ptr: number, out: number) => {
      g.mem.check(out, 4);
      if (capacity > 0) {
        if (capacity < groups.length) throw new Errno(E.inval);
        g.mem.check(ptr, groups.length * 4);
        groups.forEach((id, i) => g.mem.setU32(ptr + i * 4, id));
      }
      g.mem.setU32(out, groups.length);
    },
    setgroups: (count: number, ptr: number) => {
      if (count > 64) throw new Errno(E.inval);
      g.mem.check(ptr, count * 4);
      if (uid.e !== 0) throw new Errno(E.perm);
      groups = Array.from({ length: count }, (_, i) => g.mem.u32(ptr + i * 4));
    },
    getpwuid: (id: number, buf: number, cap: number, retLen: number) =>
      record(PASSWD.find((l) => l.split(":")[2] === String(id >>> 0)), buf, cap, retLen),
    getpwnam: (namePtr: number, nameLen: number, buf: number, cap: number, retLen: number) => {
      if (nameLen > 4096) throw new Errno(E.nametoolong);
      const name = g.mem.string(namePtr, nameLen);
      record(PASSWD.find((l) => l.split(":")[0] === name), buf, cap, retLen);
    },
    getpwent: (index: number, buf: number, cap: number, retLen: number) => record(PASSWD[index >>> 0], buf, cap, retLen),
    isatty: (fd: number, out: number) => {
      g.mem.check(out, 4);
      g.mem.setU32(out, terminal(fd) ? 1 : 0);
    },
  };

  const hostSystem: Record<string, Fn> = {
    get_identity: (field: number, buf: number, cap: number) => {
      g.mem.check(buf, cap);
      const value = IDENTITY[field >>> 0];
      if (value === undefined) throw new Errno(E.inval);
      const bytes = enc.encode(value + "\0");
      if (cap === 0 || bytes.length > cap) throw new Errno(E.nametoolong);
      g.mem.write(buf, bytes);
    },
  };

  const hostTty: Record<string, Fn> = {
    isatty: (fd: number) => {
      try {
        return terminal(fd) ? 1 : 0;
      } catch {
        return 0;
      }
    },
    get_size: (fd: number, cols: number, rows: number) => {
      g.mem.check(cols, 2);
      g.mem.check(rows, 2);
      if (!g.fds.has(fd)) return LINUX_EBADF;
      if (!terminal(fd)) return LINUX_ENOTTY;
      const [c, r] = winsize ?? [80, 24];
      g.mem.setU16(cols, c);
      g.mem.setU16(rows, r);
      return 0;
    },
    set_size: (fd: number, cols: number, rows: number) => {
      if (cols >>> 0 > 0xffff || rows >>> 0 > 0xffff) throw new Errno(E.inval);
      requireTty(fd);
      winsize = [cols, rows];
    },
    get_attr: (fd: number, modePtr: number, ccPtr: number) => {
      g.mem.check(modePtr, 4);
      g.mem.check(ccPtr, 7);
      requireTty(fd);
      g.mem.setU32(modePtr, termMode);
      g.mem.write(ccPtr, Uint8Array.from(termCc));
    },
    set_attr: (fd: number, mode: number, ccPtr: number) => {
      const cc = g.mem.read(ccPtr, 7);
      requireTty(fd);
      if (mode & ~0x3f) throw new Errno(E.inval);
      termMode = mode;
      termCc = [...cc];
    },
    get_pgrp: (fd: number, out: number) => {
      g.mem.check(out, 4);
      requireTty(fd);
      g.mem.setU32(out, 1);
    },
    set_pgrp: (fd: number, _pgid: number) => requireTty(fd),
    get_sid: (fd: number, out: number) => {
      g.mem.check(out, 4);
      requireTty(fd);
      g.mem.setU32(out, 1);
    },
    set_raw_mode: (_enabled: number) => {
      try {
        return terminal(0) ? 0 : LINUX_ENOTTY;
      } catch {
        return LINUX_ENOTTY;
      }
    },
  };

  return { host_user: hostUser, host_system: hostSystem, host_tty: hostTty };
}
