// The docs target writes Markdown as prettier prints it (issue 10) without running prettier over
// whole pages: every page of every contract here must be byte for byte what prettier makes of the
// page as rendered (its raw Markdown) and a fixed point of prettier. Contracts: the real one, the
// golden fixtures, hostile doc text and names, random hostile contracts. Properties check the
// parts on their own: a table the docs align, a list or doc text they pass through, against
// prettier itself.

import { readdirSync } from "node:fs";
import fc from "fast-check";
import markdownIt from "markdown-it";
import * as prettier from "prettier";
import { describe, expect, test } from "vitest";
import { compileFile, compileText } from "../compiler/index.ts";
import { generateDocs, renderDocs } from "../compiler/gen/docs.ts";
import { alignedTable, bulletList, cellsStandAlone, isPlainProse, printBulletList, printInline, printProse, printTable, rawBulletList, rawTable } from "../compiler/gen/docs-markdown.ts";
import type { ContractModel } from "../compiler/model.ts";
import { HOSTILE_TEXT, hostileContract } from "./support/contract-arbitrary.ts";
import { newFormatMemo, prettierRuns, withFormatMemo } from "../compiler/gen/format.ts";

const OPTIONS = { parser: "markdown", printWidth: 100, proseWrap: "preserve" } as const;
const pretty = (text: string) => prettier.format(text, OPTIONS);

function model(c: { model: ContractModel | null; diagnostics: { message: string }[] }): ContractModel {
  if (!c.model) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  return c.model;
}

/** Every page of a contract's docs next to what prettier makes of the page as rendered. */
async function expectPrettierPages(m: ContractModel): Promise<void> {
  const raw = renderDocs(m, { source: "abi.idl" }).pages;
  const files = await generateDocs(m, "abi.idl");
  expect(files.map((f) => f.path)).toEqual(raw.map((p) => `docs/${p.path}`));
  for (const [i, f] of files.entries()) {
    expect(f.content, f.path).toBe(await pretty(raw[i]!.markdown));
    expect(await pretty(f.content), f.path).toBe(f.content);
  }
}

/** Doc text and names that prettier rewrites, or that could break a page, one per item. */
const HOSTILE_DOCS = [
  "Emphasis *like this* and __strong__ and *nested **bold** text*.",
  "A list that ends the text:\n* star item\n* another",
  "A plus list:\n+ one\n+ two",
  "A dash list right after a line:\n- one\n- two",
  "An ordered list:\n1. one\n2. two",
  "A loose list:\n\n- one\n\n- two\n\n  continued",
  "Tabs\tand  double  spaces and trailing spaces   \nnext line",
  "    indented code\n\nthen text",
  "```c\nint x;\n\n\nint y;\n```",
  "An unclosed fence\n```\ncode forever",
  "<!-- an unclosed HTML comment\n\nstill inside",
  "<pre>\npre text\n\n</pre>",
  "A [reference][r] link.\n\n[r]: https://example.com",
  "| a | b |\n|---|---|\n| 1 | 2 |",
  "Setext\n===",
  "Another\n---",
  "# A heading in docs",
  "> a quote",
  "Backslash \\ and \\* escapes, a | pipe, &amp; and &copy; entities, <b>html</b>, ~~strike~~.",
  "Wide 中文 and emoji 😀 and combining é in text.",
  "Underscores _x_ and snake_case and trailing_ and __dunder__.",
  "Code with backticks `` a`b `` and ` spaced ` and ``double``.",
  "2. not a list?\n3) nor this",
  "Autolinks <https://example.com> and www.example.com and https://x.y/z_(a).",
  "Line one  \nhard break, and a backslash break\\\nhere",
  "A link [text](has space.md) and ![image](i.png).",
];

