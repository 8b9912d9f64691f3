// The static support code every generated module file uses: checked guest memory with cached
// views, the error model (Failure / fail, ProcExit, the onError hook) and the Linker that
// decides which functions a guest may import. `abic gen` copies this file verbatim (after its
// banner) into every TypeScript output; the contract's own values come from contract.ts.
// Erasable syntax only, and an explicit type on everything exported, so the copy also runs
// under Node's type stripping and yields JavaScript and declarations without a compiler.
//
// Memory contract (what every generated import keeps):
// - Every pointer and length is checked against the current memory size before the
//   implementation is called. Pointers and lengths are u32; `ptr + len` is computed in float64,
//   where it is exact, so a range that wraps past 2^32 is out of range too. Pointers to a type
//   with alignment > 1 must be aligned. A bad range returns errno `fault` (GLUE_ERRNO.fault)
//   and the implementation is not called; nothing else happens.
// - Out-values (the `T` of `result<T, errno>`) are written only after the implementation returned
//   successfully; their ranges are validated up front, with the inputs.
// - Views over memory are cached. They are re-derived only when the buffer was detached (a
//   non-shared memory grew) or when a check does not fit the cached size (a shared memory may
//   have grown): memory never shrinks, so a range that fitted once keeps fitting. The success
//   path therefore does not touch `memory.buffer` at all.
// - Byte views handed to an implementation (`Uint8Array` for `list<u8>`/`buffer<u8>`) alias guest
//   memory with no copy. They are valid during the call only, and only until something grows the
//   memory (which detaches them): take a fresh view with `ctx.memory.bytes()` after that.
//
// Error contract:
// - An implementation fails by returning or throwing `fail(errno)` (a cached `Failure`).
//   Any thrown value with an integer `errno` property in 1..65535 maps to that errno too.
// - Any other exception is reported through `onError` and the call returns errno `io`
//   (GLUE_ERRNO.io); a plain-scalar function returns its documented error value instead.
//   Nothing but `ProcExit` ever propagates into the guest.
// - `ProcExit` is the deliberate exit: `proc_exit` throws it after its implementation
//   returns, and any implementation may throw it to end the guest (e.g. a fatal signal). It
//   unwinds the wasm stack up to the runtime's call of `_start`, which should catch it.
// - `string` parameters are decoded as strict UTF-8: invalid text returns errno `ilseq`
//   (GLUE_ERRNO.ilseq) without calling the implementation.
// - A parameter of a closed enum (one not marked `@open`) whose value no member has returns
//   errno `inval` (GLUE_ERRNO.inval) without calling the implementation.

import { GLUE_ERRNO, TIERS, type Tier } from "./contract.ts";

/** An errno failure. Instances are cached per errno: return or throw `fail(errno)`. */
export class Failure extends Error {
  readonly errno: number;

  constructor(errno: number) {
    super(`errno ${errno}`);
    this.errno = errno;
    this.name = "Failure";
  }
}

const failures = new Map<number, Failure>();

/** The cached `Failure` for an errno (1..65535); cheap enough for the hot path. */
export function fail(errno: number): Failure {
  let failure = failures.get(errno);
  if (failure === undefined) {
    if (!Number.isInteger(errno) || errno < 1 || errno > 0xffff) {
      throw new RangeError(`fail(${errno}): an errno is an integer in 1..65535`);
    }
    failure = new Failure(errno);
    failures.set(errno, failure);
  }
  return failure;
}

/** The deliberate exit of the guest; the only exception the glue lets through. */
export class ProcExit extends Error {
  readonly code: number;

  constructor(code: number) {
    super(`proc_exit(${code})`);
    this.code = code;
    this.name = "ProcExit";
  }
}

const FAULT = fail(GLUE_ERRNO.fault);
const EMPTY = new Uint8Array(0);

/** Where the guest's memory comes from: the memory itself, or a getter asked on first use. */
export type MemorySource = WebAssembly.Memory | (() => WebAssembly.Memory);

/**
 * Checked access to a guest's linear memory. Checked methods throw `fail(fault)` for a bad range,
 * which the glue turns into errno `fault`. `u8` and `view` are the cached views; use them only
 * for ranges that were already checked.
 */
export class GuestMemory {
  /** The cached byte view over all of memory (length 0 until bound, or once detached). */
  u8: Uint8Array = EMPTY;
  /** The cached DataView over the same buffer (little-endian accessors). */
  view: DataView = new DataView(EMPTY.buffer);
  private source: MemorySource | null;
  private memory: WebAssembly.Memory | null = null;
  private shared = false;

  constructor(source: MemorySource | null = null) {
    this.source = source;
  }

