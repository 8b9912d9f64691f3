// The TypeScript target lays its files out as prettier would (gen/format.ts layoutTypeScript):
// prettier itself, with the project's options, must leave every generated TS file unchanged, for
// the real contract, the golden fixtures, the benchmark's synthetic contract and a contract made
// to hit each long-line shape; and the real contract's files must come out without prettier.

import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileFile, compileText } from "../compiler/index.ts";
import { generate } from "../compiler/api.ts";
import { layoutTypeScript, prettierFormat, prettierRuns } from "../compiler/gen/format.ts";
import { STATIC_RUNTIME } from "../compiler/gen/ts.ts";
import { syntheticContract } from "../scripts/bench-gen.ts";
import type { ContractModel } from "../compiler/model.ts";
import { GLUE_ERRNO_IDL } from "./support/errno-idl.ts";

async function tsFiles(model: ContractModel): Promise<{ path: string; content: string }[]> {
  return (await generate(model, { targets: ["ts"] })).filter((f) => f.path.endsWith(".ts"));
}

async function expectPrettierNoOp(files: { path: string; content: string }[]): Promise<void> {
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(await prettierFormat(f.content, "typescript"), f.path).toBe(f.content);
}

function model(text: string): ContractModel {
  const c = compileText(text, "abi.idl");
  expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return c.model!;
}

/** A contract whose names and parameter lists overflow the print width in every shape the glue has. */
const WIDE = `
/// Wide names.
package wide_names_for_layout@1.0.0;

${GLUE_ERRNO_IDL}
/// A mode with gaps, so the member check is a list of alternatives.
@since(1.0.0)
enum a_rather_long_mode_enumeration_name: u8 {
    /// One.
    first_mode_value = 1,
    /// Three.
    third_mode_value = 3,
    /// Nine.
    ninth_mode_value = 9,
}

/// A record with a long name.
@since(1.0.0)
struct an_extremely_long_record_name_that_overflows_the_print_width_in_signatures {
    /// A field.
    the_first_field_with_a_long_name: u32,
    /// Another.
    the_second_field_with_a_long_name: u64,
}

/// A module with a long name.
@since(1.0.0)
module a_module_whose_name_is_long_enough_to_overflow_the_link_function_header {
    /// Many parameters.
    @since(1.0.0)
    fn a_function_with_a_great_many_parameters_of_every_kind(
        /// Text.
        first_text_parameter: string,
        /// More text.
        second_text_parameter: string,
        /// Bytes.
        some_bytes_to_read: list<u8>,
        /// Records.
        records_to_fill: list<an_extremely_long_record_name_that_overflows_the_print_width_in_signatures>,
        /// A mode.
        mode_with_gaps: a_rather_long_mode_enumeration_name,
        /// A big number.
        a_sixty_four_bit_offset: u64,
        /// Out.
        out_record: ptr<an_extremely_long_record_name_that_overflows_the_print_width_in_signatures>,
    ) -> result<(first_out_value: u32, second_out_value: u64, third_out_value: u32), errno>;

    /// Deprecated with a note that quotes "something".
    @since(1.0.0)
    @deprecated(1.0.0, note = "say \\"no\\" to it; it's old")
    fn deprecated_with_a_quoted_note(
        /// A value.
        value: u32,
    ) -> result<u32, errno>;
}
`;

