// `abic lsp` driven as an editor drives it: the real bin (running the compiled dist/) started
// as a child process, JSON-RPC over stdio (vscode-jsonrpc), the real contract (abi.idl +
// abi/*.idl) opened in memory. Expected layouts, signatures, prototypes, libc facts and
// canonical layouts come from the compiler's own API, positions from the files' text, so
// nothing here restates what the server answers.

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  InitializeResult,
  Location,
  Range,
  SymbolInformation,
  WorkspaceEdit,
} from "vscode-languageserver-protocol";
import { SymbolKind } from "vscode-languageserver-protocol";
import { TextDocument } from "vscode-languageserver-textdocument";
import { cPrototype } from "../compiler/lang/c.ts";
import { coreSignature, sentinelAnnotation } from "../compiler/idl-text.ts";
import { ModelQuery } from "../compiler/query.ts";
import { compileFile } from "../compiler/index.ts";
import { formatText } from "../compiler/fmt/index.ts";
import { KNOWN_ANNOTATIONS } from "../compiler/gates.ts";
import { LIBC_CHANGES, LIBC_HEADER_CHANGES } from "../compiler/model.ts";
import { replacedRange } from "../compiler/lsp/convert.ts";
import { ANNOTATIONS, LIBC_CHANGE_DOCS } from "../compiler/lsp/vocabulary.ts";
import { LspClient, REPO, uriOf } from "../scripts/lsp-client.ts";

const model = compileFile(path.join(REPO, "abi.idl")).model!;
const text = (file: string): string => readFileSync(path.join(REPO, file), "utf8");

/** The 0-based position of the `nth` occurrence of `needle` in a file (plus `offset` characters). */
function find(source: string, needle: string, offset = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = source.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`not found: ${needle}`);
  const before = source.slice(0, at + offset);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
}

/** The text a range covers in a file on disk. */
function textAt(uri: string, range: Range): string {
  const lines = readFileSync(fileURLToPath(uri), "utf8").split("\n");
  expect(range.start.line).toBe(range.end.line);
  return lines[range.start.line]!.slice(range.start.character, range.end.character);
}

const TYPES = "abi/types.idl";
const PREVIEW1 = "abi/wasi_snapshot_preview1.idl";
const PROCESS = "abi/host_process.idl";
const LIBC = "abi/libc.idl";

let client: LspClient;
let init: InitializeResult;

beforeAll(async () => {
  client = new LspClient();
  init = (await client.initialize()) as InitializeResult;
  for (const file of ["abi.idl", TYPES, PREVIEW1, PROCESS, LIBC]) {
    const published = client.nextDiagnostics(uriOf(file));
    await client.open(uriOf(file), text(file));
    await published;
  }
});

afterAll(async () => {
  await client?.close();
});

