// The symbol index of one compiled contract: every definition and every reference to it, with
// the exact range of the name, across files. Built from the syntax trees (which keep positions)
// so it also works while the contract has errors. References are what the checker resolves
// (type names, variant tags and cases, `@stubbed` members, `@deprecated(use = ...)`; in the libc
// block a function's header, the imports it `calls`, its `errno` members and what to use
// `instead`), `use` paths, and backticked names in doc comments, read the way the docs
// generator links them.

import * as path from "node:path";
import type { Annotation, DeclAst, FileAst, FnAst, LibcFnAst, LibcValueAst, ModuleAst, TypeExpr } from "../ast.ts";
import { visitDocTexts } from "../check-docs.ts";
import { codeSpans, ReferenceIndex } from "../doc-refs.ts";
import type { ContractModel, Span } from "../model.ts";
import { splitLines } from "./convert.ts";
import { builtinType } from "./vocabulary.ts";

/** What a symbol is. Members are enum/flags members, struct fields and variant cases; `libc` is a
 *  function of the libc block (present or absent), `header` a header it declares. */
export type SymbolKind =
  | "package"
  | "type"
  | "const"
  | "module"
  | "function"
  | "member"
  | "param"
  | "export"
  | "convention"
  | "file"
  | "libc"
  | "header";

export interface SymbolDef {
  /** `type:errno`, `const:x`, `module:m`, `fn:m.f`, `member:t.m`, `param:m.f.p`, `file:/abs/path.idl`,
   *  `libc:pipe`, `header:unistd.h`. */
  key: string;
  name: string;
  kind: SymbolKind;
  /** For types and constants: the declaration as written; for members: their owner's. */
  decl: DeclAst | null;
  /** The enclosing item's name: a member's type, a function's module, a parameter's function. */
  container: string | null;
  nameSpan: Span;
  /** The item's own annotations (types, constants, modules, functions, libc items). */
  annotations?: Annotation[];
  /** For a libc function: its declaration as written (what hover shows while the model lacks it). */
  libc?: LibcFnAst;
}

/** What an index is built from: a compiled contract's syntax trees, file texts and checked model (project.ts's Contract). */
export interface IndexedContract {
  files: FileAst[];
  texts: Map<string, string>;
  model: ContractModel | null;
}

export interface Occurrence {
  key: string;
  /** The name itself: for `errno::badf` in a doc comment, just `badf`. */
  span: Span;
  definition: boolean;
}

const NAME_AT = /^%?[A-Za-z0-9_]+/;

export class ContractIndex {
  readonly defs = new Map<string, SymbolDef>();
  private readonly byFile = new Map<string, Occurrence[]>();
  /** Types and constants (one namespace); modules by their names and aliases. */
  private readonly declared = new Map<string, string>();
  private readonly moduleNames = new Map<string, string>();

  constructor(private readonly contract: IndexedContract) {
    for (const f of contract.files) this.collectDefinitions(f);
    for (const f of contract.files) this.collectReferences(f);
    this.docReferences(contract.files);
    for (const list of this.byFile.values()) list.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  }

  // ------------------------------------------------------------------ queries

  /** The occurrence under a 1-based position (the end of a name counts, as editors place the caret there). */
  at(file: string, line: number, column: number): Occurrence | undefined {
    return (this.byFile.get(file) ?? []).find(
      (o) => o.span.line === line && o.span.column <= column && column <= o.span.endColumn,
    );
  }

  references(key: string): Occurrence[] {
    return [...this.byFile.values()].flatMap((list) => list.filter((o) => o.key === key));
  }

  /** Resolves a name in the type/constant namespace. */
  lookup(name: string): SymbolDef | undefined {
    const key = this.declared.get(name);
    return key ? this.defs.get(key) : undefined;
  }

  /** The module (by name or alias). */
  module(name: string): SymbolDef | undefined {
    const key = this.moduleNames.get(name);
    return key ? this.defs.get(key) : undefined;
  }

