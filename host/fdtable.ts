// A guest process's descriptor table. Entries point at shared open-file descriptions (dup
// shares the offset); a description is released when its last descriptor closes. Specs are
// the structured-clone form a description takes to cross to a child process.

import { closeSync, constants, openSync } from "node:fs";
import { Errno, Fdflags, fail } from "../generated/ts/index.ts";
import { errnoOf } from "./errno.ts";
import { FileOffset } from "./file-offset.ts";
import type { NetClient } from "./net.ts";
import { Pipe, type PipeEnd } from "./pipe.ts";

/** How a description travels to another worker (spawn stdio, inherited fds). */
export type DescriptorSpec =
  | { kind: "host"; osfd: number; readable: boolean; writable: boolean }
  | { kind: "pipe"; sab: SharedArrayBuffer; end: PipeEnd; tty?: TtySpec }
  | { kind: "file"; hostPath: string; readable: boolean; writable: boolean; append: boolean; sync?: number; offset: SharedArrayBuffer }
  | { kind: "dir"; root: string; rel: string[]; preopen: string | null }
  | { kind: "socket"; id: number; type: "stream" | "dgram"; peer?: number; shared: SharedArrayBuffer };

export type Description =
  /** A descriptor of the Node process itself (the CLI's stdio); never closed by the host. */
  | { kind: "host"; osfd: number; readable: boolean; writable: boolean }
  /** A pipe end; with `tty`, one end of a pty: reads `pipe` (end "r"), writes `tty.out`. */
  | { kind: "pipe"; pipe: Pipe; end: PipeEnd; tty?: TtySide }
  | {
      kind: "file";
      osfd: number;
      hostPath: string;
      readable: boolean;
      writable: boolean;
      append: boolean;
      /** The synchronized-I/O `fdflags` it was opened with (`dsync`, `rsync`, `sync`); fixed. */
      sync?: number;
      /** The description's offset, shared with every process it was handed to. */
      offset: FileOffset;
      /** An `open_tmpfile` file (host_fs): `linkable` by fd_link, or `never` (`o_excl`). */
      tmpfile?: "linkable" | "never";
      /** Opened for direct I/O (`o_direct`, `set_open_direct`): recorded, not applied. */
      direct?: boolean;
    }
  /** A directory inside a sandbox root: `rel` are the components below `root`. */
  | { kind: "dir"; root: string; rel: string[]; preopen: string | null }
  /**
   * A socket: `id` names it in the main thread's NetKernel; `peer` is the other end of a
   * socketpair (where SCM_RIGHTS go); `shared` counts the descriptions of it in every process
   * once it has been handed to another one (the last closes it).
   */
  | { kind: "socket"; id: number; type: "stream" | "dgram"; net: NetClient; peer?: number; shared?: Int32Array };

/** The terminal side of a pty end: the pipe it writes and the pair's shared window size. */
export interface TtySide {
  out: Pipe;
  /** [cols, rows], shared by both ends. */
  winsize: Int32Array;
  master: boolean;
}
type TtySpec = { out: SharedArrayBuffer; winsize: SharedArrayBuffer; master: boolean };

export class OpenFile {
  refs = 1;
  nonblock = false;
  /** Runs when the last descriptor closes (drops a flock held by this description). */
  onRelease: (() => void) | null = null;
  constructor(readonly desc: Description) {}

  release(): void {
    if (--this.refs > 0) return;
    try {
      this.onRelease?.();
    } catch {
      // The process is ending: its locks are dropped when it exits.
    }
    const d = this.desc;
    if (d.kind === "pipe") {
      d.pipe.release(d.end);
      d.tty?.out.release("w");
    } else if (d.kind === "socket") {
      if (!d.shared || Atomics.sub(d.shared, 0, 1) === 1) d.net.close(d.id);
    } else if (d.kind === "file") {
      try {
        closeSync(d.osfd);
      } catch {
        // Already gone: nothing left to release.
      }
    }
  }
}

interface Entry {
  file: OpenFile;
  cloexec: boolean;
}

/** The guest fd limit of the command contract. */
export const FD_LIMIT = 1 << 20;

export class FdTable {
  private readonly entries = new Map<number, Entry>();
  /** Preopened directories kept out of the fd namespace (`--preopens hidden`). */
  private readonly hidden: OpenFile[] = [];

  get(fd: number): OpenFile {
    const entry = this.entries.get(fd);
    if (!entry) throw fail(Errno.Badf);
    return entry.file;
  }
  entry(fd: number): Entry {
    const entry = this.entries.get(fd);
    if (!entry) throw fail(Errno.Badf);
    return entry;
  }
  has(fd: number): boolean {
    return this.entries.has(fd);
  }
  numbers(): number[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }

