// The HTML reference, generated/html/: the Markdown reference's pages (the same view models,
// rendered by the docs target's templates) as static HTML pages with a sidebar of pages and of
// the current page's outline, light and dark styles, and a client-side search over names and
// doc text. Everything is relative and there is no fetch: the search index is a script, so the
// reference opens from the file system and from any static host. Off by default (`abic gen
// --enable html`).

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { ContractModel } from "../model.ts";
import { bannerLines, cBanner, lineBanner } from "./banner.ts";
import { htmlEscape } from "./doc-pages.ts";
import { docPages, renderDocs } from "./docs.ts";
import { htmlPage, ReferenceRenderer, type OutlineEntry } from "./html-markdown.ts";
import { searchEntries, searchIndexScript } from "./html-search.ts";
import { renderTemplate, TEMPLATES_DIR } from "./render.ts";
import type { GenContext, GeneratedFile, Target } from "./target.ts";

export interface NavPage {
  title: string;
  href: string;
  current: boolean;
}

export interface HtmlPageView {
  banner: string;
  /** For `<title>`, escaped. */
  title: string;
  packageName: string;
  version: string;
  navGroups: { heading: string; pages: NavPage[] }[];
  outline: OutlineEntry[];
  /** The page's content, rendered from its Markdown. */
  content: string;
}

/** The static files beside the pages, copied from templates/html/ after a banner. */
const ASSETS = [
  { file: "style.css", banner: (model: ContractModel, source: string) => cBanner(model, source) },
  { file: "search.js", banner: (model: ContractModel, source: string) => lineBanner(model, source) },
] as const;

/** Lines without trailing blanks and at most one empty line in a row; a final newline. */
function tidy(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/\n*$/, "\n")
  );
}

export function generateHtml(model: ContractModel, ctx: Pick<GenContext, "source" | "ts">): GeneratedFile[] {
  const docs = renderDocs(model, ctx);
  const renderer = new ReferenceRenderer(new Set(docs.pages.map((p) => p.path)));
  const banner = `<!-- ${bannerLines(model, ctx.source).join(" ")} -->`;
  const listed = docPages(model);
  const navGroups = (current: string) => {
    const entry = (p: (typeof listed)[number]): NavPage => ({
      title: renderer.inline(p.module ? `\`${p.module.name}\`` : p.title),
      href: htmlPage(p.path),
      current: p.path === current,
    });
    return [
      { heading: "Reference", pages: listed.filter((p) => p.module === null && ["index.md", "types.md"].includes(p.path)).map(entry) },
      { heading: "Modules", pages: listed.filter((p) => p.module !== null).map(entry) },
      { heading: "Contract", pages: listed.filter((p) => p.module === null && !["index.md", "types.md"].includes(p.path)).map(entry) },
    ];
  };
  const pages = docs.pages.map((p): GeneratedFile => {
    // The Markdown banner is replaced by the page's own.
    const markdown = p.markdown.startsWith(docs.banner) ? p.markdown.slice(docs.banner.length) : p.markdown;
    const rendered = renderer.page(markdown);
    const view: HtmlPageView = {
      banner,
      title: htmlEscape(`${rendered.title} · ${model.package.name} ${model.package.version}`),
      packageName: htmlEscape(model.package.name),
      version: htmlEscape(model.package.version),
      navGroups: navGroups(p.path),
      outline: rendered.outline,
      content: rendered.html.trimEnd(),
    };
    return { path: `html/${htmlPage(p.path)}`, content: tidy(renderTemplate("html/page.html.hbs", view)) };
  });
  const assets = ASSETS.map(({ file, banner: assetBanner }) => ({
    path: `html/${file}`,
    content: tidy(`${assetBanner(model, ctx.source)}\n\n${readFileSync(path.join(TEMPLATES_DIR, "html", file), "utf8")}`),
  }));
  const index = {
    path: "html/search-index.js",
    content: searchIndexScript(lineBanner(model, ctx.source), searchEntries(model, docs.index, docs.bindings)),
  };
  return [...pages, ...assets, index];
}

export const htmlTarget: Target = {
  name: "html",
  async generate(model, ctx) {
    return generateHtml(model, ctx);
  },
};
