// The "did you mean" rule: edit distance with swaps, a length-scaled threshold, case folding,
// and answers that do not depend on the order of the candidates.

import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { githubAnnotation, type DiagnosticRecord } from "../compiler/diagnostic-formats.ts";
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