  /** Binds (or re-binds) the memory, e.g. an instance's exported `memory`. */
  bind(source: MemorySource): void {
    this.source = source;
    this.memory = null;
    this.refresh();
  }

  /** The current size in bytes. */
  get size(): number {
    this.refresh();
    return this.u8.length;
  }

  /** Re-derives the views from `memory.buffer` when its identity changed. */
  refresh(): void {
    if (this.memory === null) {
      const source = this.source;
      if (source === null)
        throw new Error("GuestMemory: no memory bound; pass memory/getMemory or call bind()");
      this.memory = typeof source === "function" ? source() : source;
      if (!(this.memory instanceof WebAssembly.Memory)) {
        this.memory = null;
        throw new Error("GuestMemory: the memory source did not give a WebAssembly.Memory");
      }
    }
    const buffer = this.memory.buffer;
    if (buffer !== this.u8.buffer || this.u8.length !== buffer.byteLength) {
      this.u8 = new Uint8Array(buffer);
      this.view = new DataView(buffer);
      this.shared = typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
    }
  }

  /**
   * Whether `[ptr, ptr + len)` lies in memory and `ptr` is a multiple of `align` (a power of
   * two). `ptr` and `len` must be u32 numbers. Refreshes the views only when the cached size
   * does not fit, so the hot path is two compares.
   */
  fits(ptr: number, len: number, align: number): boolean {
    if ((ptr & (align - 1)) !== 0) return false;
    const end = ptr + len;
    if (end <= this.u8.length) return true;
    this.refresh();
    return end <= this.u8.length;
  }

  /** Throws `fail(fault)` unless `fits(ptr, len, align)`. */
  check(ptr: number, len: number, align: number = 1): void {
    if (!isU32(ptr) || !isU32(len) || !this.fits(ptr, len, align)) throw FAULT;
  }

  /** The DataView, re-derived first if a grow detached it (for ranges checked earlier). */
  current(): DataView {
    if (this.u8.length === 0) this.refresh();
    return this.view;
  }

  /** A checked zero-copy view of `[ptr, ptr + len)`. */
  bytes(ptr: number, len: number): Uint8Array {
    // The checks are written out here, not delegated to check(): this is the hottest accessor,
    // and the extra call measured ~9 ns per use in `npm run bench`.
    if (ptr >>> 0 !== ptr || len >>> 0 !== len || !this.fits(ptr, len, 1)) throw FAULT;
    return this.u8.subarray(ptr, ptr + len);
  }

  /** Copies `data` into guest memory at `ptr` (checked). */
  write(ptr: number, data: Uint8Array): void {
    this.check(ptr, data.length);
    this.u8.set(data, ptr);
  }

  /** Decodes `[ptr, ptr + len)` as strict UTF-8; throws `fail(ilseq)` on invalid text (checked). */
  string(ptr: number, len: number): string {
    this.check(ptr, len);
    const text = this.decode(ptr, len);
    if (text === null) throw fail(GLUE_ERRNO.ilseq);
    return text;
  }

  /** Decodes an already-checked range as strict UTF-8, or null when it is not valid UTF-8. */
  decode(ptr: number, len: number): string | null {
    const u8 = this.u8;
    // Short ASCII strings (most paths) skip TextDecoder's call overhead. The range was checked,
    // so every index below is in bounds.
    if (len <= 32) {
      let ascii = "";
      for (let i = ptr, end = ptr + len; i < end; i++) {
        const c = u8[i]!;
        if (c >= 0x80)
          return decodeUtf8(this.shared ? u8.slice(ptr, ptr + len) : u8.subarray(ptr, ptr + len));
        ascii += String.fromCharCode(c);
      }
      return ascii;
    }
    return decodeUtf8(this.shared ? u8.slice(ptr, ptr + len) : u8.subarray(ptr, ptr + len));
  }

  /** Encodes `text` as UTF-8 into `[ptr, ptr + capacity)`; returns the byte count (checked). */
  encodeInto(text: string, ptr: number, capacity: number): number {
    const target = this.bytes(ptr, capacity);
    const { read, written } = encoder.encodeInto(text, target);
    if (read !== text.length) throw fail(GLUE_ERRNO.inval);
    return written;
  }

  // Checked scalar reads and writes, one pair per IDL scalar (little-endian, aligned to size).

  /** Reads a `u8` at `ptr` (checked). */
  getU8(ptr: number): number {
    this.check(ptr, 1, 1);
    return this.view.getUint8(ptr);
  }

  /** Writes a `u8` at `ptr` (checked). */
  setU8(ptr: number, value: number): void {
    this.check(ptr, 1, 1);
    this.view.setUint8(ptr, value);
  }

