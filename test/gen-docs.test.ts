// The Markdown docs target: a page per module plus index, types, command and stability pages;
// explicit anchors for every item; every internal link resolving; layout tables that agree with
// the model; doc-text references linked (the checker rejects dangling ones); goldens.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compileFile } from "../compiler/index.ts";
import { DocIndex, generateDocs, tableCell } from "../compiler/gen/docs.ts";
import { libcHeaderAnchor } from "../compiler/gen/libc.ts";
import { tierRange } from "../compiler/gen/report.ts";
import { formatMarkdown } from "../compiler/gen/format.ts";
import type { GeneratedFile } from "../compiler/gen/index.ts";
import type { ContractModel, TypeModel } from "../compiler/model.ts";
import { DIFF_RULES, VERIFY_RULES } from "../compiler/rules.ts";
import { compileCase, generateGolden, GOLDEN_ROOT, goldenTargets } from "../scripts/update-golden.ts";

function realContract(): ContractModel {
  const c = compileFile("abi.idl");
  if (!c.model) throw new Error(`abi.idl does not check: ${c.diagnostics.map((d) => d.message).join("; ")}`);
  return c.model;
}

const pageName = (f: GeneratedFile): string => f.path.replace(/^docs\//, "");

/** `<a id="x">` anchors per page. */
function anchorsByPage(files: GeneratedFile[]): Map<string, string[]> {
  return new Map(files.map((f) => [pageName(f), [...f.content.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1])]));
}

/** Every Markdown link target and HTML href, per page, that is not an external URL. */
function internalLinks(files: GeneratedFile[]): { page: string; target: string }[] {
  return files.flatMap((f) =>
    [...f.content.matchAll(/\]\(([^)\s]+)\)|href="([^"]+)"/g)]
      .map((m) => m[1] ?? m[2])
      .filter((t) => !/^[a-z]+:/.test(t))
      .map((target) => ({ page: pageName(f), target })),
  );
}

function brokenLinks(files: GeneratedFile[]): string[] {
  const anchors = anchorsByPage(files);
  return internalLinks(files)
    .filter(({ page, target }) => {
      const [file, anchor] = target.split("#");
      const targetPage = file === "" ? page : file;
      if (!anchors.has(targetPage)) return true;
      return anchor !== undefined && !anchors.get(targetPage)!.includes(anchor);
    })
    .map(({ page, target }) => `${page} -> ${target}`);
}

function page(files: GeneratedFile[], name: string): string {
  const f = files.find((x) => x.path === `docs/${name}`);
  if (!f) throw new Error(`no page ${name}`);
  return f.content;
}

function typePageOf(t: TypeModel): string {
  return t.scope ? `${t.scope}.md` : "types.md";
}