  // ------------------------------------------------------------------ definitions

  private occurrence(key: string, span: Span, definition: boolean): void {
    const list = this.byFile.get(span.file) ?? [];
    list.push({ key, span, definition });
    this.byFile.set(span.file, list);
  }

  private define(def: SymbolDef): void {
    if (!this.defs.has(def.key)) this.defs.set(def.key, def);
    this.occurrence(def.key, def.nameSpan, true);
  }

  private collectDefinitions(file: FileAst): void {
    for (const p of file.packages) this.define({ key: "package", name: p.name, kind: "package", decl: null, container: null, nameSpan: p.span });
    const decls = [...file.decls, ...file.modules.flatMap((m) => m.decls), ...file.commands.flatMap((c) => c.decls)];
    for (const d of decls) this.defineDecl(d);
    for (const m of file.modules) {
      const key = `module:${m.name}`;
      this.define({ key, name: m.name, kind: "module", decl: null, container: null, nameSpan: m.nameSpan, annotations: m.annotations });
      if (!this.moduleNames.has(m.name)) this.moduleNames.set(m.name, key);
      for (const a of m.aliases) {
        if (!this.moduleNames.has(a.name)) this.moduleNames.set(a.name, key);
        this.occurrence(key, a.span, false);
      }
      for (const f of m.functions) {
        const fk = `fn:${m.name}.${f.name}`;
        this.define({ key: fk, name: f.name, kind: "function", decl: null, container: m.name, nameSpan: f.nameSpan, annotations: f.annotations });
        for (const p of f.params)
          this.define({ key: `param:${m.name}.${f.name}.${p.name}`, name: p.name, kind: "param", decl: null, container: f.name, nameSpan: p.nameSpan });
      }
    }
    for (const block of file.libcs) {
      for (const h of block.headers)
        this.define({ key: `header:${h.name}`, name: h.name, kind: "header", decl: null, container: "libc", nameSpan: insideQuotes(h.nameSpan), annotations: h.annotations });
      for (const f of block.functions)
        this.define({ key: `libc:${f.name}`, name: f.name, kind: "libc", decl: null, container: "libc", nameSpan: f.nameSpan, annotations: f.annotations, libc: f });
    }
    for (const c of file.commands) {
      for (const e of c.exports) this.define({ key: `export:${e.name}`, name: e.name, kind: "export", decl: null, container: "command", nameSpan: e.nameSpan });
      for (const v of c.conventions)
        this.define({ key: `convention:${v.name}`, name: v.name, kind: "convention", decl: null, container: "command", nameSpan: v.nameSpan });
    }
  }

  private defineDecl(d: DeclAst): void {
    const key = `${d.kind === "const" ? "const" : "type"}:${d.name}`;
    if (!this.declared.has(d.name)) this.declared.set(d.name, key);
    this.define({ key, name: d.name, kind: d.kind === "const" ? "const" : "type", decl: d, container: null, nameSpan: d.nameSpan, annotations: d.annotations });
    const members =
      d.kind === "enum" || d.kind === "flags" ? d.members : d.kind === "struct" ? d.fields : d.kind === "variant" ? d.cases : [];
    for (const m of members)
      this.define({ key: `member:${d.name}.${m.name}`, name: m.name, kind: "member", decl: d, container: d.name, nameSpan: m.nameSpan });
  }

  // ------------------------------------------------------------------ references

