// "Did you mean": the closest known name to a mistyped one, for diagnostics, doc references
// and usage errors. The rule follows rustc's `find_best_match_for_name`: a case-insensitive
// match wins, otherwise the smallest edit distance (a swap of two neighbours counts as one edit)
// within a third of the name's length, so short names only match near-identical candidates.

/** Edits (insert, delete, substitute, swap two adjacent characters) turning `a` into `b`. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // Three rows of the optimal-string-alignment table: the one before last, the last, the current.
  let before = new Array<number>(b.length + 1).fill(0);
  let last = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(last[j]! + 1, row[j - 1]! + 1, last[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, before[j - 2]! + 1);
    }
    before = last;
    last = row;
  }
  return last[b.length]!;
}

/**
 * The candidate `name` was most likely meant to be, or null when none is close enough.
 * Ties go to the candidate that sorts first, so the answer never depends on input order.
 */
export function suggest(name: string, candidates: Iterable<string>): string | null {
  const unique = [...new Set(candidates)].filter((c) => c !== name).sort();
  const folded = unique.find((c) => c.toLowerCase() === name.toLowerCase());
  if (folded !== undefined) return folded;
  const limit = Math.floor(Math.max(name.length, 3) / 3);
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of unique) {
    // The distance is at least the difference in length: skip the table when that is too far.
    if (Math.abs(c.length - name.length) >= bestDistance) continue;
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * `; did you mean \`x\`?`, to end a one-line message (a usage error, a verify finding), when a
 * close candidate exists; else "". Diagnostics with a span carry theirs as a structured
 * suggestion instead (`withSuggestion` in diagnostics.ts).
 */
export function didYouMean(name: string, candidates: Iterable<string>, render = (c: string) => c): string {
  const best = suggest(name, candidates);
  return best === null ? "" : `; did you mean \`${render(best)}\`?`;
}
