// CST -> typed AST. The CST may be partial after error recovery, so every accessor tolerates
// missing children; an item without its name is dropped (its syntax error is already reported).

import type { CstNode, IToken } from "chevrotain";
import type {
  Annotation,
  AnnotationValue,
  CaseAst,
  CommandAst,
  DeclAst,
  Docs,
  ExportAst,
  FieldAst,
  FileAst,
  FnAst,
  FnResultAst,
  LibcAst,
  LibcFnAst,
  LibcPropertyAst,
  LibcValueAst,
  MemberAst,
  ModuleAst,
  TypeExpr,
} from "./ast.ts";
import { sub, subs, tok, toks } from "./cst.ts";
import type { Span } from "./model.ts";

/** `tokens` are the ones the parser read: node locations hold offsets only, and they give the lines and columns. */
export function buildAst(file: string, cst: CstNode, tokens: IToken[]): FileAst {
  return new AstBuilder(file, tokens).file(cst);
}

/**
 * The token of `tokens` (sorted, not overlapping) that starts (`end` false) or ends (`end` true)
 * at `offset`, by binary search.
 */
function tokenAt(tokens: IToken[], offset: number, end: boolean): IToken | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const t = tokens[mid]!;
    const at = end ? t.endOffset! : t.startOffset;
    if (at === offset) return t;
    if (at < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** `%type` names the identifier `type`; the escape is not part of the name. */
function nameOf(t: IToken): string {
  return t.image.startsWith("%") ? t.image.slice(1) : t.image;
}

/**
 * The value of an Integer token, or null when it has no digits (`0x_`, `0b__`): the lexer takes
 * underscores anywhere after the prefix, so such a token lexes, and parseSource reports it (E0103).
 */
export function integerValue(text: string): bigint | null {
  const negative = text.startsWith("-");
  const lower = (negative ? text.slice(1) : text).replace(/_/g, "").toLowerCase();
  const prefix = /^0[xob]/.test(lower) ? lower.slice(0, 2) : "";
  if (lower.length === prefix.length) return null;
  const value = BigInt(prefix === "0o" ? "0o" + lower.slice(2) : lower);
  return negative ? -value : value;
}

/** The value of an Integer token; one without digits (already reported as E0103) reads as 0. */
export function parseInteger(text: string): bigint {
  return integerValue(text) ?? 0n;
}

/**
 * Doc comment lines without `///`, with their common indentation and blank lines at either end
 * removed; the first line keeps no leading space of its own (it may be indented deeper than the
 * rest). Each line's position is where its kept text starts. One pass to measure, one to cut:
 * every item of a contract has doc comments, so this runs thousands of times on a cold start.
 */
export function docText(file: string, tokens: readonly IToken[]): Docs {
  const texts: string[] = [];
  let first = -1;
  let last = -1;
  let cut = Infinity;
  for (let i = 0; i < tokens.length; i++) {
    const text = tokens[i]!.image.slice(3).trimEnd();
    texts.push(text);
    if (text === "") continue;
    if (first < 0) first = i;
    last = i;
    const indent = text.length - text.trimStart().length;
    if (indent < cut) cut = indent;
  }
  if (first < 0) return { text: "", file, lines: [] };
  const lines: Docs["lines"] = [];
  let joined = "";
  for (let i = first; i <= last; i++) {
    const t = tokens[i]!;
    let text = texts[i]!.slice(cut);
    let column = (t.startColumn ?? 1) + 3 + cut;
    if (i === first) {
      const lead = text.length - text.trimStart().length;
      text = text.slice(lead);
      column += lead;
      joined = text;
    } else joined += "\n" + text;
    lines.push({ line: t.startLine ?? 1, column });
  }
  return { text: joined, file, lines };
}

class AstBuilder {
  constructor(
    private readonly fileName: string,
    private readonly tokens: IToken[],
  ) {}

  private docs(tokens: IToken[]): Docs {
    return docText(this.fileName, tokens);
  }

  private tokSpan(t: IToken): Span {
    return {
      file: this.fileName,
      line: t.startLine ?? 1,
      column: t.startColumn ?? 1,
      endLine: t.endLine ?? t.startLine ?? 1,
      endColumn: (t.endColumn ?? t.startColumn ?? 1) + 1,
    };
  }

  /**
   * From the first to the last real token of the node. The parser tracks node locations as
   * offsets only (a third of the work and memory of full positions): the node starts where its
   * first token starts and ends where its last one ends, and those tokens have the lines and columns.
   */
  private nodeSpan(n: CstNode, fallback?: IToken): Span {
    const l = n.location;
    const first = l && Number.isFinite(l.startOffset) ? tokenAt(this.tokens, l.startOffset, false) : undefined;
    if (first) {
      const last = Number.isFinite(l!.endOffset) ? tokenAt(this.tokens, l!.endOffset!, true) : undefined;
      const line = first.startLine!;
      const column = first.startColumn!;
      return { file: this.fileName, line, column, endLine: last ? last.endLine! : line, endColumn: last ? last.endColumn! + 1 : column + 1 };
    }
    return fallback ? this.tokSpan(fallback) : { file: this.fileName, line: 1, column: 1, endLine: 1, endColumn: 1 };
  }

  file(cst: CstNode): FileAst {
    const out: FileAst = { file: this.fileName, packages: [], uses: [], decls: [], modules: [], commands: [], libcs: [] };
    for (const item of subs(cst, "topItem")) {
      const docs = this.docs(toks(sub(item, "docs"), "DocComment"));
      const annotations = this.annotations(sub(item, "annotations"));
      const pkg = sub(item, "packageDecl");
      const use = sub(item, "useDecl");
      const module = sub(item, "moduleDecl");
      const command = sub(item, "commandDecl");
      const libc = sub(item, "libcDecl");
      if (pkg) {
        const name = tok(pkg, "Name");
        const version = tok(pkg, "Version");
        if (name && version)
          out.packages.push({
            name: nameOf(name),
            version: version.image,
            versionSpan: this.tokSpan(version),
            docs,
            annotations,
            span: this.tokSpan(name),
          });
      } else if (use) {
        const path = tok(use, "StringLiteral");
        if (path) out.uses.push({ path: unquote(path.image), span: this.tokSpan(path), annotations });
      } else if (module) {
        const m = this.module(module, docs, annotations);
        if (m) out.modules.push(m);
      } else if (command) {
        out.commands.push(this.command(command, docs, annotations));
      } else if (libc) {
        out.libcs.push(this.libc(libc, docs, annotations));
      } else {
        const d = this.decl(item, docs, annotations);
        if (d) out.decls.push(d);
      }
    }
    return out;
  }

  private annotations(node: CstNode | undefined): Annotation[] {
    const out: Annotation[] = [];
    for (const a of subs(node, "annotation")) {
      const name = tok(a, "Name");
      if (!name) continue;
      const args = subs(a, "annotationArg").flatMap((arg) => {
        const value = this.annotationValue(arg);
        if (!value) return [];
        const key = tok(arg, "key");
        return [{ key: key ? nameOf(key) : null, value, span: this.nodeSpan(arg, key) }];
      });
      out.push({ name: nameOf(name), args, span: this.nodeSpan(a, name) });
    }
    return out;
  }

  private annotationValue(arg: CstNode): AnnotationValue | null {
    const version = tok(arg, "Version");
    if (version) return { kind: "version", text: version.image, span: this.tokSpan(version) };
    const str = tok(arg, "StringLiteral");
    if (str) return { kind: "string", text: unquote(str.image), span: this.tokSpan(str) };
    const int = tok(arg, "Integer");
    if (int) return { kind: "int", text: int.image, value: parseInteger(int.image), span: this.tokSpan(int) };
    const words = toks(arg, "word");
    if (words.length === 0) return null;
    const member = tok(arg, "member");
    const first = this.tokSpan(words[0]!);
    const last = this.tokSpan(member ?? words[words.length - 1]!);
    return {
      kind: member ? "path" : "word",
      text: member ? `${nameOf(words[0]!)}::${nameOf(member)}` : words.map(nameOf).join("-"),
      span: { ...first, endLine: last.endLine, endColumn: last.endColumn },
    };
  }

  /** The type or constant of a top-level, module or command item, if it holds one. */
  private decl(item: CstNode, docs: Docs, annotations: Annotation[]): DeclAst | null {
    // Top-level and module items wrap it in `declaration`; a command item holds its constant directly.
    const holder = sub(item, "declaration") ?? item;
    let n: CstNode | undefined;
    if ((n = sub(holder, "typeDecl"))) return this.typeDecl(n, docs, annotations);
    if ((n = sub(holder, "enumDecl"))) return this.reprDecl("enum", n, docs, annotations);
    if ((n = sub(holder, "flagsDecl"))) return this.reprDecl("flags", n, docs, annotations);
    if ((n = sub(holder, "structDecl"))) return this.structDecl(n, docs, annotations);
    if ((n = sub(holder, "variantDecl"))) return this.variantDecl(n, docs, annotations);
    if ((n = sub(holder, "constDecl"))) return this.constDecl(n, docs, annotations);
    return null;
  }

  private typeDecl(n: CstNode, docs: Docs, annotations: Annotation[]): DeclAst | null {
    const name = tok(n, "Name");
    const target = this.typeExpr(sub(n, "typeExpr"));
    if (!name || !target) return null;
    return { kind: "alias", name: nameOf(name), nameSpan: this.tokSpan(name), span: this.nodeSpan(n, name), docs, annotations, target };
  }

  private reprDecl(kind: "enum" | "flags", n: CstNode, docs: Docs, annotations: Annotation[]): DeclAst | null {
    const body = sub(n, "reprDeclBody");
    const name = tok(body, "Name");
    const repr = tok(body, "repr");
    if (!name || !repr) return null;
    const members = subs(body, "member").flatMap((m) => {
      const built = this.member(m);
      return built ? [built] : [];
    });
    return {
      kind,
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      span: this.nodeSpan(n, name),
      docs,
      annotations,
      repr: nameOf(repr),
      reprSpan: this.tokSpan(repr),
      members,
    };
  }

  private member(m: CstNode): MemberAst | null {
    const name = tok(m, "Name");
    const value = tok(m, "value");
    // A number without digits is already reported (E0103); the member is left out.
    if (!name || !value || integerValue(value.image) === null) return null;
    const bit = tok(m, "bit");
    const shl = tok(m, "Shl");
    const valueSpan = this.tokSpan(value);
    const end = bit ? this.tokSpan(bit) : valueSpan;
    return {
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      reserved: tok(m, "Reserved") !== undefined,
      value: parseInteger(value.image),
      valueSpan: { ...valueSpan, endLine: end.endLine, endColumn: end.endColumn },
      bit: bit && shl ? parseInteger(bit.image) : null,
      docs: this.docs(toks(sub(m, "docs"), "DocComment")),
      span: this.nodeSpan(m, name),
    };
  }

  private fields(nodes: CstNode[]): FieldAst[] {
    return nodes.flatMap((f) => {
      const name = tok(f, "Name");
      const type = this.typeExpr(sub(f, "typeExpr"));
      if (!name || !type) return [];
      return [
        {
          name: nameOf(name),
          nameSpan: this.tokSpan(name),
          type,
          docs: this.docs(toks(sub(f, "docs"), "DocComment")),
          span: this.nodeSpan(f, name),
        },
      ];
    });
  }

  private structDecl(n: CstNode, docs: Docs, annotations: Annotation[]): DeclAst | null {
    const name = tok(n, "Name");
    if (!name) return null;
    return {
      kind: "struct",
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      span: this.nodeSpan(n, name),
      docs,
      annotations,
      fields: this.fields(subs(n, "field")),
    };
  }

  private variantDecl(n: CstNode, docs: Docs, annotations: Annotation[]): DeclAst | null {
    const name = tok(n, "Name");
    const tag = tok(n, "tag");
    if (!name || !tag) return null;
    const cases: CaseAst[] = subs(n, "variantCase").flatMap((c) => {
      const cname = tok(c, "Name");
      if (!cname) return [];
      const payloadNode = sub(c, "typeExpr");
      return [
        {
          name: nameOf(cname),
          nameSpan: this.tokSpan(cname),
          payload: payloadNode ? this.typeExpr(payloadNode) : null,
          docs: this.docs(toks(sub(c, "docs"), "DocComment")),
          span: this.nodeSpan(c, cname),
        },
      ];
    });
    return {
      kind: "variant",
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      span: this.nodeSpan(n, name),
      docs,
      annotations,
      tag: nameOf(tag),
      tagSpan: this.tokSpan(tag),
      cases,
    };
  }

  private constDecl(n: CstNode, docs: Docs, annotations: Annotation[]): DeclAst | null {
    const name = tok(n, "Name");
    const type = this.typeExpr(sub(n, "typeExpr"));
    const value = tok(n, "Integer");
    if (!name || !type || !value || integerValue(value.image) === null) return null;
    return {
      kind: "const",
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      span: this.nodeSpan(n, name),
      docs,
      annotations,
      type,
      value: parseInteger(value.image),
      valueSpan: this.tokSpan(value),
    };
  }

  private typeExpr(n: CstNode | undefined): TypeExpr | null {
    if (!n) return null;
    const tuple = sub(n, "tupleExpr");
    if (tuple) return this.tuple(tuple);
    const name = tok(n, "Name");
    if (!name) return null;
    const args = subs(n, "typeExpr").map((a) => this.typeExpr(a));
    if (args.some((a) => a === null)) return null;
    return { kind: "name", name: nameOf(name), args: args as TypeExpr[], span: this.nodeSpan(n, name) };
  }

  private tuple(n: CstNode): TypeExpr | null {
    const fields = [];
    for (const f of subs(n, "tupleField")) {
      const type = this.typeExpr(sub(f, "typeExpr"));
      if (!type) return null;
      const name = tok(f, "Name");
      fields.push({ name: name ? nameOf(name) : null, type, docs: this.docs(toks(sub(f, "docs"), "DocComment")), span: this.nodeSpan(f) });
    }
    return { kind: "tuple", fields, span: this.nodeSpan(n) };
  }

  private module(n: CstNode, docs: Docs, annotations: Annotation[]): ModuleAst | null {
    const name = tok(n, "Name");
    if (!name) return null;
    const m: ModuleAst = {
      kind: "module",
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      span: this.nodeSpan(n, name),
      docs,
      annotations,
      aliases: [],
      functions: [],
      reservedFunctions: [],
      decls: [],
    };
    for (const item of subs(n, "moduleItem")) {
      const itemDocs = this.docs(toks(sub(item, "docs"), "DocComment"));
      const itemAnnotations = this.annotations(sub(item, "annotations"));
      const alias = sub(item, "aliasDecl");
      const fn = sub(item, "fnDecl");
      const reserved = sub(item, "reservedFn");
      if (alias) {
        const aname = tok(alias, "Name");
        if (aname) m.aliases.push({ name: nameOf(aname), span: this.tokSpan(aname), docs: itemDocs });
      } else if (fn) {
        const f = this.fn(fn, itemDocs, itemAnnotations);
        if (f) m.functions.push(f);
      } else if (reserved) {
        const rname = tok(reserved, "Name");
        if (rname) m.reservedFunctions.push({ name: nameOf(rname), span: this.tokSpan(rname) });
      } else {
        const d = this.decl(item, itemDocs, itemAnnotations);
        if (d) m.decls.push(d);
      }
    }
    return m;
  }

  private fn(n: CstNode, docs: Docs, annotations: Annotation[]): FnAst | null {
    const name = tok(n, "Name");
    if (!name) return null;
    const bang = tok(n, "Bang");
    const resultType = this.typeExpr(sub(n, "typeExpr"));
    const result: FnResultAst = bang
      ? { kind: "noreturn", span: this.tokSpan(bang) }
      : resultType
        ? { kind: "type", type: resultType }
        : { kind: "none" };
    return {
      kind: "fn",
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      span: this.nodeSpan(n, name),
      docs,
      annotations,
      params: this.fields(subs(n, "param")),
      result,
    };
  }

  private command(n: CstNode, docs: Docs, annotations: Annotation[]): CommandAst {
    const keyword = tok(n, "Command");
    const span = this.nodeSpan(n, keyword);
    const c: CommandAst = {
      kind: "command",
      docs,
      annotations,
      span,
      nameSpan: keyword ? this.tokSpan(keyword) : span,
      exports: [],
      conventions: [],
      decls: [],
    };
    for (const item of subs(n, "commandItem")) {
      const itemDocs = this.docs(toks(sub(item, "docs"), "DocComment"));
      const itemAnnotations = this.annotations(sub(item, "annotations"));
      const exp = sub(item, "exportDecl");
      const conv = sub(item, "conventionDecl");
      if (exp) {
        const e = this.exportDecl(exp, itemDocs, itemAnnotations);
        if (e) c.exports.push(e);
      } else if (conv) {
        const cname = tok(conv, "Name");
        if (cname)
          c.conventions.push({
            name: nameOf(cname),
            nameSpan: this.tokSpan(cname),
            docs: itemDocs,
            annotations: itemAnnotations,
            span: this.nodeSpan(conv, cname),
          });
      } else {
        const d = this.decl(item, itemDocs, itemAnnotations);
        if (d) c.decls.push(d);
      }
    }
    return c;
  }

  private libc(n: CstNode, docs: Docs, annotations: Annotation[]): LibcAst {
    const keyword = tok(n, "Libc");
    const span = this.nodeSpan(n, keyword);
    const block: LibcAst = { docs, annotations, span, nameSpan: keyword ? this.tokSpan(keyword) : span, headers: [], functions: [] };
    for (const item of subs(n, "libcItem")) {
      const itemDocs = this.docs(toks(sub(item, "docs"), "DocComment"));
      const itemAnnotations = this.annotations(sub(item, "annotations"));
      const header = sub(item, "libcHeader");
      const fn = sub(item, "libcFn") ?? sub(item, "libcAbsent");
      if (header) {
        const name = tok(header, "StringLiteral");
        const kind = tok(header, "kind");
        if (name && kind)
          block.headers.push({
            kind: "header",
            name: unquote(name.image),
            nameSpan: this.tokSpan(name),
            change: nameOf(kind),
            changeSpan: this.tokSpan(kind),
            docs: itemDocs,
            annotations: itemAnnotations,
          });
      } else if (fn) {
        const f = this.libcFn(fn, itemDocs, itemAnnotations, sub(item, "libcAbsent") !== undefined);
        if (f) block.functions.push(f);
      }
    }
    return block;
  }

  private libcFn(n: CstNode, docs: Docs, annotations: Annotation[], absent: boolean): LibcFnAst | null {
    const name = tok(n, "Name");
    const change = tok(n, "change");
    if (!name || (!absent && !change)) return null;
    const properties = subs(sub(n, "libcBody"), "libcProperty").flatMap((p): LibcPropertyAst[] => {
      const key = tok(p, "key");
      if (!key) return [];
      const values = subs(p, "libcValue").flatMap((v) => {
        const value = this.libcValue(v);
        return value ? [value] : [];
      });
      return [{ key: nameOf(key), keySpan: this.tokSpan(key), values, span: this.nodeSpan(p, key) }];
    });
    return {
      kind: absent ? "absent" : "fn",
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      change: change ? nameOf(change) : null,
      changeSpan: change ? this.tokSpan(change) : null,
      properties,
      docs,
      annotations,
      span: this.nodeSpan(n, name),
    };
  }

  private libcValue(v: CstNode): LibcValueAst | null {
    const str = tok(v, "StringLiteral");
    if (str) return { kind: "string", text: unquote(str.image), span: this.tokSpan(str) };
    const int = tok(v, "Integer");
    if (int) return { kind: "int", text: int.image, span: this.tokSpan(int) };
    const words = toks(v, "word");
    if (words.length === 0) return null;
    const first = this.tokSpan(words[0]!);
    if (words.length === 1) return { kind: "name", text: nameOf(words[0]!), span: first };
    const last = this.tokSpan(words[1]!);
    return { kind: "qualified", text: `${nameOf(words[0]!)}.${nameOf(words[1]!)}`, span: { ...first, endLine: last.endLine, endColumn: last.endColumn } };
  }

  private exportDecl(n: CstNode, docs: Docs, annotations: Annotation[]): ExportAst | null {
    const name = tok(n, "Name");
    const kind = tok(n, "kind");
    if (!name || !kind) return null;
    const params = sub(n, "params");
    const results = sub(n, "results");
    return {
      name: nameOf(name),
      nameSpan: this.tokSpan(name),
      optional: tok(n, "Optional") !== undefined,
      kind: nameOf(kind),
      kindSpan: this.tokSpan(kind),
      params: params ? this.tuple(params) : null,
      results: results ? this.typeExpr(results) : null,
      docs,
      annotations,
      span: this.nodeSpan(n, name),
    };
  }
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}