describe("abic lsp", () => {
  test("announces what it serves, formatting included", () => {
    const caps = init.capabilities;
    expect(caps.hoverProvider).toBe(true);
    expect(caps.definitionProvider).toBe(true);
    expect(caps.referencesProvider).toBe(true);
    expect(caps.documentSymbolProvider).toBeTruthy();
    expect(caps.workspaceSymbolProvider).toBe(true);
    expect(caps.completionProvider?.triggerCharacters).toContain("@");
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.documentFormattingProvider).toBe(true);
  });

  test("the real contract has no diagnostics", () => {
    for (const file of ["abi.idl", TYPES, PREVIEW1, PROCESS, LIBC]) expect(client.lastDiagnostics(uriOf(file))).toEqual([]);
  });

  test("an unknown type is reported as you type, at its range, with its code and a quick fix", async () => {
    const uri = uriOf(TYPES);
    const at = find(text(TYPES), "fs_filetype: filetype,", "fs_filetype: ".length);
    const version = await client.change(uri, [{ range: { start: { ...at, character: at.character + 7 }, end: { ...at, character: at.character + 8 } }, text: "" }]);
    const published = await client.nextDiagnostics(uri, (p) => p.version === version);
    expect(published.diagnostics).toHaveLength(1);
    const d = published.diagnostics[0]!;
    expect(d.code).toBe("E0201");
    expect(d.severity).toBe(1);
    expect(d.source).toBe("abic");
    expect(d.range).toEqual({ start: at, end: { ...at, character: at.character + "filetyp".length } });
    expect(d.message).toContain("unknown type `filetyp`");
    expect(d.message).toContain("did you mean `filetype`?");
    expect(d.data).toEqual({ replacement: "filetype", replace: d.range });

    const actions = await client.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    expect(actions.map((a) => a.title)).toEqual(["Replace with `filetype`"]);
    expect(actions[0]!.edit!.changes![uri]).toEqual([{ range: d.range, newText: "filetype" }]);

    // Fixing it clears the diagnostic.
    const fixed = await client.change(uri, [{ range: { start: { ...at, character: at.character + 7 }, end: { ...at, character: at.character + 7 } }, text: "e" }]);
    expect((await client.nextDiagnostics(uri, (p) => p.version === fixed)).diagnostics).toEqual([]);
  });

  test("diagnostics reach every file of the contract, with related positions in other files", async () => {
    const uri = uriOf(PROCESS);
    const source = text(PROCESS);
    // A second `fdstat`, in host_process.idl: the first definition is in types.idl.
    const at = find(source, "module host_process {", "module host_process {".length);
    const version = await client.change(uri, [{ range: { start: at, end: at }, text: "\n    @since(1.0.0)\n    /// Again.\n    struct fdstat { x: u8 }\n" }]);
    const published = await client.nextDiagnostics(uri, (p) => p.version === version);
    const dup = published.diagnostics.find((d: Diagnostic) => d.code === "E0203");
    expect(dup, JSON.stringify(published.diagnostics)).toBeDefined();
    expect(dup!.range.start.line).toBe(at.line + 3);
    const related = dup!.relatedInformation![0]!;
    expect(related.location.uri).toBe(uriOf(TYPES));
    expect(related.location.range.start).toEqual(find(text(TYPES), "struct fdstat {", "struct ".length));
    const undo = await client.change(uri, [{ range: { start: at, end: { line: at.line + 4, character: 0 } }, text: "" }]);
    expect((await client.nextDiagnostics(uri, (p) => p.version === undo)).diagnostics).toEqual([]);
  });

  test("hover on a struct gives its wasm32 size, alignment and field offsets", async () => {
    const fdstat = model.types.find((t) => t.name === "fdstat")!;
    expect(fdstat.kind).toBe("struct");
    const hover = await client.request<Hover>("textDocument/hover", {
      textDocument: { uri: uriOf(TYPES) },
      position: find(text(TYPES), "struct fdstat {", "struct fd".length),
    });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain(`size ${fdstat.size}, align ${fdstat.align}`);
    expect(value).toContain(`stable since ${fdstat.since}`);
    if (fdstat.kind === "struct") for (const f of fdstat.fields) expect(value).toMatch(new RegExp(`\\| ${f.name} \\| .* \\| ${f.offset} \\| ${f.size} \\| ${f.align} \\|`));
    expect(value).toContain(fdstat.docs.split("\n")[0]);
  });

  test("hover on a use of a type in another file, and on a function: core signature and C prototype", async () => {
    const use = await client.request<Hover>("textDocument/hover", {
      textDocument: { uri: uriOf(PREVIEW1) },
      position: find(text(PREVIEW1), "-> result<fdstat, errno>", "-> result<f".length),
    });
    expect((use.contents as { value: string }).value).toContain("struct fdstat");
    const fdWrite = model.modules.find((m) => m.name === "wasi_snapshot_preview1")!.functions.find((f) => f.name === "fd_write")!;
    const hover = await client.request<Hover>("textDocument/hover", {
      textDocument: { uri: uriOf(PREVIEW1) },
      position: find(text(PREVIEW1), "fn fd_write(", "fn fd_".length),
    });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain(coreSignature(fdWrite.core));
    expect(value).toContain(cPrototype(ModelQuery.of(model), fdWrite));
    expect(value).toContain("import `wasi_snapshot_preview1.fd_write`");
  });

  test("hover on an enum member named in a doc comment gives its value", async () => {
    const errno = model.types.find((t) => t.name === "errno")!;
    const fault = errno.kind === "enum" ? errno.members.find((m) => m.name === "fault")! : null;
    const hover = await client.request<Hover>("textDocument/hover", {
      textDocument: { uri: uriOf(PREVIEW1) },
      position: find(text(PREVIEW1), "`errno::fault`", "`errno::fa".length),
    });
    const value = (hover.contents as { value: string }).value;
    expect(value).toContain(`errno::fault = ${fault!.value}`);
    expect(value).toContain(fault!.docs.split("\n")[0]);
  });

  test("go to definition of a type used in another file", async () => {
    const loc = await client.request<Location>("textDocument/definition", {
      textDocument: { uri: uriOf(PREVIEW1) },
      position: find(text(PREVIEW1), "-> result<fdstat, errno>", "-> result<fds".length),
    });
    expect(loc.uri).toBe(uriOf(TYPES));
    expect(loc.range.start).toEqual(find(text(TYPES), "struct fdstat {", "struct ".length));
    expect(textAt(loc.uri, loc.range)).toBe("fdstat");
  });

  test("go to definition from a doc-comment reference and from a `use` path", async () => {
    const doc = await client.request<Location>("textDocument/definition", {
      textDocument: { uri: uriOf(PREVIEW1) },
      position: find(text(PREVIEW1), "24-byte `fdstat`", "24-byte `fd".length),
    });
    expect(doc.uri).toBe(uriOf(TYPES));
    expect(textAt(doc.uri, doc.range)).toBe("fdstat");
    const file = await client.request<Location>("textDocument/definition", {
      textDocument: { uri: uriOf("abi.idl") },
      position: find(text("abi.idl"), '"abi/host_process.idl"', 5),
    });
    expect(file.uri).toBe(uriOf(PROCESS));
  });

  test("references of a type: its declaration, its uses and doc-comment mentions, across files", async () => {
    const refs = await client.request<Location[]>("textDocument/references", {
      textDocument: { uri: uriOf(TYPES) },
      position: find(text(TYPES), "struct fdstat {", "struct fd".length),
      context: { includeDeclaration: true },
    });
    for (const r of refs) expect(textAt(r.uri, r.range)).toBe("fdstat");
    const where = refs.map((r) => `${path.basename(fileURLToPath(r.uri))}:${r.range.start.line}`);
    expect(where).toContain(`types.idl:${find(text(TYPES), "struct fdstat {").line}`);
    expect(where).toContain(`wasi_snapshot_preview1.idl:${find(text(PREVIEW1), "-> result<fdstat, errno>").line}`);
    expect(where).toContain(`wasi_snapshot_preview1.idl:${find(text(PREVIEW1), "24-byte `fdstat`").line}`);
    const without = await client.request<Location[]>("textDocument/references", {
      textDocument: { uri: uriOf(TYPES) },
      position: find(text(TYPES), "struct fdstat {", "struct fd".length),
      context: { includeDeclaration: false },
    });
    expect(without).toHaveLength(refs.length - 1);
  });

  test("document symbols: modules with their functions, types with their members", async () => {
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: uriOf(PROCESS) } });
    const module = symbols.find((s) => s.name === "host_process")!;
    const expected = model.modules.find((m) => m.name === "host_process")!.functions.map((f) => f.name);
    const children = module.children!.map((c) => c.name);
    for (const f of expected) expect(children).toContain(f);
    const types = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: uriOf(TYPES) } });
    const fdstat = types.find((s) => s.name === "fdstat")!;
    const model_ = model.types.find((t) => t.name === "fdstat")!;
    expect(fdstat.children!.map((c) => c.name)).toEqual(model_.kind === "struct" ? model_.fields.map((f) => f.name) : []);
  });

  test("folding ranges: braced items and runs of comment lines", async () => {
    const source = text(PREVIEW1);
    const folds = await client.request<{ startLine: number; endLine: number; kind?: string }[]>("textDocument/foldingRange", { textDocument: { uri: uriOf(PREVIEW1) } });
    const module = find(source, "module wasi_snapshot_preview1 {").line;
    const lastBrace = source.trimEnd().split("\n").length - 1;
    expect(folds).toContainEqual({ startLine: module, endLine: lastBrace });
    const fdWrite = find(source, "fn fd_write(").line;
    expect(folds.some((f) => f.startLine === fdWrite && f.endLine > fdWrite)).toBe(true);
    // The file's opening comment lines fold as one comment.
    expect(folds[0]).toMatchObject({ startLine: 0, kind: "comment" });
  });

  test("workspace symbols find types and functions of the contract", async () => {
    const found = await client.request<SymbolInformation[]>("workspace/symbol", { query: "fd_write" });
    const fn = found.find((s) => s.name === "fd_write" && s.kind === SymbolKind.Function)!;
    expect(fn.containerName).toBe("wasi_snapshot_preview1");
    expect(fn.location.uri).toBe(uriOf(PREVIEW1));
    // The function ranks before the `rights::fd_write` flag of the same name, and both before `fd_write_v2`-like names.
    expect(found[0]).toEqual(fn);
    expect(found.find((s) => s.name === "fd_write" && s.kind === SymbolKind.EnumMember)?.containerName).toBe("rights");
    const types = await client.request<SymbolInformation[]>("workspace/symbol", { query: "fdstat" });
    expect(types.map((s) => s.name)).toContain("fdstat");
  });

  test("completion: type names in a type position, annotation names, errno members, use paths", async () => {
    const uri = uriOf(TYPES);
    const source = text(TYPES);
    const at = find(source, "fs_filetype: filetype,", "fs_filetype: fi".length);
    const version = await client.change(uri, [{ range: { start: at, end: { ...at, character: at.character + "letype".length } }, text: "" }]);
    await client.nextDiagnostics(uri, (p) => p.version === version);
    const labels = async (u: string, position: { line: number; character: number }): Promise<string[]> => {
      const r = await client.request<CompletionItem[] | CompletionList>("textDocument/completion", { textDocument: { uri: u }, position });
      return (Array.isArray(r) ? r : r.items).map((i) => i.label);
    };
    const types = await labels(uri, at);
    expect(types).toContain("filetype");
    expect(types).toContain("filesize");
    expect(types).toContain("u32");
    expect(types).not.toContain(model.constants[0]!.name);
    expect(types).not.toContain("wasi_snapshot_preview1");
    await client.change(uri, [{ range: { start: at, end: at }, text: "letype" }]);

    // After `@`: the annotations; inside `@stubbed(`: the errno members.
    const p1 = uriOf(PREVIEW1);
    const source1 = text(PREVIEW1);
    const annotations = await labels(p1, find(source1, "@since(", 1));
    expect(annotations).toEqual(expect.arrayContaining(["since", "unstable", "deprecated", "stubbed", "refused", "tier"]));
    const before = find(source1, "fn fd_write(");
    const typed = await client.change(p1, [{ range: { start: before, end: before }, text: "@stubbed(" }]);
    await client.nextDiagnostics(p1, (p) => p.version === typed);
    const errno = model.types.find((t) => t.name === "errno")!;
    const inStub = await labels(p1, { ...before, character: before.character + "@stubbed(".length });
    expect(errno.kind).toBe("enum");
    if (errno.kind === "enum") for (const m of errno.members) expect(inStub).toContain(m.name);
    await client.change(p1, [{ range: { start: before, end: { ...before, character: before.character + "@stubbed(".length } }, text: "" }]);

    const root = uriOf("abi.idl");
    const use = find(text("abi.idl"), 'use "abi/types.idl"', 'use "abi/'.length);
    expect(await labels(root, use)).toContain("abi/types.idl");
  });

  test("rename is refused for a stable item and performed across the contract for an unstable one", async () => {
    await expect(
      client.request("textDocument/prepareRename", { textDocument: { uri: uriOf(TYPES) }, position: find(text(TYPES), "struct fdstat {", "struct fd".length) }),
    ).rejects.toThrow(/`fdstat` is stable \(@since\(1\.0\.0\)\).*breaks/);

    const source = text(PROCESS);
    const position = find(source, "enum socketpair_kind", "enum socket".length);
    const prepared = await client.request<{ range: Range; placeholder: string }>("textDocument/prepareRename", { textDocument: { uri: uriOf(PROCESS) }, position });
    expect(prepared.placeholder).toBe("socketpair_kind");
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", { textDocument: { uri: uriOf(PROCESS) }, position, newName: "socket_pair_kind" });
    const files = Object.keys(edit.changes!);
    expect(files).toEqual([uriOf(PROCESS)]);
    const edits = edit.changes![uriOf(PROCESS)]!;
    for (const e of edits) {
      expect(textAt(uriOf(PROCESS), e.range)).toBe("socketpair_kind");
      expect(e.newText).toBe("socket_pair_kind");
    }
    const lines = edits.map((e) => e.range.start.line);
    expect(lines).toContain(position.line);
    // The doc comments that mention it in backticks are renamed with it...
    expect(lines).toContain(find(source, "see `socketpair_kind`").line);
    // ...but `@unstable(socketpair_kind)` names a feature, not the type, and stays.
    expect(lines).not.toContain(find(source, "@unstable(socketpair_kind)").line);

    await expect(
      client.request("textDocument/rename", { textDocument: { uri: uriOf(PROCESS) }, position, newName: "fdstat" }),
    ).rejects.toThrow(/already defined/);
  });

  test("a file that no contract includes is checked on its own, and garbage does not crash the server", async () => {
    const uri = uriOf("test/.build/lsp-scratch/lonely.idl");
    const published = client.nextDiagnostics(uri);
    await client.open(uri, "struct x { a: $$$ }\n@@@ fn (\n");
    const codes = (await published).diagnostics.map((d) => d.code);
    expect(codes).toContain("E0101");
    expect(codes).toContain("E0102");
    const hover = await client.request("textDocument/hover", { textDocument: { uri }, position: { line: 0, character: 8 } });
    expect(hover === null || typeof hover === "object").toBe(true);
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
    expect(Array.isArray(symbols)).toBe(true);
    expect(client.stderr).not.toMatch(/internal error/);
  });
});

