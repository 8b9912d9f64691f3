// Markdown written the way prettier (markdown parser, printWidth 100, proseWrap preserve) prints
// it, so the docs target does not run prettier over whole pages: tables padded as prettier pads
// them, list items with their continuation lines indented, and doc text passed through as written
// when a cheap, conservative test shows prettier would leave it alone. Text the test cannot vouch
// for (emphasis with `*`, lists, fenced code, tabs, wide characters in a table, ...) becomes a
// chunk that is formatted on its own by prettier; where even that cannot be vouched for (a chunk
// that could join the blocks around it), the whole page is formatted, as before.

import { formatMarkdown } from "./format.ts";
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
const BLOCK_START = /^(?:[#>+=_~|<\s-]|\*(?!\*[A-Za-z])|\d+[.)])/;

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

// ---- blocks written as prettier prints them ----

/**
 * The width prettier gives a table cell: its length for printable ASCII. Other text (wide CJK
 * characters count two, combining marks none, emoji two) is left to prettier: null.
 */
function cellWidth(cell: string): number | null {
  return /^[\x20-\x7e]*$/.test(cell) ? cell.length : null;
}

/** A table as prettier aligns it (every column as wide as its widest cell, at least 3), or null. */
export function alignedTable(t: TableView): string | null {
  const rows = [t.headers, ...t.rows];
  const widths: number[] = t.headers.map(() => 3);
  for (const row of rows) {
    if (row.length !== t.headers.length) return null;
    for (const [i, cell] of row.entries()) {
      const width = cellWidth(cell);
      if (width === null || (cell !== "" && !isPlainInline(cell, true))) return null;
      if (width > widths[i]!) widths[i] = width;
    }
  }
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + " ".repeat(widths[i]! - c.length)).join(" | ")} |`;
  return [line(t.headers), line(widths.map((w) => "-".repeat(w))), ...t.rows.map(line)].join("\n");
}

/** The same table as Markdown for prettier to align. */
export function rawTable(t: TableView): string {
  return [t.headers, t.headers.map(() => "---"), ...t.rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** A `- ` list whose items prettier prints as written (continuation lines indented by two), or null. */
export function bulletList(items: readonly string[]): string | null {
  const lines = items.map((item) => item.split("\n"));
  if (!lines.every((l) => l.every(isPlainLine))) return null;
  return lines.map((l) => `- ${l.join("\n  ")}`).join("\n");
}

export function rawBulletList(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join("\n");
}

// ---- pages ----

/** A chunk of a page that prettier formats on its own. */
interface Chunk {
  raw: string;
  /** Whether the chunk is doc text that, formatted alone, could read differently next to its neighbours. */
  prose: boolean;
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
  defer(raw: string, prose: boolean): string {
    this.chunks.push({ raw, prose });
    return `\u0000abic-chunk-${this.chunks.length - 1}\u0000`;
  }

  /** Doc text that stands as blocks of its own. */
  block(text: string): string {
    return text === "" || isPlainProse(text) ? text : this.defer(text, true);
  }

  table(t: TableView): string {
    return alignedTable(t) ?? this.defer(rawTable(t), false);
  }

  list(items: readonly string[]): string {
    if (items.length === 0) return "";
    return bulletList(items) ?? this.defer(rawBulletList(items), false);
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
      const text = (await formatMarkdown(c.raw)).replace(/\n+$/, "");
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
