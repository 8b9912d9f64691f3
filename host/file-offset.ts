// The offset of a regular file's open file description, shared by every process holding it
// (dup, spawn, SCM_RIGHTS): a position and a lock word in a SharedArrayBuffer, so a parent and
// a child writing one inherited descriptor advance the same offset, as POSIX processes do.

/** Layout: the position (i64) at byte 0, the lock word (i32, 1 = held) at byte 8. */
const BYTES = 16;

export class FileOffset {
  private readonly position: BigInt64Array;
  private readonly lockWord: Int32Array;

  constructor(readonly sab: SharedArrayBuffer = new SharedArrayBuffer(BYTES)) {
    this.position = new BigInt64Array(sab, 0, 1);
    this.lockWord = new Int32Array(sab, 8, 1);
  }

  get(): number {
    return Number(Atomics.load(this.position, 0));
  }
  set(position: number): void {
    Atomics.store(this.position, 0, BigInt(position));
  }

  /**
   * Runs `f` holding the description's lock, so a read or write and the offset update it
   * makes are one step for every process (Linux holds `f_pos_lock` the same way). Workers
   * only: the critical section is one file system call, never a guest callback.
   */
  locked<T>(f: () => T): T {
    while (Atomics.compareExchange(this.lockWord, 0, 0, 1) !== 0) Atomics.wait(this.lockWord, 0, 1);
    try {
      return f();
    } finally {
      Atomics.store(this.lockWord, 0, 0);
      Atomics.notify(this.lockWord, 0, 1);
    }
  }
}
