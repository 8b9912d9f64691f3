// Completion: what may be written at the cursor. The context comes from the tokens before the
// cursor (a type position, an enum representation, a variant's case names, an annotation and
// its argument, the start of an item in the current block, a place in the libc block) or, for
// `use` paths and doc-comment references that do not lex as tokens yet, from the text of the line.

import { readdirSync } from "node:fs";
import * as path from "node:path";
import type { IToken, TokenType } from "chevrotain";
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Range,
} from "vscode-languageserver";
import * as T from "../lexer.ts";
import { TIERS, type ContractModel } from "../model.ts";
import { completeLibc, type LibcPlace } from "./complete-libc.ts";
import type { ContractIndex, SymbolDef } from "./symbols.ts";
import { splitLines } from "./convert.ts";
import { ANNOTATIONS, BUILTIN_TYPES, ITEM_KEYWORDS } from "./vocabulary.ts";

export interface CompletionContext {
  file: string;
  text: string;
  /** 1-based cursor position. */
  line: number;
  column: number;
  index: ContractIndex;
  model: ContractModel | null;
}

const REPRS = ["u8", "u16", "u32", "u64"];

export function complete(ctx: CompletionContext): CompletionItem[] {
  const lines = splitLines(ctx.text);
  const prefix = (lines[ctx.line - 1] ?? "").slice(0, ctx.column - 1);
  const word = /[A-Za-z0-9_]*$/.exec(prefix)![0];
  const replace: Range = {
    start: { line: ctx.line - 1, character: ctx.column - 1 - word.length },
    end: { line: ctx.line - 1, character: ctx.column - 1 },
  };
  const withRange = (items: CompletionItem[], range = replace): CompletionItem[] =>
    items.map((i) => ({ ...i, textEdit: { range, newText: i.insertText ?? i.label } }));

  const use = /^\s*use\s+"([^"]*)$/.exec(prefix);
  if (use) {
    const typed = use[1]!;
    const range = { start: { line: ctx.line - 1, character: ctx.column - 1 - typed.length }, end: replace.end };
    return withRange(usePaths(ctx.file), range);
  }
  const doc = /^\s*\/\/\/(.*)$/.exec(prefix);
  if (doc) {
    // Inside an open backtick of a doc comment: a reference the docs generator links.
    const ticks = doc[1]!.split("`").length - 1;
    const ref = /`([A-Za-z0-9_]*)(?:(::|\.)([A-Za-z0-9_]*))?$/.exec(doc[1]!);
    if (ticks % 2 === 0 || !ref) return [];
    return withRange(ref[2] ? ownedBy(ref[1]!, ctx.index) : referenceable(ctx.index));
  }
  if (/\/\//.test(prefix.replace(/"(?:[^"\\]|\\.)*"/g, ""))) return [];

  const offset = lines.slice(0, ctx.line - 1).reduce((n, l) => n + l.length + 1, 0) + ctx.column - 1;
  const tokens = T.tokenize(ctx.text.slice(0, offset - word.length)).tokens;
  const at = (i: number): IToken | undefined => tokens[tokens.length + i];
  const is = (i: number, type: TokenType): boolean => at(i)?.tokenType === type;
  const block = enclosingBlock(tokens);

  // Items of the libc block take only the annotations every declaration takes.
  if (prefix.slice(0, prefix.length - word.length).endsWith("@")) return withRange(annotationItems(block?.libc ? (a) => a.on === "any declaration" : () => true));
  if (block?.libc && !openAnnotation(tokens)) {
    // A value may be a `"header.h"` being typed or a `module::function`: the item replaces all of it
    // (and the closing quote the editor may have added).
    const openString = /^(?:[^"]|"(?:[^"\\]|\\.)*")*("(?:[^"\\]|\\.)*)$/.exec(prefix)?.[1];
    const typed = openString ?? /(?:%?[A-Za-z0-9_]+\s*::\s*)?%?[A-Za-z0-9_]*$/.exec(prefix)![0];
    const closing = typed.startsWith('"') && (lines[ctx.line - 1] ?? "")[ctx.column - 1] === '"' ? 1 : 0;
    const range = { start: { line: ctx.line - 1, character: ctx.column - 1 - typed.length }, end: { line: ctx.line - 1, character: ctx.column - 1 + closing } };
    const before = typed === word ? tokens : T.tokenize(ctx.text.slice(0, offset - typed.length)).tokens;
    const items = completeLibc(block.libc, before, ctx.index, ctx.model);
    return withRange(items, range);
  }
  const annotation = openAnnotation(tokens);
  if (annotation) return withRange(annotationArguments(annotation, ctx));

  if (is(-1, T.Colon) && (is(-3, T.Enum) || is(-3, T.Flags))) return withRange(REPRS.map((r) => keywordItem(r, CompletionItemKind.TypeParameter)));
  if (is(-1, T.Colon) && is(-3, T.Variant)) return withRange(types(ctx.index, (d) => d.decl?.kind === "enum"));
  if (isTypePosition(tokens)) return withRange([...builtinItems(), ...types(ctx.index, () => true)]);

  if (block?.kind === "variant" && (is(-1, T.LBrace) || is(-1, T.Comma) || is(-1, T.DocComment))) return withRange(caseNames(block, ctx.index));
  if (block && ["struct", "enum", "flags", "variant"].includes(block.kind)) return [];
  const last = at(-1);
  const startsItem =
    last === undefined || [T.Semi, T.LBrace, T.RBrace, T.DocComment, T.RParen].includes(last.tokenType) || isBareAnnotationEnd(tokens);
  if (!startsItem) return [];
  const where = block?.kind === "module" ? "module" : block?.kind === "command" ? "command" : "top";
  return withRange(ITEM_KEYWORDS[where].map((k) => keywordItem(k, CompletionItemKind.Keyword)));
}

// ------------------------------------------------------------------ contexts

/** After `:`, `->`, `<`, `type X =`, `(` of a variant case, or `,` inside `<...>`: a type goes here. */
function isTypePosition(tokens: IToken[]): boolean {
  const last = tokens[tokens.length - 1];
  if (!last) return false;
  if ([T.Colon, T.Arrow, T.LAngle].includes(last.tokenType)) return true;
  if (last.tokenType === T.Eq) return tokens[tokens.length - 3]?.tokenType === T.Type;
  if (last.tokenType === T.Comma) {
    let depth = 0;
    for (let i = tokens.length - 1; i >= 0; i--) {
      const t = tokens[i]!.tokenType;
      if (t === T.RAngle) depth++;
      else if (t === T.LAngle && depth-- === 0) return true;
      else if (t === T.Semi || t === T.LBrace || t === T.RBrace) return false;
    }
  }
  if (last.tokenType === T.LParen) {
    const block = enclosingBlock(tokens);
    return block?.kind === "variant";
  }
  return false;
}

interface Block {
  kind: string;
  /** Inside the libc block: the block itself or one function's braces. */
  libc: LibcPlace | null;
  /** For a variant: its tag enum. */
  tag: string | null;
  /** Case names already written in a variant. */
  written: Set<string>;
}

/** The innermost `{` still open before the cursor, named by the keyword of its item. */
function enclosingBlock(tokens: IToken[]): Block | null {
  const stack: { start: number; open: number }[] = [];
  let itemStart = 0;
  tokens.forEach((t, i) => {
    if (t.tokenType === T.LBrace) stack.push({ start: itemStart, open: i });
    if (t.tokenType === T.RBrace) stack.pop();
    if ([T.Semi, T.LBrace, T.RBrace].includes(t.tokenType)) itemStart = i + 1;
  });
  const top = stack[stack.length - 1];
  if (!top) return null;
  const head = outsideParens(tokens.slice(top.start, top.open));
  const keyword = head.find((t) => [T.Module, T.Command, T.Struct, T.Enum, T.Flags, T.Variant, T.Libc, T.Fn, T.Absent].includes(t.tokenType));
  if (!keyword) return null;
  const kind = keyword.image;
  if (kind === "libc") return { kind, libc: { kind: "block" }, tag: null, written: new Set() };
  if (kind === "fn" || kind === "absent") {
    // Only a libc function has braces: `fn NAME: CHANGE {` or `absent fn NAME {`.
    const fn = head.findIndex((t) => t.tokenType === T.Fn);
    const name = head[fn + 1]?.image ?? "";
    const change = kind === "absent" ? "absent" : head[fn + 2]?.tokenType === T.Colon ? (head[fn + 3]?.image ?? "") : "";
    return { kind: "libc-fn", libc: { kind: "function", name, change }, tag: null, written: new Set() };
  }
  const colon = head.findIndex((t) => t.tokenType === T.Colon);
  const tag = kind === "variant" && colon >= 0 ? (head[colon + 1]?.image ?? null) : null;
  const written = new Set<string>();
  const body = tokens.slice(top.open + 1);
  let depth = 0;
  body.forEach((t, i) => {
    if (t.tokenType === T.LParen) depth++;
    else if (t.tokenType === T.RParen) depth--;
    else if (depth === 0 && t.tokenType !== T.DocComment && t.tokenType !== T.Comma && (i === 0 || [T.Comma, T.DocComment].includes(body[i - 1]!.tokenType)))
      written.add(t.image);
  });
  return { kind, libc: null, tag, written };
}

/** The tokens not inside parentheses: an annotation's arguments may be keywords (`@unstable(flags)`). */
function outsideParens(tokens: IToken[]): IToken[] {
  let depth = 0;
  return tokens.filter((t) => {
    if (t.tokenType === T.LParen) depth++;
    else if (t.tokenType === T.RParen) depth = Math.max(0, depth - 1);
    else return depth === 0;
    return false;
  });
}

/** The annotation whose parentheses are open at the cursor: its name and the tokens inside. */
function openAnnotation(tokens: IToken[]): { name: string; args: IToken[] } | null {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!.tokenType;
    if (t === T.RParen || t === T.Semi || t === T.LBrace || t === T.RBrace) return null;
    if (t === T.LParen) {
      const name = tokens[i - 1];
      return tokens[i - 2]?.tokenType === T.At && name ? { name: name.image, args: tokens.slice(i + 1) } : null;
    }
  }
  return null;
}

/** `@open` or `@provided` just before the cursor: the item itself comes next. */
function isBareAnnotationEnd(tokens: IToken[]): boolean {
  return tokens[tokens.length - 2]?.tokenType === T.At;
}

// ------------------------------------------------------------------ items

function keywordItem(label: string, kind: CompletionItemKind): CompletionItem {
  return { label, kind };
}

function builtinItems(): CompletionItem[] {
  return Object.entries(BUILTIN_TYPES).map(([name, b]) => ({
    label: name,
    kind: CompletionItemKind.Keyword,
    detail: b.layout ? `built-in · size ${b.layout.size}, align ${b.layout.align}` : "built-in",
    documentation: b.summary,
    insertText: b.snippet,
    insertTextFormat: b.snippet.includes("$") ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  }));
}

const KIND_OF: Record<string, CompletionItemKind> = {
  struct: CompletionItemKind.Struct,
  enum: CompletionItemKind.Enum,
  flags: CompletionItemKind.Enum,
  variant: CompletionItemKind.Class,
  alias: CompletionItemKind.TypeParameter,
  const: CompletionItemKind.Constant,
};

function docsOf(def: SymbolDef): CompletionItem["documentation"] {
  const d = def.decl && def.kind !== "member" ? def.decl.docs.text : "";
  return d ? { kind: MarkupKind.Markdown, value: d } : undefined;
}

function types(index: ContractIndex, keep: (d: SymbolDef) => boolean): CompletionItem[] {
  return [...index.defs.values()]
    .filter((d) => d.kind === "type" && keep(d))
    .map((d) => ({ label: d.name, kind: KIND_OF[d.decl!.kind], detail: d.decl!.kind, documentation: docsOf(d) }));
}

function caseNames(block: Block, index: ContractIndex): CompletionItem[] {
  if (!block.tag) return [];
  return [...index.defs.values()]
    .filter((d) => d.kind === "member" && d.container === block.tag && !block.written.has(d.name))
    .map((d) => ({ label: d.name, kind: CompletionItemKind.EnumMember, detail: `member of ${block.tag}` }));
}

function annotationItems(keep: (a: (typeof ANNOTATIONS)[string]) => boolean): CompletionItem[] {
  return Object.entries(ANNOTATIONS)
    .filter(([, a]) => keep(a))
    .map(([name, a]) => ({
      label: name,
      kind: CompletionItemKind.Property,
      detail: `on ${a.on}`,
      documentation: { kind: MarkupKind.Markdown, value: `\`${a.usage}\`\n\n${a.summary}` },
      insertText: a.snippet,
      insertTextFormat: a.snippet.includes("$") ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    }));
}

