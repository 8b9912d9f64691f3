// Markdown written the way prettier (markdown parser, printWidth 100, proseWrap preserve) prints
// it, so the docs target does not run prettier over whole pages: tables padded as prettier pads
// them, list items with their continuation lines indented, doc text passed through as written
// when a cheap, conservative test shows prettier would leave it alone, and the few rewrites of
// doc text whose result prettier fixes without a choice (`*emphasis*` as `_emphasis_`, a blank
// line before a list that follows a line, lazy list lines indented). Text none of that can vouch
// for (lists of other kinds, fenced code, tabs, ...) becomes a chunk that is formatted on its
// own by prettier; a table with such text is printed cell by cell instead (printTable), prettier
// printing only the cells it rewrites (through the formatting memo, each distinct one once); where even a chunk cannot be vouched for (one
// that could join the blocks around it), the whole page is formatted, as before.

import { displayWidth, formatMarkdown } from "./format.ts";
import type { TableView } from "./doc-pages.ts";

// ---- what prettier leaves alone ----

/**
 * What prettier reads as Markdown syntax (or rewrites) anywhere in a line of prose: emphasis,
 * escapes, code, a table pipe, strike-through, an HTML tag or entity, a link or an image, runs
 * of blanks and control characters. Brackets alone (`argv[0]`) and a `<` before a space are text.
 */