describe("abic lsp: did-you-mean quick fixes come from the checker", () => {
  /** Replaces `length` characters at `needle` (+ `offset`) in an open file; resolves with that version's diagnostics. */
  async function edit(file: string, source: string, needle: string, offset: number, length: number, insert: string): Promise<Diagnostic[]> {
    const at = find(source, needle, offset);
    const version = await client.change(uriOf(file), [{ range: { start: at, end: { ...at, character: at.character + length } }, text: insert }]);
    return (await client.nextDiagnostics(uriOf(file), (p) => p.version === version)).diagnostics;
  }

  /** The one quick fix offered for a diagnostic, applied to the text the server holds. */
  async function quickFix(file: string, source: string, d: Diagnostic): Promise<string> {
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: uriOf(file) }, range: d.range, context: { diagnostics: [d] } });
    expect(actions).toHaveLength(1);
    return TextDocument.applyEdits(TextDocument.create(uriOf(file), "abic", 0, source), actions[0]!.edit!.changes![uriOf(file)]!);
  }

  test("the fix replaces the misspelt name only: a generic type's name, an annotation, a libc import", async () => {
    // `list<ciovec>` misspelt as `lst<ciovec>`: the diagnostic covers the type, the fix its name.
    const preview1 = text(PREVIEW1);
    const typo = preview1.replace("iovs: list<ciovec>", "iovs: lst<ciovec>");
    let d = await edit(PREVIEW1, preview1, "iovs: list<ciovec>", "iovs: ".length, 4, "lst");
    expect(d.map((x) => x.code)).toEqual(["E0201"]);
    expect(d[0]!.data).toMatchObject({ replacement: "list" });
    expect(await quickFix(PREVIEW1, typo, d[0]!)).toBe(preview1);
    expect(await edit(PREVIEW1, typo, "iovs: lst<ciovec>", "iovs: ".length, 3, "list")).toEqual([]);

    // `@sinec(1.0.0)`: the fix is `@since`, the arguments stay.
    const types = text(TYPES);
    const sinec = types.replace("@since(1.0.0)", "@sinec(1.0.0)");
    d = await edit(TYPES, types, "@since(1.0.0)", 1, 5, "sinec");
    const unknown = d.find((x) => x.code === "E0301")!;
    expect(unknown.message).toContain("did you mean `@since`?");
    expect(await quickFix(TYPES, sinec, unknown)).toBe(types);
    expect(await edit(TYPES, sinec, "@sinec(1.0.0)", 1, 5, "since")).toEqual([]);

    // `calls host_proces::fd_pipe`: the checker offers the whole import, which replaces the whole value.
    const libc = text(LIBC);
    const wrong = libc.replace("calls host_process::fd_pipe", "calls host_proces::fd_pipe");
    d = await edit(LIBC, libc, "calls host_process::fd_pipe", "calls ".length, "host_process".length, "host_proces");
    expect(d.map((x) => x.code)).toEqual(["E0501"]);
    expect(d[0]!.message).toContain("did you mean `host_process::fd_pipe`?");
    expect(await quickFix(LIBC, wrong, d[0]!)).toBe(libc);
    expect(await edit(LIBC, wrong, "calls host_proces::fd_pipe", "calls ".length, "host_proces".length, "host_process")).toEqual([]);
  });
});

