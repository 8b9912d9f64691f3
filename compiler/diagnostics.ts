// Diagnostics: the one shape every stage reports problems in, and the rustc-style printer
// (`file:line:col: error CODE: message`, the source line, a caret underline).

import type { Span } from "./model.ts";

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** Stable code, E0xxx for errors and W0xxx for warnings; listed in DIAGNOSTICS.md. */
  code: string;
  message: string;
  span: Span;
  /** Secondary locations, e.g. the first definition of a duplicate. */
  related?: { message: string; span: Span }[];
}

export function error(code: string, message: string, span: Span, related?: Diagnostic["related"]): Diagnostic {
  return { severity: "error", code, message, span, ...(related ? { related } : {}) };
}

export function warning(code: string, message: string, span: Span): Diagnostic {
  return { severity: "warning", code, message, span };
}

/** A span for problems that concern a whole file (missing, unreadable, empty). */
export function fileSpan(file: string): Span {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.span.file.localeCompare(b.span.file) ||
    a.span.line - b.span.line ||
    a.span.column - b.span.column ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}

/** Sorts by position and drops exact repeats (error recovery can report one mistake twice). */
export function normalizeDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return [...diagnostics].sort(compareDiagnostics).filter((d) => {
    const key = `${d.span.file}:${d.span.line}:${d.span.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Formats one diagnostic with a code frame. `sources` maps file names to their text; a file
 * without text (missing, binary) gets the header line only.
 */
export function formatDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const { file, line, column } = d.span;
  const lines = [`${file}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}`];
  const frame = codeFrame(d.span, sources.get(file));
  if (frame) lines.push(frame);
  for (const r of d.related ?? []) {
    lines.push(`${r.span.file}:${r.span.line}:${r.span.column}: note: ${r.message}`);
    const f = codeFrame(r.span, sources.get(r.span.file));
    if (f) lines.push(f);
  }
  return lines.join("\n");
}

/**
 * Every diagnostic with its code frame, then the `N errors, M warnings` summary line; empty when
 * there are none. What `abic check` prints on stderr.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  if (diagnostics.length === 0) return "";
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  return diagnostics.map((d) => formatDiagnostic(d, sources) + "\n").join("") + `${plural(errors, "error")}, ${plural(warnings, "warning")}\n`;
}

function codeFrame(span: Span, text: string | undefined): string | null {
  if (text === undefined) return null;
  const sourceLine = text.split(/\r\n|\r|\n/)[span.line - 1];
  if (sourceLine === undefined) return null;
  const gutter = String(span.line);
  const pad = " ".repeat(gutter.length);
  const width =
    span.endLine === span.line ? Math.max(1, span.endColumn - span.column) : Math.max(1, sourceLine.length - span.column + 1);
  // Tabs in the prefix are kept so the caret lines up under the same column in a terminal.
  const prefix = sourceLine.slice(0, span.column - 1).replace(/[^\t]/g, " ");
  return [`${pad} |`, `${gutter} | ${sourceLine}`, `${pad} | ${prefix}^${"~".repeat(width - 1)}`].join("\n");
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
