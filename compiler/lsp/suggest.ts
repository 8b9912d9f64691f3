// "Did you mean": for a diagnostic about a name that does not exist, the nearest names that do.
// The misspelt name is read from the source at the diagnostic's span (never from its message),
// and the candidates from the contract's syntax trees and the language's fixed vocabularies
// (not the symbol index: a keystroke's diagnostics must not wait for it).

import type { DeclAst, FileAst } from "../ast.ts";
import type { Diagnostic } from "../diagnostics.ts";
import type { Span } from "../model.ts";
import { KNOWN_ANNOTATIONS } from "../gates.ts";
import { splitLines } from "./symbols.ts";
import { BUILTIN_TYPES } from "./vocabulary.ts";

/** Candidate names for each code that reports an unknown name, and how the name is written at the span. */
const RULES: Record<string, { prefix: string; candidates(files: FileAst[]): string[] }> = {
  // unknown type, or a constant/module/function used as a type
  E0201: { prefix: "", candidates: typeNames },
  E0202: { prefix: "", candidates: typeNames },
  // unknown annotation
  E0301: { prefix: "@", candidates: () => [...KNOWN_ANNOTATIONS] },
  // `@deprecated(use = ...)` naming nothing
  E0306: {
    prefix: "",
    candidates: (files) => [...declsOf(files).map((d) => d.name), ...files.flatMap((f) => f.modules.flatMap((m) => m.functions.map((fn) => fn.name)))],
  },
};

function declsOf(files: FileAst[]): DeclAst[] {
  return files.flatMap((f) => [...f.decls, ...f.modules.flatMap((m) => m.decls), ...f.commands.flatMap((c) => c.decls)]);
}

function typeNames(files: FileAst[]): string[] {
  return [...Object.keys(BUILTIN_TYPES), ...declsOf(files).filter((d) => d.kind !== "const").map((d) => d.name)];
}

/** What a diagnostic's unknown name may have meant (nearest first, at most three) and where that name is written. */
export function suggestionsFor(d: Diagnostic, text: string | undefined, files: FileAst[]): { names: string[]; span: Span } | null {
  const rule = RULES[d.code];
  if (!rule || text === undefined) return null;
  const line = splitLines(text)[d.span.line - 1] ?? "";
  const written = line.slice(d.span.column - 1);
  if (!written.startsWith(rule.prefix)) return null;
  const name = /^%?[A-Za-z0-9_]+/.exec(written.slice(rule.prefix.length))?.[0];
  if (!name) return null;
  const names = nearest(name.replace(/^%/, ""), rule.candidates(files));
  const column = d.span.column + rule.prefix.length;
  return names.length ? { names, span: { file: d.span.file, line: d.span.line, column, endLine: d.span.line, endColumn: column + name.length } } : null;
}

/** Candidates within an edit distance that grows with the name's length, nearest first. */
export function nearest(name: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored = new Map<string, number>();
  for (const c of candidates) {
    if (c === name || scored.has(c)) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d <= limit) scored.set(c, d);
  }
  return [...scored].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([c]) => c);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}