describe("abic lsp: formatting with abic fmt's layout", () => {
  const scratch = uriOf("test/.build/lsp-scratch/format-me.idl");
  const canonical = text(LIBC);
  const format = (uri: string) => client.request<{ range: Range; newText: string }[] | null>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 2, insertSpaces: false } });

  test("a messy document gets the canonical text; a canonical one gets no edits", async () => {
    expect(formatText(LIBC, canonical)).toEqual({ ok: true, text: canonical });
    // Indentation by tabs and two spaces, trailing blanks, a property list on one line, an extra blank line.
    const messy = canonical
      .replace(/^ {8}/gm, "\t")
      .replace(/^ {4}(?=\S)/gm, "  ")
      .replace(/;\n/g, ";   \n")
      .replace("\n\n", "\n\n\n")
      .replace('header "unistd.h";   \n\tprototype "int pipe(int fd[2])";', 'header "unistd.h"; prototype "int pipe(int fd[2])";');
    expect(messy).not.toBe(canonical);
    const published = client.nextDiagnostics(scratch);
    await client.open(scratch, messy);
    await published;
    const edits = (await format(scratch))!;
    expect(edits.length).toBeGreaterThan(0);
    expect(TextDocument.applyEdits(TextDocument.create(scratch, "abic", 0, messy), edits)).toBe(canonical);
    // The layout is abic fmt's, whatever the editor's tab settings: the canonical text has no edits.
    const version = await client.change(scratch, [{ range: { start: { line: 0, character: 0 }, end: { line: messy.split("\n").length, character: 0 } }, text: canonical }]);
    await client.nextDiagnostics(scratch, (p) => p.version === version);
    expect(await format(scratch)).toEqual([]);
  });

  test("edits touch only the lines that change", async () => {
    const line = find(canonical, "        calls host_process::fd_pipe;").line;
    const lines = canonical.split("\n");
    lines[line] = "calls   host_process :: fd_pipe ;";
    const version = await client.change(scratch, [{ range: { start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } }, text: lines[line]! }]);
    await client.nextDiagnostics(scratch, (p) => p.version === version);
    const edits = (await format(scratch))!;
    expect(edits).toHaveLength(1);
    expect(edits[0]!.range.start.line).toBe(line);
    expect(edits[0]!.range.end.line).toBeLessThanOrEqual(line + 1);
    expect(TextDocument.applyEdits(TextDocument.create(scratch, "abic", 0, lines.join("\n")), edits)).toBe(canonical);
  });

  test("a document with syntax errors gets no edits", async () => {
    const broken = canonical.replace("fn pipe: added {", "fn pipe: added {{");
    const version = await client.change(scratch, [{ range: { start: { line: 0, character: 0 }, end: { line: canonical.split("\n").length, character: 0 } }, text: broken }]);
    const d = (await client.nextDiagnostics(scratch, (p) => p.version === version)).diagnostics;
    expect(d.some((x) => String(x.code).startsWith("E01"))).toBe(true);
    expect(await format(scratch)).toEqual([]);
    expect(client.stderr).not.toMatch(/internal error|not formatting/);
  });
});

