// Document formatting: the canonical layout of `abic fmt` (compiler/fmt/), sent as edits of the
// lines that change rather than one replacement of the whole text, so the editor keeps the
// cursor, the selection and the undo history of the lines that stay. A text with syntax errors
// has no canonical layout: it gets no edits (its diagnostics say why).

import { diffLines } from "diff";
import type { Position, TextEdit } from "vscode-languageserver";
import { formatText } from "../fmt/index.ts";

/** The edits that turn `text` into its canonical layout: none when it is canonical or does not parse. */
export function formattingEdits(file: string, text: string): TextEdit[] {
  const result = formatText(file, text);
  if (!result.ok || result.text === text) return [];
  return lineEdits(text, result.text);
}

/** Edits from `before` to `after`, one per run of changed lines, in document order and disjoint. */
export function lineEdits(before: string, after: string): TextEdit[] {
  const edits: TextEdit[] = [];
  let at: Position = { line: 0, character: 0 };
  let pending: TextEdit | null = null;
  for (const change of diffLines(before, after)) {
    if (change.added) {
      if (pending) pending.newText += change.value;
      else pending = { range: { start: at, end: at }, newText: change.value };
      continue;
    }
    if (change.removed) {
      const end = advance(at, change.value);
      if (pending) pending.range.end = end;
      else pending = { range: { start: at, end }, newText: "" };
      at = end;
      continue;
    }
    if (pending) edits.push(pending);
    pending = null;
    at = advance(at, change.value);
  }
  if (pending) edits.push(pending);
  return edits;
}

/** The position after `text` written at `from`; `\r\n`, `\r` and `\n` each end a line, as in the protocol. */
function advance(from: Position, text: string): Position {
  const lines = text.split(/\r\n|\r|\n/);
  const last = lines[lines.length - 1]!.length;
  return lines.length === 1 ? { line: from.line, character: from.character + last } : { line: from.line + lines.length - 1, character: last };
}
