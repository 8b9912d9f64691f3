// The model printed back as IDL text: type references, results, signatures, core wasm
// signatures, gate annotations and numbered values. Reports, docs and `abic diff` messages
// all print through here, so one item always reads the same everywhere.

import { TIERS, type FunctionModel, type Gate, type ResultModel, type Sentinel, type Tier, type TypeRef } from "./model.ts";
import { exhaustive } from "./query.ts";

/** A type as written in IDL: `list<ciovec>`, `const_ptr<u8>`, `fd`. Equal text means the same type. */
export function idlType(t: TypeRef): string {
  switch (t.kind) {
    case "primitive":
    case "named":
      return t.name;
    case "ptr":
      return `${t.const ? "const_ptr" : "ptr"}<${idlType(t.to)}>`;
    case "string":
      return "string";
    case "list":
      return `list<${idlType(t.of)}>`;
    case "buffer":
      return `buffer<${idlType(t.of)}>`;
    default:
      return exhaustive(t, "type reference");
  }
}

/**
 * A function result as written after `->` (`result<(a: T, b: U), errno>`, `u32`, `!`), or ""
 * for none. Without `names` the out-values print as types only: the shape, not the spelling.
 */
export function idlResult(r: ResultModel, { names = true } = {}): string {
  switch (r.kind) {
    case "none":
      return "";
    case "noreturn":
      return "!";
    case "scalar":
      return idlType(r.type);
    case "expected": {
      // A single unnamed ok value is stored under the checker's name `result`.
      const single = r.values.length === 1 && (r.values[0]!.name === "result" || !names);
      const ok =
        r.values.length === 0
          ? "()"
          : single
            ? idlType(r.values[0]!.type)
            : `(${r.values.map((v) => (names ? `${v.name}: ${idlType(v.type)}` : idlType(v.type))).join(", ")})`;
      return `result<${ok}, ${r.error}>`;
    }
    default:
      return exhaustive(r, "result kind");
  }
}

/** `fn fd_write(fd: fd, iovs: list<ciovec>) -> result<size, errno>` */
export function idlSignature(f: FunctionModel): string {
  const result = idlResult(f.result);
  return `fn ${f.name}(${f.params.map((p) => `${p.name}: ${idlType(p.type)}`).join(", ")})${result ? ` -> ${result}` : ""}`;
}

/** `(i32 i32) -> (i32)`, the form wasm tools print function types in. */
export function coreSignature(core: { params: readonly string[]; results: readonly string[] }): string {
  return `(${core.params.join(" ")}) -> (${core.results.join(" ")})`;
}

/** The gate annotations of an item as IDL text, without prose: `@since(1.0.0) @deprecated(1.1.0, use = x)`. */
export function gateAnnotations(g: Gate): string {
  const parts: string[] = [];
  if (g.since !== null) parts.push(`@since(${g.since})`);
  if (g.unstable !== null) parts.push(`@unstable(${g.unstable})`);
  if (g.deprecated) parts.push(`@deprecated(${g.deprecated.since}${g.deprecated.use ? `, use = ${g.deprecated.use}` : ""})`);
  return parts.join(" ");
}

/** `isolated+` when the tiers are a tier and every tier above it, else the list. */
export function tierRange(tiers: readonly Tier[]): string {
  if (tiers.length === 0) return "none";
  const from = TIERS.indexOf(tiers[0]!);
  const suffix = TIERS.slice(from);
  if (suffix.length === tiers.length && suffix.every((t, i) => tiers[i] === t)) return `${tiers[0]}+`;
  return tiers.join(",");
}

/** An integer as the contract would write it: decimal, or hex above 0xffff (`u64::MAX` reads as all ones). */
export function intText(value: number | string): string {
  const v = BigInt(value);
  return v > 0xffffn ? `0x${v.toString(16)}` : v.toString();
}

/** `@sentinel(5, fault = 21)`: the values a plain-scalar function fails with. */
export function sentinelAnnotation(s: Sentinel): string {
  const error = intText(s.error);
  const fault = intText(s.fault);
  return error === fault ? `@sentinel(${error})` : `@sentinel(${error}, fault = ${fault})`;
}

/** Numbered values may be strings beyond 2^53; compare them exactly. */
export function bigValue(v: number | string): bigint {
  return BigInt(v);
}

/** The bit index of a single-bit flag value, or null when the value is not one bit. */
export function flagBit(v: number | string): number | null {
  const n = bigValue(v);
  if (n <= 0n || (n & (n - 1n)) !== 0n) return null;
  return n.toString(2).length - 1;
}

/** `1 << 5` for a one-bit value, else the value itself. */
export function flagBitText(v: number | string): string {
  const bit = flagBit(v);
  return bit === null ? String(v) : `1 << ${bit}`;
}

/** Order of numbered entries: by value, then by name. */
export function byValue(a: { value: number | string; name: string }, b: { value: number | string; name: string }): number {
  const d = bigValue(a.value) - bigValue(b.value);
  return d < 0n ? -1 : d > 0n ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
