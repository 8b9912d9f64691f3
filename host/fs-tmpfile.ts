// host_fs unnamed files and open latches: `open_tmpfile` (Node has no O_TMPFILE, so a hidden
// file is created in the directory and unlinked at once, its descriptor kept), `fd_link` (which
// cannot hard-link an unlinked file from Node, so it re-creates the content under the new name
// and moves the description onto it), and the `set_open_mode`/`set_open_direct` latches that
// host/wasi.ts's path_open consumes.

import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { join } from "node:path";
import { Errno, Failure, fail, type HostFs } from "../generated/ts/index.ts";
import { errnoOf } from "./errno.ts";
import { OpenFile } from "./fdtable.ts";
import { FileOffset } from "./file-offset.ts";
import type { HostFsDeps } from "./fs.ts";
import type { XattrCall } from "./fs-xattr.ts";
import { xattrKey } from "./fs-xattr.ts";
import type { Guest } from "./guest.ts";

/** `open_tmpfile` flag bits (wasi-libc values). */
const O_RDONLY = 0x04000000;
const O_WRONLY = 0x10000000;
const O_EXCL = 0x4000;
const O_DIRECT = 0x20000000;
const FD_APPEND = 1;
const FD_NONBLOCK = 4;
const KNOWN = O_RDONLY | O_WRONLY | O_EXCL | O_DIRECT | FD_APPEND | FD_NONBLOCK;
const COPY_CHUNK = 1 << 20;

function must<T>(v: T | Failure): T {
  if (v instanceof Failure) throw v;
  return v;
}

function fsCall<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw fail(errnoOf(error));
  }
}

export function tmpfileCalls(g: Guest, deps: HostFsDeps, store: <T>(call: XattrCall) => T): Partial<HostFs> {
  return {
    setOpenMode: (mode) => {
      g.openLatch.mode = mode & 0o7777;
    },
    setOpenDirect: (enabled) => {
      g.openLatch.direct = enabled !== 0;
    },

    openTmpfile: (dirFd, path, flags, mode) => {
      if (flags & ~KNOWN) throw fail(Errno.Inval);
      // Linux's O_TMPFILE rule: the file must be opened for writing.
      if (!(flags & O_WRONLY)) throw fail(Errno.Inval);
      const dir = must(deps.resolve(dirFd | 0, path, true));
      if (!fsCall(() => fs.statSync(dir)).isDirectory()) throw fail(Errno.Notdir);
      g.mutating();
      const c = fs.constants;
      const append = (flags & FD_APPEND) !== 0;
      const hidden = join(dir, `.abic-tmpfile-${g.pid}-${randomBytes(6).toString("hex")}`);
      // Read access at the host level whatever the guest asked: fd_link copies the content.
      const osfd = fsCall(() =>
        fs.openSync(hidden, c.O_RDWR | c.O_CREAT | c.O_EXCL | c.O_NOFOLLOW | (append ? c.O_APPEND : 0), mode & 0o7777 & ~g.umask),
      );
      fs.unlinkSync(hidden);
      // Children reopen a description by path; on Linux the open descriptor still names it.
      const self = `/proc/self/fd/${osfd}`;
      const file = new OpenFile({
        kind: "file",
        osfd,
        hostPath: fs.existsSync(self) ? self : hidden,
        readable: (flags & O_RDONLY) !== 0,
        writable: true,
        append,
        offset: new FileOffset(),
        tmpfile: flags & O_EXCL ? "never" : "linkable",
        ...(flags & O_DIRECT ? { direct: true } : {}),
      });
      file.nonblock = (flags & FD_NONBLOCK) !== 0;
      return g.fds.add(file);
    },

    fdLink: (fd, newDirFd, path) => {
      const d = g.fds.get(fd).desc;
      if (d.kind !== "file" || d.tmpfile === undefined) throw fail(Errno.Inval);
      const target = must(deps.resolve(newDirFd | 0, path, false));
      g.mutating();
      // linkat(2) on an O_TMPFILE|O_EXCL file: ENOENT.
      if (d.tmpfile === "never") throw fail(Errno.Noent);
      const st = fsCall(() => fs.fstatSync(d.osfd, { bigint: true }));
      if (st.nlink > 0n) {
        // Already named once: a plain hard link to that name.
        fsCall(() => fs.linkSync(d.hostPath, target));
        return;
      }
      const c = fs.constants;
      const out = fsCall(() => fs.openSync(target, c.O_WRONLY | c.O_CREAT | c.O_EXCL | c.O_NOFOLLOW, Number(st.mode) & 0o7777));
      let copied = false;
      try {
        const buf = new Uint8Array(COPY_CHUNK);
        for (let at = 0; ; ) {
          const n = fsCall(() => fs.readSync(d.osfd, buf, 0, buf.length, at));
          if (n === 0) break;
          fsCall(() => fs.writeSync(out, buf, 0, n, at));
          at += n;
        }
        copied = true;
      } finally {
        fs.closeSync(out);
        if (!copied) fs.rmSync(target, { force: true });
      }
      // The description moves onto the named file, so later I/O through any of its
      // descriptors lands there; the unnamed copy goes away with its last host descriptor.
      const osfd = fsCall(() => fs.openSync(target, c.O_RDWR | (d.append ? c.O_APPEND : 0)));
      store({ fn: "copy", key: xattrKey(st), to: xattrKey(fs.fstatSync(osfd, { bigint: true })) });
      fs.closeSync(d.osfd);
      d.osfd = osfd;
      d.hostPath = target;
    },
  };
}
