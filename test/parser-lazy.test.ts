// What abic parses with (parseTokens: the hand-written parser of parser-direct.ts on a file it
// takes, else a chevrotain parser that builds each lookahead function on first use and recovers)
// against chevrotain's default parser (everything built up front, recovery on): the same tree
// and the same errors, on every file of the real contract (where only the hand-written parser
// runs) and on damaged copies of it, where chevrotain's error recovery does the work.

import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { CstElement, IRecognitionException } from "chevrotain";
import { describe, expect, test } from "vitest";
import { tokenize } from "../compiler/lexer.ts";
import { parseTokens, referenceParseTokens } from "../compiler/parser.ts";

/** The tree as plain data: rule names, keys in order, token types and offsets, node offsets. */
function plain(e: CstElement): unknown {
  if ("image" in e) return [e.tokenType.name, e.image, e.startOffset, e.isInsertedInRecovery === true];
  return { name: e.name, at: [e.location?.startOffset, e.location?.endOffset], children: Object.entries(e.children).map(([k, v]) => [k, v.map(plain)]) };
}

const errors = (list: IRecognitionException[]) => list.map((e) => [e.name, e.message, e.token.startOffset, e.context?.ruleStack]);

describe("lazy parser = chevrotain's default", () => {
  const files = ["abi.idl", ...readdirSync("abi").filter((f) => f.endsWith(".idl")).map((f) => path.join("abi", f))];

  test("every file of the real contract, and 40 damaged copies of each", () => {
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let withErrors = 0;
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      const variants = [text];
      for (let i = 0; i < 40; i++) {
        const at = rnd(text.length);
        variants.push(text.slice(0, at) + text.slice(at + 1 + rnd(30)));
      }
      for (const v of variants) {
        const tokens = tokenize(v).tokens;
        const lazy = parseTokens(tokens);
        const eager = referenceParseTokens(tokens);
        if (lazy.errors.length > 0) withErrors++;
        expect(errors(lazy.errors), f).toEqual(errors(eager.errors));
        expect(plain(lazy.cst), f).toEqual(plain(eager.cst));
      }
    }
    expect(withErrors).toBeGreaterThan(100);
  });
});
