// The canonical layout of the IDL, printed from the parser's concrete syntax tree so that every
// token and comment is accounted for. The layout rules:
// - 4-space indentation, lines of at most 100 columns where a break is possible;
// - items, members, fields and cases one per line; blank lines between them kept (at most one),
//   none at the start or end of a block;
// - enum, flags, struct and variant bodies always one member per line with a trailing comma;
// - parameter and tuple lists on one line when they fit (no trailing comma), otherwise one
//   per line with a trailing comma; a doc comment on any of them puts them one per line;
// - libc function bodies one property per line; a property's values on one line when they
//   fit, else one per line, indented under the property;
// - annotations in the order of ANNOTATION_ORDER, on one line when they fit, else one per line;
// - single spaces around `=`, `->`, `<<` and after `:` and `,`; none inside brackets.

import type { CstNode, IToken } from "chevrotain";
import { isToken, sub, subs, tok, toks } from "../cst.ts";
import { ANNOTATION_ORDER } from "../gates.ts";
import { LineComment } from "../lexer.ts";
import { attachComments, commentText, firstLine, lastLine, type CommentMap } from "./comments.ts";
import { breakParent, freshline, group, hardline, ifBreak, indent, join, line, lineSuffix, softline, type Doc } from "./doc.ts";

export const LINE_WIDTH = 100;


