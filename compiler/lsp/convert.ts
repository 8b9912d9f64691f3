// Between the compiler's shapes and the protocol's: 1-based spans with an exclusive end column
// become 0-based ranges (both count UTF-16 code units, as chevrotain and JavaScript strings do),
// file paths become URIs, and diagnostics keep their code, related positions and suggestions.

import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type Location,
  type Position,
  type Range,
} from "vscode-languageserver";
import type { Diagnostic } from "../diagnostics.ts";
import type { Span } from "../model.ts";
import { packageFile } from "../package-files.ts";

export function toRange(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: Math.max(0, span.endColumn - 1) },
  };
}

/** A protocol position as the compiler's 1-based line and column. */
export function fromPosition(p: Position): { line: number; column: number } {
  return { line: p.line + 1, column: p.character + 1 };
}

/** Paths and URIs: the server works on absolute paths and answers with the client's URIs. */
export class Uris {
  private readonly known = new Map<string, string>();

  toPath(uri: string): string | null {
    if (!uri.startsWith("file:")) return null;
    const p = fileURLToPath(uri);
    this.known.set(p, uri);
    return p;
  }

  toUri(file: string): string {
    return this.known.get(file) ?? pathToFileURL(file).href;
  }

  location(span: Span): Location {
    return { uri: this.toUri(span.file), range: toRange(span) };
  }
}

/** DIAGNOSTICS.md of the installed abic, linked from every diagnostic's code when it is there. */
const DIAGNOSTICS_PAGE = packageFile("DIAGNOSTICS.md");
const diagnosticsHref = existsSync(DIAGNOSTICS_PAGE) ? pathToFileURL(DIAGNOSTICS_PAGE).href : null;

/** Data carried by a diagnostic for its quick fix: the checker's "did you mean" replacement and
 *  the range of the misspelt name it replaces. */
export interface DiagnosticData {
  replacement: string;
  replace: Range;
}

/**
 * The written name a suggestion replaces. The checker's replacement stands for the name at the
 * start of the diagnostic's span, which may cover more (`lst<u8>` for the unknown type `lst`,
 * `@sinec(1.0.0)` for the unknown annotation): the range is that name alone, read from the text
 * in the shape the replacement has (a `"header"`, an `@annotation`, a `module::function`, a
 * `read-only` tier, a plain name).
 */
export function replacedRange(span: Span, text: string | undefined): Range {
  const full = toRange(span);
  const line = text === undefined ? undefined : splitLines(text)[span.line - 1];
  if (line === undefined) return full;
  const written = /^(?:"(?:[^"\\\n]|\\.)*"|@?%?[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*(?:\s*::\s*%?[A-Za-z0-9_]+)?)/.exec(line.slice(span.column - 1));
  if (!written) return full;
  const end = Math.min(span.column - 1 + written[0].length, span.endLine === span.line ? span.endColumn - 1 : Infinity);
  return { start: full.start, end: { line: span.line - 1, character: end } };
}

export function toLspDiagnostic(d: Diagnostic, uris: Uris, text: string | undefined): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toRange(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "abic",
    message: d.suggestion ? `${d.message}; ${d.suggestion.message}` : d.message,
  };
  if (diagnosticsHref) out.codeDescription = { href: diagnosticsHref };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: uris.location(r.span), message: r.message }));
  if (d.notes?.length) out.message += d.notes.map((n) => `\nnote: ${n}`).join("");
  if (d.suggestion) out.data = { replacement: d.suggestion.replacement, replace: replacedRange(d.span, text) } satisfies DiagnosticData;
  return out;
}

/** Lines of a text, whatever its line breaks (the protocol counts `\r\n`, `\r` and `\n` alike). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
