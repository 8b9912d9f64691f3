// The generated Markdown as a reader sees it: every page of the real contract's docs and of the
// gen fixture's, rendered by a CommonMark parser (markdown-it), shows no literal backtick, keeps
// its table rows whole, resolves every link and anchor, repeats no heading, and counts in
// proper English. The checker itself is shown to catch each fault on a page made to have it.

import { describe, expect, test } from "vitest";
import { compileFile } from "../compiler/index.ts";
import { generateDocs } from "../compiler/gen/docs.ts";
import { compileCase } from "../scripts/update-golden.ts";
import { linkCount, renderProblems, type MarkdownPage } from "./support/markdown-render.ts";
import MarkdownIt from "markdown-it";

async function pagesOf(model: ReturnType<typeof compileCase>): Promise<MarkdownPage[]> {
  return (await generateDocs(model, "abi.idl")).map((f) => ({ path: f.path.replace(/^docs\//, ""), content: f.content }));
}

/** Nouns the docs count; "1 functions" is the fault. */
const COUNTED = ["bytes", "functions", "types", "constants", "modules", "headers", "libc functions"];

function badCounts(pages: MarkdownPage[]): string[] {
  const md = new MarkdownIt({ html: true });
  return pages.flatMap((p) => {
    const text = md.render(p.content).replace(/<[^>]*>/g, "");
    return COUNTED.flatMap((noun) => [...text.matchAll(new RegExp(`(?<![\\w.-])1 ${noun}\\b`, "g"))].map((m) => `${p.path}: "${m[0]}"`));
  });
}

describe.each([
  ["the real contract", () => compileFile("abi.idl").model!],
  ["the gen fixture", () => compileCase("small")],
])("docs of %s render correctly", async (_, load) => {
  const pages = await pagesOf(load());

  test("no literal backtick, whole table rows, resolving links, unique headings", () => {
    expect(pages.length).toBeGreaterThan(5);
    expect(linkCount(pages)).toBeGreaterThan(50);
    expect(renderProblems(pages)).toEqual([]);
  });

  test("counts are pluralised", () => {
    expect(badCounts(pages)).toEqual([]);
  });
});

describe("the rendering check finds each fault", () => {
  const page = (content: string): MarkdownPage[] => [{ path: "p.md", content }];

  test("adjacent code spans that merge and show their backticks", () => {
    expect(renderProblems(page("| a |\n| --- |\n| `ptr<``u8``>` |\n"))).toEqual([
      expect.stringMatching(/^p\.md:3: literal backtick in code: "ptr<``u8``>"/),
    ]);
    expect(renderProblems(page("A lone ` backtick.\n"))).toEqual([expect.stringMatching(/literal backtick in rendered text/)]);
    expect(renderProblems(page("`ptr<`[`u8`](#x)`>` <a id=\"x\"></a>\n"))).toEqual([]);
  });

  test("a row with more or fewer cells than its header", () => {
    expect(renderProblems(page("| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n| 1 \\| 2 | 3 |\n"))).toEqual([
      "p.md:3: table row has 3 cells, its header 2",
    ]);
  });

  test("links to missing pages and anchors; repeated headings", () => {
    const pages = [
      { path: "a.md", content: '## One\n\n## One\n\n<a id="here"></a> [x](b.md#gone) [y](c.md) [z](#here) [w](https://example.org/#q)\n' },
      { path: "b.md", content: "# B\n" },
    ];
    expect(renderProblems(pages).sort()).toEqual(
      ['a.md: heading "One" appears more than once', "a.md: link to b.md#gone: no anchor gone", "a.md: link to c.md: no page c.md"].sort(),
    );
  });

  test("a singular count written as a plural", () => {
    expect(badCounts(page("- 1 functions: 1 provided.\n- 11 functions.\n"))).toEqual(['p.md: "1 functions"']);
  });
});
