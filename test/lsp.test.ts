// `abic lsp` driven as an editor drives it: the real bin started as a child process, JSON-RPC
// over stdio (vscode-jsonrpc), the real contract (abi.idl + abi/*.idl) opened in memory.
// Expected layouts, signatures and prototypes come from the compiler's own API, positions from
// the files' text, so nothing here restates what the server answers.

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
import { cPrototype } from "../compiler/gen/c.ts";
import { coreSignature } from "../compiler/gen/report.ts";
import { compileFile } from "../compiler/index.ts";
import { KNOWN_ANNOTATIONS } from "../compiler/gates.ts";
import { ANNOTATIONS } from "../compiler/lsp/vocabulary.ts";
import { nearest } from "../compiler/lsp/suggest.ts";
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

let client: LspClient;
let init: InitializeResult;

beforeAll(async () => {
  client = new LspClient();
  init = (await client.initialize()) as InitializeResult;
  for (const file of ["abi.idl", TYPES, PREVIEW1, PROCESS]) {
    const published = client.nextDiagnostics(uriOf(file));
    await client.open(uriOf(file), text(file));
    await published;
  }
});

afterAll(async () => {
  await client?.close();
});

describe("abic lsp", () => {
  test("announces what it serves, and no formatting (abic has no canonical formatter yet)", () => {
    const caps = init.capabilities;
    expect(caps.hoverProvider).toBe(true);
    expect(caps.definitionProvider).toBe(true);
    expect(caps.referencesProvider).toBe(true);
    expect(caps.documentSymbolProvider).toBeTruthy();
    expect(caps.workspaceSymbolProvider).toBe(true);
    expect(caps.completionProvider?.triggerCharacters).toContain("@");
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.documentFormattingProvider).toBeUndefined();
  });

  test("the real contract has no diagnostics", () => {
    for (const file of ["abi.idl", TYPES, PREVIEW1, PROCESS]) expect(client.lastDiagnostics(uriOf(file))).toEqual([]);
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
    expect(d.data).toMatchObject({ suggestions: ["filetype"] });

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
    expect(value).toContain(cPrototype(model, fdWrite));
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

describe("the server's vocabulary", () => {
  test("every annotation the checker knows is described for hover and completion", () => {
    expect(Object.keys(ANNOTATIONS).sort()).toEqual([...KNOWN_ANNOTATIONS].sort());
  });

  test("did-you-mean: near names only, nearest first, swaps count as one edit", () => {
    expect(nearest("filetyp", ["filetype", "filesize", "fdflags"])).toEqual(["filetype"]);
    expect(nearest("sinec", ["since", "unstable"])).toEqual(["since"]);
    expect(nearest("u33", ["u32", "u64", "s32", "u8"])).toEqual(["u32"]);
    expect(nearest("fd_wirte", ["fd_write", "fd_read", "fd_seek"])).toEqual(["fd_write"]);
    expect(nearest("completely_else", ["errno", "fd"])).toEqual([]);
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
    expect((d[0]!.data as { suggestions: string[] }).suggestions).toContain("u32");
  });
});

function pathToUri(file: string): string {
  return uriOf(path.relative(REPO, file));
}
