// A pipe is a SharedArrayBuffer ring buffer shared by the workers (and the main thread) that
// hold its ends. Reference counts of readers and writers live in the buffer itself: a read
// returns 0 (EOF) once the ring is empty and no writer is left; a write with no reader left
// answers `pipe`. Every state change bumps a sequence word that waiters `Atomics.wait` on.

import { Errno, fail } from "../generated/ts/index.ts";

const READ = 0; // total bytes consumed (wrapping int32 counter)
const WRITE = 1; // total bytes produced
const READERS = 2;
const WRITERS = 3;
const SEQ = 4;
const CAPACITY = 5;
const HEADER = 32;

/** Default ring size; also what a write-ready pipe reports to `poll_oneoff`. */
export const PIPE_CAPACITY = 65536;

export type PipeEnd = "r" | "w";

export class Pipe {
  readonly header: Int32Array;
  readonly data: Uint8Array;

  constructor(readonly sab: SharedArrayBuffer) {
    this.header = new Int32Array(sab, 0, HEADER / 4);
    this.data = new Uint8Array(sab, HEADER);
  }

  /** A new pipe with one reader and one writer reference. */
  static create(capacity = PIPE_CAPACITY): Pipe {
    const pipe = new Pipe(new SharedArrayBuffer(HEADER + capacity));
    pipe.header[CAPACITY] = capacity;
    pipe.header[READERS] = 1;
    pipe.header[WRITERS] = 1;
    return pipe;
  }

  get capacity(): number {
    return this.header[CAPACITY]!;
  }
  get seq(): number {
    return Atomics.load(this.header, SEQ);
  }
  available(): number {
    return (Atomics.load(this.header, WRITE) - Atomics.load(this.header, READ)) | 0;
  }
  readers(): number {
    return Atomics.load(this.header, READERS);
  }
  writers(): number {
    return Atomics.load(this.header, WRITERS);
  }

  addRef(end: PipeEnd): void {
    Atomics.add(this.header, end === "r" ? READERS : WRITERS, 1);
    this.bump();
  }
  release(end: PipeEnd): void {
    Atomics.sub(this.header, end === "r" ? READERS : WRITERS, 1);
    this.bump();
  }

  private bump(): void {
    Atomics.add(this.header, SEQ, 1);
    Atomics.notify(this.header, SEQ);
  }

  /** Waits (at most `ms`) for the next state change after `seq`. */
  wait(seq: number, ms: number): void {
    Atomics.wait(this.header, SEQ, seq, ms);
  }

  /** Readable without blocking: data is buffered, or every writer is gone (EOF). */
  readReady(): boolean {
    return this.available() > 0 || this.writers() === 0;
  }
  writeReady(): boolean {
    return this.available() < this.capacity || this.readers() === 0;
  }

  /**
   * Copies up to `max` bytes out, or returns null when it would block. Returns an empty
   * array at EOF.
   */
  tryRead(max: number): Uint8Array | null {
    const avail = this.available();
    if (avail === 0) return this.writers() === 0 ? new Uint8Array(0) : null;
    const n = Math.min(avail, max);
    const out = new Uint8Array(n);
    const start = Atomics.load(this.header, READ) >>> 0;
    for (let i = 0; i < n; i++) out[i] = this.data[(start + i) % this.capacity]!;
    Atomics.add(this.header, READ, n);
    this.bump();
    return out;
  }

  /** Copies as much of `bytes` in as fits; returns the count (0 when full). */
  tryWrite(bytes: Uint8Array): number {
    if (this.readers() === 0) throw fail(Errno.Pipe);
    const space = this.capacity - this.available();
    const n = Math.min(space, bytes.length);
    if (n === 0) return 0;
    const start = Atomics.load(this.header, WRITE) >>> 0;
    for (let i = 0; i < n; i++) this.data[(start + i) % this.capacity] = bytes[i]!;
    Atomics.add(this.header, WRITE, n);
    this.bump();
    return n;
  }
}
