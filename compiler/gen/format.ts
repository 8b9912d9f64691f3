// Output formatting: prettier for TypeScript, JavaScript and Markdown (pinned version, so output is
// byte-stable); C is laid out by its templates and only has trailing whitespace and runs of
// blank lines normalised.

//
// prettier is most of what generation costs, so a run can carry a FormatMemo: the formatted
// texts abic wrote before, keyed by a digest of exactly what they were formatted from (prettier's
// version, its options, the parser and the unformatted text). A text whose key is known is not
// formatted again; the result is the same bytes by construction. `abic gen` fills the memo from
// the record it keeps in each output folder (gen/writer.ts) and records the keys it used.

import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

const PRETTIER_OPTIONS = { printWidth: 100, proseWrap: "preserve" } as const;

type Parser = "typescript" | "babel" | "markdown";

/** Formatted texts by the key of their input, and the key each text of this run came from. */
export interface FormatMemo {
  /** Input key -> formatted text, known from earlier runs. */
  known: Map<string, string>;
  /** Formatted text -> its input key, for every text formatted (or found) in this run. */
  used: Map<string, string>;
}

export function newFormatMemo(): FormatMemo {
  return { known: new Map(), used: new Map() };
}

const memoOfRun = new AsyncLocalStorage<FormatMemo>();

/** Runs `fn` with `memo` consulted and filled by every formatting call it makes. */
export function withFormatMemo<T>(memo: FormatMemo, fn: () => Promise<T>): Promise<T> {
  return memoOfRun.run(memo, fn);
}

/** A short digest of a text (128 bits of SHA-256, hex). */
export function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

// prettier is loaded on first use: a run whose every text is in the memo never needs it.
const prettierVersion = (createRequire(import.meta.url)("prettier/package.json") as { version: string }).version;
const KEY_PREFIX = `prettier ${prettierVersion} ${JSON.stringify(PRETTIER_OPTIONS)} `;

/** What formatting depends on besides its input: prettier's version and options. */
export const FORMATTER_ID = KEY_PREFIX;

async function prettierFormat(source: string, parser: Parser): Promise<string> {
  const prettier = await import("prettier");
  return prettier.format(source, { ...PRETTIER_OPTIONS, parser });
}

async function format(source: string, parser: Parser): Promise<string> {
  const memo = memoOfRun.getStore();
  if (memo === undefined) return prettierFormat(source, parser);
  const key = digest(`${KEY_PREFIX}${parser}\0${source}`);
  const formatted = memo.known.get(key) ?? (await prettierFormat(source, parser));
  memo.used.set(formatted, key);
  return formatted;
}

export async function formatTypeScript(source: string): Promise<string> {
  return format(source, "typescript");
}

export async function formatJavaScript(source: string): Promise<string> {
  return format(source, "babel");
}

export async function formatMarkdown(source: string): Promise<string> {
  return format(source, "markdown");
}

export function formatC(source: string): string {
  return (
    source
      .split("\n")
      .map((l) => l.replace(/[ \t]+$/, ""))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^\n+/, "")
      .replace(/\n*$/, "\n")
  );
}

/** Rust is laid out as rustfmt leaves it by the Rust target itself; only whitespace is normalised. */
export function formatRust(source: string): string {
  return formatC(source);
}
