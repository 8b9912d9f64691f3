// Advisory whole-file locks (`flock`) on the main thread, shared by every process: a lock
// belongs to an open file description (`owner`), is keyed by the file's identity (device
// and inode), and goes away when the description is closed or its process exits.

import { Errno, fail } from "../generated/ts/index.ts";

export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

export type FlockCall = { file: string; owner: string; op: number };

interface FileLocks {
  shared: Set<string>;
  exclusive: string | null;
}

export class FlockTable {
  private readonly files = new Map<string, FileLocks>();
  private waiters: (() => void)[] = [];

  /** Applies `op` for `owner`; a conflicting lock waits unless `LOCK_NB` (then `again`). */
  async apply(c: FlockCall): Promise<void> {
    const kind = c.op & ~LOCK_NB;
    if (kind === LOCK_UN) return this.unlock(c.file, c.owner);
    if (kind !== LOCK_SH && kind !== LOCK_EX) throw fail(Errno.Inval);
    for (;;) {
      const locks = this.files.get(c.file) ?? { shared: new Set<string>(), exclusive: null };
      const others = [...locks.shared].some((o) => o !== c.owner) || (locks.exclusive !== null && locks.exclusive !== c.owner);
      const blocked = kind === LOCK_EX ? others : locks.exclusive !== null && locks.exclusive !== c.owner;
      if (!blocked) {
        // A conversion replaces the owner's previous lock (as flock(2)).
        locks.shared.delete(c.owner);
        if (locks.exclusive === c.owner) locks.exclusive = null;
        if (kind === LOCK_EX) locks.exclusive = c.owner;
        else locks.shared.add(c.owner);
        this.files.set(c.file, locks);
        this.wake();
        return;
      }
      if (c.op & LOCK_NB) throw fail(Errno.Again);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  unlock(file: string, owner: string): void {
    const locks = this.files.get(file);
    if (!locks) return;
    locks.shared.delete(owner);
    if (locks.exclusive === owner) locks.exclusive = null;
    if (locks.shared.size === 0 && locks.exclusive === null) this.files.delete(file);
    this.wake();
  }

  /** Drops every lock whose owner starts with `prefix` (a process that exited). */
  release(prefix: string): void {
    for (const [file, locks] of this.files) {
      for (const owner of [...locks.shared, locks.exclusive]) if (owner?.startsWith(prefix)) this.unlock(file, owner);
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
