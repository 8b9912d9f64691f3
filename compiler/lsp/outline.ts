// Document symbols (the outline of one file, nested: modules hold functions and their
// parameters, types hold their members, the libc block its headers and functions), folding
// ranges, and workspace symbols (every named item of the contracts the server knows, matched
// by a fuzzy query).

import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange, type SymbolInformation } from "vscode-languageserver";
import type { CommandAst, DeclAst, FileAst, FnAst, LibcAst, ModuleAst } from "../ast.ts";
import type { Span } from "../model.ts";
import { toRange, type Uris } from "./convert.ts";
import { splitLines } from "./convert.ts";
import type { ContractIndex, SymbolDef } from "./symbols.ts";

const DECL_KIND: Record<DeclAst["kind"], SymbolKind> = {
  alias: SymbolKind.TypeParameter,
  enum: SymbolKind.Enum,
  flags: SymbolKind.Enum,
  struct: SymbolKind.Struct,
  variant: SymbolKind.Class,
  const: SymbolKind.Constant,
};

function symbol(name: string, detail: string, kind: SymbolKind, span: Span, nameSpan: Span, children: DocumentSymbol[] = []): DocumentSymbol {
  // The item's range must contain its name's: an annotation-less item starts at the name.
  const range = toRange(span.line <= nameSpan.line ? span : nameSpan);
  const selectionRange = toRange(nameSpan);
  if (range.end.line < selectionRange.end.line || (range.end.line === selectionRange.end.line && range.end.character < selectionRange.end.character))
    range.end = selectionRange.end;
  return { name, detail, kind, range, selectionRange, children };
}

function declSymbol(d: DeclAst): DocumentSymbol {
  const members = d.kind === "enum" || d.kind === "flags" ? d.members : d.kind === "struct" ? d.fields : d.kind === "variant" ? d.cases : [];
  const memberKind = d.kind === "struct" ? SymbolKind.Field : SymbolKind.EnumMember;
  const detail = d.kind === "enum" || d.kind === "flags" ? `${d.kind}: ${d.repr}` : d.kind === "variant" ? `variant: ${d.tag}` : d.kind;
  return symbol(d.name, detail, DECL_KIND[d.kind], d.span, d.nameSpan, members.map((m) => symbol(m.name, "", memberKind, m.span, m.nameSpan)));
}

function fnSymbol(f: FnAst): DocumentSymbol {
  return symbol(f.name, "fn", SymbolKind.Function, f.span, f.nameSpan, f.params.map((p) => symbol(p.name, "", SymbolKind.Variable, p.span, p.nameSpan)));
}

function moduleSymbol(m: ModuleAst): DocumentSymbol {
  return symbol(m.name, "module", SymbolKind.Module, m.span, m.nameSpan, [...m.decls.map(declSymbol), ...m.functions.map(fnSymbol)].sort(byPosition));
}

function commandSymbol(c: CommandAst): DocumentSymbol {
  return symbol("command", "", SymbolKind.Namespace, c.span, c.nameSpan, [
    ...c.exports.map((e) => symbol(e.name, `${e.optional ? "optional " : ""}export`, SymbolKind.Property, e.span, e.nameSpan)),
    ...c.conventions.map((v) => symbol(v.name, "convention", SymbolKind.Property, v.span, v.nameSpan)),
    ...c.decls.map(declSymbol),
  ].sort(byPosition));
}

function libcSymbol(b: LibcAst): DocumentSymbol {
  return symbol("libc", "", SymbolKind.Namespace, b.span, b.nameSpan, [
    ...b.headers.map((h) => symbol(h.name, `header: ${h.change}`, SymbolKind.File, { ...h.nameSpan, endLine: h.changeSpan.endLine, endColumn: h.changeSpan.endColumn }, h.nameSpan)),
    ...b.functions.map((f) => symbol(f.name, f.kind === "absent" ? "absent fn" : `fn: ${f.change}`, SymbolKind.Function, f.span, f.nameSpan)),
  ].sort(byPosition));
}

