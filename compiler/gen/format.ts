// Output formatting, to prettier's layout with the project's options (pinned version, so output
// is byte-stable): TypeScript is laid out by its templates and checked here piece by piece
// (layoutTypeScript), prettier formatting only what that check cannot vouch for; JavaScript and
// Markdown go through prettier; C is laid out by its templates and only has trailing whitespace
// and runs of blank lines normalised.
//
// prettier was most of what generation cost, so a run can carry a FormatMemo: the formatted
// texts abic wrote before, keyed by a digest of exactly what they were formatted from (prettier's
// version, its options, the parser and the unformatted text). A text whose key is known is not
// formatted again; the result is the same bytes by construction. `abic gen` fills the memo from
// the record it keeps in each output folder and from its cache in node_modules/.cache/abic
// (gen/writer.ts), and records the keys it used in both.

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
  /** Input key -> formatted text, for every text formatted (or found) in this run: what the cache keeps. */
  byKey: Map<string, string>;
}

export function newFormatMemo(known: Map<string, string> = new Map()): FormatMemo {
  return { known, used: new Map(), byKey: new Map() };
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

let runs = 0;

/** How many texts prettier has formatted in this process (what tests hold the layouts to). */
export function prettierRuns(): number {
  return runs;
}

/** prettier itself, with the project's options (no memo): what tests hold generated text against. */
export async function prettierFormat(source: string, parser: Parser): Promise<string> {
  runs++;
  const prettier = await import("prettier");
  return prettier.format(source, { ...PRETTIER_OPTIONS, parser });
}

async function format(source: string, parser: Parser): Promise<string> {
  const memo = memoOfRun.getStore();
  if (memo === undefined) return prettierFormat(source, parser);
  const key = digest(`${KEY_PREFIX}${parser}\0${source}`);
  // Known from an earlier run, or formatted earlier in this one (the same doc text in many tables).
  const formatted = memo.known.get(key) ?? memo.byKey.get(key) ?? (await prettierFormat(source, parser));
  memo.used.set(formatted, key);
  memo.byKey.set(key, formatted);
  return formatted;
}

export async function formatTypeScript(source: string): Promise<string> {
  return format(source, "typescript");
}

// ---------------------------------------------------------------------------------------------
// Text the TypeScript target lays out itself
//
// The TS templates emit prettier's layout directly (indentation, one statement per line, the
// parentheses and commas prettier keeps), so prettier does not run on a generated file. What a
// template cannot know cheaply is where prettier would break a line: the templates write every
// construct on one line, and a line over the print width is broken here where prettier's layout
// of it has no choice in it (breakList, breakIf). A piece with a line that is not, or with
// anything else prettier might rewrite (a contract string with a quote in it, an empty block),
// goes through prettier (memoised like any formatting). A piece is a top-level declaration, or
// one statement of a top-level function body (the glue of one import), so such a line costs the
// formatting of its own statement, not of its whole module. test/gen-layout.test.ts holds the
// result to prettier's on the real contract, the fixtures and contracts made to overflow.

const PRINT_WIDTH = 100;

/**
 * A line's width as prettier measures it against the print width: comment lines are never
 * re-wrapped (0), and a trailing `// comment` after code without strings does not count.
 */
function codeWidth(line: string): number {
  if (/^\s*(\/\/|\/\*\*? |\* |\*\/|\*$)/.test(line)) return 0;
  // A string alone on its line as an item of a broken list: prettier cannot break it either.
  if (/^\s*"[^"\\]*",$/.test(line)) return 0;
  const comment = line.indexOf(" // ");
  if (comment > 0 && !/["'`]/.test(line.slice(0, comment))) return comment;
  // Width in UTF-16 units: at least prettier's width for every text the targets emit.
  return line.length;
}

/**
 * Where prettier breaks a list that does not fit: one item per line, a trailing comma, the
 * closing bracket back at the line's indentation. Only shapes whose layout prettier fixes
 * without a choice: a function or arrow-function header opening its body, an interface method,
 * a named import, a call statement (`f(...);`, `return f(...);`, `const x = f(...);`) whose
 * arguments are plain (no function, object or array to hug), and an object literal of plain
 * properties. Null for any other line, or when a broken line would still be too wide.
 */
export function breakList(line: string): string | null {
  const shape =
    /^(\s*)((?:export )?function [\w$]+\(|[\w$]+\[[^\]]*\] = \(|"?[\w$]+"?\()(.*)(\): [^()]* (?:=> )?\{|\): [^()]*;)$/.exec(line) ??
    /^()(import (?:type )?\{ )(.*)( \} from "[^"]*";)$/.exec(line) ??
    /^(\s*)((?:return |const [\w$]+ = )?[\w$]+(?:\.[\w$]+)?\()(.*)(\);)$/.exec(line) ??
    /^(\s*)(const [\w$]+(?:: [\w$]+)? = \{ )(.*)( \};)$/.exec(line);
  if (shape === null) return null;
  const [, indent, head, list, tail] = shape as unknown as [string, string, string, string, string];
  const items = splitTopLevel(list);
  if (items === null || items.length === 0) return null;
  if (items.some((i) => /=>|^[{[]|^function\s*\(/.test(i))) return null;
  const lines = items.map((i) => `${indent}  ${i},`);
  if (!lines.every((l) => codeWidth(l) <= PRINT_WIDTH)) return null;
  const first = `${indent}${head.trimEnd()}`;
  const last = `${indent}${tail.trimStart()}`;
  if (codeWidth(first) > PRINT_WIDTH || codeWidth(last) > PRINT_WIDTH) return null;
  return [first, ...lines, last].join("\n");
}

/**
 * An `if (test) return x; // why` too wide for one line, as prettier breaks it: the statement
 * moves to the next line; a test still too wide is split at its top-level `&&`, one operand a
 * line, when it is `!(a && b ...)` (the glue's range and member checks). Null for other shapes.
 */
function breakIf(line: string): string | null {
  const shape = /^(\s*)if \((.*)\) ((?:return|throw)\b[^;]*;)( \/\/ .*)?$/.exec(line);
  if (shape === null) return null;
  const [, indent, test, statement, comment] = shape as unknown as [string, string, string, string, string | undefined];
  const body = `${indent}  ${statement}${comment ?? ""}`;
  if (codeWidth(body) > PRINT_WIDTH || /["'`\\]/.test(test)) return null;
  const head = `${indent}if (${test})`;
  if (head.length <= PRINT_WIDTH) return `${head}\n${body}`;
  const negated = /^!\((.*)\)$/.exec(test);
  if (negated === null) return null;
  const operands = splitOperands(negated[1]!);
  if (operands === null || operands.length < 2) return null;
  const lines = operands.map((o, i) => `${indent}  ${o}${i < operands.length - 1 ? " &&" : ""}`);
  if (lines.some((l) => l.length > PRINT_WIDTH)) return null;
  return [`${indent}if (!(`, ...lines, `${indent}))`, body].join("\n");
}

/** `a && (b || c) && d` split at its top-level `&&`; null when parentheses do not balance. */
function splitOperands(test: string): string[] | null {
  const operands: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < test.length; i++) {
    const c = test[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (depth === 0 && test.startsWith(" && ", i)) {
      operands.push(test.slice(start, i));
      start = i + 4;
    }
    if (depth < 0) return null;
  }
  if (depth !== 0) return null;
  operands.push(test.slice(start));
  return operands;
}

/**
 * `a, b<c, d>, "e, f"` split at its top-level commas; null when brackets do not balance, or for
 * a quote prettier might treat otherwise (single quotes, template literals, escapes).
 */
function splitTopLevel(list: string): string[] | null {
  const items: string[] = [];
  let depth = 0;
  // Type arguments (`Partial<T>`) nest; shifts and comparisons (`$1 >>> 0`, `a <= b`) do not.
  let angles = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const prev = list[i - 1] ?? " ";
    if (c === '"') {
      const end = list.indexOf('"', i + 1);
      if (end < 0 || list.slice(i, end).includes("\\")) return null;
      i = end;
    } else if (c === "'" || c === "`" || c === "\\") return null;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "<" && /[\w$]/.test(prev) && list[i + 1] !== " " && list[i + 1] !== "=") angles++;
    else if (c === ">" && angles > 0 && prev !== " ") angles--;
    else if (c === "," && depth === 0 && angles === 0) {
      items.push(list.slice(start, i).trim());
      start = i + 1;
    }
    if (depth < 0) return null;
  }
  if (depth !== 0 || angles !== 0) return null;
  items.push(list.slice(start).trim());
  return items.some((i) => i === "") ? null : items;
}

/** A piece with its too-wide lines broken where breakList knows prettier's layout; null if one is not. */
function breakLines(piece: string): string | null {
  let out = "";
  let at = 0;
  for (const [start, end] of wideLines(piece)) {
    const line = piece.slice(start, end);
    if (codeWidth(line) <= PRINT_WIDTH) continue;
    const broken = breakList(line) ?? breakIf(line);
    if (broken === null) return null;
    out += piece.slice(at, start) + broken;
    at = end;
  }
  return at === 0 ? piece : out + piece.slice(at);
}

// The scans below walk the text with indexOf: regular expressions anchored at every line start
// cost ten times more on megabytes of output.

/** The lines of `text` longer than the print width, as [start, end) offsets. */
function wideLines(text: string): [number, number][] {
  const wide: [number, number][] = [];
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end - start > PRINT_WIDTH) wide.push([start, end]);
    start = end + 1;
  }
  return wide;
}

/** The lines of `text` holding `needle`. */
function linesWith(text: string, needle: string): string[] {
  const lines: string[] = [];
  for (let i = text.indexOf(needle); i >= 0; ) {
    const start = text.lastIndexOf("\n", i) + 1;
    let end = text.indexOf("\n", i);
    if (end < 0) end = text.length;
    lines.push(text.slice(start, end));
    i = text.indexOf(needle, end);
  }
  return lines;
}

/** An empty block or object (prettier writes `{}`), a run of blank lines (it keeps one), trailing white space. */
function hasLooseSpace(text: string): boolean {
  if (text.includes("\n\n\n") || text.includes(" \n") || text.includes("\t\n") || /[ \t]$/.test(text)) return true;
  for (let i = text.indexOf("{\n"); i >= 0; i = text.indexOf("{\n", i + 2)) {
    let j = i + 2;
    while (text[j] === " " || text[j] === "\t" || text[j] === "\n") j++;
    if (text[j] === "}") return true;
  }
  return false;
}

/** Whether prettier could change a piece the templates laid out: a test that errs towards yes. */
function needsPrettier(piece: string): boolean {
  if (hasLooseSpace(piece)) return true;
  for (const [start, end] of wideLines(piece)) if (codeWidth(piece.slice(start, end)) > PRINT_WIDTH) return true;
  // An escaped quote in a string, or a single-quoted one: prettier may swap the quote kind
  // (the targets write strings with JSON.stringify: double quotes, which prettier keeps).
  for (const line of [...linesWith(piece, "'"), ...linesWith(piece, '\\"')])
    if (codeWidth(line) > 0 && /\\"|'/.test(line.replace(/"[^"\\]*"/g, '""'))) return true;
  // Code with a character outside ASCII (contract text in a string): prettier measures width in
  // display columns (two for a wide character), which a length in UTF-16 units may understate.
  if (NON_ASCII.test(piece)) for (const line of piece.split("\n")) if (NON_ASCII.test(line) && codeWidth(line) > 0) return true;
  return false;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** What any test above could object to, found cheaply: most pieces have none and are kept as they are. */
function suspect(piece: string): boolean {
  return piece.includes("'") || piece.includes('\\"') || NON_ASCII.test(piece) || wideLines(piece).length > 0 || hasLooseSpace(piece);
}

/** The top-level pieces of a laid-out file: a new one starts at a column-0 line after a blank line. */
function topLevelPieces(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/\n\n(?=[^\s})\]])/g)) {
    pieces.push(text.slice(start, m.index + 1));
    start = m.index + 2;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/**
 * A top-level function split as header, body statements and closing brace; null for any other
 * piece. A statement starts at an indent-2 line that follows a line ending one (`;`, `}` or a
 * `//` comment at indent 2).
 */
function functionStatements(piece: string): { head: string; statements: string[]; tail: string } | null {
  const lines = piece.replace(/\n+$/, "").split("\n");
  const open = lines.findIndex((l) => /^(export )?function .*\{$/.test(l));
  if (open < 0 || lines[lines.length - 1] !== "}") return null;
  const body = lines.slice(open + 1, -1);
  const statements: string[] = [];
  let current: string[] = [];
  for (const line of body) {
    const atTop = /^ {2}\S/.test(line) && !/^ {2}[})\]]/.test(line);
    const prev = current[current.length - 1];
    const ended = prev === undefined || (/^ {2}\S/.test(prev) && /(;|\}|^ {2}\/\/.*)$/.test(prev)) || /^ {2}\}/.test(prev) || prev === "";
    if (atTop && ended && current.length > 0) {
      statements.push(current.join("\n"));
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) statements.push(current.join("\n"));
  return { head: lines.slice(0, open + 1).join("\n"), statements, tail: "}" + piece.slice(piece.replace(/\n+$/, "").length) };
}

