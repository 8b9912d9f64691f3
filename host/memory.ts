// Bounds-checked access to a guest's linear memory. Every range is checked before use and a
// range outside memory throws `Errno(fault)`; views are made fresh on each call because
// `memory.grow` detaches the old buffer.

import { E, Errno } from "./errno.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export class GuestMemory {
  constructor(private readonly memory: () => WebAssembly.Memory) {}

  /** Throws `fault` unless [ptr, ptr+len) lies inside memory. */
  check(ptr: number, len: number): void {
    const size = this.memory().buffer.byteLength;
    ptr >>>= 0;
    if (len < 0 || ptr + len > size) throw new Errno(E.fault);
  }

  private view(ptr: number, len: number): DataView {
    this.check(ptr, len);
    return new DataView(this.memory().buffer, ptr >>> 0, len);
  }

  u8(ptr: number): number {
    return this.view(ptr, 1).getUint8(0);
  }
  u16(ptr: number): number {
    return this.view(ptr, 2).getUint16(0, true);
  }
  u32(ptr: number): number {
    return this.view(ptr, 4).getUint32(0, true);
  }
  i32(ptr: number): number {
    return this.view(ptr, 4).getInt32(0, true);
  }
  u64(ptr: number): bigint {
    return this.view(ptr, 8).getBigUint64(0, true);
  }
  setU8(ptr: number, v: number): void {
    this.view(ptr, 1).setUint8(0, v);
  }
  setU16(ptr: number, v: number): void {
    this.view(ptr, 2).setUint16(0, v, true);
  }
  setU32(ptr: number, v: number): void {
    this.view(ptr, 4).setUint32(0, v >>> 0, true);
  }
  setU64(ptr: number, v: bigint | number): void {
    this.view(ptr, 8).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  }

  /** A copy of guest bytes. */
  read(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return new Uint8Array(this.memory().buffer, ptr >>> 0, len).slice();
  }
  /** A live view of guest bytes, valid until the next host suspension point or grow. */
  slice(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return new Uint8Array(this.memory().buffer, ptr >>> 0, len);
  }
  write(ptr: number, bytes: Uint8Array): void {
    this.slice(ptr, bytes.length).set(bytes);
  }
  /** UTF-8 text; invalid UTF-8 answers `ilseq`-class `inval`. */
  string(ptr: number, len: number): string {
    try {
      return utf8.decode(this.slice(ptr, len));
    } catch (error) {
      if (error instanceof Errno) throw error;
      throw new Errno(E.inval);
    }
  }

  /** Reads an iovec/ciovec array (8 bytes each: buf u32, len u32), checking every range. */
  iovecs(ptr: number, count: number): { buf: number; len: number }[] {
    if (count > 1024) throw new Errno(E.inval);
    const out = [];
    for (let i = 0; i < count; i++) {
      const buf = this.u32(ptr + i * 8);
      const len = this.u32(ptr + i * 8 + 4);
      this.check(buf, len);
      out.push({ buf, len });
    }
    return out;
  }
}