/** A contract whose every doc comment is one of HOSTILE_DOCS, with names prettier could read as syntax. */
function hostileDocsContract(): string {
  const doc = (text: string, indent = "") => text.split("\n").map((l) => `${indent}///${l === "" ? "" : ` ${l}`}`).join("\n");
  const docs = (i: number) => HOSTILE_DOCS[i % HOSTILE_DOCS.length]!;
  const out = [doc(docs(0)), "package hostile_docs@1.0.0;", ""];
  out.push(doc(docs(1)), "@since(1.0.0) @open", "enum errno: u16 {");
  const members = ["success", "fault", "ilseq", "inval", "io", "a_b_", "_x", "q__", "%class", "中"].filter((n) => /^%?[A-Za-z_]\w*$/.test(n));
  members.forEach((name, i) => out.push(doc(docs(i + 2), "    "), `    ${name} = ${[0, 21, 25, 28, 29, 40, 41, 42, 43][i]},`));
  out.push("}", "");
  out.push(doc(docs(12)), "@since(1.0.0)", "struct a_b_ {");
  HOSTILE_DOCS.forEach((_, i) => out.push(doc(docs(i), "    "), `    f_${i}_: u32,`));
  out.push("}", "");
  out.push(doc("Wide 中文 in a table cell 😀."), "@since(1.0.0)", "const wide_: u32 = 7;", "");
  for (let m = 0; m < 3; m++) {
    out.push(doc(docs(m * 7 + 1)), "@since(1.0.0)", `module m_${m}_ {`);
    HOSTILE_DOCS.forEach((_, i) => {
      out.push(doc(docs(i + m), "    "), "    @since(1.0.0)", `    fn f_${i}_(`, doc(docs(i + m + 3), "        "), "        x__: list<u8>,", `    ) -> result<u32, errno>;`, "");
    });
    out.push("}", "");
  }
  return out.join("\n");
}

