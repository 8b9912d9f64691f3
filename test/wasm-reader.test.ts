// The wasm reader against clang-built guests (cross-checked with the engine's own
// WebAssembly.Module.imports/exports), hand-built edge cases, and malformed input of every kind.

import { readFileSync } from "node:fs";
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { classifyExecutable, readModule, WasmFormatError } from "../compiler/wasm/reader.ts";
import { compileC, type CompileOptions } from "../scripts/toolchain.ts";
import {
  EXTERNREF,
  exportEntry,
  F32,
  F64,
  FUNCREF,
  funcType,
  I32,
  I64,
  importEntry,
  KIND,
  name,
  SECTION,
  section,
  u32,
  V128,
  vec,
  wasmModule,
} from "./support/wasm-builder.ts";

const GUESTS = "test/guests/verify";
const BUILD = "test/.build/wasm-reader";

// The parts of the JS WebAssembly API used as an oracle (not in the ES2022 + node type libs).
const engine = (
  globalThis as unknown as {
    WebAssembly: {
      validate(bytes: Uint8Array): boolean;
      Module: (new (bytes: Uint8Array) => object) & {
        imports(module: object): { module: string; name: string; kind: string }[];
        exports(module: object): { name: string; kind: string }[];
      };
    };
  }
).WebAssembly;

/** Names and kinds as the engine reports them, with the JS API's "function" spelled "func". */
function engineView(bytes: Uint8Array) {
  const compiled = new engine.Module(bytes);
  const kind = (k: string) => (k === "function" ? "func" : k);
  return {
    imports: engine.Module.imports(compiled).map((i) => ({ module: i.module, name: i.name, kind: kind(i.kind) })),
    exports: engine.Module.exports(compiled).map((e) => ({ name: e.name, kind: kind(e.kind) })),
  };
}

/** Names and kinds as the reader reports them. */
function readerView(info: ReturnType<typeof readModule>) {
  return {
    imports: info.imports.map(({ module, name, kind }) => ({ module, name, kind })),
    exports: info.exports.map(({ name, kind }) => ({ name, kind })),
  };
}

const bare = ["-nostartfiles"];
const GUEST_BUILDS: Record<string, CompileOptions> = {
  hello: { sources: [`${GUESTS}/hello.c`], out: `${BUILD}/hello.wasm` },
  gates: { sources: [`${GUESTS}/gates.c`], out: `${BUILD}/gates.wasm`, extraArgs: bare },
  reactor: { sources: [`${GUESTS}/reactor.c`], out: `${BUILD}/reactor.wasm`, noEntry: true, exports: ["foo"] },
  "minimal-stripped": {
    sources: [`${GUESTS}/minimal.c`],
    out: `${BUILD}/minimal-stripped.wasm`,
    extraArgs: [...bare, "-Wl,--strip-all"],
  },
  "gates-stripped": {
    sources: [`${GUESTS}/gates.c`],
    out: `${BUILD}/gates-stripped.wasm`,
    extraArgs: [...bare, "-Wl,--strip-all"],
  },
};
const built = new Map<string, Uint8Array>();

/** Compiles a guest on first use, so a missing toolchain fails each test that needs one. */
function guest(key: string): Uint8Array {
  let bytes = built.get(key);
  if (!bytes) {
    compileC(GUEST_BUILDS[key]);
    bytes = new Uint8Array(readFileSync(GUEST_BUILDS[key].out));
    built.set(key, bytes);
  }
  return bytes;
}

/** Parses, or returns the WasmFormatError; any other exception escapes and fails the test. */
function parseOrFormatError(bytes: Uint8Array): ReturnType<typeof readModule> | WasmFormatError {
  try {
    return readModule(bytes);
  } catch (error) {
    if (error instanceof WasmFormatError) return error;
    throw error;
  }
}

function formatError(bytes: Uint8Array): WasmFormatError {
  const result = parseOrFormatError(bytes);
  if (!(result instanceof WasmFormatError)) throw new Error("expected a WasmFormatError, but the module parsed");
  return result;
}

