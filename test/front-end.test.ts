// Unit tests per stage: lexer, parser (with recovery), AST builder, layout rules, lowering.

import { describe, expect, test } from "vitest";
import { tokenize } from "../compiler/lexer.ts";
import { parseTokens, validateGrammar } from "../compiler/parser.ts";
import { parseSource } from "../compiler/source.ts";
import { alignTo, structLayout, variantLayout } from "../compiler/layout.ts";
import { lowerParam } from "../compiler/lower.ts";
import { compileText } from "../compiler/index.ts";

const names = (text: string) => tokenize(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe("lexer", () => {
  test("keywords, identifiers, escapes, versions and numbers", () => {
    expect(names("struct structure %type %2big 1.0.0 0x1F -1 0b101 1_000")).toEqual([
      "Struct:struct",
      "Identifier:structure",
      "Identifier:%type",
      "Identifier:%2big",
      "Version:1.0.0",
      "Integer:0x1F",
      "Integer:-1",
      "Integer:0b101",
      "Integer:1_000",
    ]);
  });

  test("doc comments are tokens, plain comments are skipped", () => {
    expect(names("/// doc\n// plain\n/* block\n */ x")).toEqual(["DocComment:/// doc", "Identifier:x"]);
  });

  test("operators: -> and << win over - and <", () => {
    expect(names("-> << < > - !")).toEqual(["Arrow:->", "Shl:<<", "LAngle:<", "RAngle:>", "Minus:-", "Bang:!"]);
  });

  test("an unknown character is an error with its position", () => {
    const r = tokenize("a\n  $ b");
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 2, column: 3 });
    expect(r.tokens.map((t) => t.image)).toEqual(["a", "b"]);
  });
});

describe("parser", () => {
  // abic builds its lexer and parser without chevrotain's definition checks (start-up time), so
  // they run here: an ambiguous alternative or a bad token pattern fails this test.
  test("the grammar passes chevrotain's validations", () => {
    expect(() => validateGrammar()).not.toThrow();
  });

  test("recovers and reports every syntax error of a file", () => {
    const src = "struct a { x: u32 y: u32 }\nstruct b { z: }\nenum c: u8 { k = 1 }";
    const { errors } = parseTokens(tokenize(src).tokens);
    expect(errors.map((e) => e.token.startLine)).toEqual([1, 2]);
  });

  test("trailing commas are allowed in every list", () => {
    const src = `package p@1.0.0;
      struct s { a: u8, }
      enum e: u8 { a = 0, }
      variant v: e { a, }
      module m { fn f(a: u8,) -> result<(x: u8, y: u8,), errno>; }`;
    expect(parseTokens(tokenize(src).tokens).errors).toEqual([]);
  });
});

describe("AST builder", () => {
  test("docs attach to the item that follows, with spans on every node", () => {
    const { ast, diagnostics } = parseSource(
      "t.idl",
      "/// Line one.\n///   indented\n@since(1.0.0)\nstruct s {\n  /// Field doc.\n  %type: u8,\n}\n",
    );
    expect(diagnostics).toEqual([]);
    const s = ast.decls[0]!;
    // Each line of doc text keeps where it starts, so diagnostics can point inside it.
    expect(s).toMatchObject({
      kind: "struct",
      name: "s",
      docs: { text: "Line one.\n  indented", file: "t.idl", lines: [{ line: 1, column: 5 }, { line: 2, column: 5 }] },
    });
    expect(s.nameSpan).toMatchObject({ file: "t.idl", line: 4, column: 8 });
    if (s.kind !== "struct") throw new Error("not a struct");
    expect(s.fields[0]).toMatchObject({ name: "type", docs: { text: "Field doc.", lines: [{ line: 5, column: 7 }] } });
    expect(s.fields[0]!.type.span).toMatchObject({ line: 6, column: 10 });
    expect(s.annotations[0]).toMatchObject({ name: "since", args: [{ key: null, value: { kind: "version", text: "1.0.0" } }] });
  });

  test("hyphenated annotation words and keyed arguments", () => {
    const { ast } = parseSource("t.idl", '@tier(read-only) @deprecated(1.0.0, use = other, note = "n")\ntype t = u8;');
    const [tier, dep] = ast.decls[0]!.annotations;
    expect(tier!.args[0]!.value.text).toBe("read-only");
    expect(dep!.args.map((a) => [a.key, a.value.text])).toEqual([
      [null, "1.0.0"],
      ["use", "other"],
      ["note", "n"],
    ]);
  });

  test("`enum::member` is one annotation value; an integer carries its value", () => {
    const { ast, diagnostics } = parseSource("t.idl", "@sentinel(linux_eio, fault = errno::fault) @x(0xff_ff)\ntype t = u8;");
    expect(diagnostics).toEqual([]);
    const [sentinel, x] = ast.decls[0]!.annotations;
    expect(sentinel!.args.map((a) => [a.key, a.value.kind, a.value.text])).toEqual([
      [null, "word", "linux_eio"],
      ["fault", "path", "errno::fault"],
    ]);
    expect(sentinel!.args[1]!.value.span).toMatchObject({ line: 1, column: 30, endColumn: 42 });
    expect(x!.args[0]!.value).toMatchObject({ kind: "int", value: 0xffffn });
  });

  test("doc text lines remember their source position past common indentation and blank lines", () => {
    const { ast } = parseSource("t.idl", "///\n///     deeper\n///   first `errno`\n///\n@since(1.0.0)\ntype t = u8;");
    expect(ast.decls[0]!.docs).toEqual({
      text: "deeper\nfirst `errno`",
      file: "t.idl",
      lines: [
        { line: 2, column: 9 },
        { line: 3, column: 7 },
      ],
    });
  });
});

