// The layout engine against clang: for every struct and variant of the real contract and the
// fixtures, C type definitions are written straight from the model's field types (not by the
// C generator) and clang must agree with every size, alignment and offset the model computed.

import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileFile } from "../compiler/index.ts";
import type { ContractModel, PrimitiveName, TypeModel, TypeRef } from "../compiler/model.ts";
import { compileC } from "../scripts/toolchain.ts";

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
  bool: "_Bool",
  char8: "char",
  usize: "size_t",
  handle: "int",
};

function cType(t: TypeRef): string {
  switch (t.kind) {
    case "primitive":
      return PRIMITIVE_C[t.name];
    case "named":
      return `t_${t.name}`;
    case "ptr":
      return `${t.const ? "const " : ""}${cType(t.to)} *`;
    default:
      throw new Error(`${t.kind} cannot appear in a layout`);
  }
}

/** One C program defining every type and asserting the model's layout numbers. */
export function layoutProgram(m: ContractModel): string {
  const out = ["#include <stddef.h>", "#include <stdint.h>", ""];
  // Declare every struct tag first so pointer fields may refer forward.
  for (const t of m.types) if (t.kind === "struct" || t.kind === "variant") out.push(`typedef struct t_${t.name} t_${t.name};`);
  for (const t of m.types) out.push(definition(t, m), asserts(t));
  return out.join("\n") + "\n";
}

function definition(t: TypeModel, m: ContractModel): string {
  switch (t.kind) {
    case "alias":
      return `typedef ${cType(t.target)} t_${t.name};`;
    case "enum":
    case "flags":
      return `typedef ${PRIMITIVE_C[t.repr]} t_${t.name};`;
    case "struct":
      return `struct t_${t.name} {\n${t.fields.map((f) => `  ${cType(f.type)} f_${f.name};`).join("\n")}\n};`;
    case "variant": {
      const tag = m.types.find((x) => x.name === t.tag);
      if (tag?.kind !== "enum") throw new Error(`tag of ${t.name}`);
      const cases = t.cases.filter((c) => c.payload).map((c) => `    ${cType(c.payload!)} c_${c.name};`);
      const union = cases.length ? `  union {\n${cases.join("\n")}\n  } u;\n` : "";
      return `struct t_${t.name} {\n  ${PRIMITIVE_C[tag.repr]} tag;\n${union}};`;
    }
  }
}

function asserts(t: TypeModel): string {
  const lines = [
    `_Static_assert(sizeof(t_${t.name}) == ${t.size}, "size of ${t.name}");`,
    `_Static_assert(_Alignof(t_${t.name}) == ${t.align}, "align of ${t.name}");`,
  ];
  if (t.kind === "struct")
    for (const f of t.fields) lines.push(`_Static_assert(offsetof(t_${t.name}, f_${f.name}) == ${f.offset}, "offset of ${t.name}.${f.name}");`);
  if (t.kind === "variant" && t.cases.some((c) => c.payload))
    lines.push(`_Static_assert(offsetof(t_${t.name}, u) == ${t.payloadOffset}, "payload offset of ${t.name}");`);
  return lines.join("\n");
}

const contracts = [
  "abi.idl",
  "test/fixtures/valid/every-construct/input.idl",
  "test/fixtures/valid/split-files/input.idl",
];

describe("clang agrees with the layout engine", () => {
  for (const file of contracts) {
    test(file, () => {
      const c = compileFile(file);
      expect(c.model, c.diagnostics.map((d) => d.message).join("\n")).not.toBeNull();
      const m = c.model!;
      const aggregates = m.types.filter((t) => t.kind === "struct" || t.kind === "variant");
      expect(aggregates.length).toBeGreaterThan(0);
      const dir = path.join("test", ".build", "layout");
      mkdirSync(dir, { recursive: true });
      const base = file.replace(/[^A-Za-z0-9]+/g, "_");
      const src = path.join(dir, `${base}.c`);
      writeFileSync(src, layoutProgram(m) + "int main(void) { return 0; }\n");
      // Any disagreement is a failed _Static_assert, i.e. a compile error naming the item.
      compileC({ sources: [src], out: path.join(dir, `${base}.wasm`), extraArgs: ["-std=c11", "-Wall", "-Werror"] });
    });
  }

  test("a wrong layout number is caught", () => {
    const m = compileFile("test/fixtures/valid/every-construct/input.idl").model!;
    const broken = structuredClone(m);
    const stat = broken.types.find((t) => t.name === "stat");
    if (stat?.kind !== "struct") throw new Error("fixture changed");
    stat.fields[2]!.offset += 2;
    const dir = path.join("test", ".build", "layout");
    mkdirSync(dir, { recursive: true });
    const src = path.join(dir, "broken.c");
    writeFileSync(src, layoutProgram(broken) + "int main(void) { return 0; }\n");
    expect(() => compileC({ sources: [src], out: path.join(dir, "broken.wasm") })).toThrow(/offset of stat\.mode/);
  });
});