describe("clang-built guests", () => {
  test("hello world imports fd_write with its preview1 signature", () => {
    const info = readModule(guest("hello"));
    expect(info.imports).toContainEqual({
      module: "wasi_snapshot_preview1",
      name: "fd_write",
      kind: "func",
      type: { params: ["i32", "i32", "i32", "i32"], results: ["i32"] },
    });
    expect(info.imports).toContainEqual({
      module: "wasi_snapshot_preview1",
      name: "proc_exit",
      kind: "func",
      type: { params: ["i32"], results: [] },
    });
    expect(info.exports).toEqual([
      { name: "memory", kind: "memory" },
      { name: "_start", kind: "func", type: { params: [], results: [] } },
    ]);
  });

  test("i64 parameters and module aliases are read as written", () => {
    const info = readModule(guest("gates"));
    expect(info.imports).toContainEqual({
      module: "wasi_snapshot_preview1",
      name: "fd_advise",
      kind: "func",
      type: { params: ["i32", "i64", "i64", "i32"], results: ["i32"] },
    });
    expect(info.imports).toContainEqual({
      module: "wasi_unstable",
      name: "fd_close",
      kind: "func",
      type: { params: ["i32"], results: ["i32"] },
    });
  });

  test("a module without an entry point exports only what it asked for", () => {
    expect(readModule(guest("reactor")).exports).toEqual([
      { name: "memory", kind: "memory" },
      { name: "foo", kind: "func", type: { params: ["i32"], results: ["i32"] } },
    ]);
  });

  test("names and kinds agree with the engine's WebAssembly.Module.imports/exports", () => {
    for (const key of Object.keys(GUEST_BUILDS)) {
      expect(readerView(readModule(guest(key)))).toEqual(engineView(guest(key)));
    }
  });
});

