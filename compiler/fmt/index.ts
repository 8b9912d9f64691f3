// `abic fmt`'s core: one IDL text in, its canonical text out, or the syntax errors that keep it
// from being formatted. Before answering, the result is parsed again and must have the same
// syntax tree (positions aside) and the same comments: the formatter never changes meaning.

import type { FileAst } from "../ast.ts";
import type { Diagnostic } from "../diagnostics.ts";
import { parseSource } from "../source.ts";
import { commentText } from "./comments.ts";
import { printDoc } from "./doc.ts";
import { annotationRank, FormatterBug, LINE_WIDTH, printFile } from "./print.ts";

export { FormatterBug } from "./print.ts";

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** Rounds of printing before the layout must have settled; one or two in practice. */
const MAX_PASSES = 4;

export function formatText(file: string, text: string): FormatResult {
  const parsed = parseSource(file, text);
  // An empty file is only a problem for a contract; there is nothing to lay out.
  const errors = parsed.diagnostics.filter((d) => d.severity === "error" && d.code !== "E0003");
  if (errors.length) return { ok: false, diagnostics: errors };
  if (parsed.syntax.tokens.length === 0 && parsed.syntax.comments.length === 0) return { ok: true, text: "" };
  const expected = meaning(parsed.ast);
  // A trailing comment may move to the end of its line, past other comments: compare as sets.
  const commentsOf = (c: typeof parsed.syntax.comments) => c.map(commentText).sort().join("\n");
  const expectedComments = commentsOf(parsed.syntax.comments);
  // The canonical text is the one that prints as itself. Printing once almost always gets
  // there; comments in odd places (between `@` and an annotation's name) can move once more,
  // so printing repeats until the text stops changing, and that is what fmt(fmt(x)) == fmt(x) rests on.
  let current = text;
  let syntax = parsed.syntax;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const printed = printDoc(printFile(syntax.cst, syntax.tokens, syntax.comments), LINE_WIDTH) + "\n";
    if (printed === current) return { ok: true, text: printed };
    const again = parseSource(file, printed);
    if (again.diagnostics.some((d) => d.severity === "error" && d.code !== "E0003"))
      throw new FormatterBug(`the formatted text of ${file} does not parse: ${again.diagnostics[0]!.message}`);
    if (meaning(again.ast) !== expected) throw new FormatterBug(`formatting ${file} would change its syntax tree`);
    if (commentsOf(again.syntax.comments) !== expectedComments) throw new FormatterBug(`formatting ${file} would change its comments`);
    current = printed;
    syntax = again.syntax;
  }
  throw new FormatterBug(`the layout of ${file} does not settle after ${MAX_PASSES} passes`);
}

/**
 * The syntax tree as JSON without positions: what the text means, not where it is written.
 * Annotations are compared in their canonical order, which is the only reordering fmt does.
 */
export function meaning(ast: FileAst): string {
  return JSON.stringify(ast, (key, value: unknown) => {
    // Positions are not meaning: spans, and where each doc line starts (Docs.lines).
    if (key === "span" || key.endsWith("Span") || key === "lines") return undefined;
    if (key === "annotations" && Array.isArray(value))
      return value
        .map((a: { name: string }, i) => ({ a, i }))
        .sort((x, y) => annotationRank(x.a.name) - annotationRank(y.a.name) || x.i - y.i)
        .map((x) => x.a);
    return typeof value === "bigint" ? `${value}n` : value;
  });
}