  /** Installs `file` at the lowest free number >= `min`; the table takes the caller's reference. */
  add(file: OpenFile, min = 0): number {
    let fd = Math.max(0, min);
    while (this.entries.has(fd)) fd++;
    if (fd >= FD_LIMIT) {
      file.release();
      throw fail(Errno.Mfile);
    }
    this.entries.set(fd, { file, cloexec: false });
    return fd;
  }
  /** Installs `file` at exactly `fd`, closing what was there. */
  put(fd: number, file: OpenFile): void {
    if (fd < 0 || fd >= FD_LIMIT) throw fail(Errno.Badf);
    this.close(fd, true);
    this.entries.set(fd, { file, cloexec: false });
  }
  close(fd: number, quiet = false): void {
    const entry = this.entries.get(fd);
    if (!entry) {
      if (quiet) return;
      throw fail(Errno.Badf);
    }
    this.entries.delete(fd);
    entry.file.release();
  }
  dup(fd: number, min = 0): number {
    const file = this.get(fd);
    file.refs++;
    return this.add(file, min);
  }
  /** Moves the descriptor `from` (with its cloexec flag) onto `to`, which must be open. */
  renumber(from: number, to: number): void {
    const entry = this.entry(from);
    this.entry(to);
    if (from === to) return;
    this.entries.delete(from);
    this.close(to);
    this.entries.set(to, entry);
  }
  dup2(from: number, to: number): void {
    const file = this.get(from);
    if (from === to) return;
    file.refs++;
    this.put(to, file);
  }
  closeAll(): void {
    for (const fd of [...this.entries.keys()]) this.close(fd, true);
    for (const file of this.hidden.splice(0)) file.release();
  }

  /** Keeps a preopened directory as a capability with no number (the hidden presentation). */
  hide(file: OpenFile): void {
    this.hidden.push(file);
  }
  /** The preopened directories, numbered or hidden: the mappings `fd_cwd` paths resolve in. */
  preopens(): Extract<Description, { kind: "dir" }>[] {
    const dirs: Extract<Description, { kind: "dir" }>[] = [];
    for (const file of [...[...this.entries.values()].map((e) => e.file), ...this.hidden])
      if (file.desc.kind === "dir" && file.desc.preopen !== null) dirs.push(file.desc);
    return dirs;
  }

  /** The spec of a description for another process, holding a new reference for it. */
  exportSpec(fd: number): DescriptorSpec {
    const d = this.get(fd).desc;
    switch (d.kind) {
      case "host":
        return { ...d };
      case "pipe":
        d.pipe.addRef(d.end);
        if (!d.tty) return { kind: "pipe", sab: d.pipe.sab, end: d.end };
        d.tty.out.addRef("w");
        return { kind: "pipe", sab: d.pipe.sab, end: d.end, tty: { out: d.tty.out.sab, winsize: d.tty.winsize.buffer as SharedArrayBuffer, master: d.tty.master } };
      case "file":
        return {
          kind: "file",
          hostPath: d.hostPath,
          readable: d.readable,
          writable: d.writable,
          append: d.append,
          ...(d.sync ? { sync: d.sync } : {}),
          offset: d.offset.share(),
        };
      case "dir":
        return { kind: "dir", root: d.root, rel: [...d.rel], preopen: d.preopen };
      case "socket":
        if (!d.shared) d.shared = new Int32Array(new SharedArrayBuffer(4)).fill(1);
        Atomics.add(d.shared, 0, 1);
        return { kind: "socket", id: d.id, type: d.type, ...(d.peer === undefined ? {} : { peer: d.peer }), shared: d.shared.buffer as SharedArrayBuffer };
    }
  }
}

/** The OS open flags of the synchronized-I/O `fdflags` bits (Linux's O_RSYNC is O_SYNC). */
export function syncOpenFlags(fdflags: number): number {
  return (fdflags & Fdflags.Dsync ? constants.O_DSYNC : 0) | (fdflags & (Fdflags.Rsync | Fdflags.Sync) ? constants.O_SYNC : 0);
}

/** Gives back the reference an exported spec holds (a spawn that failed). */
export function releaseSpec(spec: DescriptorSpec): void {
  if (spec.kind === "pipe") {
    new Pipe(spec.sab).release(spec.end);
    if (spec.tty) new Pipe(spec.tty.out).release("w");
  }
  if (spec.kind === "socket") Atomics.sub(new Int32Array(spec.shared), 0, 1);
}

/** Opens a spec in this process, taking over the reference it holds (`net` serves sockets). */
export function adoptSpec(spec: DescriptorSpec, net?: NetClient): OpenFile {
  switch (spec.kind) {
    case "socket": {
      if (!net) throw fail(Errno.Notsup);
      const { shared, ...rest } = spec;
      return new OpenFile({ ...rest, net, shared: new Int32Array(shared) });
    }
    case "host":
      return new OpenFile({ ...spec });
    case "pipe": {
      const t = spec.tty;
      const tty = t ? { out: new Pipe(t.out), winsize: new Int32Array(t.winsize), master: t.master } : undefined;
      return new OpenFile({ kind: "pipe", pipe: new Pipe(spec.sab), end: spec.end, ...(tty ? { tty } : {}) });
    }
    case "dir":
      return new OpenFile({ kind: "dir", root: spec.root, rel: spec.rel, preopen: spec.preopen });
    case "file": {
      // The child reopens the file by path; its descriptor shares the description's offset.
      const mode = spec.readable && spec.writable ? constants.O_RDWR : spec.writable ? constants.O_WRONLY : constants.O_RDONLY;
      let osfd: number;
      try {
        osfd = openSync(spec.hostPath, mode | (spec.append ? constants.O_APPEND : 0) | syncOpenFlags(spec.sync ?? 0));
      } catch (error) {
        throw fail(errnoOf(error));
      }
      return new OpenFile({ ...spec, kind: "file", osfd, offset: new FileOffset(spec.offset) });
    }
  }
}