  private collectReferences(file: FileAst): void {
    const text = this.contract.texts.get(file.file) ?? "";
    const lines = splitLines(text);
    for (const u of file.uses) {
      const target = path.join(path.dirname(file.file), u.path);
      const key = `file:${target}`;
      if (!this.defs.has(key))
        this.defs.set(key, { key, name: u.path, kind: "file", decl: null, container: null, nameSpan: { file: target, line: 1, column: 1, endLine: 1, endColumn: 1 } });
      // The path inside the quotes.
      this.occurrence(key, insideQuotes(u.span), false);
    }
    const decls = [...file.decls, ...file.commands.flatMap((c) => c.decls)];
    for (const d of decls) this.declReferences(d, null, lines);
    for (const m of file.modules) {
      for (const d of m.decls) this.declReferences(d, m, lines);
      for (const f of m.functions) this.functionReferences(f, m, lines);
    }
    for (const block of file.libcs) for (const f of block.functions) this.libcReferences(f, lines);
  }

  private declReferences(d: DeclAst, module: ModuleAst | null, lines: string[]): void {
    this.deprecatedUse(d.annotations, module);
    switch (d.kind) {
      case "alias":
        return this.typeReferences(d.target, lines);
      case "const":
        return this.typeReferences(d.type, lines);
      case "struct":
        for (const f of d.fields) this.typeReferences(f.type, lines);
        return;
      case "variant": {
        this.nameReference(d.tag, d.tagSpan);
        for (const c of d.cases) {
          this.occurrence(`member:${d.tag}.${c.name}`, c.nameSpan, false);
          if (c.payload) this.typeReferences(c.payload, lines);
        }
        return;
      }
      case "enum":
      case "flags":
        return;
    }
  }

  private functionReferences(f: FnAst, m: ModuleAst, lines: string[]): void {
    this.deprecatedUse(f.annotations, m);
    for (const p of f.params) this.typeReferences(p.type, lines);
    if (f.result.kind !== "type") return;
    const result = f.result.type;
    this.typeReferences(result, lines);
    // `@stubbed(nosys)` names a member of the function's error enum.
    const errorType = result.kind === "name" && result.name === "result" ? result.args[1] : undefined;
    const stubbed = f.annotations.find((a) => a.name === "stubbed")?.args[0];
    if (stubbed && errorType?.kind === "name") this.occurrence(`member:${errorType.name}.${stubbed.value.text}`, stubbed.value.span, false);
  }

  /** A libc function's properties: its header, the imports it calls, its errno members, what to use instead. */
  private libcReferences(f: LibcFnAst, lines: string[]): void {
    this.deprecatedUse(f.annotations, null);
    const known = (key: string, span: Span): void => {
      if (this.defs.has(key)) this.occurrence(key, span, false);
    };
    for (const p of f.properties)
      for (const v of p.values) {
        if (p.key === "header" && v.kind === "string") known(`header:${v.text}`, insideQuotes(v.span));
        else if (p.key === "errno" && v.kind === "name") known(`member:errno.${v.text}`, v.span);
        else if ((p.key === "calls" || p.key === "instead") && v.kind === "qualified") this.importReference(v, lines);
        else if (p.key === "instead" && v.kind === "name") known(`libc:${v.text}`, v.span);
      }
  }

  /** `module::function` (the AST writes `module.function`): the module's name and the function's, each its own occurrence. */
  private importReference(v: LibcValueAst, lines: string[]): void {
    const [module, name] = v.text.split(".") as [string, string];
    const moduleKey = this.moduleNames.get(module);
    if (!moduleKey) return;
    const first = NAME_AT.exec((lines[v.span.line - 1] ?? "").slice(v.span.column - 1))?.[0] ?? module;
    this.occurrence(moduleKey, { ...v.span, endLine: v.span.line, endColumn: v.span.column + first.length }, false);
    const fnKey = `fn:${moduleKey.slice("module:".length)}.${name}`;
    if (!this.defs.has(fnKey)) return;
    const last = /%?[A-Za-z0-9_]+$/.exec((lines[v.span.endLine - 1] ?? "").slice(0, v.span.endColumn - 1))?.[0] ?? name;
    this.occurrence(fnKey, { ...v.span, line: v.span.endLine, column: v.span.endColumn - last.length }, false);
  }