describe("abic lsp on the libc block and @deviation", () => {
  const libc = text(LIBC);
  const hoverAt = async (file: string, position: { line: number; character: number }): Promise<string> => {
    const h = await client.request<Hover | null>("textDocument/hover", { textDocument: { uri: uriOf(file) }, position });
    return h ? (h.contents as { value: string }).value : "";
  };
  const labels = async (file: string, position: { line: number; character: number }): Promise<string[]> => {
    const r = await client.request<CompletionItem[] | CompletionList>("textDocument/completion", { textDocument: { uri: uriOf(file) }, position });
    return (Array.isArray(r) ? r : r.items).map((i) => i.label);
  };

  test("hover on a libc function: its prototype, change, header, the imports it calls; on a header: its kind and functions", async () => {
    for (const name of ["pipe", "fork", "getaddrinfo"]) {
      const f = model.libc.find((x) => x.name === name)!;
      const value = await hoverAt(LIBC, find(libc, `fn ${name}: ${f.change}`, 4));
      expect(value).toContain("```c\n" + f.prototype + "\n```");
      expect(value).toContain(`**${f.change}**`);
      expect(value).toContain(`header \`${f.header}\``);
      for (const i of f.imports) expect(value).toContain(`\`${i.replace(".", "::")}\``);
      if (f.imports.length === 0) expect(value).toContain("calls no host import");
      if (f.returns !== null) expect(value).toContain(`returns \`${f.returns}\``);
      for (const e of f.errno) expect(value).toContain(`\`${e}\``);
      for (const d of f.deviations) expect(value).toContain(d);
      expect(value).toContain(f.cType);
    }
    const absent = model.libcSurface!.absent[0]!;
    expect(await hoverAt(LIBC, find(libc, `absent fn ${absent.name}`, "absent fn ".length))).toContain(`absent fn ${absent.name}`);
    const unistd = model.libcSurface!.headers.find((h) => h.name === "unistd.h")!;
    const header = await hoverAt(LIBC, find(libc, 'header "unistd.h": ', 'header "un'.length));
    expect(header).toContain(`header "unistd.h": ${unistd.change}`);
    for (const f of model.libc.filter((x) => x.header === "unistd.h")) expect(header).toContain(`\`${f.name}\``);
    // The same header named by a function's `header` property.
    expect(await hoverAt(LIBC, find(libc, 'fn pipe: added {\n        header "unistd.h"', 'fn pipe: added {\n        header "un'.length))).toBe(header);
  });

  test("hover on the block's own words: a property, a change, a header kind, and on @deviation", async () => {
    expect(await hoverAt(LIBC, find(libc, "        calls host_process::fd_pipe", 9))).toMatch(/libc property · a list of values · on added, replaced, stubbed/);
    expect(await hoverAt(LIBC, find(libc, "        header \"unistd.h\";", 9))).toMatch(/on added \(required\), replaced \(required\), stubbed \(required\), absent \(required\)/);
    expect(await hoverAt(LIBC, find(libc, "fn pipe: added", "fn pipe: ad".length))).toContain(LIBC_CHANGE_DOCS.added);
    expect(await hoverAt(LIBC, find(libc, 'header "netdb.h": unomitted', 'header "netdb.h": unom'.length))).toContain("header kind");

    const preview1 = text(PREVIEW1);
    expect(await hoverAt(PREVIEW1, find(preview1, "@deviation(", 3))).toContain(ANNOTATIONS.deviation!.summary.slice(0, 40));
    const clock = model.modules.find((m) => m.name === "wasi_snapshot_preview1")!.functions.find((f) => f.name === "clock_time_get")!;
    expect(clock.deviation).not.toBeNull();
    expect(await hoverAt(PREVIEW1, find(preview1, "fn clock_time_get(", 4))).toContain(clock.deviation!);
    // A reference in a @deviation's text links as one in a doc comment does.
    const member = await client.request<Location>("textDocument/definition", {
      textDocument: { uri: uriOf(PREVIEW1) },
      position: find(preview1, '@deviation("`clockid::realtime`', '@deviation("`clockid::re'.length),
    });
    expect(member.uri).toBe(uriOf(TYPES));
    expect(textAt(member.uri, member.range)).toBe("realtime");
  });

  test("go to definition from `calls module::function` to the host function and its module", async () => {
    const at = find(libc, "calls host_process::fd_pipe", "calls host_process::fd_p".length);
    const fn = await client.request<Location>("textDocument/definition", { textDocument: { uri: uriOf(LIBC) }, position: at });
    expect(fn.uri).toBe(uriOf(PROCESS));
    expect(fn.range.start).toEqual(find(text(PROCESS), "fn fd_pipe(", 3));
    expect(textAt(fn.uri, fn.range)).toBe("fd_pipe");
    const module = await client.request<Location>("textDocument/definition", { textDocument: { uri: uriOf(LIBC) }, position: find(libc, "calls host_process::fd_pipe", "calls host_p".length) });
    expect(textAt(module.uri, module.range)).toBe("host_process");
    expect(module.range.start).toEqual(find(text(PROCESS), "module host_process", "module ".length));
    // `instead` names libc functions of the block.
    const instead = await client.request<Location>("textDocument/definition", { textDocument: { uri: uriOf(LIBC) }, position: find(libc, "instead posix_spawn", "instead posix".length) });
    expect(instead.range.start).toEqual(find(libc, "fn posix_spawn:", 3));
  });

  test("references: a host function's include the libc functions that call it; a header's every function declared in it", async () => {
    const refs = await client.request<Location[]>("textDocument/references", {
      textDocument: { uri: uriOf(PROCESS) },
      position: find(text(PROCESS), "fn fd_pipe(", 4),
      context: { includeDeclaration: false },
    });
    const callers = model.libc.filter((f) => f.imports.includes("host_process.fd_pipe") || f.instead.includes("host_process.fd_pipe"));
    expect(callers.length).toBeGreaterThan(0);
    const fromLibc = refs.filter((r) => r.uri === uriOf(LIBC));
    expect(fromLibc.length).toBeGreaterThanOrEqual(callers.length);
    for (const r of fromLibc) expect(textAt(r.uri, r.range)).toBe("fd_pipe");

    const headers = await client.request<Location[]>("textDocument/references", {
      textDocument: { uri: uriOf(LIBC) },
      position: find(libc, 'header "netdb.h": ', 'header "ne'.length),
      context: { includeDeclaration: true },
    });
    const declared = [...model.libc, ...model.libcSurface!.absent].filter((f) => f.header === "netdb.h");
    expect(headers).toHaveLength(declared.length + 1);
    for (const r of headers) expect(textAt(r.uri, r.range)).toBe("netdb.h");
  });

  test("document and workspace symbols list the block's headers and functions", async () => {
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: uriOf(LIBC) } });
    const block = symbols.find((s) => s.name === "libc")!;
    expect(block.kind).toBe(SymbolKind.Namespace);
    const surface = model.libcSurface!;
    const expected = [...surface.headers, ...model.libc, ...surface.absent].sort((a, b) => a.span.line - b.span.line).map((x) => x.name);
    expect(block.children!.map((c) => c.name)).toEqual(expected);
    expect(block.children!.find((c) => c.name === "pipe")!.detail).toBe("fn: added");
    const folds = await client.request<{ startLine: number; endLine: number }[]>("textDocument/foldingRange", { textDocument: { uri: uriOf(LIBC) } });
    expect(folds).toContainEqual({ startLine: find(libc, "libc {").line, endLine: find(libc, "\n}").line + 1 });
    const found = await client.request<SymbolInformation[]>("workspace/symbol", { query: "posix_spawnp" });
    expect(found[0]).toMatchObject({ name: "posix_spawnp", kind: SymbolKind.Function, containerName: "libc" });
    expect(found[0]!.location.uri).toBe(uriOf(LIBC));
  });

  test("completion in the libc block: items, kinds, changes, the properties left, and their values", async () => {
    const uri = uriOf(LIBC);
    let source = libc;
    /** Inserts text after `needle`, returns the position after the insertion. */
    const insert = async (needle: string, insertion: string): Promise<{ line: number; character: number }> => {
      const at = find(source, needle, needle.length);
      const version = await client.change(uri, [{ range: { start: at, end: at }, text: insertion }]);
      await client.nextDiagnostics(uri, (p) => p.version === version);
      const offset = source.indexOf(needle) + needle.length;
      source = source.slice(0, offset) + insertion + source.slice(offset);
      return find(source, needle + insertion, (needle + insertion).length);
    };
    const undo = async (): Promise<void> => {
      const version = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: source.split("\n").length, character: 0 } }, text: libc }]);
      await client.nextDiagnostics(uri, (p) => p.version === version);
      source = libc;
    };

    // A new item in the block, and annotations there (only those any declaration takes).
    let at = await insert('header "unistd.h": patched;', "\n    ");
    expect(await labels(LIBC, at)).toEqual(["header", "fn", "absent fn"]);
    at = await insert('header "unistd.h": patched;\n    ', "@");
    expect((await labels(LIBC, at)).sort()).toEqual(Object.keys(ANNOTATIONS).filter((a) => ANNOTATIONS[a]!.on === "any declaration").sort());
    await undo();
    // ...a header's kind after `header "x.h":`, a function's change after `fn NAME:`.
    expect(await labels(LIBC, find(source, 'header "unistd.h": ', 'header "unistd.h": '.length))).toEqual([...LIBC_HEADER_CHANGES]);
    expect(await labels(LIBC, find(source, "fn pipe: added", "fn pipe: ".length))).toEqual([...LIBC_CHANGES]);

    // In a function's braces: the properties its change allows that it does not have yet.
    at = await insert('        patch "0001-pipe-dup";\n', "        ");
    const pipe = model.libc.find((f) => f.name === "pipe")!;
    expect(pipe.change).toBe("added");
    expect((await labels(LIBC, at)).sort()).toEqual(["deviation", "errno"]);
    await undo();

    // Values: imports as module::function (refused ones left out), errno members, libc functions, headers.
    at = await insert("        calls host_process::fd_pipe", ", host_process::fd_");
    const imports = await labels(LIBC, at);
    const process = model.modules.find((m) => m.name === "host_process")!;
    for (const f of process.functions.filter((x) => x.status.kind !== "refused" && x.name !== "fd_pipe")) expect(imports).toContain(`host_process::${f.name}`);
    expect(imports).toContain("wasi_snapshot_preview1::fd_write");
    // Already in the list: not offered again.
    expect(imports).not.toContain("host_process::fd_pipe");
    const refused = model.modules.flatMap((m) => m.functions.filter((f) => f.status.kind === "refused").map((f) => `${m.name}::${f.name}`));
    for (const r of refused) expect(imports).not.toContain(r);
    await undo();
    at = await insert("        errno nosys", ", ");
    const errno = model.types.find((t) => t.name === "errno")!;
    const members = await labels(LIBC, at);
    if (errno.kind === "enum") expect(members.sort()).toEqual(errno.members.map((m) => m.name).filter((m) => m !== "success" && m !== "nosys").sort());
    await undo();
    at = await insert("        instead posix_spawn, posix_spawnp", ", ");
    const instead = await labels(LIBC, at);
    expect(instead).toContain("waitpid");
    expect(instead).not.toContain("fork");
    expect(instead).not.toContain(model.libcSurface!.absent[0]!.name);
    expect(instead).toContain("host_process::proc_spawn");
    await undo();
    // A header being typed inside its quotes, the closing quote already there.
    source = libc.replace('fn pipe: added {\n        header "unistd.h"', 'fn pipe: added {\n        header "sys/w"');
    const typing = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: libc.split("\n").length, character: 0 } }, text: source }]);
    await client.nextDiagnostics(uri, (p) => p.version === typing);
    at = find(source, 'fn pipe: added {\n        header "sys/w', 'fn pipe: added {\n        header "sys/w'.length);
    const r = await client.request<CompletionItem[]>("textDocument/completion", { textDocument: { uri }, position: at });
    const wait = r.find((i) => i.label === "sys/wait.h")!;
    // The item replaces the quote and what was typed after it, and the closing quote.
    expect(wait.textEdit).toMatchObject({ newText: '"sys/wait.h"', range: { start: { line: at.line, character: at.character - '"sys/w'.length }, end: { line: at.line, character: at.character + 1 } } });
    expect(r.map((i) => i.label).sort()).toEqual(model.libcSurface!.headers.map((h) => h.name).sort());
    await undo();
  });

  test("@sentinel: a plain-scalar function's hover says what it fails with; its arguments complete", async () => {
    const fs = text("abi/host_fs.idl");
    const f = model.modules.find((m) => m.name === "host_fs")!.functions.find((x) => x.result.kind === "scalar" && x.result.sentinel !== null)!;
    expect(f.result.kind === "scalar" && f.result.sentinel).toBeTruthy();
    const at = find(fs, `fn ${f.name}(`, 4);
    expect(await hoverAt("abi/host_fs.idl", at)).toContain(`fails with \`${f.result.kind === "scalar" && f.result.sentinel ? sentinelAnnotation(f.result.sentinel) : ""}\``);
    const uri = uriOf("abi/host_fs.idl");
    const opened = client.nextDiagnostics(uri);
    await client.open(uri, fs);
    await opened;
    const before = find(fs, `fn ${f.name}(`);
    const typed = await client.change(uri, [{ range: { start: before, end: before }, text: "@sentinel(" }]);
    await client.nextDiagnostics(uri, (p) => p.version === typed);
    const values = await labels("abi/host_fs.idl", { ...before, character: before.character + "@sentinel(".length });
    expect(values).toContain("errno::fault");
    for (const c of model.constants) expect(values).toContain(c.name);
    await client.change(uri, [{ range: { start: before, end: { ...before, character: before.character + "@sentinel(".length } }, text: "" }]);
  });

  test("@deviation is offered where annotations go in a module; a libc function cannot be renamed", async () => {
    const preview1 = text(PREVIEW1);
    expect(await labels(PREVIEW1, find(preview1, "@since(", 1))).toContain("deviation");
    await expect(
      client.request("textDocument/prepareRename", { textDocument: { uri: uriOf(LIBC) }, position: find(libc, "fn pipe:", 4) }),
    ).rejects.toThrow(/C library function/);
  });
});