describe("docs pages are what prettier prints", () => {
  test("the real contract", async () => {
    await expectPrettierPages(model(compileFile("abi.idl")));
  }, 120_000);

  test("the golden fixture contracts", async () => {
    const cases = readdirSync("test/fixtures/gen").map((c) => `test/fixtures/gen/${c}/abi.idl`);
    const valid = readdirSync("test/fixtures/valid").map((c) => `test/fixtures/valid/${c}/input.idl`);
    for (const file of [...cases, ...valid, "test/fixtures/robustness/hostile.idl"]) await expectPrettierPages(model(compileFile(file)));
  }, 120_000);

  test("doc text prettier rewrites, hostile names, wide characters in tables", async () => {
    const m = model(compileText(hostileDocsContract(), "abi.idl"));
    await expectPrettierPages(m);
    // Not vacuous: some of the text went to prettier, some did not.
    const chunks = renderDocs(m, { source: "abi.idl" }).pages.reduce((n, p) => n + p.chunks.size, 0);
    expect(chunks).toBeGreaterThan(10);
  }, 120_000);

  test("random hostile contracts", async () => {
    const texts = fc.sample(hostileContract, { numRuns: 8, seed: 1012 });
    let checked = 0;
    for (const text of texts) {
      const c = compileText(text, "abi.idl");
      if (!c.model) continue;
      await expectPrettierPages(c.model);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  }, 180_000);
});

describe("the parts agree with prettier", () => {
  const pieces = ["a", "b_c", "_d_", "*e*", "`f`", "`g|h`", "\\|", "[`i`](x.md#i)", "[j](k l)", "中", "😀", "é", "  ", " ", "<br>", "<a id=\"m\"></a>", "&amp;", "**n**", "#", "-", "1.", "~", "\\", "<", ">", "!", "["];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join(""));

  test("an aligned table is prettier's table", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(text, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 3 }), async (rows) => {
        const table = { headers: ["Name", "Description"], rows };
        const aligned = alignedTable(table);
        if (aligned !== null) expect(`${aligned}\n`).toBe(await pretty(rawTable(table)));
      }),
      { numRuns: 150, seed: 10 },
    );
    // Wide characters are measured by prettier, not here.
    expect(alignedTable({ headers: ["A"], rows: [["中文"]] })).toBeNull();
    expect(alignedTable({ headers: ["A", "B"], rows: [["`x`", "plain text"]] })).toBe(
      "| A   | B          |\n| --- | ---------- |\n| `x` | plain text |",
    );
  });

  test("a list or doc text passed through is left alone by prettier", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(text, { minLength: 1, maxLength: 3 }).map((l) => l.join("\n")), { minLength: 1, maxLength: 3 }), async (items) => {
        const list = bulletList(items);
        if (list !== null) expect(await pretty(list)).toBe(`${list}\n`);
        const prose = items.join("\n\n");
        if (isPlainProse(prose)) expect(await pretty(prose)).toBe(`${prose}\n`);
      }),
      { numRuns: 200, seed: 11 },
    );
    expect(isPlainProse("Emphasis *x*.")).toBe(false);
    expect(isPlainProse("Plain `code` and [`link`](a.md#b), snake_case.\n\nSecond paragraph.")).toBe(true);
  });

  // Doc text with the constructs the docs print themselves instead of asking prettier: emphasis
  // and strong pairs, star runs in words, `- ` lists right after a line, lazy continuations.
  const plain = fc.constantFrom("a", "b_c", "word", "2", "`f`", "[`i`](x.md#i)", "x.", "y:", "(z)", "`g*h`");
  const odd = fc.constantFrom("net_*", "2**20", "a*b", "*", "**", "_", "中", "net_", "_x_");
  const inline = fc
    .array(
      fc.oneof(
        { arbitrary: plain, weight: 6 },
        { arbitrary: odd, weight: 1 },
        { arbitrary: plain.map((w) => `*${w}*`), weight: 2 },
        { arbitrary: plain.map((w) => `**${w}**`), weight: 2 },
        { arbitrary: fc.tuple(plain, fc.oneof(plain, odd)).map(([a, b]) => `*${a} ${b}*`), weight: 1 },
        { arbitrary: plain.map((w) => `(*${w}*)`), weight: 1 },
        { arbitrary: plain.map((w) => `*${w}*,`), weight: 1 },
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((ws) => ws.join(" "));
  const line = fc.oneof(
    { arbitrary: inline, weight: 4 },
    { arbitrary: inline.map((l) => `- ${l}`), weight: 3 },
    { arbitrary: inline.map((l) => `  ${l}`), weight: 1 },
    { arbitrary: fc.constantFrom("", "---", "1. one", "3); x", "   x", "* y"), weight: 1 },
  );
  const prose = fc.array(line, { minLength: 1, maxLength: 6 }).map((ls) => ls.join("\n").replace(/^\n+|\n+$/g, "").replace(/\n{3,}/g, "\n\n"));

  test("doc text the docs print themselves is prettier's print of it", async () => {
    let printed = 0;
    await fc.assert(
      fc.asyncProperty(prose, async (text) => {
        if (text.trim() === "") return;
        const own = printProse(text);
        if (own === null) return;
        expect(`${own}\n`).toBe(await pretty(text));
        if (own !== text) printed++;
      }),
      { numRuns: 800, seed: 12 },
    );
    // Not vacuous: many texts were rewritten, not just passed through.
    expect(printed).toBeGreaterThan(40);
    expect(printProse("One *Visible* line.\nThe host accepts:\n- `a` (one)\nlazy line.")).toBe(
      "One _Visible_ line.\nThe host accepts:\n\n- `a` (one)\n  lazy line.",
    );
    // Two runs in words could pair up; prettier decides.
    expect(printInline("2**20 and 3**4")).toBeNull();
    // A code span reads as punctuation: after `(` the run could close the one in `a*b`.
    expect(printProse("- a*b a\n(*`f`*)")).toBeNull();
    expect(printInline("**Deprecated** since 1.0.0. every net_* call")).toBe("**Deprecated** since 1.0.0. every net_* call");
  });

  test("a table cell with emphasis is printed and aligned as prettier does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(inline, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 3 }), async (rows) => {
        const table = { headers: ["Name", "Description"], rows };
        const aligned = alignedTable(table);
        if (aligned !== null) expect(`${aligned}\n`).toBe(await pretty(rawTable(table)));
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});

describe("a table printed cell by cell is prettier's table", () => {
  // Cells with what prettier rewrites or measures itself: emphasis, escapes, HTML, entities,
  // lone and paired backticks, control, wide and combining characters, line separators, and the
  // campaign's hostile doc text (pipes escaped, as the docs write cells).
  const bits = [
    "a", "b_c", " ", "`", "``", "`f`", "*", "**", "_", "*/", "/*", "\\", "\\|", "|", "\\`", "<", "<b>", "<!--", "-->", "&amp;", "&",
    "[", "]", "(x)", "#", "~~", "-", "1.", "\u0001", "\u001b[31m", "\u007f", "\u2028", "\u00a0", "漢字", "🦀", "é", "e\u0301", "${x}", "'", '"', "??=",
  ];
  const hostile = HOSTILE_TEXT.map((t) => t.replace(/\|/g, "\\|").replace(/[\r\n]/g, " "));
  const cell = fc.oneof(
    { arbitrary: fc.array(fc.constantFrom(...bits), { maxLength: 7 }).map((b) => b.join("")), weight: 3 },
    { arbitrary: fc.constantFrom(...hostile), weight: 1 },
  );

  /**
   * Holds `print` (null: not printed) to prettier's print of `raw` for every sample; returns how
   * many were printed that `before` (the docs' print without prettier) could not print.
   */
  async function printedLikePrettier<T>(samples: fc.Arbitrary<T>, print: (x: T) => Promise<string | null>, raw: (x: T) => string, before: (x: T) => string | null, numRuns: number, seed: number): Promise<number> {
    let printed = 0;
    await fc.assert(
      fc.asyncProperty(samples, async (x) => {
        const own = await print(x);
        if (own === null) return;
        expect(`${own}\n`).toBe(await pretty(raw(x)));
        if (before(x) === null) printed++;
      }),
      { numRuns, seed },
    );
    return printed;
  }

  test("wherever its cells stand alone", async () => {
    const tables = fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((rows) => ({ headers: ["Name", "Type", "Description"], rows }));
    // Not vacuous: many tables were printed that alignedTable could not.
    expect(await printedLikePrettier(tables, printTable, rawTable, alignedTable, 400, 14)).toBeGreaterThan(100);
    // A pipe not escaped (or after an escaped backslash) ends the cell; a code span does not.
    expect(cellsStandAlone({ headers: ["A", "B"], rows: [["a ` b", "c"]] })).toBe(true);
    expect(cellsStandAlone({ headers: ["A", "B"], rows: [["a | b", "c"]] })).toBe(false);
    expect(cellsStandAlone({ headers: ["A", "B"], rows: [["a \\\\| b", "c"]] })).toBe(false);
  }, 180_000);

  test("a list printed item by item is prettier's list", async () => {
    const lineBits = [...bits, "- ", "* ", "+ ", "1. ", "# ", "> ", "    ", "```", "<div>", "| a |", "===", "---", "[r]: x"];
    const line = fc.oneof(
      { arbitrary: fc.array(fc.constantFrom(...lineBits), { minLength: 1, maxLength: 6 }).map((b) => b.join("")), weight: 3 },
      { arbitrary: fc.constantFrom(...hostile), weight: 1 },
    );
    const item = fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ls.join("\n"));
    const lists = fc.array(item, { minLength: 1, maxLength: 4 });
    // Not vacuous: many lists were printed that bulletList could not.
    expect(await printedLikePrettier(lists, printBulletList, rawBulletList, bulletList, 600, 16)).toBeGreaterThan(100);
  }, 180_000);

  test("a cell met again in the same run is not printed again", async () => {
    const hostileCell = HOSTILE_TEXT[0]!;
    const table = (name: string) => ({ headers: ["Name", "Description"], rows: [[name, hostileCell]] });
    const memo = newFormatMemo();
    const before = prettierRuns();
    const [a, b] = await withFormatMemo(memo, async () => [await printTable(table("`a`")), await printTable(table("`bb`"))]);
    expect(prettierRuns() - before).toBe(1);
    expect(`${a}\n`).toBe(await pretty(rawTable(table("`a`"))));
    expect(`${b}\n`).toBe(await pretty(rawTable(table("`bb`"))));
  });
});

