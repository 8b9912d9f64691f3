// A small reader for what a guest check needs from a core wasm binary: its imports and exports,
// with function types resolved. Any malformed or truncated input throws WasmFormatError.

import type { CoreType } from "../model.ts";

/** A value type as read: the four core number types, `v128`, or a reference type (`funcref`, ...). */
export type ValType = CoreType | "v128" | `${string}ref`;

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export type ExternKind = "func" | "table" | "memory" | "global" | "tag";

export interface WasmImport {
  module: string;
  name: string;
  kind: ExternKind;
  /** The function type of a `func` or `tag` import. */
  type?: FuncType;
}

export interface WasmExport {
  name: string;
  kind: ExternKind;
  /** The function type of a `func` or `tag` export. */
  type?: FuncType;
}

export interface WasmModuleInfo {
  imports: WasmImport[];
  exports: WasmExport[];
}

export class WasmFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset 0x${offset.toString(16)}`);
    this.name = "WasmFormatError";
  }
}

export type ExecutableKind = "wasm" | "shebang" | "elf" | "macho" | "pe" | "unknown";

/** What kind of file `bytes` starts like: the command contract runs only `\0asm` files. */
export function classifyExecutable(bytes: Uint8Array): ExecutableKind {
  const startsWith = (...magic: number[]) => magic.every((byte, i) => bytes[i] === byte);
  if (startsWith(0x00, 0x61, 0x73, 0x6d)) return "wasm";
  if (startsWith(0x23, 0x21)) return "shebang";
  if (startsWith(0x7f, 0x45, 0x4c, 0x46)) return "elf";
  // Mach-O thin (32/64-bit, either byte order) and fat/universal headers.
  const machO = [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
    [0xca, 0xfe, 0xba, 0xbf],
  ];
  if (machO.some((magic) => startsWith(...magic))) return "macho";
  if (startsWith(0x4d, 0x5a)) return "pe"; // "MZ": the DOS stub every PE image starts with
  return "unknown";
}

const SECTION_NAMES: Record<number, string> = {
  0: "custom",
  1: "type",
  2: "import",
  3: "function",
  4: "table",
  5: "memory",
  6: "global",
  7: "export",
  8: "start",
  9: "element",
  10: "code",
  11: "data",
  12: "data count",
  13: "tag",
};

const EXTERN_KINDS: ExternKind[] = ["func", "table", "memory", "global", "tag"];

const NUMBER_TYPES: Record<number, ValType> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128" };

// Abstract heap types (single-byte negative s33 values), from the reference-types, GC and
// exception-handling proposals.
const HEAP_TYPES: Record<number, string> = {
  0x70: "func",
  0x6f: "extern",
  0x6e: "any",
  0x6d: "eq",
  0x6c: "i31",
  0x6b: "struct",
  0x6a: "array",
  0x69: "exn",
  0x71: "null",
  0x72: "nullextern",
  0x73: "nullfunc",
  0x74: "nullexn",
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Bounds-checked cursor over `bytes[pos, end)`; `what` names the region in error messages. */
class ByteReader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
    readonly what: string,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string, offset = this.pos): never {
    throw new WasmFormatError(message, offset);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail(`truncated ${this.what}`);
    return this.bytes[this.pos++];
  }

  take(length: number): Uint8Array {
    if (length > this.remaining) this.fail(`truncated ${this.what}`);
    const slice = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }

  /** Unsigned LEB128 of at most 32 bits, rejecting over-long encodings and overflow. */
  u32(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      if (i === 4 && byte & 0xf0) this.fail(`integer too large in ${this.what}`, start);
      result += (byte & 0x7f) * 2 ** (7 * i);
      if (!(byte & 0x80)) return result;
    }
    return this.fail(`integer too large in ${this.what}`, start);
  }

  /** Unsigned LEB128 of at most 64 bits (memory64 limits); only its encoding is checked. */
  skipU64(): void {
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      if (i === 9 && byte & 0xfe) this.fail(`integer too large in ${this.what}`, start);
      if (!(byte & 0x80)) return;
    }
  }

  /** Signed LEB128 of at most 33 bits (heap types); unused high bits must repeat the sign. */
  s33(): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * 2 ** (7 * i);
      if (byte & 0x80) continue;
      // The fifth byte carries bits 28..32; its bits 4..6 are all copies of the sign bit.
      const high = byte & 0x70;
      if (i === 4 && high !== 0 && high !== 0x70) this.fail(`integer too large in ${this.what}`, start);
      return byte & 0x40 ? result - 2 ** (7 * (i + 1)) : result;
    }
    return this.fail(`integer too large in ${this.what}`, start);
  }

  name(): string {
    const start = this.pos;
    const raw = this.take(this.u32());
    try {
      return utf8.decode(raw);
    } catch {
      return this.fail(`invalid UTF-8 name in ${this.what}`, start);
    }
  }

  valType(): ValType {
    const start = this.pos;
    const code = this.u8();
    const number = NUMBER_TYPES[code];
    if (number !== undefined) return number;
    const heap = HEAP_TYPES[code];
    if (heap !== undefined) return `${heap}ref`;
    // (ref ht) and (ref null ht): nullability is dropped, a concrete type index reads as "ref".
    if (code === 0x63 || code === 0x64) {
      const heapType = this.s33();
      if (heapType >= 0) return "ref";
      const abstract = HEAP_TYPES[heapType + 0x80];
      if (abstract === undefined) this.fail(`unknown heap type in ${this.what}`, start + 1);
      return `${abstract}ref`;
    }
    return this.fail(`unknown value type 0x${code.toString(16)} in ${this.what}`, start);
  }

  limits(): void {
    const start = this.pos;
    const flags = this.u8();
    // bit 0: has max, bit 1: shared, bit 2: 64-bit, bit 3: custom page size.
    if (flags > 0x0f) this.fail(`invalid limits flags 0x${flags.toString(16)} in ${this.what}`, start);
    const bound = () => (flags & 0x04 ? this.skipU64() : this.u32());
    bound();
    if (flags & 0x01) bound();
    if (flags & 0x08) this.u32();
  }
}

interface PendingImport {
  module: string;
  name: string;
  kind: ExternKind;
  typeIndex: number | null;
  offset: number;
}

interface PendingExport {
  name: string;
  kind: ExternKind;
  index: number;
  offset: number;
}

/** Reads the imports and exports of a core wasm module, resolving function and tag types. */
export function readModule(bytes: Uint8Array): WasmModuleInfo {
  const preamble = new ByteReader(bytes, 0, bytes.length, "module header");
  const magic = preamble.take(4);
  if (classifyExecutable(magic) !== "wasm") preamble.fail("not a wasm module (bad magic)", 0);
  const version = preamble.take(4);
  const versionWord = new DataView(version.buffer, version.byteOffset, 4).getUint32(0, true);
  if (versionWord === 0x0001000d) preamble.fail("a wasm component, not a core module", 4);
  if (versionWord !== 1) preamble.fail(`unsupported wasm version 0x${versionWord.toString(16)}`, 4);
  const header = new ByteReader(bytes, 8, bytes.length, "section header");

  let types: FuncType[] = [];
  let imports: PendingImport[] = [];
  let functionTypes: number[] = [];
  let exports: PendingExport[] = [];
  const seen = new Set<number>();

  while (header.remaining > 0) {
    const sectionStart = header.pos;
    const id = header.u8();
    const size = header.u32();
    const sectionName = `${SECTION_NAMES[id] ?? `unknown (id ${id})`} section`;
    if (size > header.remaining) header.fail(`truncated ${sectionName}`, sectionStart);
    const section = new ByteReader(bytes, header.pos, header.pos + size, sectionName);
    header.pos += size;

    if (id !== 0 && seen.has(id)) section.fail(`duplicate ${sectionName}`, sectionStart);
    seen.add(id);
    if (id === 1) types = readTypeSection(section);
    else if (id === 2) imports = readImportSection(section);
    else if (id === 3) functionTypes = readVector(section, () => section.u32());
    else if (id === 7) exports = readExportSection(section);
    else continue; // custom and other sections are skipped by size

    if (section.remaining !== 0) section.fail(`${section.remaining} unread byte(s) at the end of the ${sectionName}`);
  }

  const typeAt = (index: number, offset: number): FuncType => {
    const type = types[index];
    if (type === undefined)
      throw new WasmFormatError(`type index ${index} out of range (${types.length} types)`, offset);
    return type;
  };

  // Function index space: imported functions first, then the function section's entries.
  const functionSpace: number[] = [];
  const tagSpace: number[] = [];
  const resolvedImports: WasmImport[] = imports.map((entry) => {
    const { module, name, kind, typeIndex, offset } = entry;
    if (typeIndex === null) return { module, name, kind };
    (kind === "func" ? functionSpace : tagSpace).push(typeIndex);
    return { module, name, kind, type: typeAt(typeIndex, offset) };
  });
  functionSpace.push(...functionTypes);

  const resolvedExports: WasmExport[] = exports.map(({ name, kind, index, offset }) => {
    if (kind !== "func" && kind !== "tag") return { name, kind };
    const space = kind === "func" ? functionSpace : tagSpace;
    // Locally defined tags live in the tag section, which this reader skips; leave them untyped.
    if (kind === "tag" && index >= space.length) return { name, kind };
    if (index >= space.length) {
      throw new WasmFormatError(`export "${name}" refers to function ${index}, but there are ${space.length}`, offset);
    }
    return { name, kind, type: typeAt(space[index], offset) };
  });

  return { imports: resolvedImports, exports: resolvedExports };
}

function readVector<T>(reader: ByteReader, readItem: () => T): T[] {
  const count = reader.u32();
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(readItem());
  return items;
}

function readTypeSection(reader: ByteReader): FuncType[] {
  return readVector(reader, () => {
    const start = reader.pos;
    const form = reader.u8();
    // GC-proposal rec/sub/struct/array forms are not used by command modules.
    if (form !== 0x60) reader.fail(`unsupported type form 0x${form.toString(16)} in type section`, start);
    const params = readVector(reader, () => reader.valType());
    const results = readVector(reader, () => reader.valType());
    return { params, results };
  });
}

function readImportSection(reader: ByteReader): PendingImport[] {
  return readVector(reader, () => {
    const offset = reader.pos;
    const module = reader.name();
    const name = reader.name();
    const kind = externKind(reader);
    let typeIndex: number | null = null;
    switch (kind) {
      case "func":
        typeIndex = reader.u32();
        break;
      case "table":
        reader.valType();
        reader.limits();
        break;
      case "memory":
        reader.limits();
        break;
      case "global": {
        reader.valType();
        const mutability = reader.u8();
        if (mutability > 1) reader.fail(`invalid global mutability ${mutability} in import section`, reader.pos - 1);
        break;
      }
      case "tag": {
        const attribute = reader.u8();
        if (attribute !== 0) reader.fail(`invalid tag attribute ${attribute} in import section`, reader.pos - 1);
        typeIndex = reader.u32();
        break;
      }
    }
    return { module, name, kind, typeIndex, offset };
  });
}

function readExportSection(reader: ByteReader): PendingExport[] {
  return readVector(reader, () => {
    const offset = reader.pos;
    const name = reader.name();
    const kind = externKind(reader);
    const index = reader.u32();
    return { name, kind, index, offset };
  });
}

function externKind(reader: ByteReader): ExternKind {
  const code = reader.u8();
  const kind = EXTERN_KINDS[code];
  if (kind === undefined) reader.fail(`unknown external kind 0x${code.toString(16)} in ${reader.what}`, reader.pos - 1);
  return kind;
}
