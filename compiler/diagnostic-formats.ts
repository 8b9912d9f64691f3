// Machine-readable diagnostics: the one JSON record every command reports problems in
// (`--format json`, documented in DIAGNOSTICS.md and versioned by DIAGNOSTICS_SCHEMA_VERSION),
// and GitHub Actions workflow commands (`--format github`) built from the same records.

import type { Diagnostic } from "./diagnostics.ts";
import type { Span } from "./model.ts";

/** Bumped only when a field changes meaning or goes away; new optional fields keep it. */
export const DIAGNOSTICS_SCHEMA_VERSION = 1;

export const OUTPUT_FORMATS = ["human", "json", "github"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `info` is for findings that fail nothing (an addition found by `abic diff`). */
export type RecordSeverity = "error" | "warning" | "info";

/** A place in a file; every field is null when the problem has no position (a wasm module). */
export interface RecordPosition {
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
}

export interface DiagnosticRecord extends RecordPosition {
  severity: RecordSeverity;
  /** E0201, W0401, a diff or verify rule id such as FN_SAME_CORE_SIGNATURE. */
  code: string;
  message: string;
  /** Secondary locations and remarks, in order. */
  notes: (RecordPosition & { message: string })[];
  /** Replace the text at the record's position with `replacement`. */
  suggestion: { message: string; replacement: string } | null;
}

export interface DiagnosticsEnvelope {
  schemaVersion: number;
  command: string;
  /** The command's verdict: false exactly when it exits 1. */
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: DiagnosticRecord[];
}

const NO_POSITION: RecordPosition = { file: null, line: null, column: null, endLine: null, endColumn: null };

export function positionOf(span: Span | null | undefined, file: string | null = null): RecordPosition {
  if (!span) return { ...NO_POSITION, file };
  return { file: span.file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

export function recordOf(d: Diagnostic): DiagnosticRecord {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...positionOf(d.span),
    notes: [
      ...(d.related ?? []).map((r) => ({ message: r.message, ...positionOf(r.span) })),
      ...(d.notes ?? []).map((message) => ({ message, ...NO_POSITION })),
    ],
    suggestion: d.suggestion ?? null,
  };
}

/** The JSON document a command prints with `--format json`; `extra` holds command-specific fields. */
export function envelope<T extends object>(command: string, ok: boolean, records: DiagnosticRecord[], extra?: T): DiagnosticsEnvelope & T {
  return {
    schemaVersion: DIAGNOSTICS_SCHEMA_VERSION,
    command,
    ok,
    errors: records.filter((r) => r.severity === "error").length,
    warnings: records.filter((r) => r.severity === "warning").length,
    diagnostics: records,
    ...(extra as T),
  };
}

// Workflow command escaping: data may not contain `%`, CR or LF; property values not `:` or `,` either.
const escapeData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** One `::error file=...,line=...::message` line; GitHub shows it on the file and line. */
export function githubAnnotation(r: DiagnosticRecord): string {
  const level = r.severity === "info" ? "notice" : r.severity;
  const props: [string, string | number | null][] = [
    ["file", r.file],
    ["line", r.line],
    ["col", r.column],
    ["endLine", r.endLine],
    ["endColumn", r.endColumn],
    ["title", r.code],
  ];
  const text = [
    r.message,
    ...r.notes.map((n) => (n.file && n.line ? `note: ${n.file}:${n.line}:${n.column}: ${n.message}` : `note: ${n.message}`)),
    ...(r.suggestion ? [`help: ${r.suggestion.message}`] : []),
  ].join("\n");
  const given = props.filter((p): p is [string, string | number] => p[1] !== null);
  return `::${level} ${given.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",")}::${escapeData(text)}`;
}
