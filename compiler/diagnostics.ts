// Diagnostics: the one shape every stage reports problems in, and the rustc-style printer
// (`file:line:col: error CODE: message`, the source line, a caret underline).

import type { Span } from "./model.ts";
import { PLAIN, type Palette } from "./palette.ts";
import { suggest } from "./suggest.ts";

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** Stable code, E0xxx for errors and W0xxx for warnings; listed in DIAGNOSTICS.md. */
  code: string;
  message: string;
  span: Span;
  /** Secondary locations, e.g. the first definition of a duplicate. */
  related?: { message: string; span: Span }[];
  /** Plain remarks without a location of their own. */
  notes?: string[];
  /** A fix for the primary span: `replacement` is the text to put there ("did you mean"). */
  suggestion?: { message: string; replacement: string };
}

export function error(code: string, message: string, span: Span, related?: Diagnostic["related"]): Diagnostic {
  return { severity: "error", code, message, span, ...(related ? { related } : {}) };
}

export function warning(code: string, message: string, span: Span): Diagnostic {
  return { severity: "warning", code, message, span };
}

/** Adds "did you mean `x`?" when `x` is the closest of the names that would have been valid. */
export function withSuggestion(d: Diagnostic, name: string, candidates: Iterable<string>, render = (c: string) => c): Diagnostic {
  const best = suggest(name, candidates);
  return withReplacement(d, best === null ? null : render(best));
}

/** Adds "did you mean `replacement`?" (the text to put at the primary span), when there is one. */
export function withReplacement(d: Diagnostic, replacement: string | null): Diagnostic {
  return replacement === null ? d : { ...d, suggestion: { message: `did you mean \`${replacement}\`?`, replacement } };
}

/**
 * `--deny-warnings`: every warning becomes an error (code kept, so tools matching on codes
 * still see W0401), with a note saying why.
 */
export function denyWarnings(diagnostics: readonly Diagnostic[], because: string): Diagnostic[] {
  return diagnostics.map((d) =>
    d.severity === "warning" ? { ...d, severity: "error", notes: [...(d.notes ?? []), `warnings are errors (${because})`] } : d,
  );
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
export function formatDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>, palette: Palette = PLAIN): string {
  const { file, line, column } = d.span;
  const severity = d.severity === "error" ? palette.error : palette.warning;
  const lines = [`${palette.bold(`${file}:${line}:${column}:`)} ${severity(`${d.severity} ${d.code}`)}: ${palette.bold(d.message)}`];
  const frame = codeFrame(d.span, sources.get(file), palette, severity);
  if (frame) lines.push(frame);
  for (const r of d.related ?? []) {
    lines.push(`${palette.bold(`${r.span.file}:${r.span.line}:${r.span.column}:`)} ${palette.note("note")}: ${r.message}`);
    const f = codeFrame(r.span, sources.get(r.span.file), palette, palette.note);
    if (f) lines.push(f);
  }
  for (const n of d.notes ?? []) lines.push(`${palette.note("note")}: ${n}`);
  if (d.suggestion) lines.push(`${palette.help("help")}: ${d.suggestion.message}`);
  return lines.join("\n");
}

/**
 * Every diagnostic with its code frame, then the `N errors, M warnings` summary line; empty when
 * there are none. What `abic check` prints on stderr.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, palette: Palette = PLAIN): string {
  if (diagnostics.length === 0) return "";
  return diagnostics.map((d) => formatDiagnostic(d, sources, palette) + "\n").join("") + countLine(diagnostics) + "\n";
}

/** "1 error, 2 warnings": errors and warnings among diagnostics or their records (which may also be `info`). */
export function countLine(diagnostics: readonly { severity: string }[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  return `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}

function codeFrame(span: Span, text: string | undefined, palette: Palette, mark: (s: string) => string): string | null {
  if (text === undefined) return null;
  const sourceLine = text.split(/\r\n|\r|\n/)[span.line - 1];
  if (sourceLine === undefined) return null;
  const gutter = String(span.line);
  const pad = " ".repeat(gutter.length);
  const width =
    span.endLine === span.line ? Math.max(1, span.endColumn - span.column) : Math.max(1, sourceLine.length - span.column + 1);
  // Tabs in the prefix are kept so the caret lines up under the same column in a terminal.
  const prefix = sourceLine.slice(0, span.column - 1).replace(/[^\t]/g, " ");
  const bar = palette.gutter(`${pad} |`);
  return [bar, `${palette.gutter(`${gutter} |`)} ${sourceLine}`, `${bar} ${prefix}${mark(`^${"~".repeat(width - 1)}`)}`].join("\n");
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
