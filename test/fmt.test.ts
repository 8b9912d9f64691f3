// `abic fmt`'s printer: the canonical layout on hand-written cases (comments, blank lines,
// annotations, lists), and properties over random and mutated contracts: formatting keeps the
// checked model, keeps every comment, is idempotent, and undoes any re-spacing.

import { readdirSync, readFileSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { formatText } from "../compiler/fmt/index.ts";
import { ANNOTATION_ORDER } from "../compiler/gates.ts";
import { compileText } from "../compiler/index.ts";
import { tokenize } from "../compiler/lexer.ts";
import { insertComments, respace, validContract } from "./support/random-contract.ts";

function fmt(text: string, file = "<input>.idl"): string {
  const r = formatText(file, text);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.span.line}:${d.span.column}: ${d.message}`).join("\n"));
  return r.text;
}

/** The checked model without positions, or null when the text has errors; `file` places its `use`s. */
function model(text: string, file?: string): string | null {
  const c = compileText(text, file);
  if (!c.model) return null;
  return JSON.stringify(c.model, (k, v: unknown) => (k === "span" ? undefined : v));
}

/** The comments of a text, as a sorted list (a trailing line comment may move to the end of its line). */
const comments = (text: string): string[] =>
  tokenize(text)
    .comments.map((c) => c.image.replace(/[ \t]+$/gm, ""))
    .sort();

/** A seeded generator for the layout mutations, so fast-check can shrink and replay them. */
const rng = (seed: number): (() => number) => {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
};

describe("the canonical layout", () => {
  test("spacing, indentation, trailing commas and annotation order", () => {
    const input = `package   demo @ 1.0.0 ;
@open   @since( 1.0.0 )
enum  errno : u16 { success=0 , e1 = 1 }
@since(1.0.0) flags f: u8 { a = 1<<0, reserved old = 1 << 3 }
@since(1.0.0)
struct s { a : ptr < u8 > , b: list<u8>
}
@tier( read-only ) @since(1.0.0)
module m {
    @stubbed(e1) @since(1.0.0) fn f( a : u32 , b : string , ) -> result < ( x : u32 , y : u64 ) , errno > ;
}
`;
    expect(fmt(input)).toBe(`package demo@1.0.0;
@since(1.0.0) @open
enum errno: u16 {
    success = 0,
    e1 = 1,
}
@since(1.0.0)
flags f: u8 {
    a = 1 << 0,
    reserved old = 1 << 3,
}
@since(1.0.0)
struct s {
    a: ptr<u8>,
    b: list<u8>,
}
@since(1.0.0) @tier(read-only)
module m {
    @since(1.0.0) @stubbed(e1)
    fn f(a: u32, b: string) -> result<(x: u32, y: u64), errno>;
}
`);
  });

  test("lists that do not fit, or carry doc comments, go one per line with a trailing comma", () => {
    const long = `module m {
    fn a_function_with_a_long_name(first_parameter: u32, second_parameter: u64, third: string) -> result<(), errno>;
    fn g(/// The fd.
    fd: u32) -> result<(/// Count.
    n: u32), errno>;
}
`;
    expect(fmt(long)).toBe(`module m {
    fn a_function_with_a_long_name(
        first_parameter: u32,
        second_parameter: u64,
        third: string,
    ) -> result<(), errno>;
    fn g(
        /// The fd.
        fd: u32,
    ) -> result<(
        /// Count.
        n: u32,
    ), errno>;
}
`);
  });

  test("annotations that do not fit on one line go one per line", () => {
    const input = `module m {
    @deprecated(1.0.0, note = "a long note that takes most of the line by itself, really") @since(1.0.0) @compat("x")
    fn f();
}
`;
    expect(fmt(input)).toBe(`module m {
    @since(1.0.0)
    @deprecated(1.0.0, note = "a long note that takes most of the line by itself, really")
    @compat("x")
    fn f();
}
`);
  });

  test("@deviation sorts after @compat and before @tier, and goes on its own line when long", () => {
    const input = `@tier(read-only) @deviation("Short.") @since(1.0.0)
module m {
    @deviation("Timestamps are kept to the microsecond: what lies below it is dropped, from the timestamp.") @compat("old") @since(1.0.0)
    fn f();
}
`;
    expect(fmt(input)).toBe(`@since(1.0.0) @deviation("Short.") @tier(read-only)
module m {
    @since(1.0.0)
    @compat("old")
    @deviation("Timestamps are kept to the microsecond: what lies below it is dropped, from the timestamp.")
    fn f();
}
`);
  });

  test("@sentinel sorts last, next to the signature, and writes `::` paths without spaces", () => {
    const input = `module m {
    @sentinel(errno :: io , fault=errno::fault) @tier(full) @compat("old") @since(1.0.0)
    fn f() -> u32;
    @sentinel( 0xffff_ffff ) @deprecated(1.0.0, use = f) @since(1.0.0) @deviation("Timestamps are kept to the microsecond, and what lies below is dropped.")
    fn g() -> u32;
}
`;
    expect(fmt(input)).toBe(`module m {
    @since(1.0.0) @compat("old") @tier(full) @sentinel(errno::io, fault = errno::fault)
    fn f() -> u32;
    @since(1.0.0)
    @deprecated(1.0.0, use = f)
    @deviation("Timestamps are kept to the microsecond, and what lies below is dropped.")
    @sentinel(0xffff_ffff)
    fn g() -> u32;
}
`);
  });

  test("libc blocks: headers, functions one property per line, value lists broken one per line when too long", () => {
    const input = `libc{/// Doc.
@since(1.0.0) header "sys/wait.h":unomitted;
@unstable(x)
fn pipe:added{header "unistd.h";prototype "int pipe(int fd[2])";calls host_process :: fd_pipe,host_process::fd_dup;errno inval , nomem;patch "0001-pipe-dup";}
fn spawn: added {
  calls host_process::proc_spawn, wasi_snapshot_preview1::path_open, wasi_snapshot_preview1::fd_close; // why
  deviation "One.";deviation "Two.";
}
fn fork: stubbed { returns -1; returns NULL; instead pipe, host_process::proc_spawn; }
absent fn execve{header "unistd.h";instead posix_spawn;}
fn empty: added {}
}`;
    expect(fmt(input)).toBe(`libc {
    /// Doc.
    @since(1.0.0)
    header "sys/wait.h": unomitted;
    @unstable(x)
    fn pipe: added {
        header "unistd.h";
        prototype "int pipe(int fd[2])";
        calls host_process::fd_pipe, host_process::fd_dup;
        errno inval, nomem;
        patch "0001-pipe-dup";
    }
    fn spawn: added {
        calls host_process::proc_spawn,
            wasi_snapshot_preview1::path_open,
            wasi_snapshot_preview1::fd_close; // why
        deviation "One.";
        deviation "Two.";
    }
    fn fork: stubbed {
        returns -1;
        returns NULL;
        instead pipe, host_process::proc_spawn;
    }
    absent fn execve {
        header "unistd.h";
        instead posix_spawn;
    }
    fn empty: added {}
}
`);
  });

  test("a line comment inside a libc value list keeps the list one per line", () => {
    const input = `libc {
    fn f: added {
        calls a::b, // first
            c::d;
    }
}
`;
    expect(fmt(input)).toBe(`libc {
    fn f: added {
        calls a::b, // first
            c::d;
    }
}
`);
  });

  test("blank lines between items are kept (one at most), none at a block's edges", () => {
    const input = `// header


package p@1.0.0;
use "a.idl";



module m {

    fn a();
    fn b();


    fn c();

}
`;
    expect(fmt(input)).toBe(`// header

package p@1.0.0;
use "a.idl";

module m {
    fn a();
    fn b();

    fn c();
}
`);
  });

  test("every kind of comment stays where it was", () => {
    const input = `/* file header */
package p@1.0.0;    // trailing

// above the enum
enum e:u8{ // after the brace
  /// doc
  a=0,// zero
        // before b
  b = 1/* inline */ ,

  // before the brace
  }
module m { fn f(
    // about x
    x:u32, // x
    y:u32);
  fn g(/* nothing */);
}
// at the end
`;
    const out = fmt(input);
    expect(out).toBe(`/* file header */
package p@1.0.0; // trailing

// above the enum
enum e: u8 { // after the brace
    /// doc
    a = 0, // zero
    // before b
    b = 1 /* inline */,

    // before the brace
}
module m {
    fn f(
        // about x
        x: u32, // x
        y: u32,
    );
    fn g( /* nothing */);
}
// at the end
`);
    expect(comments(out)).toEqual(comments(input));
  });

  test("a comment above annotations stays above the item when they are reordered", () => {
    const input = `// about m
@tier(full) @since(1.0.0)
module m {}
`;
    expect(fmt(input)).toBe(`// about m
@since(1.0.0) @tier(full)
module m {}
`);
  });

  test("command blocks, exports, escapes and numbers as written", () => {
    const input = `command{export memory:memory;optional export %type:func(i32,i64)->i32;convention dispatch;const x:u8=0x7f;}`;
    expect(fmt(input)).toBe(`command {
    export memory: memory;
    optional export %type: func(i32, i64) -> i32;
    convention dispatch;
    const x: u8 = 0x7f;
}
`);
  });

  test("a file with syntax errors is not formatted; an empty one formats to nothing", () => {
    const r = formatText("bad.idl", "struct s { a: u32 ");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]!.code).toBe("E0102");
    expect(fmt("  \n\n")).toBe("");
    expect(fmt("// only a comment")).toBe("// only a comment\n");
  });
});

describe("formatting never changes meaning", () => {
  test.prop([validContract], { numRuns: 60 })("random valid contracts: same model, idempotent, layout-independent", (text) => {
    const before = model(text);
    expect(before, "the generator makes valid contracts").not.toBeNull();
    const once = fmt(text);
    expect(model(once)).toBe(before);
    expect(fmt(once)).toBe(once);
    expect(comments(once)).toEqual(comments(text));
  });

  test.prop([validContract, fc.integer(), fc.integer({ min: 1, max: 6 })], { numRuns: 60 })(
    "random valid contracts with comments inserted anywhere: same model, every comment kept, idempotent",
    (text, seed, count) => {
      const commented = insertComments(text, rng(seed), count);
      const once = fmt(commented);
      expect(model(once)).toBe(model(text));
      expect(comments(once)).toEqual(comments(commented));
      expect(fmt(once)).toBe(once);
    },
  );

  test.prop([validContract, fc.integer()], { numRuns: 60 })("re-spaced copies format to the same text", (text, seed) => {
    const once = fmt(text);
    expect(fmt(respace(once, rng(seed)))).toBe(once);
  });

  const fixtureFile = "test/fixtures/valid/every-construct/input.idl";
  const fixture = readFileSync(fixtureFile, "utf8");
  test("every construct of the language (deviations and the libc block too) keeps its model and settles", () => {
    const once = fmt(fixture);
    expect(model(fixture, fixtureFile), "the fixture checks").not.toBeNull();
    expect(model(once, fixtureFile)).toBe(model(fixture, fixtureFile));
    expect(comments(once)).toEqual(comments(fixture));
    expect(fmt(once)).toBe(once);
    expect(once).toContain("libc {\n");
    expect(once).toContain("    absent fn execve {\n        header \"unistd.h\";\n");
  });

  const pieces = ["", " ", "\n", "// c\n", "/* c */", ",", "@since(1.0.0)", "@open", "u32", "x", ";", "{", "}", "(", ")"];
  test.prop([fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 12 }), insert: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 5 })], {
    numRuns: 150,
  })("mutations of a valid contract: whenever fmt accepts one, it keeps its model and is idempotent", (edits) => {
    let text = fixture;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
    }
    const r = formatText("<input>.idl", text);
    if (!r.ok) return;
    expect(model(r.text, fixtureFile)).toBe(model(text, fixtureFile));
    expect(fmt(r.text)).toBe(r.text);
  });
});

describe("the annotation order", () => {
  test("LANGUAGE.md's annotation table lists every annotation in the order fmt writes them", () => {
    const table = readFileSync("LANGUAGE.md", "utf8").split("## Annotations")[1]!.split("\n\n").find((p) => p.startsWith("| annotation"))!;
    const names = [...table.matchAll(/^\| `@(\w+)/gm)].map((m) => m[1]);
    expect(names).toEqual([...ANNOTATION_ORDER]);
  });
});

describe("the repository's contract", () => {
  const files = ["abi.idl", ...readdirSync("abi").filter((f) => f.endsWith(".idl")).sort().map((f) => `abi/${f}`)];
  test("covers every file of the contract, the libc block's too", () => {
    expect(files).toContain("abi/libc.idl");
  });

  test.each(files)("%s is formatted", (file) => {
    const text = readFileSync(file, "utf8");
    expect(fmt(text, file)).toBe(text);
  });

  test.prop([fc.constantFrom(...files), fc.integer()], { numRuns: 15 })("re-indented and re-spaced copies format back to the canonical text", (file, seed) => {
    const text = readFileSync(file, "utf8");
    const messy = respace(text, rng(seed));
    expect(messy).not.toBe(text);
    expect(fmt(messy, file)).toBe(text);
  });
});
