// The hand-written parser (compiler/parser-direct.ts) against chevrotain's parser, the grammar of
// record: on every input, either the hand-written one gives up and chevrotain reports a syntax
// error, or chevrotain reports none and both build the same tree: node names, children keys in
// the same order, the very token objects of the input, the same offsets (NaN included), children
// objects without a prototype. Inputs: every IDL file of the repository, random valid and hostile
// contracts, and damaged copies of all of them (characters cut, tokens dropped, repeated, swapped
// or inserted), which walk every decision of the grammar off its happy path.

import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { CstElement, CstNode, IToken } from "chevrotain";
import { describe, expect, test } from "vitest";
import { allTokens, Name, tokenize } from "../compiler/lexer.ts";
import { parseTokens, referenceParseTokens } from "../compiler/parser.ts";
import { parseDirect } from "../compiler/parser-direct.ts";
import { hostileContract, mutatedContract } from "./support/contract-arbitrary.ts";
import { seeded } from "./support/damage.ts";
import { validContract } from "./support/random-contract.ts";

/**
 * A tree as data in which everything chevrotain's tree carries shows: keys in insertion order,
 * prototypes, offsets (NaN as "NaN"), and each token as its index in the input (the same object).
 */
function shape(e: CstElement, index: Map<IToken, number>): unknown {
  if ("image" in e) {
    const at = index.get(e) ?? -1;
    if (at < 0) throw new Error(`a token that is not the input's: ${e.image}`);
    return at;
  }
  const node = e as CstNode;
  return {
    keys: Object.keys(node),
    name: node.name,
    proto: Object.getPrototypeOf(node.children) === null ? "null" : "object",
    location: node.location && Object.entries(node.location).map(([k, v]) => [k, String(v)]),
    children: Object.entries(node.children).map(([k, list]) => [k, list.map((c) => shape(c, index))]),
  };
}

/** Holds the two parsers to each other on one token list; true when the input parsed without errors. */
function agree(tokens: IToken[], what: string): boolean {
  const direct = parseDirect(tokens);
  const reference = referenceParseTokens(tokens);
  if (reference.errors.length > 0) {
    expect(direct, `${what}: the hand-written parser took a file chevrotain rejects (${reference.errors[0]!.message})`).toBeNull();
    return false;
  }
  expect(direct, `${what}: the hand-written parser gave up on a file chevrotain takes`).not.toBeNull();
  const index = new Map(tokens.map((t, i) => [t, i]));
  expect(shape(direct!, index), what).toEqual(shape(reference.cst, index));
  return true;
}

function idlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...idlFiles(p));
    else if (p.endsWith(".idl")) out.push(p);
  }
  return out.sort();
}

/** Every token kind, one text each, for insertions (keywords, punctuation, literals, a doc comment). */
const TOKEN_TEXTS = allTokens
  .filter((t) => t !== Name && t.GROUP === undefined)
  .map((t) => {
    const label = t.LABEL ?? "";
    if (label.startsWith("'")) return label.slice(1, -1);
    return { Identifier: "x", DocComment: "/// d", Version: "1.0.0", Integer: "7", StringLiteral: '"s"' }[t.name] ?? "x";
  });

/** A token-level damage of `text`: one token dropped, repeated, swapped with the next, or one inserted. */
function damageTokens(text: string, rand: () => number): string {
  const { tokens } = tokenize(text);
  const images = tokens.map((t) => t.image);
  if (images.length === 0) return text;
  const at = Math.floor(rand() * images.length);
  switch (Math.floor(rand() * 4)) {
    case 0:
      images.splice(at, 1);
      break;
    case 1:
      images.splice(at, 0, images[at]!);
      break;
    case 2:
      if (at + 1 < images.length) [images[at], images[at + 1]] = [images[at + 1]!, images[at]!];
      break;
    default:
      images.splice(at, 0, TOKEN_TEXTS[Math.floor(rand() * TOKEN_TEXTS.length)]!);
  }
  return images.join("\n");
}

describe("hand-written parser = chevrotain's parser", () => {
  test("every IDL file of the repository, and damaged copies of each", () => {
    const files = idlFiles(".");
    expect(files.length).toBeGreaterThan(50);
    const rand = seeded(9);
    let valid = 0;
    let rejected = 0;
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      if (agree(tokenize(text).tokens, f)) valid++;
      for (let i = 0; i < 12; i++) {
        const at = Math.floor(rand() * text.length);
        const cut = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 30));
        const ok1 = agree(tokenize(cut).tokens, `${f} cut at ${at}`);
        const ok2 = agree(tokenize(damageTokens(text, rand)).tokens, `${f} token damage ${i}`);
        rejected += Number(!ok1) + Number(!ok2);
      }
    }
    // Both sides of the comparison were exercised.
    expect(valid).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(500);
  });

  test("the real contract's files are parsed without chevrotain", () => {
    for (const f of ["abi.idl", ...readdirSync("abi").filter((n) => n.endsWith(".idl")).map((n) => path.join("abi", n))])
      expect(parseDirect(tokenize(readFileSync(f, "utf8")).tokens), f).not.toBeNull();
  });

  test("random valid contracts", () => {
    fc.assert(
      fc.property(validContract, (text) => {
        expect(agree(tokenize(text).tokens, text)).toBe(true);
      }),
      { numRuns: 150, seed: 90 },
    );
  });

  test("random hostile contracts, and their token-level damage", () => {
    fc.assert(
      fc.property(hostileContract, fc.integer(), (text, seed) => {
        agree(tokenize(text).tokens, text);
        const rand = seeded(seed);
        for (let i = 0; i < 4; i++) agree(tokenize(damageTokens(text, rand)).tokens, `damaged ${text}`);
      }),
      { numRuns: 120, seed: 91 },
    );
  });

  test("mutations of the real contract's largest file", () => {
    const base = readFileSync("abi/libc.idl", "utf8");
    fc.assert(
      fc.property(mutatedContract(base), (text) => {
        agree(tokenize(text).tokens, "mutated abi/libc.idl");
      }),
      { numRuns: 40, seed: 92 },
    );
  });

  test("edge cases: empty input, comments only, a lone keyword, trailing tokens", () => {
    for (const text of ["", "// only a comment\n/* and a block */", "struct", "struct s {} }", "@since(1.0.0)", "/// doc only"])
      agree(tokenize(text).tokens, JSON.stringify(text));
  });

  test("parseTokens falls back to chevrotain, with its errors, where the hand-written parser gives up", () => {
    const { tokens } = tokenize("struct a { x: u32 y: u32 }\nstruct b { z: }");
    expect(parseDirect(tokens)).toBeNull();
    const parsed = parseTokens(tokens);
    expect(parsed.errors.map((e) => [e.name, e.token.startLine])).toEqual(referenceParseTokens(tokens).errors.map((e) => [e.name, e.token.startLine]));
    expect(parsed.errors.length).toBe(2);
  });
});