const SYNTAX = /[*\\|~`]|<[A-Za-z/!?]|&[A-Za-z#]|\]\s*[[(:]|!\[|\s{2}|[^\S ]|[\u0000-\u001f\u007f]/;
/** A `_` that is not between two letters or digits (`_a_` is emphasis; `snake_case` is not). */
const LOOSE_UNDERSCORE = /(^|[^A-Za-z0-9])_|_($|[^A-Za-z0-9])/;
/** Line starts that open a block (heading, quote, list, setext underline, fence, table, HTML). */
const BLOCK_START = /^(?:[#>+=_~|<\s-]|\*(?![A-Za-z0-9`(]|\*[A-Za-z0-9`(])|\d+[.)](?:\s|$))/;

/** The constructs the docs themselves write, which prettier prints back unchanged. */
function withoutOwnConstructs(text: string): string {
  return (
    text
      // a code span: one backtick each side, no space just inside (prettier would re-fence others)
      .replace(/`[^`\s](?:[^`]*[^`\s])?`/g, "c")
      // an escaped `|` (table cells)
      .replace(/\\\|/g, "p")
      // a line break inside a table cell
      .replace(/<br>/g, " ")
      // an explicit anchor
      .replace(/<a id="[A-Za-z0-9_.-]+"><\/a>/g, "")
      // a link whose target needs no angle brackets; its text is still checked
      .replace(/\[([^[\]]*)\]\([A-Za-z0-9_.#/-]+\)/g, "$1")
      // strong text between words (`**Deprecated**`, `**Deviation:**`); its text is still checked
      .replace(/(?<=^|[\s(])\*\*([A-Za-z0-9](?:[^*`\\]*[A-Za-z0-9.:])?)\*\*(?=$|[\s.,;:)])/g, "$1")
  );
}

// The common case in one pass: text of plain characters, single spaces, `snake_case` words, code
// spans, anchors, `<br>`, escaped pipes and links around those. Anything else takes the longer
// test below, which accepts all of this too.
const SAFE_CHAR = String.raw`[^\s\u0000-\u001f\u007f*\\|~\`<>&[\]_!]| (?! )|(?<=[A-Za-z0-9])_+(?=[A-Za-z0-9])`;
const CODE_SPAN = String.raw`\`[^\`\s](?:[^\`]*[^\`\s])?\``;
const COMMON_INLINE = new RegExp(
  String.raw`^(?! )(?:${CODE_SPAN}|<a id="[A-Za-z0-9_.-]+"><\/a>|<br>|\\\||\[(?:${CODE_SPAN}|${SAFE_CHAR})*\]\([A-Za-z0-9_.#/-]+\)|${SAFE_CHAR})*(?<! )$`,
);

/** Whether prettier prints one line of inline Markdown exactly as written. */
export function isPlainInline(line: string, asciiOnly = false): boolean {
  if (asciiOnly && /[^\x20-\x7e]/.test(line)) return false;
  if (COMMON_INLINE.test(line)) return true;
  if (line !== line.trim()) return false;
  const rest = withoutOwnConstructs(line);
  return !SYNTAX.test(rest) && !LOOSE_UNDERSCORE.test(rest);
}

/** Whether a line at the start of a block (or of a list item's text) stays a paragraph line. */
function isPlainLine(line: string): boolean {
  return line !== "" && !BLOCK_START.test(line) && isPlainInline(line);
}

/** Whether prettier prints doc text (paragraphs of plain lines) exactly as written. */
export function isPlainProse(text: string): boolean {
  return text.split("\n\n").every((para) => para.split("\n").every(isPlainLine));
}

// ---- doc text prettier rewrites in known ways ----
//
// Beyond plain text, doc comments use a few constructs whose print prettier (3.x, markdown
// parser) fixes without a choice: `*emphasis*` between words is printed `_emphasis_`,
// `**strong**` as written, a lone `*` run inside a word (`2**20`, `net_*`) as written when
// nothing could pair with it; a `- ` list right after a paragraph line gets a blank line
// before it, and a list item's unindented (lazy) continuation line is indented by two. Only
// the shapes below are taken; anything else still goes to prettier.

const CODE_SPANS = new RegExp(CODE_SPAN, "g");

interface StarRun {
  at: number;
  len: number;
  /** The characters just before and after it ("" at the ends; a code span reads as backticks). */
  before: string;
  after: string;
}

/**
 * A run that opens emphasis and nothing else (left-flanking, not right-flanking): after the
 * start, a blank or a `(`, before a word (or a code span, but not after a `(`).
 */
function opens(r: StarRun): boolean {
  return r.len <= 2 && ((/^[ \n]?$/.test(r.before) && /[A-Za-z0-9`]/.test(r.after)) || (r.before === "(" && /[A-Za-z0-9]/.test(r.after)));
}

/** A run that closes emphasis: after a word, a code span, `.` or `:`; before the end, a blank or punctuation. */
function closes(r: StarRun): boolean {
  return /[A-Za-z0-9`.:]/.test(r.before) && /^[ \n.,;:)]?$/.test(r.after);
}

/** A run inside or at the end of a word (`2**20`, `net_*`): literal text when nothing can pair with it. */
function inWord(r: StarRun): boolean {
  return r.len <= 2 && /[A-Za-z0-9_]/.test(r.before) && (/[A-Za-z0-9]/.test(r.after) || /^[ \n.,;:)]?$/.test(r.after));
}

/**
 * A paragraph's inline text (its lines, as written) as prettier prints it, or null when it
 * holds anything but plain text and the constructs above: `*x*` and `**x**` pairs (plain text
 * inside, on one line; no `_` inside emphasis, whose delimiters prettier writes as `_`), and at
 * most one run inside a word (two could pair up). The caller checks the block starts.
 */
export function printInline(text: string): string | null {
  if (text.split("\n").every((l) => isPlainInline(l))) return text;
  if (!text.includes("*")) return null;
  // Star runs outside code spans (a code span's text is not Markdown).
  const masked = text.replace(CODE_SPANS, (m) => "`".repeat(m.length));
  const runs: StarRun[] = [...masked.matchAll(/\*+/g)].map((m) => ({
    at: m.index,
    len: m[0].length,
    before: masked[m.index - 1] ?? "",
    after: masked[m.index + m[0].length] ?? "",
  }));
  let out = "";
  let checked = "";
  let from = 0;
  let lone = false;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const next = runs[i + 1];
    if (opens(run) && next !== undefined && next.len === run.len && closes(next)) {
      const inner = text.slice(run.at + run.len, next.at);
      if (inner.includes("\n") || !isPlainInline(inner) || (run.len === 1 && inner.includes("_"))) return null;
      const mark = run.len === 1 ? "_" : "**";
      out += `${text.slice(from, run.at)}${mark}${inner}${mark}`;
      checked += `${text.slice(from, run.at)}${inner}`;
      from = next.at + next.len;
      i++;
    } else if (inWord(run) && !lone) {
      lone = true;
      out += text.slice(from, run.at + run.len);
      checked += `${text.slice(from, run.at)}x`;
      from = run.at + run.len;
    } else return null;
  }
  out += text.slice(from);
  checked += text.slice(from);
  return checked.split("\n").every((l) => isPlainInline(l)) ? out : null;
}

/** Whether a line of a paragraph (or of a list item's text) starts no block; printInline checks the rest. */
function opensNoBlock(line: string): boolean {
  return line !== "" && !BLOCK_START.test(line);
}

/** `- ` items (first line, continuation lines without their indentation) as prettier prints a tight list. */
function printList(items: readonly string[][]): string | null {
  const printed: string[] = [];
  for (const lines of items) {
    if (!lines.every(opensNoBlock)) return null;
    const text = printInline(lines.join("\n"));
    if (text === null) return null;
    printed.push(`- ${text.split("\n").join("\n  ")}`);
  }
  return printed.join("\n");
}

/**
 * Doc text as prettier prints it on its own, or null: blocks of paragraph lines, each perhaps
 * ending in a tight `- ` list (continuation lines indented by two, or lazy). A block that is
 * only a list may not follow one that ends in a list (together they would be one loose list).
 */
export function printProse(text: string): string | null {
  if (isPlainProse(text)) return text;
  const blocks: string[] = [];
  let endsInList = false;
  for (const block of text.split("\n\n")) {
    const lines = block.split("\n");
    const firstItem = lines.findIndex((l) => l.startsWith("- "));
    const para = firstItem < 0 ? lines : lines.slice(0, firstItem);
    if (para.length === 0 && endsInList) return null;
    if (!para.every(opensNoBlock)) return null;
    const printedPara = para.length === 0 ? "" : printInline(para.join("\n"));
    if (printedPara === null) return null;
    if (firstItem < 0) {
      blocks.push(printedPara);
      endsInList = false;
      continue;
    }
    const items: string[][] = [];
    for (const line of lines.slice(firstItem)) {
      if (line.startsWith("- ")) items.push([line.slice(2)]);
      else if (line.startsWith("  ") && !line.startsWith("   ")) items[items.length - 1]!.push(line.slice(2));
      else if (!line.startsWith(" ")) items[items.length - 1]!.push(line);
      else return null;
    }
    const list = printList(items);
    if (list === null) return null;
    blocks.push(printedPara === "" ? list : `${printedPara}\n\n${list}`);
    endsInList = true;
  }
  return blocks.join("\n\n");
}

// ---- blocks written as prettier prints them ----

/**
 * The width prettier gives a table cell: its length for printable ASCII. Other text (wide CJK
 * characters count two, combining marks none, emoji two) is left to prettier: null.
 */
function cellWidth(cell: string): number | null {
  return /^[\x20-\x7e]*$/.test(cell) ? cell.length : null;
}

/** A cell as prettier prints it, known without prettier (plain, or printInline's ASCII constructs); null if not. */
function knownCell(cell: string): string | null {
  return cell === "" || isPlainInline(cell, true) ? cell : cellWidth(cell) === null ? null : printInline(cell);
}

/** Rows of printed cells as prettier aligns them: every column as wide as its widest cell (at least 3), cells padded after. */
function alignRows(rows: { text: string; width: number }[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(3, ...rows.map((r) => r[i]!.width)));
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(rows[0]!.map((c, i) => c.text + " ".repeat(widths[i]! - c.width))),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.slice(1).map((r) => line(r.map((c, i) => c.text + " ".repeat(widths[i]! - c.width)))),
  ].join("\n");
}

/** A table as prettier aligns it, or null when a cell is not known without prettier (knownCell). */
export function alignedTable(t: TableView): string | null {
  const rows: { text: string; width: number }[][] = [];
  for (const row of [t.headers, ...t.rows]) {
    if (row.length !== t.headers.length) return null;
    const cells: { text: string; width: number }[] = [];
    for (const cell of row) {
      const text = knownCell(cell);
      if (text === null) return null;
      cells.push({ text, width: text.length });
    }
    rows.push(cells);
  }
  return alignRows(rows);
}

// ---- tables whose cells prettier prints one by one ----
//
// prettier prints a table cell by cell (each cell's inline content on its own) and then pads
// every column to its widest cell, measured with its own display width. So a table with cells
// it rewrites (emphasis, escapes, HTML, control or wide characters) is that alignment of each
// cell's print, and a cell prints the same in any table as long as the row splits at the same
// pipes: one line, every pipe of its own escaped by one backslash (prettier's reader splits a
// row at every other pipe, in a code span too; test/docs-prettier.test.ts holds this to
// prettier's print of whole tables). Each such cell is printed alone, in a table of one column,
// through the formatting memo: the same doc text in many tables (or many runs) is printed once.

/** Whether a cell splits off its row at its own pipes in any table (see above). */
function standsAlone(cell: string): boolean {
  if (cell.includes("\n") || cell.includes("\r")) return false;
  for (let i = cell.indexOf("|"); i >= 0; i = cell.indexOf("|", i + 1)) if (cell[i - 1] !== "\\" || cell[i - 2] === "\\") return false;
  return true;
}

/** Whether every cell of a table stands alone (its print can be found cell by cell). */
export function cellsStandAlone(t: TableView): boolean {
  return [t.headers, ...t.rows].every((row) => row.length === t.headers.length && row.every(standsAlone));
}

/** A cell as prettier prints it in a table, read back from prettier's print of a table of one column; null if it cannot be. */
async function printedCell(cell: string): Promise<{ text: string; width: number } | null> {
  const known = knownCell(cell);
  if (known !== null) return { text: known, width: known.length };
  const lines = (await formatMarkdown(`| x |\n| --- |\n| ${cell} |\n`)).split("\n");
  const row = lines[2];
  if (lines.length !== 4 || lines[3] !== "" || !/^\| -{3,} \|$/.test(lines[1]!) || row === undefined || !row.startsWith("| ") || !row.endsWith(" |")) return null;
  const column = lines[1]!.length - 4;
  const text = row.slice(2, -2).replace(/ +$/, "");
  const width = await displayWidth(text);
  // The padding read off is the padding prettier gave this width: nothing of the cell was cut.
  if (column !== Math.max(3, width) || row.length - 4 - text.length !== column - width || lines[0] !== `| x${" ".repeat(column - 1)} |`) return null;
  return { text, width };
}

/** A table whose cells stand alone as prettier prints it, or null when a cell's print cannot be read back. */
export async function printTable(t: TableView): Promise<string | null> {
  if (!cellsStandAlone(t)) return null;
  const rows: { text: string; width: number }[][] = [];
  for (const row of [t.headers, ...t.rows]) {
    const cells: { text: string; width: number }[] = [];
    for (const cell of row) {
      const printed = await printedCell(cell);
      if (printed === null) return null;
      cells.push(printed);
    }
    rows.push(cells);
  }
  return alignRows(rows);
}

/** The same table as Markdown for prettier to align. */
export function rawTable(t: TableView): string {
  return [t.headers, t.headers.map(() => "---"), ...t.rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** A `- ` list whose items prettier prints as written (continuation lines indented by two), or null. */
export function bulletList(items: readonly string[]): string | null {
  return printList(items.map((item) => item.split("\n")));
}

export function rawBulletList(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join("\n");
}

// A tight `- ` list is printed item by item: prettier prints each item's content on its own and
// joins tight items with one line break, so such a list is the join of each item printed as a
// list of one. Only for items that cannot reach past their own lines or loosen the list: no
// blank line, no line that opens a block of its own after the first (a fence, HTML, a table
// row, a list marker, indented code), and a first line that opens no fence, HTML or code; an
// item whose print has a blank line in it (it was loose after all) sends the list to prettier.
// test/docs-prettier.test.ts holds this to prettier's print of whole lists.

/** Whether an item of a `- ` list prints the same alone (see above). */
function itemStandsAlone(item: string): boolean {
  if (item === "" || item.includes("\r") || /\n\s*\n/.test(item) || /^(?:[\s<]|```|~~~)/.test(item)) return false;
  return item.split("\n").slice(1).every(opensNoBlock);
}

/** A `- ` list whose items stand alone, as prettier prints it; null when one cannot be printed alone. */
export async function printBulletList(items: readonly string[]): Promise<string | null> {
  if (!items.every(itemStandsAlone)) return null;
  const printed: string[] = [];
  for (const item of items) {
    const own = bulletList([item]) ?? (await formatMarkdown(`- ${item}\n`)).replace(/\n+$/, "");
    if (!own.startsWith("- ") || own.includes("\n\n")) return null;
    printed.push(own);
  }
  return printed.join("\n");
}

// ---- pages ----

/** A chunk of a page that prettier formats on its own. */
interface Chunk {
  raw: string;
  /** Whether the chunk is doc text that, formatted alone, could read differently next to its neighbours. */
  prose: boolean;
  /** A table whose cells stand alone: printed cell by cell (printTable). */
  table?: TableView;
  /** A `- ` list whose items stand alone: printed item by item (printBulletList). */
  items?: readonly string[];
}

// Control characters never reach a page outside a chunk (no plain text holds one), so a
// placeholder cannot be spelt by the contract where it would be replaced.
const PLACEHOLDER = /\u0000abic-chunk-(\d+)\u0000/g;

/**
 * One page's deferred chunks. Page text is rendered with a placeholder where each chunk goes;
 * `raw` fills them with the text as written (the HTML reference reads that), `format` with
 * prettier's result for each, or formats the whole page when a chunk cannot be isolated.
 */
export class MarkdownChunks {
  private readonly chunks: Chunk[] = [];

  /** A placeholder for text prettier has to format. */
  defer(raw: string, prose: boolean, parts: Pick<Chunk, "table" | "items"> = {}): string {
    this.chunks.push({ raw, prose, ...parts });
    return `\u0000abic-chunk-${this.chunks.length - 1}\u0000`;
  }

  /** Doc text that stands as blocks of its own. */
  block(text: string): string {
    if (text === "") return text;
    const printed = printProse(text);
    return printed !== null && isolated(text, printed) ? printed : this.defer(text, true);
  }

  table(t: TableView): string {
    return alignedTable(t) ?? this.defer(rawTable(t), false, cellsStandAlone(t) ? { table: t } : {});
  }

  list(items: readonly string[]): string {
    if (items.length === 0) return "";
    return bulletList(items) ?? this.defer(rawBulletList(items), false, { items });
  }

  get size(): number {
    return this.chunks.length;
  }

  /** The page with every chunk as written. */
  raw(page: string): string {
    if (this.chunks.length === 0) return page;
    return page.replace(PLACEHOLDER, (_, i: string) => this.chunks[Number(i)]!.raw);
  }

  /** The page as prettier prints it. */
  async format(page: string): Promise<string> {
    if (this.chunks.length === 0) return page;
    const formatted: string[] = [];
    for (const c of this.chunks) {
      const own = c.table !== undefined ? await printTable(c.table) : c.items !== undefined ? await printBulletList(c.items) : null;
      const text = own ?? (await formatMarkdown(c.raw)).replace(/\n+$/, "");
      if (c.prose && !isolated(c.raw, text)) return formatMarkdown(this.raw(page));
      formatted.push(text);
    }
    return page.replace(PLACEHOLDER, (_, i: string) => formatted[Number(i)]!);
  }
}

/**
 * Whether doc text formatted alone reads the same inside its page. It must hold nothing that
 * reaches past its last line or across the page: a fence or an HTML block that may not be
 * closed, a link reference definition. It may end in a list: the blocks that follow doc text on
 * a page are headings, paragraphs, tables, HTML and `-` lists, and a `-` list after a `-` list
 * joins it, which prettier prints item by item as it would the two apart (it keeps the blank
 * line between them). A `*` or `+` list is different: prettier prints it with `-` and then gives
 * the list after it the other marker, `*`, so such text is only formatted with its page.
 */
function isolated(raw: string, formatted: string): boolean {
  if (/^ {0,3}(?:```|~~~|<|\[[^\]]*\]:)/m.test(raw)) return false;
  const lastBlock = formatted.slice(formatted.lastIndexOf("\n\n") + 1).replace(/^\n/, "");
  const endsInList = /^(?:[-*+]|\d+[.)])(?: |$)|^\s/m.test(lastBlock);
  return formatted !== "" && !(endsInList && /^\s*[*+](?: |$)/m.test(raw));
}

/** A rendered page: blank lines as prettier leaves them (one between blocks), one final newline. */
export function tidyPage(page: string): string {
  let end = page.length;
  while (end > 0 && page[end - 1] === "\n") end--;
  let start = 0;
  while (start < end && page[start] === "\n") start++;
  return `${page.slice(start, end).replace(/\n\n\n+/g, "\n\n")}\n`;
}

/**
 * A view model ready for the docs templates: every table and list in the form prettier prints
 * (or a chunk placeholder), every block of doc text as written (or a placeholder). Found by key:
 * `docs` and `deviation` hold doc text, `facts` and `pages` lists of items.
 */
export function markdownView<T>(view: T, chunks: MarkdownChunks): T {
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === "string") return BLOCK_KEYS.has(key) ? chunks.block(value) : value;
    if (Array.isArray(value)) {
      if (LIST_KEYS.has(key) && value.every((v) => typeof v === "string")) return chunks.list(value as string[]);
      return value.map((v) => walk(v, ""));
    }
    if (value !== null && typeof value === "object") {
      if (isTableView(value)) return chunks.table(value);
      const copy: Record<string, unknown> = {};
      for (const k in value) copy[k] = walk((value as Record<string, unknown>)[k], k);
      return copy;
    }
    return value;
  };
  return walk(view, "") as T;
}

const BLOCK_KEYS = new Set(["docs", "deviation"]);
const LIST_KEYS = new Set(["facts", "pages"]);

function isTableView(v: object): v is TableView {
  return "headers" in v && "rows" in v && Array.isArray((v as TableView).headers) && Array.isArray((v as TableView).rows);
}
