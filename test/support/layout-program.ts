// A C program that defines every type of a model straight from its field types (not through
// the C generator) and asserts every size, alignment and offset the layout engine computed:
// clang compiling it is clang agreeing with the layout engine.

import type { ContractModel, PrimitiveName, TypeModel, TypeRef } from "../../compiler/model.ts";

const PRIMITIVE_C: Record<PrimitiveName, string> = {
  u8: "uint8_t",
  u16: "uint16_t",
  u32: "uint32_t",
  u64: "uint64_t",
  s8: "int8_t",
  s16: "int16_t",
  s32: "int32_t",
  s64: "int64_t",
  f32: "float",
  f64: "double",
  bool: "_Bool", // C only: this program is compiled as C11
  char8: "char",
  usize: "size_t",
  handle: "int",
};

function cType(t: TypeRef, p: string): string {
  switch (t.kind) {
    case "primitive":
      return PRIMITIVE_C[t.name];
    case "named":
      return `${p}t_${t.name}`;
    case "ptr":
      // East const: `T const *`, so a pointer to a const pointer is `T * const *`.
      return `${cType(t.to, p)}${t.const ? " const" : ""} *`;
    default:
      throw new Error(`${t.kind} cannot appear in a layout`);
  }
}

/**
 * One C program defining every type and asserting the model's layout numbers. `prefix` starts
 * every name it declares, so the programs of many contracts make one translation unit.
 */
export function layoutProgram(m: ContractModel, prefix = ""): string {
  const out = prefix === "" ? ["#include <stddef.h>", "#include <stdint.h>", ""] : [];
  // Declare every struct tag first so pointer fields may refer forward.
  for (const t of m.types) if (t.kind === "struct" || t.kind === "variant") out.push(`typedef struct ${prefix}t_${t.name} ${prefix}t_${t.name};`);
  for (const t of m.types) out.push(definition(t, m, prefix), asserts(t, prefix));
  return out.join("\n") + "\n";
}

function definition(t: TypeModel, m: ContractModel, p: string): string {
  switch (t.kind) {
    case "alias":
      return `typedef ${cType(t.target, p)} ${p}t_${t.name};`;
    case "enum":
    case "flags":
      return `typedef ${PRIMITIVE_C[t.repr]} ${p}t_${t.name};`;
    case "struct":
      return `struct ${p}t_${t.name} {\n${t.fields.map((f) => `  ${cType(f.type, p)} f_${f.name};`).join("\n")}\n};`;
    case "variant": {
      const tag = m.types.find((x) => x.name === t.tag);
      if (tag?.kind !== "enum") throw new Error(`tag of ${t.name}`);
      const cases = t.cases.filter((c) => c.payload).map((c) => `    ${cType(c.payload!, p)} c_${c.name};`);
      const union = cases.length ? `  union {\n${cases.join("\n")}\n  } u;\n` : "";
      return `struct ${p}t_${t.name} {\n  ${PRIMITIVE_C[tag.repr]} tag;\n${union}};`;
    }
  }
}

function asserts(t: TypeModel, p: string): string {
  const lines = [
    `_Static_assert(sizeof(${p}t_${t.name}) == ${t.size}, "size of ${t.name}");`,
    `_Static_assert(_Alignof(${p}t_${t.name}) == ${t.align}, "align of ${t.name}");`,
  ];
  if (t.kind === "struct")
    for (const f of t.fields) lines.push(`_Static_assert(offsetof(${p}t_${t.name}, f_${f.name}) == ${f.offset}, "offset of ${t.name}.${f.name}");`);
  if (t.kind === "variant" && t.cases.some((c) => c.payload))
    lines.push(`_Static_assert(offsetof(${p}t_${t.name}, u) == ${t.payloadOffset}, "payload offset of ${t.name}");`);
  return lines.join("\n");
}