describe("the server's vocabulary", () => {
  test("every annotation the checker knows is described for hover and completion", () => {
    expect(Object.keys(ANNOTATIONS).sort()).toEqual([...KNOWN_ANNOTATIONS].sort());
  });

  test("a suggestion replaces the written name at the start of its diagnostic's span, in the name's own shape", () => {
    const at = (line: string, from: string, to = line.length) => ({ file: "x.idl", line: 1, column: line.indexOf(from) + 1, endLine: 1, endColumn: to + 1 });
    const replaced = (line: string, from: string, to?: number) => {
      const r = replacedRange(at(line, from, to), line);
      return line.slice(r.start.character, r.end.character);
    };
    expect(replaced("    iovs: lst<ciovec>,", "lst", "    iovs: lst<ciovec>".length)).toBe("lst");
    expect(replaced("@sinec(1.0.0)", "@sinec")).toBe("@sinec");
    expect(replaced("@tier(read-olny)", "read-olny", "@tier(read-olny".length)).toBe("read-olny");
    expect(replaced('        header "sys/wiat.h";', '"sys', '        header "sys/wiat.h"'.length)).toBe('"sys/wiat.h"');
    expect(replaced("        calls host_proces :: fd_pipe;", "host_", "        calls host_proces :: fd_pipe".length)).toBe("host_proces :: fd_pipe");
    expect(replaced("    fd: u3->x", "u3", "    fd: u3".length)).toBe("u3");
    // Never past the span's end.
    expect(replaced("    a: abcdef", "abc", "    a: abc".length)).toBe("abc");
  });

  test("every change kind of a libc function is described for hover and completion", () => {
    expect(Object.keys(LIBC_CHANGE_DOCS).sort()).toEqual([...LIBC_CHANGES].sort());
  });
});