function annotationArguments(a: { name: string; args: IToken[] }, ctx: CompletionContext): CompletionItem[] {
  switch (a.name) {
    case "tier":
      return TIERS.map((t) => keywordItem(t, CompletionItemKind.EnumMember));
    case "stubbed":
      // Members of the errno-like enums: the error side of a result is always one of them.
      return [...ctx.index.defs.values()]
        .filter((d) => d.kind === "member" && d.decl?.kind === "enum" && d.decl.members.some((m) => m.name === "success" && m.value === 0n))
        .map((d) => ({ label: d.name, kind: CompletionItemKind.EnumMember, detail: `member of ${d.container}` }));
    case "since":
    case "deprecated": {
      const afterUse = a.args.length >= 2 && a.args[a.args.length - 1]!.tokenType === T.Eq && a.args[a.args.length - 2]!.image === "use";
      if (afterUse)
        return [...ctx.index.defs.values()]
          .filter((d) => d.kind === "function" || d.kind === "type" || d.kind === "const")
          .map((d) => ({ label: d.name, kind: d.kind === "function" ? CompletionItemKind.Function : KIND_OF[d.decl!.kind], detail: d.container ?? d.kind }));
      if (a.args.length === 0 && ctx.model) return [keywordItem(ctx.model.package.version, CompletionItemKind.Constant)];
      return a.name === "deprecated" && a.args.length > 0 ? ["use", "note"].map((k) => keywordItem(k, CompletionItemKind.Property)) : [];
    }
    case "sentinel": {
      // A value first and after `fault =`: a constant or an error enum's member; after the value, `fault`.
      const last = a.args[a.args.length - 1];
      if (last?.tokenType === T.Comma) return [keywordItem("fault", CompletionItemKind.Property)];
      if (last !== undefined && last.tokenType !== T.Eq) return [];
      return [...ctx.index.defs.values()].flatMap((d): CompletionItem[] => {
        if (d.kind === "const") return [{ label: d.name, kind: CompletionItemKind.Constant, detail: "constant" }];
        if (d.kind === "member" && d.decl?.kind === "enum" && d.decl.members.some((m) => m.name === "success" && m.value === 0n))
          return [{ label: `${d.container}::${d.name}`, kind: CompletionItemKind.EnumMember, detail: `member of ${d.container}` }];
        return [];
      });
    }
    default:
      return [];
  }
}

