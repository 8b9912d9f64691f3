// The layout engine against clang: for every struct and variant of the real contract and the
// fixtures, C type definitions are written straight from the model's field types (not by the
// C generator) and clang must agree with every size, alignment and offset the model computed.

import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { compileFile } from "../compiler/index.ts";
import { layoutProgram } from "./support/layout-program.ts";
import { compileC } from "../scripts/toolchain.ts";

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
