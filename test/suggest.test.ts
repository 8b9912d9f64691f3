// The "did you mean" rule: edit distance with swaps, a length-scaled threshold, case folding,
// and answers that do not depend on the order of the candidates.

import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { githubAnnotation, type DiagnosticRecord } from "../compiler/diagnostic-formats.ts";
import { compileText } from "../compiler/index.ts";
import { editDistance, suggest } from "../compiler/suggest.ts";

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["check", "check", 0],
    ["chek", "check", 1],
    ["chekc", "check", 1],
    ["filetyp", "filetype", 1],
    ["kitten", "sitting", 3],
    ["abc", "", 3],
  ])("%s -> %s is %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  test.prop([fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })])("is a distance", (a, b, c) => {
    expect(editDistance(a, a)).toBe(0);
    expect(editDistance(a, b)).toBe(editDistance(b, a));
    expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
    expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
    // The optimal-string-alignment distance keeps the triangle inequality up to swaps.
    expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c) + 1);
  });
});

describe("suggest", () => {
  const commands = ["check", "ir", "gen", "fmt", "diff", "verify", "run", "help"];
  test.each([
    ["chek", "check"],
    ["gne", "gen"],
    ["verfy", "verify"],
    ["CHECK", "check"],
    ["fmtt", "fmt"],
    ["frobnicate", null],
    ["x", null],
    ["g", null],
  ])("%s -> %s", (name, expected) => expect(suggest(name, commands)).toBe(expected));

  test("the threshold grows with the name: a third of its length", () => {
    expect(suggest("fd_writ", ["fd_write"])).toBe("fd_write");
    expect(suggest("fd_wr", ["fd_write"])).toBe(null);
    expect(suggest("host_procss", ["host_process", "host_net"])).toBe("host_process");
  });

  test("never suggests the name itself", () => {
    expect(suggest("check", ["check"])).toBe(null);
  });

  test.prop([fc.string({ maxLength: 8 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 8 })])(
    "the answer does not depend on the candidates' order, and is close enough when given",
    (name, candidates) => {
      const best = suggest(name, candidates);
      expect(suggest(name, [...candidates].reverse())).toBe(best);
      if (best !== null) {
        expect(candidates).toContain(best);
        expect(best.toLowerCase() === name.toLowerCase() || editDistance(name, best) <= Math.floor(Math.max(name.length, 3) / 3)).toBe(true);
      }
    },
  );
});

describe("githubAnnotation", () => {
  test("escapes what workflow commands reserve", () => {
    const r: DiagnosticRecord = {
      severity: "info",
      code: "X",
      message: "100% sure,\nreally: yes",
      file: "a,b:c.idl",
      line: 3,
      column: null,
      endLine: null,
      endColumn: null,
      notes: [{ message: "see", file: null, line: null, column: null, endLine: null, endColumn: null }],
      suggestion: null,
    };
    expect(githubAnnotation(r)).toBe("::notice file=a%2Cb%3Ac.idl,line=3,title=X::100%25 sure,%0Areally: yes%0Anote: see");
  });
});

describe("did you mean in the libc block", () => {
  /** A contract with two modules and a libc block whose function `pipe` holds `body`, then `more`. */
  const contract = (body: string, header = `header "unistd.h": patched;`, more = "") => `package p@1.0.0;
/// Errors.
@since(1.0.0)
enum errno: u16 {
    /// Ok.
    success = 0,
    /// Bad descriptor.
    badf = 8,
    /// Out of memory.
    nomem = 48,
    /// Bad address.
    fault = 21,
    /// Illegal byte sequence.
    ilseq = 25,
    /// Invalid argument.
    inval = 28,
    /// I/O error.
    io = 29,
}
/// Processes.
@since(1.0.0)
module host_process {
    /// Old name.
    alias host_proc;
    /// A pipe.
    @since(1.0.0)
    fn fd_pipe() -> result<(), errno>;
    /// A duplicate.
    @since(1.0.0)
    fn fd_dup() -> result<(), errno>;
}
/// Networking.
@since(1.0.0)
module host_net {
    /// Resolve.
    @since(1.0.0)
    fn net_getaddrinfo() -> result<(), errno>;
}
/// Libc.
libc {
    /// The header.
    @since(1.0.0)
    ${header}
    /// A pipe.
    @since(1.0.0)
    fn pipe: added {
        ${body}
    }${more}
}
`;
  const BASE = `header "unistd.h";\n        prototype "int pipe(int fd[2])";`;
  /** The code, message and suggested replacement of each error. */
  const errors = (text: string) =>
    compileText(text)
      .diagnostics.filter((d) => d.severity === "error")
      .map((d) => [d.code, d.suggestion?.replacement ?? null]);

  test("the contract without mistakes checks", () => {
    expect(errors(contract(`${BASE}\n        calls host_process::fd_pipe;`))).toEqual([]);
  });

  test.each([
    ["a mistyped function keeps its module", `${BASE}\n        calls host_process::fd_pip;`, "E0501", "host_process::fd_pipe"],
    ["a mistyped module keeps its function", `${BASE}\n        calls host_proces::fd_pipe;`, "E0501", "host_process::fd_pipe"],
    ["a module alias becomes the module's name", `${BASE}\n        calls host_proc::fd_dup;`, "E0501", "host_process::fd_dup"],
    ["a mistyped errno member", `${BASE}\n        errno nomen;`, "E0508", "nomem"],
    ["a mistyped property", `${BASE}\n        deviaton "x";`, "E0505", "deviation"],
    ["an undeclared header close to a declared one", `header "unistd.hh";\n        prototype "int pipe(int fd[2])";`, "E0503", '"unistd.h"'],
  ])("%s", (_, body, code, replacement) => {
    expect(errors(contract(body))).toContainEqual([code, replacement]);
  });

  test("a mistyped change or header kind", () => {
    expect(errors(contract(BASE).replace("fn pipe: added", "fn pipe: aded"))).toContainEqual(["E0506", "added"]);
    expect(errors(contract(BASE, `header "unistd.h": pached;`))).toContainEqual(["E0506", "patched"]);
  });

  test("a mistyped `instead` names a libc function of the block", () => {
    const text = contract(BASE, undefined, `\n    /// Gone.\n    @since(1.0.0)\n    absent fn pipe2 {\n        header "unistd.h";\n        instead pipee;\n    }`);
    expect(errors(text)).toEqual([["E0501", "pipe"]]);
  });

  test("nothing is offered when no name is close, or when the module has no such function", () => {
    expect(errors(contract(`${BASE}\n        calls host_nowhere::fd_pipe;`))).toEqual([["E0501", null]]);
    expect(errors(contract(`${BASE}\n        calls host_proc::frobnicate;`))).toEqual([["E0501", null]]);
    expect(errors(contract(`${BASE}\n        calls host_net::fd_pipe;`))).toEqual([["E0501", null]]);
  });
});