/** Names a doc comment may reference in backticks. */
function referenceable(index: ContractIndex): CompletionItem[] {
  const kinds: Partial<Record<SymbolDef["kind"], CompletionItemKind>> = {
    type: CompletionItemKind.Struct,
    const: CompletionItemKind.Constant,
    module: CompletionItemKind.Module,
    function: CompletionItemKind.Function,
  };
  const seen = new Set<string>();
  return [...index.defs.values()].flatMap((d) => {
    const kind = kinds[d.kind];
    if (kind === undefined || seen.has(d.name)) return [];
    seen.add(d.name);
    return [{ label: d.name, kind, detail: d.kind === "function" ? `fn in ${d.container}` : d.kind }];
  });
}

/** After `owner::` or `owner.` in a doc comment: the members of a type, functions of a module, parameters of a function. */
function ownedBy(owner: string, index: ContractIndex): CompletionItem[] {
  const module = index.module(owner)?.name;
  return [...index.defs.values()].flatMap((d): CompletionItem[] => {
    if (d.kind === "member" && d.container === owner) return [{ label: d.name, kind: CompletionItemKind.EnumMember, detail: `member of ${owner}` }];
    if (d.kind === "function" && module !== undefined && d.container === module) return [{ label: d.name, kind: CompletionItemKind.Function, detail: `fn in ${module}` }];
    if (d.kind === "param" && d.container === owner) return [{ label: d.name, kind: CompletionItemKind.Variable, detail: `parameter of ${owner}` }];
    return [];
  });
}

/** `.idl` files near the including file, as `use` paths relative to it. */
function usePaths(file: string): CompletionItem[] {
  const dir = path.dirname(file);
  const found: string[] = [];
  const walk = (d: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 3) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith(".idl") && p !== file) found.push(path.relative(dir, p).split(path.sep).join("/"));
    }
  };
  walk(dir, 0);
  return found.sort().map((p) => ({ label: p, kind: CompletionItemKind.File }));
}