describe("the TypeScript target's own layout is prettier's", () => {
  test("the real contract: prettier changes nothing, and the target never runs it", async () => {
    const c = compileFile("abi.idl");
    const before = prettierRuns();
    const files = await tsFiles(c.model!);
    expect(prettierRuns() - before).toBe(0);
    await expectPrettierNoOp(files);
  });

  test("the static runtime is checked in as prettier formats it", async () => {
    const text = readFileSync(STATIC_RUNTIME, "utf8");
    expect(await prettierFormat(text, "typescript")).toBe(text);
  });

  for (const dir of ["valid", "gen"]) {
    const root = path.join("test", "fixtures", dir);
    for (const name of readdirSync(root).sort()) {
      test(`fixture ${dir}/${name}: prettier changes nothing`, async () => {
        const file = ["input.idl", "abi.idl"].map((f) => path.join(root, name, f)).find((f) => readdirSync(path.dirname(f)).includes(path.basename(f)))!;
        const c = compileFile(file);
        await expectPrettierNoOp(await tsFiles(c.model!));
      });
    }
  }

  test("the benchmark's synthetic contract: prettier changes nothing, and never runs", async () => {
    const m = model(syntheticContract(2, 5));
    const before = prettierRuns();
    const files = await tsFiles(m);
    expect(prettierRuns() - before).toBe(0);
    await expectPrettierNoOp(files);
  });

  test("long names and parameter lists: every overflowing shape, and a quoted note prettier must see", async () => {
    const m = model(WIDE);
    const before = prettierRuns();
    const files = await tsFiles(m);
    // The quoted deprecation note is the one piece handed to prettier (its quotes may change).
    expect(prettierRuns() - before).toBeGreaterThan(0);
    const glue = files.find((f) => f.path.includes("a_module_whose_name"))!.content;
    // The shapes were hit: a broken link header, a broken arrow header, a broken call, a broken `if`.
    expect(glue).toMatch(/^export function link\w+\(\n {2}impl: /m);
    expect(glue).toMatch(/^ {6}\$imports\["a_function_with_a_great_many_parameters_of_every_kind"\] = \(\n/m);
    expect(glue).toMatch(/^ {10}const \$r = \$impl\.\w+\(\n/m);
    expect(glue).toMatch(/^ {8}if \(!\(\n/m);
    await expectPrettierNoOp(files);
  });
});

describe("layoutTypeScript", () => {
  test("keeps text it can vouch for, and gives prettier's layout to what it cannot", async () => {
    const cases = [
      // Fits: kept as written.
      `export function f(a: number): number {\n  return a;\n}\n`,
      // A header too wide: broken one parameter a line.
      `export function aFunctionWithAVeryLongName(firstParameter: number, secondParameter: Partial<Map<string, number>>): void {\n  return;\n}\n`,
      // A call too wide, with a shift (not a type argument) among its arguments.
      `function g(): void {\n  someObject.someMethodName(firstArgument >>> 0, secondArgument & 0xffff, "a string, with a comma", x);\n}\n`,
      // Shapes it does not know go through prettier: a single-quoted string, an arrow argument.
      `export const s = 'single';\n`,
      `function h(): void {\n  someObject.someMethodName(firstArgument, (value) => value + 1, thirdArgumentWithALongName, z);\n}\n`,
      // Wide characters in a string: prettier counts display columns, so it decides the break.
      `function w(): void {\n  someObject.someMethodName("互換性のない引数です互換性のない引数です互換性のない引数です", firstArgument, second);\n}\n`,
      // Non-ASCII in a comment changes nothing.
      `/** Größe — the size. */\nexport const size = 1;\n`,
      // A trailing comment does not count towards the width; the statement is kept on one line.
      `function k(): number {\n  if (!(aaaaaaaaaaaaaaaaaaaaaaaaaa && bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb && ccccccccccccccccccccccccc)) return 21; // fault with a long comment\n  return 0;\n}\n`,
    ];
    for (const text of cases) expect(await layoutTypeScript(text), text).toBe(await prettierFormat(text, "typescript"));
  });
});

describe("the static runtime's specifiers", () => {
  test("the line rewrite gives what the parsing rewrite gives, for every import extension", async () => {
    const { rewriteRelativeImports } = await import("../compiler/gen/ts-transpile.ts");
    const { runtimeWithExtension } = await import("../compiler/gen/ts.ts");
    const source = readFileSync(STATIC_RUNTIME, "utf8");
    expect(source).toMatch(/from "\.\/contract\.ts";/);
    for (const ext of [".js", ".ts", ""] as const) {
      const fast = runtimeWithExtension(source, ext);
      expect(fast, ext).toBe(await rewriteRelativeImports(source, STATIC_RUNTIME, ext));
      expect(fast).toContain(`from "./contract${ext}";`);
    }
  });
});