function byPosition(a: DocumentSymbol, b: DocumentSymbol): number {
  return a.selectionRange.start.line - b.selectionRange.start.line || a.selectionRange.start.character - b.selectionRange.start.character;
}

export function documentSymbols(file: FileAst): DocumentSymbol[] {
  return [
    ...file.packages.map((p) => symbol(p.name, `package @${p.version}`, SymbolKind.Package, p.span, p.span)),
    ...file.decls.map(declSymbol),
    ...file.modules.map(moduleSymbol),
    ...file.commands.map(commandSymbol),
    ...file.libcs.map(libcSymbol),
  ].sort(byPosition);
}

const WORKSPACE_KIND: Partial<Record<SymbolDef["kind"], SymbolKind>> = {
  module: SymbolKind.Module,
  function: SymbolKind.Function,
  member: SymbolKind.EnumMember,
  const: SymbolKind.Constant,
  export: SymbolKind.Property,
  convention: SymbolKind.Property,
  libc: SymbolKind.Function,
  header: SymbolKind.File,
};

/** Symbols whose name contains the query's characters in order (case-insensitive), best matches first. */
export function workspaceSymbols(indexes: ContractIndex[], query: string, uris: Uris): SymbolInformation[] {
  const q = query.toLowerCase();
  const seen = new Set<string>();
  const out: { info: SymbolInformation; score: number }[] = [];
  for (const index of indexes)
    for (const d of index.defs.values()) {
      const kind = d.kind === "type" ? DECL_KIND[d.decl!.kind] : WORKSPACE_KIND[d.kind];
      if (kind === undefined) continue;
      const id = `${d.key}@${d.nameSpan.file}:${d.nameSpan.line}`;
      const score = matchScore(d.name.toLowerCase(), q);
      if (score < 0 || seen.has(id)) continue;
      seen.add(id);
      // Items before their members and parameters at the same quality of match.
      const rank = score * 2 + (d.kind === "member" ? 1 : 0);
      out.push({ info: { name: d.name, kind, location: uris.location(d.nameSpan), ...(d.container ? { containerName: d.container } : {}) }, score: rank });
    }
  return out.sort((a, b) => a.score - b.score || a.info.name.localeCompare(b.info.name)).map((x) => x.info);
}

/** 0 for an exact match, 1 for a prefix, 2 for a substring, 3 for a subsequence, -1 for none. */
function matchScore(name: string, q: string): number {
  if (q === "" ) return 2;
  if (name === q) return 0;
  if (name.startsWith(q)) return 1;
  if (name.includes(q)) return 2;
  let i = 0;
  for (const ch of name) if (ch === q[i]) i++;
  return i === q.length ? 3 : -1;
}

/** Folds for every braced item (modules, the command block, the libc block and its functions, types) and every run of two or
 *  more doc-comment or comment lines. */
export function foldingRanges(file: FileAst, text: string): FoldingRange[] {
  const out: FoldingRange[] = [];
  const fold = (span: Span): void => {
    if (span.endLine > span.line) out.push({ startLine: span.line - 1, endLine: span.endLine - 1 });
  };
  const decl = (d: DeclAst): void => {
    if (d.kind !== "alias" && d.kind !== "const") fold(d.span);
  };
  file.decls.forEach(decl);
  for (const m of file.modules) {
    fold(m.span);
    m.decls.forEach(decl);
    for (const f of m.functions) fold(f.span);
  }
  for (const c of file.commands) {
    fold(c.span);
    c.decls.forEach(decl);
  }
  for (const b of file.libcs) {
    fold(b.span);
    for (const f of b.functions) fold(f.span);
  }
  let start = -1;
  splitLines(text).forEach((line, i, lines) => {
    const comment = /^\s*\/\//.test(line);
    if (comment && start < 0) start = i;
    const next = lines[i + 1];
    if (start >= 0 && (next === undefined || !/^\s*\/\//.test(next))) {
      if (i > start) out.push({ startLine: start, endLine: i, kind: FoldingRangeKind.Comment });
      start = -1;
    }
  });
  return out.sort((a, b) => a.startLine - b.startLine);
}
