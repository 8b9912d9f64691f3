// Reads generated Markdown the way a reader's viewer does: renders each page with a CommonMark
// parser (markdown-it, GitHub's table extension on) and lists what would look broken there:
// literal backticks in rendered text or code, table rows whose cell count differs from the header,
// links whose page or anchor does not exist, and headings repeated on a page.

import MarkdownIt, { type Token } from "markdown-it";

export interface MarkdownPage {
  /** Path of the page relative to the docs folder (`types.md`). */
  path: string;
  content: string;
}

const md = new MarkdownIt({ html: true, linkify: false });

/** What a reader sees of an HTML fragment: comments, code and tags taken out. */
function visibleHtmlText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<code>[\s\S]*?<\/code>/g, "")
    .replace(/<[^>]*>/g, "");
}

function htmlAttributes(html: string, name: "id" | "href"): string[] {
  return [...html.matchAll(new RegExp(`<a\\s[^>]*\\b${name}="([^"]*)"`, "g"))].map((m) => m[1]!);
}

/** The cells of one source table row, split as GFM does: on `|` not escaped by a backslash. */
export function sourceCells(line: string): number {
  let text = line.trim();
  if (text.startsWith("|")) text = text.slice(1);
  if (text.endsWith("|") && !text.endsWith("\\|")) text = text.slice(0, -1);
  return text.split(/(?<!\\)\|/).length;
}

interface PageFacts {
  ids: Set<string>;
  hrefs: string[];
  headings: string[];
  problems: string[];
}

function inspect(page: MarkdownPage): PageFacts {
  const tokens = md.parse(page.content, {});
  const lines = page.content.split("\n");
  const facts: PageFacts = { ids: new Set(), hrefs: [], headings: [], problems: [] };
  const problem = (where: Token, what: string) =>
    facts.problems.push(`${page.path}:${(where.map?.[0] ?? -1) + 1}: ${what}`);
  let headerCells = 0;
  let heading: string[] | null = null;
  let line: Token | null = null;
  for (const block of tokens) {
    if (block.map) line = block;
    switch (block.type) {
      case "heading_open":
        heading = [];
        break;
      case "heading_close":
        facts.headings.push(heading!.join("").trim());
        heading = null;
        break;
      case "thead_open":
        headerCells = sourceCells(lines[block.map![0]]!);
        break;
      case "tr_open": {
        const cells = sourceCells(lines[block.map![0]]!);
        if (cells !== headerCells) problem(block, `table row has ${cells} cells, its header ${headerCells}`);
        break;
      }
      case "html_block":
        for (const id of htmlAttributes(block.content, "id")) facts.ids.add(id);
        facts.hrefs.push(...htmlAttributes(block.content, "href"));
        if (visibleHtmlText(block.content).includes("`")) problem(block, `literal backtick in HTML text: ${block.content.trim()}`);
        break;
      case "inline":
        for (const t of block.children ?? []) {
          switch (t.type) {
            case "text":
              if (t.content.includes("`")) problem(line!, `literal backtick in rendered text: ${JSON.stringify(t.content)} in ${JSON.stringify(block.content)}`);
              heading?.push(t.content);
              break;
            case "code_inline":
              // A code span never holds a backtick the generator meant: two spans written
              // next to each other (`a``b`) merge into one that shows them.
              if (t.content.includes("`")) problem(line!, `literal backtick in code: ${JSON.stringify(t.content)} in ${JSON.stringify(block.content)}`);
              heading?.push(t.content);
              break;
            case "link_open":
              facts.hrefs.push(String(t.attrGet("href") ?? ""));
              break;
            case "html_inline":
              for (const id of htmlAttributes(t.content, "id")) facts.ids.add(id);
              facts.hrefs.push(...htmlAttributes(t.content, "href"));
              break;
          }
        }
        break;
    }
  }
  const seen = new Set<string>();
  for (const h of facts.headings) {
    if (seen.has(h)) facts.problems.push(`${page.path}: heading "${h}" appears more than once`);
    seen.add(h);
  }
  return facts;
}

/** Every problem a reader would meet on these pages (links resolve among the given pages). */
export function renderProblems(pages: MarkdownPage[]): string[] {
  const facts = new Map(pages.map((p) => [p.path, inspect(p)]));
  const problems = [...facts.values()].flatMap((f) => f.problems);
  for (const [path, f] of facts)
    for (const href of f.hrefs) {
      if (/^[a-z]+:/.test(href)) continue;
      const [file, anchor] = href.split("#", 2) as [string, string | undefined];
      const target = facts.get(file === "" ? path : file);
      if (!target) problems.push(`${path}: link to ${href}: no page ${file}`);
      else if (anchor !== undefined && !target.ids.has(anchor)) problems.push(`${path}: link to ${href}: no anchor ${anchor}`);
    }
  return problems;
}

/** How many links the pages hold, so a test can tell an empty check from a passing one. */
export function linkCount(pages: MarkdownPage[]): number {
  return pages.reduce((n, p) => n + inspect(p).hrefs.length, 0);
}
