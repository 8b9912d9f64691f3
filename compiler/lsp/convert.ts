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

/** Data carried by a diagnostic for the quick fixes: the names it may have meant, and the range of the name to replace. */
export interface DiagnosticData {
  suggestions: string[];
  replace: Range;
}

export function toLspDiagnostic(d: Diagnostic, uris: Uris, suggested: { names: string[]; span: Span } | null): LspDiagnostic {
  const suggestions = suggested?.names ?? [];
  const out: LspDiagnostic = {
    range: toRange(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "abic",
    message: suggestions.length ? `${d.message}; did you mean ${suggestions.map((s) => `\`${s}\``).join(" or ")}?` : d.message,
  };
  if (diagnosticsHref) out.codeDescription = { href: diagnosticsHref };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: uris.location(r.span), message: r.message }));
  if (suggested && suggestions.length) out.data = { suggestions, replace: toRange(suggested.span) } satisfies DiagnosticData;
  return out;
}
