// The wasm32 Basic C ABI layout rules, in one place. The checker calls these once per type and
// stores the results in the model; no backend recomputes a size, alignment or offset.

import type { Layout, PrimitiveName } from "./model.ts";

const PRIMITIVE_LAYOUT: Record<PrimitiveName, Layout> = {
  u8: { size: 1, align: 1 },
  s8: { size: 1, align: 1 },
  bool: { size: 1, align: 1 },
  char8: { size: 1, align: 1 },
  u16: { size: 2, align: 2 },
  s16: { size: 2, align: 2 },
  u32: { size: 4, align: 4 },
  s32: { size: 4, align: 4 },
  f32: { size: 4, align: 4 },
  usize: { size: 4, align: 4 },
  handle: { size: 4, align: 4 },
  u64: { size: 8, align: 8 },
  s64: { size: 8, align: 8 },
  f64: { size: 8, align: 8 },
};

/** A guest pointer on wasm32. */
export const POINTER_LAYOUT: Layout = { size: 4, align: 4 };

export function primitiveLayout(name: PrimitiveName): Layout {
  return PRIMITIVE_LAYOUT[name];
}

export function alignTo(offset: number, align: number): number {
  return Math.ceil(offset / align) * align;
}

/** C struct: each field at the next offset aligned for it; size rounded up to the strictest alignment. */
export function structLayout(fields: readonly Layout[]): Layout & { offsets: number[] } {
  let offset = 0;
  let align = 1;
  const offsets: number[] = [];
  for (const f of fields) {
    offset = alignTo(offset, f.align);
    offsets.push(offset);
    offset += f.size;
    align = Math.max(align, f.align);
  }
  return { size: alignTo(offset, align), align, offsets };
}

/**
 * Tagged union: the tag, then one payload area shared by every case at
 * `align_to(tag_size, max_case_align)`. Using one common offset avoids the witx/WIT bug of
 * sizing each case with its own offset.
 */
export function variantLayout(tag: Layout, cases: readonly (Layout | null)[]): Layout & { payloadOffset: number } {
  const payloads = cases.filter((c): c is Layout => c !== null);
  const caseAlign = Math.max(1, ...payloads.map((c) => c.align));
  const caseSize = Math.max(0, ...payloads.map((c) => c.size));
  const payloadOffset = alignTo(tag.size, caseAlign);
  const align = Math.max(tag.align, caseAlign);
  return { payloadOffset, size: alignTo(payloadOffset + caseSize, align), align };
}
