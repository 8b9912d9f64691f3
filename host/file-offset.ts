// The offset of a regular file's open file description, shared by every process holding it
// (dup, spawn, SCM_RIGHTS): a position and a lock word in a SharedArrayBuffer, so a parent and
// a child writing one inherited descriptor advance the same offset, as POSIX processes do.
// Hot paths use lock()/unlock() and get(osfd) rather than callbacks: a closure made per call
// costs more than the offset arithmetic.

import { fstatSync } from "node:fs";

/** Layout: the position (f64, exact to 2^53) at byte 0, the lock word (i32, 1 = held) at byte 8. */
const BYTES = 16;

/** The position after an append write: the end of the file, read when someone needs it. */
const AT_END = -1;

export class FileOffset {
  readonly sab: SharedArrayBuffer;
  private readonly position: Float64Array;
  private readonly lockWord: Int32Array;
  /**
   * Whether another process may hold the description. Until then the lock is skipped: a
   * worker is single-threaded, so only another process can interleave with it.
   */
  private shared: boolean;

  /** A new offset, or (with `sab`) one handed over by another process. */
  constructor(sab?: SharedArrayBuffer) {
    this.sab = sab ?? new SharedArrayBuffer(BYTES);
    this.shared = sab !== undefined;
    this.position = new Float64Array(this.sab, 0, 1);
    this.lockWord = new Int32Array(this.sab, 8, 1);
  }

  /** The buffer to hand to another process; from now on every access takes the lock. */
  share(): SharedArrayBuffer {
    this.shared = true;
    return this.sab;
  }

  /** The position; after an append write, the size of the file open as `osfd`. */
  get(osfd: number): number {
    const at = this.position[0]!;
    return at === AT_END ? fstatSync(osfd).size : at;
  }
  set(position: number): void {
    this.position[0] = position;
  }
  /** Records an append write: the offset is the end of the file, whatever others append. */
  setAtEnd(): void {
    this.position[0] = AT_END;
  }

  /**
   * Runs `f` holding the description's lock, so a read or write and the offset update it
   * makes are one step for every process (Linux holds `f_pos_lock` the same way). The lock's
   * atomics order the plain accesses to the position. Workers only: the critical section is
   * one file system call, never a guest callback.
   */
  locked<T>(f: () => T): T {
    this.lock();
    try {
      return f();
    } finally {
      this.unlock();
    }
  }

  /** Takes the lock (see `locked`); every lock() is followed by unlock() in a `finally`. */
  lock(): void {
    if (!this.shared) return;
    while (Atomics.compareExchange(this.lockWord, 0, 0, 1) !== 0) Atomics.wait(this.lockWord, 0, 1);
  }
  unlock(): void {
    if (!this.shared) return;
    Atomics.store(this.lockWord, 0, 0);
    Atomics.notify(this.lockWord, 0, 1);
  }
}
