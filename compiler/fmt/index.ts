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

export function formatText(file: string, text: string): FormatResult {
  const parsed = parseSource(file, text);
  // An empty file is only a problem for a contract; there is nothing to lay out.
  const errors = parsed.diagnostics.filter((d) => d.severity === "error" && d.code !== "E0003");
  if (errors.length) return { ok: false, diagnostics: errors };
  const { cst, tokens, comments } = parsed.syntax;
  if (tokens.length === 0 && comments.length === 0) return { ok: true, text: "" };
  const formatted = printDoc(printFile(cst, tokens, comments), LINE_WIDTH) + "\n";
  const again = parseSource(file, formatted);
  if (again.diagnostics.some((d) => d.severity === "error" && d.code !== "E0003"))
    throw new FormatterBug(`the formatted text of ${file} does not parse: ${again.diagnostics[0]!.message}`);
  if (meaning(again.ast) !== meaning(parsed.ast)) throw new FormatterBug(`formatting ${file} would change its syntax tree`);
  // A trailing line comment may move to the end of its line, past other comments: compare as sets.
  const commentsOf = (c: typeof comments) => c.map(commentText).sort().join("\n");
  if (commentsOf(again.syntax.comments) !== commentsOf(comments)) throw new FormatterBug(`formatting ${file} would change its comments`);
  return { ok: true, text: formatted };
}

/**
 * The syntax tree as JSON without positions: what the text means, not where it is written.
 * Annotations are compared in their canonical order, which is the only reordering fmt does.
 */
export function meaning(ast: FileAst): string {
  return JSON.stringify(ast, (key, value: unknown) => {
    if (key === "span" || key.endsWith("Span")) return undefined;
    if (key === "annotations" && Array.isArray(value))
      return value
        .map((a: { name: string }, i) => ({ a, i }))
        .sort((x, y) => annotationRank(x.a.name) - annotationRank(y.a.name) || x.i - y.i)
        .map((x) => x.a);
    return typeof value === "bigint" ? `${value}n` : value;
  });
}
