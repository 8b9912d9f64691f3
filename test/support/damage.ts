// Structural damage to JSON documents (for `abic diff`'s manifest sides) and byte-level damage to
// wasm modules (for `abic verify`), driven by a seeded random source so a failure reproduces from
// its seed. Shared by the property tests and the fuzz campaign (scripts/fuzz.ts).

/** A small seeded PRNG (mulberry32): the same seed gives the same damage everywhere. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };

/** Every (container, key) pair of a document, depth first. */
function slots(doc: Json, out: { parent: Container; key: string | number }[] = []): { parent: Container; key: string | number }[] {
  if (Array.isArray(doc))
    doc.forEach((v, i) => {
      out.push({ parent: doc, key: i });
      slots(v, out);
    });
  else if (doc !== null && typeof doc === "object")
    for (const [k, v] of Object.entries(doc)) {
      out.push({ parent: doc, key: k });
      slots(v, out);
    }
  return out;
}

const REPLACEMENTS: Json[] = [null, 0, -1, 1.5, 2 ** 53, -(2 ** 60), "", "x", "1.0.0", "u32", "i32", "named", "ptr", true, false, [], {}, [null], { kind: "named" }, "9".repeat(50)];

/**
 * The document (parsed JSON) with `edits` random structural edits: a key deleted, a value
 * replaced by null or a value of another type, an array entry duplicated or removed, two values
 * swapped, a nested value grafted elsewhere. Returns the damaged copy and what was done.
 */
export function damageJson(doc: unknown, rand: () => number, edits = 1): { doc: unknown; what: string[] } {
  const copy = structuredClone(doc) as Json;
  const what: string[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  for (let e = 0; e < edits; e++) {
    const all = slots(copy);
    if (all.length === 0) break;
    const { parent, key } = pick(all);
    const get = (): Json => (Array.isArray(parent) ? parent[key as number]! : parent[key as string]!);
    const set = (v: Json): void => {
      if (Array.isArray(parent)) parent[key as number] = v;
      else parent[key as string] = v;
    };
    const op = Math.floor(rand() * 6);
    if (op === 0) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      what.push(`delete ${String(key)}`);
    } else if (op === 1) {
      const v = pick(REPLACEMENTS);
      set(structuredClone(v));
      what.push(`set ${String(key)} = ${JSON.stringify(v)}`);
    } else if (op === 2 && Array.isArray(parent)) {
      parent.splice(key as number, 0, structuredClone(get()));
      what.push(`duplicate [${String(key)}]`);
    } else if (op === 3) {
      const other = pick(all);
      const v = Array.isArray(other.parent) ? other.parent[other.key as number] : other.parent[other.key as string];
      set(structuredClone(v ?? null));
      what.push(`graft ${String(other.key)} onto ${String(key)}`);
    } else if (op === 4) {
      const v = get();
      if (typeof v === "number") set(pick([v + 1, v - 1, -v, v * 4096, 0]));
      else if (typeof v === "string") set(pick([v + "_", v.toUpperCase(), v.slice(1), "-" + v]));
      else set(null);
      what.push(`perturb ${String(key)}`);
    } else {
      if (!Array.isArray(parent) && typeof key === "string") {
        parent[key + "_extra"] = get();
        what.push(`extra field beside ${key}`);
      } else {
        set([get()]);
        what.push(`wrap [${String(key)}]`);
      }
    }
  }
  return { doc: copy, what };
}

/** LEB128 encodings a reader must survive: maximal, overlong, and unterminated. */
const LEB_EDGES: number[][] = [
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80],
  [0x00],
];

/**
 * A wasm module with random byte damage: bit flips, truncation, a LEB128 edge value written over
 * a section size or anywhere, a huge section size, bytes inserted or removed.
 */
export function damageWasm(bytes: Uint8Array, rand: () => number, edits = 1): { bytes: Uint8Array; what: string[] } {
  let out = Uint8Array.from(bytes);
  const what: string[] = [];
  const at = (): number => Math.floor(rand() * Math.max(1, out.length));
  for (let e = 0; e < edits; e++) {
    const op = Math.floor(rand() * 6);
    if (op === 0 && out.length > 0) {
      const i = at();
      const bit = Math.floor(rand() * 8);
      out[i] = out[i]! ^ (1 << bit);
      what.push(`flip bit ${bit} of byte ${i}`);
    } else if (op === 1) {
      const n = at();
      out = out.slice(0, n);
      what.push(`truncate to ${n}`);
    } else if (op === 2 || op === 3) {
      // After the 8-byte header, the first section's size LEB starts at byte 9.
      const i = op === 2 && out.length > 9 ? sectionSizeOffset(out, rand) : at();
      const leb = LEB_EDGES[Math.floor(rand() * LEB_EDGES.length)]!;
      const copy = new Uint8Array(Math.max(out.length, i + leb.length));
      copy.set(out);
      copy.set(leb, i);
      out = copy;
      what.push(`LEB128 ${leb.map((b) => b.toString(16)).join(" ")} at ${i}`);
    } else if (op === 4) {
      const i = at();
      const n = 1 + Math.floor(rand() * 8);
      const ins = Array.from({ length: n }, () => Math.floor(rand() * 256));
      out = Uint8Array.from([...out.slice(0, i), ...ins, ...out.slice(i)]);
      what.push(`insert ${n} bytes at ${i}`);
    } else {
      const i = at();
      const n = 1 + Math.floor(rand() * 16);
      out = Uint8Array.from([...out.slice(0, i), ...out.slice(i + n)]);
      what.push(`remove ${n} bytes at ${i}`);
    }
  }
  return { bytes: out, what };
}

/** The offset of a random section's size field (walking valid section headers from the start). */
function sectionSizeOffset(bytes: Uint8Array, rand: () => number): number {
  const offsets: number[] = [];
  let i = 8;
  while (i + 1 < bytes.length && offsets.length < 64) {
    offsets.push(i + 1);
    let size = 0;
    let shift = 0;
    let j = i + 1;
    for (; j < bytes.length && shift < 35; j++, shift += 7) {
      size |= (bytes[j]! & 0x7f) << shift;
      if ((bytes[j]! & 0x80) === 0) break;
    }
    i = j + 1 + (size >>> 0);
  }
  return offsets.length ? offsets[Math.floor(rand() * offsets.length)]! : 9;
}
