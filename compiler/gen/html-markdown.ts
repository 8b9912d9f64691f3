// Markdown to HTML for the HTML reference. The pages are the Markdown reference's own pages
// (rendered from the same view models), read with markdown-it, the CommonMark parser the
// rendering test reads them with. On top of CommonMark: links between pages of the reference
// lead to their .html files, every heading has an id and a permalink, wide tables scroll in
// their own box, code blocks are labelled with their language, and each page's outline (its
// h2 and h3 headings) is collected for the sidebar.

import markdownIt, { type MarkdownIt, type Token } from "markdown-it";
import { htmlEscape } from "./doc-pages.ts";

export interface OutlineEntry {
  level: 2 | 3;
  /** The heading's content as HTML, without its anchor and permalink. */
  html: string;
  anchor: string;
}

export interface RenderedPage {
  /** The text of the page's first h1. */
  title: string;
  html: string;
  outline: OutlineEntry[];
}

/** How a code block's language is labelled. */
const LANGUAGES: Record<string, string> = { c: "C", ts: "TypeScript", rust: "Rust", toml: "TOML", sh: "Shell", json: "JSON", idl: "IDL" };

type TokenClass = new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;

/** `<a id="x">`, the explicit anchor every item of the docs carries (markdown-it reads its `</a>` as a second token). */
const ANCHOR = /^<a id="([^"]+)">$/;

/** The HTML file of a page of the reference (`types.md` -> `types.html`). */
export function htmlPage(page: string): string {
  return page.replace(/\.md$/, ".html");
}

/** The plain text of inline tokens: text and code, no markup. */
function plainText(tokens: readonly Token[]): string {
  return tokens
    .filter((t) => t.type === "text" || t.type === "code_inline")
    .map((t) => t.content)
    .join("");
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A piece of a type written as adjacent code spans: plain code, or code that links. */
type CodePiece = { code: string; href: string | null };

/** The code span at `i`, alone or as the whole text of a link, and how many tokens it takes. */
function codePieceAt(tokens: readonly Token[], i: number): { piece: CodePiece; length: number } | null {
  const t = tokens[i]!;
  if (t.type === "code_inline") return { piece: { code: t.content, href: null }, length: 1 };
  if (t.type === "link_open" && tokens[i + 1]?.type === "code_inline" && tokens[i + 2]?.type === "link_close")
    return { piece: { code: tokens[i + 1]!.content, href: String(t.attrGet("href") ?? "") }, length: 3 };
  return null;
}

/**
 * The Markdown writes a type with linked parts as adjacent code spans (`list<`[`ciovec`](..)`>`),
 * since CommonMark code cannot hold a link; in HTML it can, so each run becomes one code element
 * with the links inside, read as one type as in the IDL block.
 */
function joinCodeRuns(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    const run: CodePiece[] = [];
    let j = i;
    for (let at = codePieceAt(tokens, j); at !== null; at = j < tokens.length ? codePieceAt(tokens, j) : null) {
      run.push(at.piece);
      j += at.length;
    }
    if (run.length < 2) {
      out.push(tokens[i]!);
      i++;
      continue;
    }
    const joined = new (tokens[i]!.constructor as TokenClass)("html_inline", "", 0);
    const parts = run.map((p) => (p.href === null ? htmlEscape(p.code) : `<a href="${htmlEscape(p.href)}">${htmlEscape(p.code)}</a>`));
    joined.content = `<code>${parts.join("")}</code>`;
    out.push(joined);
    i = j;
  }
  return out;
}

export class ReferenceRenderer {
  private readonly md: MarkdownIt;

  /** `pages`: every page of the reference, by its Markdown path. */
  constructor(private readonly pages: ReadonlySet<string>) {
    this.md = markdownIt({ html: true, linkify: false, typographer: false });
    const rules = this.md.renderer.rules;
    rules.table_open = () => '<div class="table-wrap">\n<table>\n';
    rules.table_close = () => "</table>\n</div>\n";
    rules.fence = (tokens, i) => {
      const t = tokens[i]!;
      const lang = t.info.trim().split(/\s+/)[0] ?? "";
      const label = LANGUAGES[lang];
      const code = `<pre><code${lang ? ` class="language-${htmlEscape(lang)}"` : ""}>${htmlEscape(t.content)}</code></pre>`;
      return label ? `<div class="code" data-lang="${label}">${code}</div>\n` : `${code}\n`;
    };
  }

  /** Where a link of the Markdown leads in the HTML reference. */
  private href(target: string): string {
    const m = /^([^/#?:]+\.md)(#.*)?$/.exec(target);
    return m && this.pages.has(m[1]!) ? `${htmlPage(m[1]!)}${m[2] ?? ""}` : target;
  }

  private rewriteHtml(html: string): string {
    return html.replace(/\bhref="([^"]*)"/g, (_, target: string) => `href="${this.href(target)}"`);
  }

  /** A fragment of inline Markdown (a page title) as HTML. */
  inline(markdown: string): string {
    const tokens = this.md.parseInline(markdown, {});
    this.rewriteLinks(tokens);
    return this.md.renderer.render(tokens, this.md.options, {});
  }

  private rewriteLinks(tokens: Token[]): void {
    for (const t of tokens) {
      if (t.type === "link_open") t.attrSet("href", this.href(String(t.attrGet("href") ?? "")));
      else if (t.type === "html_inline" || t.type === "html_block") t.content = this.rewriteHtml(t.content);
      if (t.children) {
        this.rewriteLinks(t.children);
        t.children = joinCodeRuns(t.children);
      }
    }
  }

  /** A whole page: its HTML, title and outline. */
  page(markdown: string): RenderedPage {
    const env = {};
    const tokens = this.md.parse(markdown, env);
    this.rewriteLinks(tokens);
    // The ids the page declares itself, so generated heading ids never take one of them.
    const ids = new Set<string>();
    for (const t of tokens)
      for (const html of t.type === "html_block" ? [t.content] : (t.children ?? []).filter((c) => c.type === "html_inline").map((c) => c.content))
        for (const m of html.matchAll(/<a id="([^"]+)">/g)) ids.add(m[1]!);
    let title = "";
    const outline: OutlineEntry[] = [];
    tokens.forEach((t, i) => {
      if (t.type === "html_block" && t.content.startsWith('<pre class="idl">'))
        t.content = `<div class="code" data-lang="${LANGUAGES.idl}">${t.content.trimEnd()}</div>\n`;
      if (t.type !== "heading_open") return;
      const inline = tokens[i + 1]!;
      const children = inline.children ?? [];
      const level = Number(t.tag.slice(1));
      if (level === 1 && title === "") title = plainText(children);
      const own = children[0]?.type === "html_inline" && children[1]?.content === "</a>" ? ANCHOR.exec(children[0].content) : null;
      let anchor: string;
      if (own) anchor = own[1]!;
      else {
        const base = `section-${slug(plainText(children)) || "untitled"}`;
        anchor = base;
        for (let n = 2; ids.has(anchor); n++) anchor = `${base}-${n}`;
        ids.add(anchor);
        t.attrSet("id", anchor);
      }
      if (level === 2 || level === 3)
        outline.push({ level, anchor, html: this.md.renderer.renderInline(own ? children.slice(2) : children, this.md.options, env).trim() });
      const permalink = new (inline.constructor as TokenClass)("html_inline", "", 0);
      permalink.content = ` <a class="permalink" href="#${anchor}" aria-label="Link to this heading">#</a>`;
      children.push(permalink);
    });
    return { title, html: this.md.renderer.render(tokens, this.md.options, env), outline };
  }
}