/** The rows of the table that follows an item's heading anchor, as cell arrays. */
function tableAfter(markdown: string, anchorId: string): string[][] {
  const start = markdown.indexOf(`<a id="${anchorId}"></a>`);
  const rest = markdown.slice(start).split("\n").slice(1);
  const first = rest.findIndex((l) => l.startsWith("|"));
  const rows: string[][] = [];
  for (const line of rest.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows;
}

describe("docs of the real contract", async () => {
  const model = realContract();
  const files = await generateDocs(model, "abi.idl");

  test("an index, a types page, a page per module, the command contract, the stability policy and the deviations", () => {
    expect(files.map(pageName).sort()).toEqual(
      ["index.md", "types.md", "command.md", "stability.md", "libc.md", "deviations.md", ...model.modules.map((m) => `${m.name}.md`)].sort(),
    );
  });

  test("the libc page: a table per header with prototypes, changes, linked imports, tiers; absent functions", () => {
    const md = page(files, "libc.md");
    const surface = model.libcSurface!;
    for (const h of surface.headers) {
      const fns = model.libc.filter((f) => f.header === h.name);
      if (fns.length === 0) continue;
      const rows = tableAfter(md, libcHeaderAnchor(h.name));
      expect(rows.map((r) => r[0].replace(/<a id="[^"]+"><\/a>/, "")), h.name).toEqual(fns.map((f) => `\`${f.name}\``));
      fns.forEach((f, i) => {
        const [, prototype, change, imports, tiers] = rows[i];
        expect(prototype).toBe(`\`${f.prototype}\``);
        expect(change.startsWith(f.change)).toBe(true);
        for (const imp of f.imports) {
          const [mod, fn] = imp.split(".");
          expect(imports, `${f.name} -> ${imp}`).toContain(`[\`${imp}\`](${mod}.md#${fn})`);
        }
        expect(tiers).toBe(`\`${tierRange(f.tiers)}\``);
      });
    }
    expect(md).toContain("stubbed: returns `-1`, errno [`errno::nosys`](types.md#errno.nosys)");
    const absent = md.slice(md.indexOf("## Absent functions"));
    for (const a of surface.absent) expect(absent).toContain(`<a id="${a.name}"></a>\`${a.name}\``);
    expect(page(files, "index.md")).toContain("[The libc surface](libc.md)");
    const stability = page(files, "stability.md");
    for (const f of model.libc.filter((x) => x.unstable !== null)) expect(stability).toContain(`[\`${f.name}\`](libc.md#${f.name})`);
  });

  test("every page starts with the banner", () => {
    for (const f of files) expect(f.content.split("\n")[0]).toMatch(/^<!-- Generated by abic from abi\.idl \(command_abi@/);
  });

  test("every function, parameter, type, member and constant has its anchor on its page", () => {
    const anchors = anchorsByPage(files);
    for (const m of model.modules)
      for (const f of m.functions) {
        expect(anchors.get(`${m.name}.md`)).toContain(f.name);
        for (const p of f.params) expect(anchors.get(`${m.name}.md`)).toContain(`${f.name}.${p.name}`);
      }
    for (const t of model.types) {
      expect(anchors.get(typePageOf(t))).toContain(t.name);
      const members =
        t.kind === "struct" ? t.fields : t.kind === "variant" ? t.cases : t.kind === "alias" ? [] : [...t.members, ...t.reserved];
      for (const member of members) expect(anchors.get(typePageOf(t))).toContain(`${t.name}.${member.name}`);
    }
    for (const c of model.constants) {
      const p = c.scope === "command" ? "command.md" : c.scope ? `${c.scope}.md` : "types.md";
      expect(anchors.get(p)).toContain(c.name);
    }
    for (const e of model.command?.exports ?? []) expect(anchors.get("command.md")).toContain(e.name);
  });

  test("anchors are unique on each page", () => {
    for (const [name, ids] of anchorsByPage(files)) expect(ids.length, name).toBe(new Set(ids).size);
  });

  test("every internal link resolves to a page and an anchor that exist", () => {
    expect(internalLinks(files).length).toBeGreaterThan(1000);
    expect(brokenLinks(files)).toEqual([]);
  });

  test("struct layout tables show the model's offsets and sizes", () => {
    let checked = 0;
    for (const t of model.types) {
      if (t.kind !== "struct") continue;
      const rows = tableAfter(page(files, typePageOf(t)), t.name);
      expect(rows.map((r) => r[0].replace(/<a id="[^"]+"><\/a>/, ""))).toEqual(t.fields.map((f) => `\`${f.name}\``));
      expect(rows.map((r) => [Number(r[2]), Number(r[3])])).toEqual(t.fields.map((f) => [f.offset, f.size]));
      expect(page(files, typePageOf(t))).toContain(`Size: ${t.size} bytes, alignment: ${t.align}.`);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  test("enum tables list every value, reserved ones marked", () => {
    const errno = model.types.find((t) => t.name === "errno");
    if (errno?.kind !== "enum") throw new Error("no errno enum");
    const rows = tableAfter(page(files, "types.md"), "errno");
    expect(rows).toHaveLength(errno.members.length + errno.reserved.length);
    const badf = rows.find((r) => r[0].includes('id="errno.badf"'));
    expect(badf?.[1]).toBe(`\`${errno.members.find((m) => m.name === "badf")?.value}\``);
  });

  test("each function shows its IDL signature, C prototype, core signature, status and tiers", () => {
    const wasi = page(files, "wasi_snapshot_preview1.md");
    const section = wasi.slice(wasi.indexOf('<a id="fd_write"></a>'));
    expect(section).toContain(
      '<pre><code>fn fd_write(fd: <a href="types.md#fd">fd</a>, iovs: list&lt;<a href="types.md#ciovec">ciovec</a>&gt;) -&gt; result&lt;<a href="types.md#size">size</a>, <a href="types.md#errno">errno</a>&gt;</code></pre>',
    );
    expect(section).toMatch(/```c\n__wasi_errno_t __wasi_fd_write\(/);
    expect(section).toContain("Core wasm signature: `(i32 i32 i32 i32) -> (i32)`.");
    expect(section).toContain("Status: provided");
    expect(section).toContain("Tiers: `isolated`, `read-only`, `read-write`, `full`.");
    expect(section).toContain("Stable since 1.0.0.");
    const advise = wasi.slice(wasi.indexOf('<a id="fd_advise"></a>'));
    expect(advise).toMatch(/Status: refused: not linked/);
  });

  test("backticked references in doc text become links", () => {
    expect(page(files, "wasi_snapshot_preview1.md")).toContain("[`errno::rofs`](types.md#errno.rofs)");
  });

  test("the stability page states the policy", () => {
    const s = page(files, "stability.md");
    for (const phrase of [
      "Major: a new module name",
      "Minor: per item, `@since`",
      "Patch: documentation only",
      "Removed names and numbers are reserved forever",
      "The deprecation window",
      "`name_v2`",
      "rejects unknown bits",
      "size prefix",
      "Guests declare nothing",
      "`abic verify`",
    ])
      expect(s).toContain(phrase);
  });

  test("the stability page lists both rule catalogs", () => {
    const s = page(files, "stability.md");
    for (const [id, r] of Object.entries(DIFF_RULES)) expect(s).toMatch(new RegExp(`\\| \`${id}\` +\\| ${r.classes.join(", ")} +\\|`));
    for (const [id, r] of Object.entries(VERIFY_RULES)) expect(s).toMatch(new RegExp(`\\| \`${id}\` +\\| ${r.severity} +\\|`));
  });

  test("the index links every page and counts each module's functions", () => {
    const index = page(files, "index.md");
    for (const f of files) if (pageName(f) !== "index.md") expect(index).toContain(`](${pageName(f)})`);
    for (const m of model.modules) expect(index).toMatch(new RegExp(`\\[\`${m.name}\`\\]\\(${m.name}\\.md\\)[^\\n]*\\| ${m.functions.length} `));
  });

  test("the deviations page lists every @deviation, refused and stubbed function, and nothing else", () => {
    const md = page(files, "deviations.md");
    const listed = [...md.matchAll(/^\| \[`([a-z0-9_]+)`\]\(([a-z0-9_]+)\.md#/gm)].map((m) => `${m[2]}.${m[1]}`).sort();
    const declared = model.modules
      .flatMap((m) => m.functions.filter((f) => f.deviation !== null || f.status.kind !== "provided").map((f) => `${m.name}.${f.name}`))
      .sort();
    expect(declared.length).toBeGreaterThan(0);
    expect(listed).toEqual(declared);
    // Each text appears (links taken back to their backticked names), and each item's own
    // entry says it too and links the page.
    const unlinked = (text: string) => text.replace(/\[(`[^`]+`)\]\([^)]*\)/g, "$1");
    for (const m of model.modules) {
      for (const f of m.functions) if (f.deviation !== null) expect(unlinked(md)).toContain(f.deviation);
      const own = page(files, `${m.name}.md`).match(/^- Deviation: .*\(\[all deviations\]\(deviations\.md\)\)$/gm) ?? [];
      expect(own.length, m.name).toBe(m.functions.filter((f) => f.deviation !== null).length + (m.deviation !== null ? 1 : 0));
    }
    expect(page(files, "index.md")).toContain("[Deviations](deviations.md)");
  });

  test("the deviations page comes from annotations, never from doc text", async () => {
    const edited = structuredClone(model);
    const wasi = edited.modules.find((m) => m.functions.some((f) => f.deviation !== null))!;
    const plain = wasi.functions.find((f) => f.deviation === null && f.status.kind === "provided")!;
    plain.docs += "\n\nDeviation: this sentence is prose and declares nothing.";
    const withDeviation = wasi.functions.find((f) => f.deviation !== null)!;
    withDeviation.deviation = null;
    const md = page(await generateDocs(edited, "abi.idl"), "deviations.md");
    expect(md).not.toContain(`[\`${plain.name}\`]`);
    expect(md).not.toContain(`[\`${withDeviation.name}\`]`);
  });

  test("pages are prettier-formatted already", async () => {
    for (const f of files) expect(await formatMarkdown(f.content)).toBe(f.content);
  });
});

describe("links and escaping", () => {
  test("a `|` in a table cell is escaped and newlines are joined", () => {
    expect(tableCell("a | b\n  c")).toBe("a \\| b c");
  });

  test("references resolve to their page and anchor, preferring the module the text is in", () => {
    const model = compileCase("small");
    const index = new DocIndex(model);
    expect(index.resolve("errno::badf", null)).toEqual(expect.objectContaining({ page: "types.md", anchor: "errno.badf" }));
    expect(index.resolve("fd_close", "demo")).toEqual(expect.objectContaining({ page: "demo.md", anchor: "fd_close" }));
    expect(index.resolve("demo_old.fd_close", null)).toEqual(expect.objectContaining({ page: "demo.md", anchor: "fd_close" }));
    expect(index.resolve("fd_write.iovs", "demo")).toEqual(expect.objectContaining({ anchor: "fd_write.iovs" }));
    expect(index.resolve("ext_mode", null)).toEqual(expect.objectContaining({ page: "demo_ext.md", anchor: "ext_mode" }));
    expect(index.resolve("_start", null)).toEqual(expect.objectContaining({ page: "command.md", anchor: "_start" }));
    expect(index.resolve("writev", "demo")).toBeNull();
  });

  test("an unknown `type::member` reference in doc text is left as code", async () => {
    // The checker rejects it (E0207); a model built by other means still renders.
    const model = compileCase("small");
    model.types.find((t) => t.name === "fd")!.docs = "See `errno::nope` and `writev`.";
    const files = await generateDocs(model, "abi.idl");
    expect(page(files, "types.md")).toContain("See `errno::nope` and `writev`.");
  });
});

describe("golden docs of the small fixture contract", async () => {
  const kept = goldenTargets("small");
  const files = kept.includes("docs") ? (await generateGolden("small", ["docs"])) : [];

  test.each(files.map((f) => [f.path, f] as const))("%s matches the golden (npm run golden refreshes it)", (_, f) => {
    expect(f.content).toBe(readFileSync(`${GOLDEN_ROOT}/small/expected/${f.path}`, "utf8"));
  });

  test("every internal link of the fixture docs resolves", () => {
    expect(brokenLinks(files)).toEqual([]);
  });
});