describe("layout rules (wasm32 Basic C ABI)", () => {
  test("alignTo", () => {
    expect([alignTo(0, 8), alignTo(1, 8), alignTo(9, 4), alignTo(12, 4)]).toEqual([0, 8, 12, 12]);
  });

  test("struct: natural alignment, padded size", () => {
    const l = structLayout([
      { size: 1, align: 1 },
      { size: 8, align: 8 },
      { size: 2, align: 2 },
    ]);
    expect(l).toEqual({ offsets: [0, 8, 16], size: 24, align: 8 });
  });

  test("variant: one payload offset shared by every case", () => {
    // the WIT bug case: variant { a(f64), b(tuple<f32, f32, f32>) } with a u8 tag
    const l = variantLayout({ size: 1, align: 1 }, [
      { size: 8, align: 8 },
      { size: 12, align: 4 },
    ]);
    expect(l).toEqual({ payloadOffset: 8, size: 24, align: 8 });
    expect(variantLayout({ size: 1, align: 1 }, [null, null])).toEqual({ payloadOffset: 1, size: 1, align: 1 });
  });
});

describe("lowering", () => {
  test("witx rules for parameters", () => {
    const scalarOf = (n: string) => (n === "fd" ? ("handle" as const) : null);
    expect(lowerParam({ kind: "primitive", name: "u64" }, scalarOf)).toEqual(["i64"]);
    expect(lowerParam({ kind: "primitive", name: "u8" }, scalarOf)).toEqual(["i32"]);
    expect(lowerParam({ kind: "string" }, scalarOf)).toEqual(["i32", "i32"]);
    expect(lowerParam({ kind: "ptr", const: true, to: { kind: "named", name: "x" } }, scalarOf)).toEqual(["i32"]);
    expect(lowerParam({ kind: "named", name: "fd" }, scalarOf)).toEqual(["i32"]);
    expect(lowerParam({ kind: "named", name: "record" }, scalarOf)).toBeNull();
  });

  test("result values become trailing out-pointers; the errno is the result", () => {
    const c = compileText(`package p@1.0.0;
      /// e
      @since(1.0.0) @open enum errno: u32 { /// s
      success = 0, /// f
      fault = 21, /// il
      ilseq = 25, /// in
      inval = 28, /// io
      io = 29 }
      /// m
      @since(1.0.0) module m {
        /// f
        @since(1.0.0) fn f(/// a
        a: u64, /// b
        b: list<u8>) -> result<(x: u8, y: u64), errno>;
        /// g
        @since(1.0.0) @sentinel(-1) fn g() -> s64;
      }`);
    expect(c.diagnostics).toEqual([]);
    const [f, g] = c.model!.modules[0]!.functions;
    expect(f!.core).toEqual({ params: ["i64", "i32", "i32", "i32", "i32"], results: ["i32"] });
    expect(g!.core).toEqual({ params: [], results: ["i64"] });
  });
});

describe("LANGUAGE.md", () => {
  test("every idl example in the language reference is free of syntax errors", async () => {
    const { readFileSync } = await import("node:fs");
    const doc = readFileSync("LANGUAGE.md", "utf8");
    const blocks = [...doc.matchAll(/```idl\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const block of blocks) {
      const { diagnostics } = parseSource("LANGUAGE.md", block);
      expect(diagnostics.filter((d) => d.code.startsWith("E01")).map((d) => d.message), block).toEqual([]);
    }
  });
});