  /** Reads an `s8` at `ptr` (checked). */
  getS8(ptr: number): number {
    this.check(ptr, 1, 1);
    return this.view.getInt8(ptr);
  }

  /** Writes an `s8` at `ptr` (checked). */
  setS8(ptr: number, value: number): void {
    this.check(ptr, 1, 1);
    this.view.setInt8(ptr, value);
  }

  /** Reads a `u16` at `ptr` (checked). */
  getU16(ptr: number): number {
    this.check(ptr, 2, 2);
    return this.view.getUint16(ptr, true);
  }

  /** Writes a `u16` at `ptr` (checked). */
  setU16(ptr: number, value: number): void {
    this.check(ptr, 2, 2);
    this.view.setUint16(ptr, value, true);
  }

  /** Reads an `s16` at `ptr` (checked). */
  getS16(ptr: number): number {
    this.check(ptr, 2, 2);
    return this.view.getInt16(ptr, true);
  }

  /** Writes an `s16` at `ptr` (checked). */
  setS16(ptr: number, value: number): void {
    this.check(ptr, 2, 2);
    this.view.setInt16(ptr, value, true);
  }

  /** Reads a `u32` at `ptr` (checked). */
  getU32(ptr: number): number {
    this.check(ptr, 4, 4);
    return this.view.getUint32(ptr, true);
  }

  /** Writes a `u32` at `ptr` (checked). */
  setU32(ptr: number, value: number): void {
    this.check(ptr, 4, 4);
    this.view.setUint32(ptr, value, true);
  }

  /** Reads an `s32` at `ptr` (checked). */
  getS32(ptr: number): number {
    this.check(ptr, 4, 4);
    return this.view.getInt32(ptr, true);
  }

  /** Writes an `s32` at `ptr` (checked). */
  setS32(ptr: number, value: number): void {
    this.check(ptr, 4, 4);
    this.view.setInt32(ptr, value, true);
  }

  /** Reads a `u64` at `ptr` (checked). */
  getU64(ptr: number): bigint {
    this.check(ptr, 8, 8);
    return this.view.getBigUint64(ptr, true);
  }

  /** Writes a `u64` at `ptr` (checked). */
  setU64(ptr: number, value: bigint): void {
    this.check(ptr, 8, 8);
    this.view.setBigUint64(ptr, value, true);
  }

  /** Reads an `s64` at `ptr` (checked). */
  getS64(ptr: number): bigint {
    this.check(ptr, 8, 8);
    return this.view.getBigInt64(ptr, true);
  }

  /** Writes an `s64` at `ptr` (checked). */
  setS64(ptr: number, value: bigint): void {
    this.check(ptr, 8, 8);
    this.view.setBigInt64(ptr, value, true);
  }

  /** Reads an `f32` at `ptr` (checked). */
  getF32(ptr: number): number {
    this.check(ptr, 4, 4);
    return this.view.getFloat32(ptr, true);
  }

  /** Writes an `f32` at `ptr` (checked). */
  setF32(ptr: number, value: number): void {
    this.check(ptr, 4, 4);
    this.view.setFloat32(ptr, value, true);
  }

  /** Reads an `f64` at `ptr` (checked). */
  getF64(ptr: number): number {
    this.check(ptr, 8, 8);
    return this.view.getFloat64(ptr, true);
  }

  /** Writes an `f64` at `ptr` (checked). */
  setF64(ptr: number, value: number): void {
    this.check(ptr, 8, 8);
    this.view.setFloat64(ptr, value, true);
  }

  /** Reads a `bool` at `ptr` (checked): any non-zero byte is true. */
  getBool(ptr: number): boolean {
    this.check(ptr, 1, 1);
    return this.view.getUint8(ptr) !== 0;
  }

  /** Writes a `bool` at `ptr` (checked) as 0 or 1. */
  setBool(ptr: number, value: boolean): void {
    this.check(ptr, 1, 1);
    this.view.setUint8(ptr, value ? 1 : 0);
  }
}

