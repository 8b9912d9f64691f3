// A tiny wasm binary encoder for tests that need shapes clang will not emit (global imports,
// memory64, tags, malformed sections). Values are byte arrays; `wasmModule` adds the header.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

export const SECTION = { custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7 };
export const KIND = { func: 0, table: 1, memory: 2, global: 3, tag: 4 };

/** Unsigned LEB128. */
export function u32(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

export function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...u32(body.length), ...body];
}

export function funcType(params: number[], results: number[]): number[] {
  return [0x60, ...vec(params.map((t) => [t])), ...vec(results.map((t) => [t]))];
}

/** An import entry; `desc` is the kind byte followed by its type description. */
export function importEntry(module: string, field: string, desc: number[]): number[] {
  return [...name(module), ...name(field), ...desc];
}

export function exportEntry(field: string, kind: number, index: number): number[] {
  return [...name(field), kind, ...u32(index)];
}

export function wasmModule(...sections: number[][]): Uint8Array {
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}