  /** `@deprecated(use = x)`: a function of the item's module, `module.fn`, or a type or constant, as the checker reads it. */
  private deprecatedUse(annotations: Annotation[], module: ModuleAst | null): void {
    const use = annotations.find((a) => a.name === "deprecated")?.args.find((a) => a.key === "use")?.value;
    if (!use) return;
    const dot = use.text.indexOf(".");
    if (dot >= 0) {
      const [owner, name] = [use.text.slice(0, dot), use.text.slice(dot + 1)];
      const fn = `fn:${owner}.${name}`;
      if (!this.defs.has(fn)) return;
      this.occurrence(`module:${owner}`, { ...use.span, endColumn: use.span.column + owner.length }, false);
      this.occurrence(fn, { ...use.span, column: use.span.column + dot + 1 }, false);
      return;
    }
    const key = [module ? `fn:${module.name}.${use.text}` : "", this.declared.get(use.text) ?? ""].find((k) => this.defs.has(k));
    if (key) this.occurrence(key, use.span, false);
  }

  private typeReferences(t: TypeExpr, lines: string[]): void {
    if (t.kind === "tuple") {
      for (const f of t.fields) this.typeReferences(f.type, lines);
      return;
    }
    if (!builtinType(t.name)) this.nameReference(t.name, exactName(t.span, lines));
    for (const a of t.args) this.typeReferences(a, lines);
  }

  private nameReference(name: string, span: Span): void {
    const key = this.declared.get(name) ?? this.moduleNames.get(name);
    if (key) this.occurrence(key, span, false);
  }

  // ------------------------------------------------------------------ doc comments

  /**
   * Backticked references in doc comments and in the prose of annotations and libc
   * deviations: `errno`, `errno::badf`, `fd_write.iovs`, `host_net::net_socket`. They resolve as
   * the checker and the docs generator resolve them (doc-refs.ts), against the checked items;
   * a qualified reference is two occurrences, its owner's and its member's.
   */
  private docReferences(files: FileAst[]): void {
    const model = this.contract.model;
    if (!model) return;
    const refs = new ReferenceIndex(model);
    visitDocTexts(files, (text, at, module) => {
      for (const ref of codeSpans(text)) {
        const key = refs.resolve(ref.text, module);
        if (key === null || !this.defs.has(key)) continue;
        const q = QUALIFIED.exec(ref.text);
        if (!q) {
          this.occurrence(key, at(ref.line, ref.column, ref.text.length), false);
          continue;
        }
        const [, owner, sep, member] = q as unknown as [string, string, string, string];
        const ownerKey = ownerOf(key);
        if (ownerKey && this.defs.has(ownerKey)) this.occurrence(ownerKey, at(ref.line, ref.column, owner.length), false);
        this.occurrence(key, at(ref.line, ref.column + owner.length + sep.length, member.length), false);
      }
    });
  }
}

const QUALIFIED = /^([A-Za-z_][A-Za-z0-9_]*)(::|\.)([A-Za-z0-9_]+)$/;

/** The item a member belongs to: a member's type, a function's module, a parameter's function. */
function ownerOf(key: string): string | null {
  const [kind, path] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
  const owner = path.slice(0, path.lastIndexOf("."));
  if (kind === "member") return `type:${owner}`;
  if (kind === "fn") return `module:${owner}`;
  if (kind === "param" || kind === "out") return `fn:${owner}`;
  return null;
}

/** A string literal's span without its quotes: the header name, the `use` path. */
function insideQuotes(span: Span): Span {
  return { ...span, column: span.column + 1, endColumn: span.endColumn - 1 };
}

/** A type expression's span starts at its name; this is the name alone (`ptr` of `ptr<u8>`). */
function exactName(span: Span, lines: string[]): Span {
  const m = NAME_AT.exec((lines[span.line - 1] ?? "").slice(span.column - 1));
  return { file: span.file, line: span.line, column: span.column, endLine: span.line, endColumn: span.column + (m ? m[0].length : 1) };
}
