// The hand-written lexer against chevrotain's lexer built from the same token definitions: the
// same tokens (type, image, every position), the same comments and the same errors, on every IDL
// file in the repository and on random text made of the pieces where the rules meet.

import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fc, test } from "@fast-check/vitest";
import type { IToken } from "chevrotain";
import { describe, expect } from "vitest";
import { referenceLexer, tokenize } from "../compiler/lexer.ts";

const reference = referenceLexer();

const fields = (t: IToken) => [t.tokenType.name, t.tokenTypeIdx, t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn];

function both(text: string) {
  const ours = tokenize(text);
  const theirs = reference.tokenize(text);
  return {
    ours: { tokens: ours.tokens.map(fields), comments: ours.comments.map(fields), errors: ours.errors },
    theirs: { tokens: theirs.tokens.map(fields), comments: (theirs.groups.comments ?? []).map(fields), errors: theirs.errors },
  };
}

function idlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".idl"))
    .map((f) => path.join(dir, f));
}

describe("hand-written lexer = chevrotain's lexer over allTokens", () => {
  const files = ["abi.idl", ...idlFiles("abi"), ...idlFiles("test")];

  test("every IDL file of the repository", () => {
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const { ours, theirs } = both(readFileSync(f, "utf8"));
      expect(ours, f).toEqual(theirs);
    }
  });

  test("positions after CRLF, lone CR, block comments over lines and error runs", () => {
    const text = "a\r\nb\rc /* x\r\n y\n */ d $$ é😀 e\n\"open\n%\n0x 0x_ -0b1 1.2.3-rc.1 1.2 ->-<<::";
    const { ours, theirs } = both(text);
    expect(ours.errors.length).toBeGreaterThan(2);
    expect(ours).toEqual(theirs);
  });

  // Pieces chosen where two rules meet: keyword prefixes, number prefixes, comment openers,
  // escapes and line ends inside strings, characters no token starts with.
  const piece = fc.constantFrom(
    ..."a Z _ % 0 1 9 x X o O b B . - > < : / * \" \\ \n \r \t $ é \u2028 😀 { } ( ) , ; = ! @".split(" "),
    " ",
    "type",
    "package",
    "reserved",
    "fn",
    "0x",
    "0o7",
    "1.2.3",
    "///",
    "//",
    "/*",
    "*/",
    "\r\n",
  );

  test.prop([fc.array(piece, { maxLength: 40 }).map((a) => a.join(""))], { numRuns: 3000 })("random text", (text) => {
    const { ours, theirs } = both(text);
    expect(ours).toEqual(theirs);
  });
});