async function formatPiece(piece: string): Promise<string> {
  const trailing = piece.slice(piece.replace(/\n+$/, "").length);
  return (await format(piece, "typescript")).replace(/\n$/, "") + trailing;
}

/** One statement of a function body (indent 2), formatted as prettier would inside its function. */
async function formatStatement(statement: string): Promise<string> {
  const bare = statement.replace(/\n+$/, "");
  const formatted = await format(`function $piece() {\n${bare}\n}\n`, "typescript");
  return formatted.split("\n").slice(1, -2).join("\n") + statement.slice(bare.length);
}

/**
 * A TypeScript file the templates laid out, as prettier would leave it: pieces the test above
 * cannot vouch for are formatted by prettier, everything else is kept as written.
 */
export async function layoutTypeScript(text: string): Promise<string> {
  const out: string[] = [];
  for (const piece of topLevelPieces(text)) {
    if (!suspect(piece)) {
      out.push(piece);
      continue;
    }
    const laid = breakLines(piece);
    if (laid !== null && !needsPrettier(laid)) {
      out.push(laid);
      continue;
    }
    const fn = functionStatements(piece);
    const head = fn === null ? null : breakLines(fn.head);
    if (fn === null || head === null || needsPrettier(head)) {
      out.push(await formatPiece(piece));
      continue;
    }
    const body: string[] = [];
    for (const s of fn.statements) {
      const statement = breakLines(s);
      body.push(statement !== null && !needsPrettier(statement) ? statement : await formatStatement(s));
    }
    out.push([head, ...body, fn.tail].join("\n"));
  }
  // One newline at the end, as prettier leaves a file (the last piece may end with a blank line).
  const laid = out.join("\n");
  let end = laid.length;
  while (end > 0 && laid[end - 1] === "\n") end--;
  return `${laid.slice(0, end)}\n`;
}

export async function formatJavaScript(source: string): Promise<string> {
  return format(source, "babel");
}

export async function formatMarkdown(source: string): Promise<string> {
  return format(source, "markdown");
}

/**
 * The width prettier gives text when it aligns a Markdown table (display columns: wide
 * characters count two, control and combining characters none): its own measure, so a table
 * aligned here is aligned as prettier aligns it. Printable ASCII is measured without prettier.
 */
export async function displayWidth(text: string): Promise<number> {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  const { util } = await import("prettier");
  return util.getStringWidth(text);
}

export function formatC(source: string): string {
  return (
    source
      .replace(/[ \t]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^\n+/, "")
      .replace(/\n*$/, "\n")
  );
}

/** Rust is laid out as rustfmt leaves it by the Rust target itself; only whitespace is normalised. */
export function formatRust(source: string): string {
  return formatC(source);
}
