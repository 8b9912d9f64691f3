// POSIX record locks (`fcntl` F_GETLK/F_SETLK/F_SETLKW) on the main thread, shared by every
// process: byte ranges of a file (keyed by device and inode) owned by a process, dropped
// when it unlocks them or exits.

import { Errno, LockCmd, LockType, fail } from "../generated/ts/index.ts";

export type RecordLockCall = { file: string; pid: number; cmd: number; type: number; start: number; end: number };

/** A held range: [start, end), `end` Infinity for "to end of file". */
interface Range {
  pid: number;
  type: number;
  start: number;
  end: number;
}

export interface Conflict {
  type: number;
  pid: number;
  start: number;
  /** 0 = to end of file. */
  len: number;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

export class RecordLockTable {
  private readonly files = new Map<string, Range[]>();
  private waiters: (() => void)[] = [];

  /** Applies one call: `getlk` answers the first conflict (or null); `setlkw` waits for it to go. */
  async apply(c: RecordLockCall): Promise<Conflict | null> {
    for (;;) {
      const conflict = this.conflict(c);
      if (c.cmd === LockCmd.Getlk) return conflict;
      if (!conflict || c.type === LockType.Unlck) {
        this.set(c);
        return null;
      }
      if (c.cmd === LockCmd.Setlk) throw fail(Errno.Again);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private conflict(c: RecordLockCall): Conflict | null {
    if (c.type === LockType.Unlck) return null;
    const held = (this.files.get(c.file) ?? []).find(
      (r) => r.pid !== c.pid && overlaps(r, c) && (r.type === LockType.Wrlck || c.type === LockType.Wrlck),
    );
    return held ? { type: held.type, pid: held.pid, start: held.start, len: held.end === Infinity ? 0 : held.end - held.start } : null;
  }

  /** Replaces the caller's locks over [start, end) with the new type (none for `unlck`). */
  private set(c: RecordLockCall): void {
    const next: Range[] = [];
    for (const r of this.files.get(c.file) ?? []) {
      if (r.pid !== c.pid || !overlaps(r, c)) {
        next.push(r);
        continue;
      }
      if (r.start < c.start) next.push({ ...r, end: c.start });
      if (r.end > c.end) next.push({ ...r, start: c.end });
    }
    if (c.type !== LockType.Unlck) next.push({ pid: c.pid, type: c.type, start: c.start, end: c.end });
    if (next.length) this.files.set(c.file, next);
    else this.files.delete(c.file);
    this.wake();
  }

  /** Drops every lock of a process that exited. */
  release(pid: number): void {
    for (const [file, ranges] of this.files) {
      const kept = ranges.filter((r) => r.pid !== pid);
      if (kept.length) this.files.set(file, kept);
      else this.files.delete(file);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