describe("abic lsp on a contract split over folders", () => {
  const dir = path.join(REPO, "test/.build/lsp-split");
  const root = path.join(dir, "api.idl");
  const part = path.join(dir, "parts/things.idl");
  const rootText = [
    "/// A small contract.",
    "package small@1.0.0;",
    'use "parts/things.idl";',
    "/// The module.",
    "@since(1.0.0)",
    "module m {",
    "    /// Reads a thing (see `thing`).",
    "    @unstable(things)",
    "    fn read_thing(t: const_ptr<thing>) -> result<u32, errno>;",
    "}",
    "",
  ].join("\n");
  const partText = [
    "// Types of the small contract.",
    "/// Errors.",
    "@since(1.0.0) @open",
    "enum errno: u16 {",
    "    /// No error.",
    "    success = 0,",
    "    /// Bad.",
    "    bad = 1,",
    "    /// The glue's answers (E0221): bad address, bad UTF-8, unknown tag, host failure.",
    "    fault = 21,",
    "    /// ilseq",
    "    ilseq = 25,",
    "    /// inval",
    "    inval = 28,",
    "    /// io",
    "    io = 29,",
    "}",
    "/// A thing.",
    "@unstable(things)",
    "struct thing {",
    "    a: u32,",
    "    b: u8,",
    "}",
    "",
  ].join("\n");
  let split: LspClient;

  beforeAll(async () => {
    const { mkdirSync, rmSync, writeFileSync } = await import("node:fs");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.dirname(part), { recursive: true });
    writeFileSync(root, rootText);
    writeFileSync(part, partText);
    split = new LspClient();
    await split.initialize(dir);
  });

  afterAll(async () => {
    await split?.close();
  });

  test("an included file opened alone finds its root in a folder above, and renames reach every file", async () => {
    const uri = pathToUri(part);
    const published = split.nextDiagnostics(uri);
    await split.open(uri, partText);
    expect((await published).diagnostics).toEqual([]); // no "missing package": api.idl is its root
    const position = find(partText, "struct thing", "struct th".length);
    const hover = await split.request<Hover>("textDocument/hover", { textDocument: { uri }, position });
    expect((hover.contents as { value: string }).value).toContain("size 8, align 4");
    const edit = await split.request<WorkspaceEdit>("textDocument/rename", { textDocument: { uri }, position, newName: "widget" });
    const changes = edit.changes!;
    expect(Object.keys(changes).sort()).toEqual([pathToUri(root), uri].sort());
    const lines = changes[pathToUri(root)]!.map((e) => e.range.start.line);
    expect(lines).toEqual([find(rootText, "see `thing`").line, find(rootText, "const_ptr<thing>").line]);
  });

  test("a file changed on disk (not open) is rechecked when the editor reports it", async () => {
    const { writeFileSync } = await import("node:fs");
    const uri = pathToUri(root);
    const opened = split.nextDiagnostics(uri);
    await split.open(uri, rootText);
    await opened;
    await split.connection.sendNotification("textDocument/didClose", { textDocument: { uri: pathToUri(part) } });
    writeFileSync(part, partText.replace("a: u32,", "a: u33,"));
    const published = split.nextDiagnostics(pathToUri(part), (p) => p.diagnostics.length > 0);
    await split.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToUri(part), type: 2 }] });
    const d = (await published).diagnostics;
    expect(d.map((x) => x.code)).toEqual(["E0201"]);
    expect(d[0]!.range.start).toEqual(find(partText, "a: u32", 3));
    expect((d[0]!.data as { replacement: string }).replacement).toBe("u32");
  });
});

function pathToUri(file: string): string {
  return uriOf(path.relative(REPO, file));
}