describe("hand-built modules", () => {
  test("every import kind, wide value types, and an exported import", () => {
    const bytes = wasmModule(
      section(SECTION.type, vec([funcType([I32, I64, F32, F64], [I32]), funcType([V128, FUNCREF, EXTERNREF], [])])),
      section(
        SECTION.import,
        vec([
          importEntry("m", "f", [KIND.func, 0]),
          importEntry("m", "t", [KIND.table, FUNCREF, 0x01, 1, 10]),
          importEntry("m", "mem", [KIND.memory, 0x03, 1, 2]), // shared, with max
          importEntry("m", "mem64", [KIND.memory, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), // min 2^35
          importEntry("m", "g", [KIND.global, I32, 1]),
          importEntry("m", "e", [KIND.tag, 0, 1]),
          importEntry("m", "r", [KIND.func, 1]),
        ]),
      ),
      section(SECTION.custom, [...name("producers"), 0xde, 0xad]),
      section(42, [1, 2, 3]), // an unknown section is skipped by its size
      section(SECTION.export, vec([exportEntry("again", KIND.func, 0), exportEntry("g", KIND.global, 0)])),
    );
    const info = readModule(bytes);
    expect(info.imports).toEqual([
      { module: "m", name: "f", kind: "func", type: { params: ["i32", "i64", "f32", "f64"], results: ["i32"] } },
      { module: "m", name: "t", kind: "table" },
      { module: "m", name: "mem", kind: "memory" },
      { module: "m", name: "mem64", kind: "memory" },
      { module: "m", name: "g", kind: "global" },
      { module: "m", name: "e", kind: "tag", type: { params: ["v128", "funcref", "externref"], results: [] } },
      { module: "m", name: "r", kind: "func", type: { params: ["v128", "funcref", "externref"], results: [] } },
    ]);
    expect(info.exports).toEqual([
      { name: "again", kind: "func", type: { params: ["i32", "i64", "f32", "f64"], results: ["i32"] } },
      { name: "g", kind: "global" },
    ]);
  });

  test("typed references (ref null func) and (ref 0) read as reference names", () => {
    const bytes = wasmModule(
      section(SECTION.type, vec([funcType([], []), [0x60, 2, 0x63, 0x70, 0x64, 0x00, 0]])),
      section(SECTION.import, vec([importEntry("m", "f", [KIND.func, 1])])),
    );
    expect(readModule(bytes).imports[0].type).toEqual({ params: ["funcref", "ref"], results: [] });
  });

  test("an empty module has no imports or exports", () => {
    expect(readModule(wasmModule())).toEqual({ imports: [], exports: [] });
  });
});

describe("malformed input throws WasmFormatError with an offset", () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["empty file", new Uint8Array(), /^truncated module header at offset 0x0$/],
    [
      "ELF magic",
      Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      /not a wasm module \(bad magic\) at offset 0x0/,
    ],
    [
      "a component",
      Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]),
      /a wasm component, not a core module at offset 0x4/,
    ],
    ["version 2", Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), /unsupported wasm version 0x2 at offset 0x4/],
    [
      "import section cut short",
      wasmModule([SECTION.import, 5, ...vec([importEntry("wasi", "fd_write", [KIND.func, 0])]).slice(0, 5)]),
      /^truncated import section at offset 0xc$/,
    ],
    ["section larger than the file", wasmModule([SECTION.type, 10, 0]), /^truncated type section at offset 0x8$/],
    [
      "u32 with a fifth byte above 0x0f",
      wasmModule([SECTION.type, 0x80, 0x80, 0x80, 0x80, 0x10]),
      /integer too large in section header at offset 0x9/,
    ],
    ["u32 longer than five bytes", wasmModule([SECTION.type, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), /integer too large/],
    [
      "invalid UTF-8 name",
      wasmModule(section(SECTION.export, [1, 2, 0xc3, 0x28, KIND.func, 0])),
      /invalid UTF-8 name in export section at offset 0xb/,
    ],
    [
      "type index out of range",
      wasmModule(section(SECTION.import, vec([importEntry("m", "f", [KIND.func, 3])]))),
      /type index 3 out of range \(0 types\) at offset 0xb/,
    ],
    [
      "export of a missing function",
      wasmModule(section(SECTION.export, vec([exportEntry("f", KIND.func, 7)]))),
      /export "f" refers to function 7, but there are 0 at offset 0xb/,
    ],
    [
      "duplicate type section",
      wasmModule(section(SECTION.type, [0]), section(SECTION.type, [0])),
      /duplicate type section at offset 0xb/,
    ],
    [
      "bytes left in a section",
      wasmModule(section(SECTION.function, [0, 9])),
      /1 unread byte\(s\) at the end of the function section/,
    ],
    [
      "unknown value type",
      wasmModule(section(SECTION.type, vec([[0x60, 1, 0x40, 0]]))),
      /unknown value type 0x40 in type section/,
    ],
    ["unsupported type form", wasmModule(section(SECTION.type, vec([[0x5f, 0]]))), /unsupported type form 0x5f/],
    [
      "unknown import kind",
      wasmModule(section(SECTION.import, vec([importEntry("m", "x", [9])]))),
      /unknown external kind 0x9 in import section/,
    ],
    [
      "bad limits flags",
      wasmModule(section(SECTION.import, vec([importEntry("m", "x", [KIND.memory, 0x10, 0])]))),
      /invalid limits flags 0x10/,
    ],
    [
      "heap type too large",
      wasmModule(section(SECTION.type, vec([[0x60, 1, 0x63, 0x80, 0x80, 0x80, 0x80, 0x20, 0]]))),
      /integer too large/,
    ],
  ];
  test.each(cases)("%s", (_label, bytes, message) => {
    expect(formatError(bytes).message).toMatch(message);
  });

  test("every prefix of a real module parses or throws WasmFormatError", () => {
    for (const key of ["minimal-stripped", "gates-stripped"]) {
      const bytes = guest(key);
      let parsed = 0;
      for (let length = 0; length <= bytes.length; length++) {
        if (!(parseOrFormatError(bytes.subarray(0, length)) instanceof WasmFormatError)) parsed++;
      }
      expect(parsed).toBeGreaterThan(0); // at least the whole module, plus prefixes ending on a section
    }
  });

  fcTest.prop([fc.uint8Array({ maxLength: 512 }), fc.boolean()], { numRuns: 500 })(
    "random bytes never throw anything else",
    (tail, withHeader) => {
      const bytes = withHeader ? Uint8Array.from([...wasmModule(), ...tail]) : tail;
      parseOrFormatError(bytes);
    },
  );

  fcTest.prop(
    [
      fc.constantFrom("minimal-stripped", "gates-stripped"),
      fc.array(
        fc.record({
          at: fc.nat(),
          byte: fc.integer({ min: 0, max: 255 }),
          edit: fc.constantFrom("set", "insert", "delete"),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    ],
    { numRuns: 1000 },
  )(
    "byte-mutated modules throw only WasmFormatError, and engine-valid ones read like the engine does",
    (key, edits) => {
      const bytes = [...guest(key)];
      for (const { at, byte, edit } of edits) {
        const index = at % (bytes.length + 1);
        if (edit === "set") bytes[Math.min(index, bytes.length - 1)] = byte;
        else if (edit === "insert") bytes.splice(index, 0, byte);
        else bytes.splice(index, 1);
      }
      const mutated = Uint8Array.from(bytes);
      const result = parseOrFormatError(mutated);
      if (engine.validate(mutated)) {
        expect(result).not.toBeInstanceOf(WasmFormatError);
        expect(readerView(result as ReturnType<typeof readModule>)).toEqual(engineView(mutated));
      }
    },
  );

  test("a vector count larger than its section fails at the first missing entry", () => {
    for (const count of [0, 1, 127, 128, 16_384, 2 ** 32 - 1]) {
      // A function section claiming `count` entries and holding none: read fails at the first entry.
      const bytes = wasmModule(section(SECTION.function, u32(count)));
      if (count === 0) expect(readModule(bytes)).toEqual({ imports: [], exports: [] });
      else expect(formatError(bytes).message).toMatch(/truncated function section/);
    }
  });
});

describe("classifyExecutable", () => {
  const bytesOf = (text: string) => new TextEncoder().encode(text);
  test.each([
    ["wasm", Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])],
    ["shebang", bytesOf("#!/bin/sh\necho hi\n")],
    ["elf", Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])],
    ["macho", Uint8Array.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1])],
    ["macho", Uint8Array.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2])],
    ["pe", bytesOf("MZ\x90\x00")],
    ["unknown", bytesOf("hello")],
    ["unknown", new Uint8Array()],
    ["unknown", Uint8Array.from([0, 0x61])],
  ] as const)("%s", (kind, bytes) => {
    expect(classifyExecutable(bytes)).toBe(kind);
  });
});
