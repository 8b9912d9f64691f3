// Doc comment text as the AST keeps it (build-ast.ts `docText`, written for speed) against the
// rules stated plainly with list operations: `///` and trailing space dropped, blank lines at
// either end dropped, the common indentation cut, the first line's own indentation cut, and each
// line's position where its kept text starts. And the code spans the checker resolves in doc
// text (doc-refs.ts `codeSpans`) against the spans `rewriteCodeSpans` (what the docs target
// links) visits.

import { fc, test } from "@fast-check/vitest";
import type { IToken } from "chevrotain";
import { describe, expect } from "vitest";
import type { Docs } from "../compiler/ast.ts";
import { docText } from "../compiler/build-ast.ts";
import { codeSpans, rewriteCodeSpans, type CodeSpan } from "../compiler/doc-refs.ts";
import { DocComment } from "../compiler/lexer.ts";

/** The rules, one list operation each. */
function reference(file: string, tokens: IToken[]): Docs {
  const lines = tokens.map((t) => ({ text: t.image.slice(3).replace(/\s+$/, ""), line: t.startLine!, column: t.startColumn! + 3 }));
  const indents = lines.filter((l) => l.text !== "").map((l) => l.text.length - l.text.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  const nonBlank = lines.flatMap((l, i) => (l.text !== "" ? [i] : []));
  const kept = nonBlank.length === 0 ? [] : lines.slice(nonBlank[0], nonBlank[nonBlank.length - 1]! + 1).map((l) => ({ ...l, text: l.text.slice(cut), column: l.column + cut }));
  if (kept[0]) {
    const lead = kept[0].text.length - kept[0].text.trimStart().length;
    kept[0] = { ...kept[0], text: kept[0].text.slice(lead), column: kept[0].column + lead };
  }
  return { text: kept.map((l) => l.text).join("\n"), file, lines: kept.map(({ line, column }) => ({ line, column })) };
}

/** Doc comment tokens on consecutive lines, each indented by `indent` columns. */
function docTokens(bodies: string[], indent: number): IToken[] {
  return bodies.map((body, i) => {
    const image = `///${body}`;
    return {
      image,
      startOffset: 0,
      startLine: 3 + i,
      startColumn: 1 + indent,
      endLine: 3 + i,
      endColumn: indent + image.length,
      tokenType: DocComment,
      tokenTypeIdx: DocComment.tokenTypeIdx!,
    };
  });
}

// Lines built from words and the kinds of space a doc comment may hold (tabs, no-break spaces).
const space = fc.constantFrom(" ", "  ", "\t", "\u00a0", "\u2003");
const piece = fc.oneof(space, fc.constantFrom("word", "`code`", "x", "-", "*"));
const body = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(""));

describe("doc comment text", () => {
  test.prop([fc.array(body, { maxLength: 8 }), fc.nat({ max: 8 })], { numRuns: 2000 })("matches the rules on any block of lines", (bodies, indent) => {
    const tokens = docTokens(bodies, indent);
    expect(docText("t.idl", tokens)).toEqual(reference("t.idl", tokens));
  });

  test.prop([fc.nat({ max: 8 })])("a block of blank lines has no text and no lines", (indent) => {
    expect(docText("t.idl", docTokens(["", "   ", "\t"], indent))).toEqual({ text: "", file: "t.idl", lines: [] });
  });
});

describe("code spans in doc text", () => {
  // Text, backticks single and in runs, fences (``` and ~~~, indented or not), line breaks.
  const bit = fc.constantFrom("`", "``", "```", "~~~", "  ```", "errno", "fd_write", "a::b", "x.y", " ", "\n", "\n```\n", "\n~~~\n", "\n  ```rust\n");
  const docs = fc.array(bit, { maxLength: 30 }).map((parts) => parts.join(""));

  test.prop([docs], { numRuns: 3000 })("are the spans rewriteCodeSpans visits, in order", (text) => {
    const visited: CodeSpan[] = [];
    rewriteCodeSpans(text, (span) => {
      visited.push(span);
      return null;
    });
    expect(codeSpans(text)).toEqual(visited);
  });

  test("skip fenced blocks and keep line and column", () => {
    const text = "See `errno` and `fd_write`.\n```\n`inside`\n```\nthen `a::b`";
    expect(codeSpans(text)).toEqual([
      { text: "errno", line: 0, column: 5 },
      { text: "fd_write", line: 0, column: 17 },
      { text: "a::b", line: 4, column: 6 },
    ]);
  });
});