/** Every token under a node, in source order. */
function tokensOf(node: CstNode): IToken[] {
  const out: IToken[] = [];
  const walk = (n: CstNode): void => {
    for (const list of Object.values(n.children)) for (const e of list) isToken(e) ? out.push(e) : walk(e);
  };
  walk(node);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

/** Raised when the printer would lose a comment: a bug in abic, never the user's mistake. */
export class FormatterBug extends Error {}

/** Where an annotation goes among the annotations of an item; unknown ones go last. */
export const annotationRank = (name: string): number => {
  const i = (ANNOTATION_ORDER as readonly string[]).indexOf(name);
  return i < 0 ? ANNOTATION_ORDER.length : i;
};

/** Prints a file's CST (parsed without errors) with its comments as a document to lay out. */
export function printFile(cst: CstNode, tokens: IToken[], comments: IToken[]): Doc {
  const printer = new Printer(attachComments(tokens, comments));
  const doc = printer.file(cst);
  const lost = comments.filter((c) => !printer.emitted.has(c));
  if (lost.length) throw new FormatterBug(`the formatter would drop the comment at line ${lost[0]!.startLine}`);
  return doc;
}

class Printer {
  readonly emitted = new Set<IToken>();
  /** Tokens whose leading comments were already printed at the start of their item. */
  private readonly hoisted = new Set<IToken>();

  constructor(private readonly comments: CommentMap) {}

  // ------------------------------------------------------------------ tokens and comments

  /** A token with its comments; `image` replaces its text (or stands in for a missing comma). */
  private t(token: IToken | undefined, image?: string): Doc {
    if (!token) return image ?? "";
    return [this.leading(token), image ?? token.image, this.trailing(token)];
  }

  /** The comments of a token that is not printed itself (`()` of `@open()`, a trailing comma). */
  private commentsOf(token: IToken | undefined): Doc {
    if (!token || this.hoisted.has(token)) return token ? this.trailing(token) : [];
    this.hoisted.add(token);
    const list = this.comments.leading.get(token);
    return [list ? this.commentLines(list, null, false) : [], this.trailing(token)];
  }

  private leading(token: IToken): Doc {
    if (this.hoisted.has(token)) return [];
    this.hoisted.add(token);
    const list = this.comments.leading.get(token);
    return list ? this.commentLines(list, firstLine(token), true) : [];
  }

  /** Own-line comments, each on its line, with blank lines between them kept. */
  private commentLines(list: IToken[], nextLine: number | null, blankBeforeNext: boolean): Doc {
    const parts: Doc[] = [];
    list.forEach((c, i) => {
      this.emitted.add(c);
      parts.push(i === 0 || firstLine(c) > lastLine(list[i - 1]!) ? freshline : " ", commentText(c));
      const next = i + 1 < list.length ? firstLine(list[i + 1]!) : nextLine;
      if (next === null) return;
      if (c.tokenType === LineComment || next > lastLine(c)) {
        parts.push(hardline);
        if (next - lastLine(c) >= 2 && (i + 1 < list.length || blankBeforeNext)) parts.push(hardline);
      } else parts.push(" ");
    });
    return parts;
  }

  private trailing(token: IToken): Doc {
    return (this.comments.trailing.get(token) ?? []).map((c) => {
      this.emitted.add(c);
      const text = commentText(c);
      // A line comment ends the line, so whatever holds it cannot stay on one line.
      if (c.tokenType === LineComment) return [lineSuffix(` ${text}`), breakParent];
      return [" ", text];
    });
  }

  /** The line an item starts on, counting the comments above it. */
  private startLine(first: IToken): number {
    return firstLine(this.comments.leading.get(first)?.[0] ?? first);
  }

  /** The line an item ends on, counting a comment after it. */
  private endLine(last: IToken): number {
    return lastLine(this.comments.trailing.get(last)?.at(-1) ?? last);
  }

  // ------------------------------------------------------------------ lists and blocks

  /** An item with the comments above it printed first, whatever order its parts print in. */
  private item(node: CstNode, print: (n: CstNode) => Doc): Doc {
    const first = tokensOf(node)[0];
    return [first ? this.leading(first) : [], print(node)];
  }

  /** Items one per line, a blank line kept where the source had one or more. */
  private lines(items: { node: CstNode; after?: IToken }[], print: (n: CstNode) => Doc[] | Doc): { doc: Doc; lastLine: number | null } {
    const parts: Doc[] = [];
    let lastLine: number | null = null;
    for (const { node, after } of items) {
      const all = tokensOf(node);
      const first = all[0];
      if (!first) continue;
      if (lastLine !== null) parts.push(this.startLine(first) - lastLine >= 2 ? [hardline, hardline] : hardline);
      parts.push(this.item(node, print));
      if (after) parts.push(this.t(after));
      lastLine = this.endLine(after ?? all[all.length - 1]!);
    }
    return { doc: parts, lastLine };
  }

  /** `{`, items one per line, `}`; comments before `}` stay inside the block. */
  private block(open: IToken | undefined, items: { node: CstNode; after?: IToken }[], close: IToken | undefined, print: (n: CstNode) => Doc): Doc {
    const body = this.lines(items, print);
    const closing = this.closing(close, body.lastLine);
    if (body.lastLine === null) return [this.t(open), closing];
    return [this.t(open), indent([hardline, body.doc]), closing];
  }

  private closing(close: IToken | undefined, lastItemLine: number | null): Doc {
    if (!close) return [];
    const list = this.hoisted.has(close) ? undefined : this.comments.leading.get(close);
    this.hoisted.add(close);
    if (!list) return lastItemLine === null ? this.t(close) : [hardline, this.t(close)];
    const blank = lastItemLine !== null && firstLine(list[0]!) - lastItemLine >= 2 ? [hardline, hardline] : [];
    return [indent([blank, this.commentLines(list, firstLine(close), false)]), freshline, this.t(close)];
  }

  /** Members of an enum, flags, struct or variant: always one per line, each with its comma. */
  private memberBlock(node: CstNode, key: string, print: (n: CstNode) => Doc): Doc {
    const elements = subs(node, key);
    const commas = toks(node, "Comma");
    const items = elements.map((e, i) => ({ node: e, after: commas[i] }));
    const printWithComma = (n: CstNode): Doc => [print(n), commas[elements.indexOf(n)] ? [] : ","];
    return this.block(tok(node, "LBrace"), items, tok(node, "RBrace"), printWithComma);
  }

  /** `( a, b )` on one line when it fits, else one per line with a trailing comma. */
  private groupedList(open: IToken | undefined, elements: CstNode[], commas: IToken[], close: IToken | undefined, print: (n: CstNode) => Doc): Doc {
    if (elements.length === 0) return [this.t(open), this.closingInline(close)];
    const parts = elements.map((e, i) => {
      const comma = commas[i];
      const last = i === elements.length - 1;
      return [this.item(e, print), last ? [ifBreak(","), this.commentsOf(comma)] : [this.t(comma, ","), line]];
    });
    // A comment after the closing bracket is outside the list: it must not break it.
    const closeText = close ? close.image : "";
    return [group([this.t(open), indent([softline, parts, this.closingComments(close)]), softline, closeText]), close ? this.trailing(close) : []];
  }

  /** Comments on their own lines before a closing bracket, kept inside the list. */
  private closingComments(close: IToken | undefined): Doc {
    if (!close || this.hoisted.has(close)) return [];
    this.hoisted.add(close);
    const list = this.comments.leading.get(close);
    return list ? this.commentLines(list, null, false) : [];
  }

  private closingInline(close: IToken | undefined): Doc {
    const before = this.closingComments(close);
    return Array.isArray(before) && before.length === 0 ? this.t(close) : [indent(before), freshline, this.t(close)];
  }

  // ------------------------------------------------------------------ items

  file(cst: CstNode): Doc {
    const body = this.lines(
      subs(cst, "topItem").map((node) => ({ node })),
      (n) => this.topItem(n),
    );
    const end = this.comments.atEnd;
    let tail: Doc = [];
    if (end.length) {
      const blank = body.lastLine !== null && firstLine(end[0]!) - body.lastLine >= 2 ? [hardline, hardline] : [];
      tail = [blank, this.commentLines(end, null, false)];
    }
    return [body.doc, tail];
  }

  private docs(node: CstNode): Doc {
    return toks(sub(node, "docs"), "DocComment").map((d) => [freshline, this.t(d, d.image.replace(/[ \t]+$/, "")), hardline]);
  }

  private annotations(node: CstNode): Doc {
    const list = subs(sub(node, "annotations"), "annotation");
    if (list.length === 0) return [];
    // Comments above any of the annotations go above all of them: the annotations are
    // reordered, and a comment between them would split the line differently on every run.
    const above = list.flatMap((a) => {
      const at = tok(a, "At");
      if (!at || this.hoisted.has(at)) return [];
      this.hoisted.add(at);
      return this.comments.leading.get(at) ?? [];
    });
    const sorted = list
      .map((a, i) => ({ a, i, rank: annotationRank(tok(a, "Name")?.image ?? "") }))
      .sort((x, y) => x.rank - y.rank || x.i - y.i)
      .map((x) => this.annotation(x.a));
    return [above.length ? [this.commentLines(above, null, false), freshline] : [], group(join(line, sorted)), hardline];
  }

  private annotation(a: CstNode): Doc {
    const head = [this.t(tok(a, "At")), this.t(tok(a, "Name"))];
    const open = tok(a, "LParen");
    if (!open) return head;
    const args = subs(a, "annotationArg");
    // `@open()` is `@open`: empty parentheses say nothing.
    if (args.length === 0) return [head, this.commentsOf(open), this.commentsOf(tok(a, "RParen"))];
    const commas = toks(a, "Comma");
    return [head, this.t(open), args.map((arg, i) => [this.annotationArg(arg), i < args.length - 1 ? [this.t(commas[i], ","), " "] : []]), this.t(tok(a, "RParen"))];
  }

  private annotationArg(arg: CstNode): Doc {
    const key = tok(arg, "key");
    // A value is one token, a hyphenated word (`read-only`) or a path (`errno::fault`), written without spaces.
    const value = ["Version", "StringLiteral", "Integer", "word", "Minus", "PathSep", "member"].flatMap((k) => toks(arg, k)).sort((x, y) => x.startOffset - y.startOffset);
    return [key ? [this.t(key), " ", this.t(tok(arg, "Eq")), " "] : [], value.map((v) => this.t(v))];
  }

  private topItem(n: CstNode): Doc {
    const pkg = sub(n, "packageDecl");
    const use = sub(n, "useDecl");
    const module = sub(n, "moduleDecl");
    const command = sub(n, "commandDecl");
    const libc = sub(n, "libcDecl");
    let body: Doc;
    if (pkg) body = [this.t(tok(pkg, "Package")), " ", this.t(tok(pkg, "Name")), this.t(tok(pkg, "At")), this.t(tok(pkg, "Version")), this.t(tok(pkg, "Semi"))];
    else if (use) body = [this.t(tok(use, "Use")), " ", this.t(tok(use, "StringLiteral")), this.t(tok(use, "Semi"))];
    else if (module) body = this.module(module);
    else if (command) body = this.command(command);
    else if (libc) body = this.libc(libc);
    else body = this.declaration(sub(n, "declaration")!);
    return [this.docs(n), this.annotations(n), body];
  }

  private declaration(n: CstNode): Doc {
    const type = sub(n, "typeDecl");
    if (type) return [this.t(tok(type, "Type")), " ", this.t(tok(type, "Name")), " ", this.t(tok(type, "Eq")), " ", this.typeExpr(sub(type, "typeExpr")!), this.t(tok(type, "Semi"))];
    for (const [key, keyword] of [
      ["enumDecl", "Enum"],
      ["flagsDecl", "Flags"],
    ] as const) {
      const d = sub(n, key);
      if (!d) continue;
      const body = sub(d, "reprDeclBody")!;
      return [this.t(tok(d, keyword)), " ", this.t(tok(body, "Name")), this.t(tok(body, "Colon")), " ", this.t(tok(body, "repr")), " ", this.memberBlock(body, "member", (m) => this.member(m))];
    }
    const struct = sub(n, "structDecl");
    if (struct) return [this.t(tok(struct, "Struct")), " ", this.t(tok(struct, "Name")), " ", this.memberBlock(struct, "field", (f) => this.field(f))];
    const variant = sub(n, "variantDecl");
    if (variant)
      return [
        this.t(tok(variant, "Variant")),
        " ",
        this.t(tok(variant, "Name")),
        this.t(tok(variant, "Colon")),
        " ",
        this.t(tok(variant, "tag")),
        " ",
        this.memberBlock(variant, "variantCase", (c) => this.variantCase(c)),
      ];
    return this.constDecl(sub(n, "constDecl") ?? n);
  }

  private constDecl(c: CstNode): Doc {
    return [
      this.t(tok(c, "Const")),
      " ",
      this.t(tok(c, "Name")),
      this.t(tok(c, "Colon")),
      " ",
      this.typeExpr(sub(c, "typeExpr")!),
      " ",
      this.t(tok(c, "Eq")),
      " ",
      this.t(tok(c, "Integer")),
      this.t(tok(c, "Semi")),
    ];
  }

  private member(m: CstNode): Doc {
    const reserved = tok(m, "Reserved");
    const shl = tok(m, "Shl");
    return [
      this.docs(m),
      reserved ? [this.t(reserved), " "] : [],
      this.t(tok(m, "Name")),
      " ",
      this.t(tok(m, "Eq")),
      " ",
      this.t(tok(m, "value")),
      shl ? [" ", this.t(shl), " ", this.t(tok(m, "bit"))] : [],
    ];
  }

  /** A struct field or a function parameter: `name: type`. */
  private field(f: CstNode): Doc {
    return [this.docs(f), this.t(tok(f, "Name")), this.t(tok(f, "Colon")), " ", this.typeExpr(sub(f, "typeExpr")!)];
  }

  private variantCase(c: CstNode): Doc {
    const open = tok(c, "LParen");
    return [this.docs(c), this.t(tok(c, "Name")), open ? [this.t(open), this.typeExpr(sub(c, "typeExpr")!), this.t(tok(c, "RParen"))] : []];
  }

  private typeExpr(n: CstNode): Doc {
    const tuple = sub(n, "tupleExpr");
    if (tuple) return this.tuple(tuple);
    const open = tok(n, "LAngle");
    if (!open) return this.t(tok(n, "Name"));
    const args = subs(n, "typeExpr");
    const commas = toks(n, "Comma");
    return [
      this.t(tok(n, "Name")),
      this.t(open),
      args.map((a, i) => [this.typeExpr(a), i < args.length - 1 ? [this.t(commas[i], ","), " "] : []]),
      this.t(tok(n, "RAngle")),
    ];
  }

  private tuple(n: CstNode): Doc {
    return this.groupedList(tok(n, "LParen"), subs(n, "tupleField"), toks(n, "Comma"), tok(n, "RParen"), (f) => {
      const name = tok(f, "Name");
      return [this.docs(f), name ? [this.t(name), this.t(tok(f, "Colon")), " "] : [], this.typeExpr(sub(f, "typeExpr")!)];
    });
  }

  private module(n: CstNode): Doc {
    const items = subs(n, "moduleItem").map((node) => ({ node }));
    return [this.t(tok(n, "Module")), " ", this.t(tok(n, "Name")), " ", this.block(tok(n, "LBrace"), items, tok(n, "RBrace"), (i) => this.moduleItem(i))];
  }

  private moduleItem(n: CstNode): Doc {
    const alias = sub(n, "aliasDecl");
    const fn = sub(n, "fnDecl");
    const reserved = sub(n, "reservedFn");
    let body: Doc;
    if (alias) body = [this.t(tok(alias, "Alias")), " ", this.t(tok(alias, "Name")), this.t(tok(alias, "Semi"))];
    else if (reserved) body = [this.t(tok(reserved, "Reserved")), " ", this.t(tok(reserved, "Fn")), " ", this.t(tok(reserved, "Name")), this.t(tok(reserved, "Semi"))];
    else if (fn) body = this.fn(fn);
    else body = this.declaration(sub(n, "declaration")!);
    return [this.docs(n), this.annotations(n), body];
  }

  private fn(n: CstNode): Doc {
    const arrow = tok(n, "Arrow");
    const bang = tok(n, "Bang");
    return [
      this.t(tok(n, "Fn")),
      " ",
      this.t(tok(n, "Name")),
      this.groupedList(tok(n, "LParen"), subs(n, "param"), toks(n, "Comma"), tok(n, "RParen"), (p) => this.field(p)),
      arrow ? [" ", this.t(arrow), " ", bang ? this.t(bang) : this.typeExpr(sub(n, "typeExpr")!)] : [],
      this.t(tok(n, "Semi")),
    ];
  }

  private command(n: CstNode): Doc {
    const items = subs(n, "commandItem").map((node) => ({ node }));
    return [this.t(tok(n, "Command")), " ", this.block(tok(n, "LBrace"), items, tok(n, "RBrace"), (i) => this.commandItem(i))];
  }

  private commandItem(n: CstNode): Doc {
    const exp = sub(n, "exportDecl");
    const conv = sub(n, "conventionDecl");
    let body: Doc;
    if (exp) {
      const optional = tok(exp, "Optional");
      const params = sub(exp, "params");
      const results = sub(exp, "results");
      body = [
        optional ? [this.t(optional), " "] : [],
        this.t(tok(exp, "Export")),
        " ",
        this.t(tok(exp, "Name")),
        this.t(tok(exp, "Colon")),
        " ",
        this.t(tok(exp, "kind")),
        params ? this.tuple(params) : [],
        results ? [" ", this.t(tok(exp, "Arrow")), " ", this.typeExpr(results)] : [],
        this.t(tok(exp, "Semi")),
      ];
    } else if (conv) body = [this.t(tok(conv, "Convention")), " ", this.t(tok(conv, "Name")), this.t(tok(conv, "Semi"))];
    else body = this.constDecl(sub(n, "constDecl")!);
    return [this.docs(n), this.annotations(n), body];
  }

  private libc(n: CstNode): Doc {
    const items = subs(n, "libcItem").map((node) => ({ node }));
    return [this.t(tok(n, "Libc")), " ", this.block(tok(n, "LBrace"), items, tok(n, "RBrace"), (i) => this.libcItem(i))];
  }

  private libcItem(n: CstNode): Doc {
    const header = sub(n, "libcHeader");
    const fn = sub(n, "libcFn");
    const absent = sub(n, "libcAbsent");
    let body: Doc;
    if (header)
      body = [this.t(tok(header, "Header")), " ", this.t(tok(header, "StringLiteral")), this.t(tok(header, "Colon")), " ", this.t(tok(header, "kind")), this.t(tok(header, "Semi"))];
    else if (fn)
      body = [this.t(tok(fn, "Fn")), " ", this.t(tok(fn, "Name")), this.t(tok(fn, "Colon")), " ", this.t(tok(fn, "change")), " ", this.libcBody(sub(fn, "libcBody"))];
    else body = [this.t(tok(absent, "Absent")), " ", this.t(tok(absent, "Fn")), " ", this.t(tok(absent, "Name")), " ", this.libcBody(sub(absent, "libcBody"))];
    return [this.docs(n), this.annotations(n), body];
  }

  private libcBody(n: CstNode | undefined): Doc {
    const items = subs(n, "libcProperty").map((node) => ({ node }));
    return this.block(tok(n, "LBrace"), items, tok(n, "RBrace"), (p) => this.libcProperty(p));
  }

  /** `key a, b, c;`: the values stay on the key's line when they fit, else go one per line below it. */
  private libcProperty(p: CstNode): Doc {
    const values = subs(p, "libcValue");
    const commas = toks(p, "Comma");
    const key = this.t(tok(p, "key"));
    if (values.length === 0) return [key, this.t(tok(p, "Semi"))];
    const list = values.map((v, i) => [this.libcValue(v), i < values.length - 1 ? [this.t(commas[i], ","), line] : []]);
    return [key, " ", group(indent(list)), this.t(tok(p, "Semi"))];
  }

  /** A string, a number, a name, or `module::function` (written without spaces). */
  private libcValue(v: CstNode): Doc {
    const words = toks(v, "word");
    if (words.length === 0) return this.t(tok(v, "StringLiteral") ?? tok(v, "Integer"));
    return words.length === 1 ? this.t(words[0]) : [this.t(words[0]), this.t(tok(v, "PathSep")), this.t(words[1])];
  }
}