function isU32(n: number): boolean {
  return n >>> 0 === n;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** The address of element `index` of a checked array; a bad index is a RangeError (a host bug). */
export function elementAt(ptr: number, length: number, index: number, size: number): number {
  if (!(index >>> 0 === index && index < length))
    throw new RangeError(`index ${index} out of 0..${length}`);
  return ptr + index * size;
}

/**
 * A checked array of one IDL scalar in guest memory (`list<T>` / `buffer<T>` of a scalar wider
 * than a byte, or of `bool`), read and written in place. Valid during the call. The glue checks
 * the whole range before the call; each subclass reads and writes one scalar type.
 */
export abstract class ScalarList<T> {
  readonly memory: GuestMemory;
  /** The guest address of element 0. */
  readonly ptr: number;
  readonly length: number;

  /** Unchecked: the range must already have been checked. */
  constructor(memory: GuestMemory, ptr: number, length: number) {
    this.memory = memory;
    this.ptr = ptr;
    this.length = length;
  }

  abstract get(index: number): T;
  abstract set(index: number, value: T): void;

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/** A checked array of `u8` (`list<u8>` is lifted to a `Uint8Array`; this is for symmetry). */
export class U8List extends ScalarList<number> {
  get(index: number): number {
    return this.memory.current().getUint8(elementAt(this.ptr, this.length, index, 1));
  }

  set(index: number, value: number): void {
    this.memory.current().setUint8(elementAt(this.ptr, this.length, index, 1), value);
  }
}

/** A checked array of `s8`. */
export class S8List extends ScalarList<number> {
  get(index: number): number {
    return this.memory.current().getInt8(elementAt(this.ptr, this.length, index, 1));
  }

  set(index: number, value: number): void {
    this.memory.current().setInt8(elementAt(this.ptr, this.length, index, 1), value);
  }
}

/** A checked array of `u16`. */
export class U16List extends ScalarList<number> {
  get(index: number): number {
    return this.memory.current().getUint16(elementAt(this.ptr, this.length, index, 2), true);
  }

  set(index: number, value: number): void {
    this.memory.current().setUint16(elementAt(this.ptr, this.length, index, 2), value, true);
  }
}

/** A checked array of `s16`. */
export class S16List extends ScalarList<number> {
  get(index: number): number {
    return this.memory.current().getInt16(elementAt(this.ptr, this.length, index, 2), true);
  }

  set(index: number, value: number): void {
    this.memory.current().setInt16(elementAt(this.ptr, this.length, index, 2), value, true);
  }
}

/** A checked array of `u32`. */
export class U32List extends ScalarList<number> {
  get(index: number): number {
    return this.memory.current().getUint32(elementAt(this.ptr, this.length, index, 4), true);
  }

  set(index: number, value: number): void {
    this.memory.current().setUint32(elementAt(this.ptr, this.length, index, 4), value, true);
  }
}

/** A checked array of `s32`. */
export class S32List extends ScalarList<number> {
  get(index: number): number {
    return this.memory.current().getInt32(elementAt(this.ptr, this.length, index, 4), true);
  }

  set(index: number, value: number): void {
    this.memory.current().setInt32(elementAt(this.ptr, this.length, index, 4), value, true);
  }
}

/** A checked array of `u64`. */
export class U64List extends ScalarList<bigint> {
  get(index: number): bigint {
    return this.memory.current().getBigUint64(elementAt(this.ptr, this.length, index, 8), true);
  }

  set(index: number, value: bigint): void {
    this.memory.current().setBigUint64(elementAt(this.ptr, this.length, index, 8), value, true);
  }
}

/** A checked array of `s64`. */
export class S64List extends ScalarList<bigint> {
  get(index: number): bigint {
    return this.memory.current().getBigInt64(elementAt(this.ptr, this.length, index, 8), true);
  }

  set(index: number, value: bigint): void {
    this.memory.current().setBigInt64(elementAt(this.ptr, this.length, index, 8), value, true);
  }
}

/** A checked array of `f32`. */
export class F32List extends ScalarList<number> {
  get(index: number): number {
    return this.memory.current().getFloat32(elementAt(this.ptr, this.length, index, 4), true);
  }

  set(index: number, value: number): void {
    this.memory.current().setFloat32(elementAt(this.ptr, this.length, index, 4), value, true);
  }
}

/** A checked array of `f64`. */
export class F64List extends ScalarList<number> {
  get(index: number): number {
    return this.memory.current().getFloat64(elementAt(this.ptr, this.length, index, 8), true);
  }

  set(index: number, value: number): void {
    this.memory.current().setFloat64(elementAt(this.ptr, this.length, index, 8), value, true);
  }
}

/** A checked array of `bool` (one byte each; any non-zero byte reads as true). */
export class BoolList extends ScalarList<boolean> {
  get(index: number): boolean {
    return this.memory.current().getUint8(elementAt(this.ptr, this.length, index, 1)) !== 0;
  }

  set(index: number, value: boolean): void {
    this.memory.current().setUint8(elementAt(this.ptr, this.length, index, 1), value ? 1 : 0);
  }
}

/** What every implementation method receives last. */
export interface CallContext {
  /** The guest's memory, checked. */
  readonly memory: GuestMemory;
}

/** Identifies an import in error reports. */
export interface CallSite {
  readonly module: string;
  readonly function: string;
}

/** Receives every exception an implementation threw that did not carry an errno. */
export type ErrorHook = (error: unknown, site: CallSite) => void;

export interface ImportOptions {
  /** The guest's memory when it is imported or already known. */
  memory?: WebAssembly.Memory;
  /** Asked once, on the first call that touches memory (e.g. `() => instance.exports.memory`). */
  getMemory?: () => WebAssembly.Memory;
  /** The permission tier the guest runs at. */
  tier: Tier;
  /** Unstable features to link (`@unstable(feature)` items). */
  features?: Iterable<string>;
  /** Defaults to printing the error on stderr. */
  onError?: ErrorHook;
}

/** The result of `createImports`. */
export interface GuestImports {
  /** Pass to `new WebAssembly.Instance(module, imports)`. */
  readonly imports: WebAssembly.Imports;
  readonly memory: GuestMemory;
  readonly context: CallContext;
  /** `module.function` -> why it is not linked (refused, tier, feature, not implemented). */
  readonly unlinked: ReadonlyMap<string, string>;
  /** Throws one error naming every import of `module` that is not linked, with the reason. */
  assertLinkable(module: WebAssembly.Module): void;
}

/** Link-time state shared by the generated module files; not needed by implementations. */
export class Linker {
  readonly memory: GuestMemory;
  readonly context: CallContext;
  readonly unlinked: Map<string, string> = new Map();
  private readonly tierRank: number;
  private readonly features: Set<string>;
  private readonly onError: ErrorHook;

  constructor(options: ImportOptions) {
    this.memory = new GuestMemory(options.memory ?? options.getMemory ?? null);
    this.context = { memory: this.memory };
    this.tierRank = TIERS.indexOf(options.tier);
    if (this.tierRank < 0) throw new Error(`unknown tier ${String(options.tier)}`);
    this.features = new Set(options.features ?? []);
    this.onError = options.onError ?? defaultOnError;
  }

  /** Whether an item gated by `tier` (its lowest tier) and `features` links; records why not. */
  allows(module: string, name: string, tier: Tier, features: readonly string[]): boolean {
    if (TIERS.indexOf(tier) > this.tierRank) return this.skip(module, name, `needs tier ${tier}`);
    for (const feature of features) {
      if (!this.features.has(feature))
        return this.skip(module, name, `needs unstable feature ${feature}`);
    }
    return true;
  }

  /** Records an import left out, and returns false. */
  skip(module: string, name: string, reason: string): false {
    this.unlinked.set(`${module}.${name}`, reason);
    return false;
  }

  /** Maps an exception from an implementation to an errno (see the error contract above). */
  caught(error: unknown, site: CallSite, io: number): number {
    if (error instanceof Failure) return error.errno;
    if (error instanceof ProcExit) throw error;
    if (typeof error === "object" && error !== null && "errno" in error) {
      const errno = error.errno;
      if (typeof errno === "number" && Number.isInteger(errno) && errno >= 1 && errno <= 0xffff)
        return errno;
    }
    this.report(error, site);
    return io;
  }

  /** Reports an exception through the hook; a throwing hook is ignored, never propagated. */
  report(error: unknown, site: CallSite): void {
    if (error instanceof ProcExit) throw error;
    try {
      this.onError(error, site);
    } catch {
      // The hook must not unwind into the guest.
    }
  }

  finish(imports: WebAssembly.Imports): GuestImports {
    const unlinked = this.unlinked;
    return {
      imports,
      memory: this.memory,
      context: this.context,
      unlinked,
      assertLinkable(module: WebAssembly.Module): void {
        const missing = WebAssembly.Module.imports(module)
          .filter((i) => i.kind === "function" && typeof imports[i.module]?.[i.name] !== "function")
          .map((i) => `${i.module}.${i.name}`)
          .map((key) => `${key}: ${unlinked.get(key) ?? "not part of the contract"}`);
        if (missing.length > 0)
          throw new Error(
            `the guest imports functions that are not linked:\n  ${missing.join("\n  ")}`,
          );
      },
    };
  }
}

function defaultOnError(error: unknown, site: CallSite): void {
  console.error(`${site.module}.${site.function}: implementation threw`, error);
}

/** Link-time check that an implementation provides `key` (a missing method is not linked). */
export function provides<T extends object, K extends keyof T>(
  impl: Partial<T> | undefined,
  key: K,
): impl is Partial<T> & Pick<T, K> {
  return impl !== undefined && typeof impl[key] === "function";
}