describe("names cannot break a page", () => {
  test("names are identifiers, written as code wherever they land", async () => {
    // LANGUAGE.md: `[A-Za-z_][A-Za-z0-9_]*`, `%` for keywords; nothing else gets through check.
    expect(compileText("package p@1.0.0;\n@since(1.0.0) const a*b: u32 = 1;\n").model).toBeNull();
    expect(compileText("package p@1.0.0;\n@since(1.0.0) const a|b: u32 = 1;\n").model).toBeNull();
    expect(compileText("package p@1.0.0;\n@since(1.0.0) const é: u32 = 1;\n").model).toBeNull();
    const m = model(compileText(hostileDocsContract(), "abi.idl"));
    const files = await generateDocs(m, "abi.idl");
    const page = files.find((f) => f.path === "docs/m_0_.md")!.content;
    // Headings, table cells, link text and anchors: the name is code, the anchor the bare name.
    expect(page).toContain('### <a id="f_0_"></a>`f_0_`');
    expect(page).toContain("[`f_0_`](#f_0_)");
    expect(page).toContain('<a id="f_0_.x__"></a>`x__`');
    // Read as CommonMark, no name turns into emphasis or loses an underscore.
    const html = markdownIt({ html: true }).render(page);
    expect(html).not.toMatch(/<(em|strong)>[^<]*(f_\d+_|x__|m_0_)/);
    for (let i = 0; i < HOSTILE_DOCS.length; i++) expect(html).toContain(`<code>f_${i}_</code>`);
    const types = files.find((f) => f.path === "docs/types.md")!.content;
    expect(types).toContain('<a id="errno.class"></a>`class`');
    expect(types).toContain('<a id="errno._x"></a>`_x`');
  }, 60_000);
});
