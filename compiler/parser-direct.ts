// The parser abic runs first on every file: a hand-written recursive-descent parser over the
// grammar of parser.ts, building exactly the concrete tree chevrotain's parser builds for a file
// without syntax errors (same node names, children keys in the same order, the lexer's token
// objects, the same offsets, children objects without a prototype). It takes no set-up, where
// chevrotain records the grammar and builds lookahead functions on every start, and is several
// times faster per token.
//
// chevrotain's parser stays the grammar of record: the moment this one meets a token it does not
// expect, it gives up (returns null) and parser.ts parses the file with chevrotain, which reports
// the errors and recovers. Each decision here takes the alternative chevrotain's LL(3) lookahead
// takes, by the same tokens (one, or two where the grammar needs them: `key =` in an annotation
// argument, `name:` in a tuple field, `, item` against a trailing comma); the tests hold the two
// parsers to the same trees on every file of the repository, random contracts and damaged copies.

import type { CstNode, IToken, TokenType } from "chevrotain";
import * as T from "./lexer.ts";

/** Thrown (and caught in `parseDirect`) where the input leaves the happy path. */
const GIVE_UP: unique symbol = Symbol("give up");

/** Token types in the Name category (identifiers and every keyword but `reserved`), by tokenTypeIdx. */
const NAME_LIKE: boolean[] = [];
for (const t of T.allTokens) if (t === T.Identifier || (t.CATEGORIES ?? []).includes(T.Name)) NAME_LIKE[t.tokenTypeIdx!] = true;

let tokens: IToken[] = [];
let pos = 0;

/** The type of the token `n` ahead (1: the next), or undefined past the end. */
function la(n: number): TokenType | undefined {
  return tokens[pos + n - 1]?.tokenType;
}

function isName(type: TokenType | undefined): boolean {
  return type !== undefined && NAME_LIKE[type.tokenTypeIdx!] === true;
}

/** A rule's node, as chevrotain opens one; its location is settled by `close`. */
function open(name: string): CstNode {
  return { name, children: Object.create(null) as CstNode["children"], location: { startOffset: NaN, endOffset: NaN } };
}

/** chevrotain's offsets: from the first token consumed in the rule to the last; NaN for a rule that consumed none. */
function close(node: CstNode, from: number): CstNode {
  if (pos > from) {
    node.location!.startOffset = tokens[from]!.startOffset;
    node.location!.endOffset = tokens[pos - 1]!.endOffset;
  }
  return node;
}

function add(node: CstNode, key: string, child: IToken | CstNode): void {
  const list = node.children[key];
  if (list === undefined) node.children[key] = [child];
  else list.push(child);
}

/** Consumes the next token if it is of `type` (or in the Name category, for T.Name), under `key`. */
function consume(node: CstNode, type: TokenType, key: string = type.name): void {
  const t = tokens[pos];
  if (t === undefined || (type === T.Name ? !NAME_LIKE[t.tokenTypeIdx] : t.tokenType !== type)) throw GIVE_UP;
  pos++;
  add(node, key, t);
}

type Rule = () => CstNode;

/** A rule of the grammar: its node opened, `body` run on it, its offsets settled as chevrotain settles them. */
function rule(name: string, body: (node: CstNode) => void): Rule {
  return () => {
    const node = open(name);
    const from = pos;
    body(node);
    return close(node, from);
  };
}

function subrule(node: CstNode, rule: Rule, key: string): void {
  add(node, key, rule());
}

/**
 * The concrete tree of a file, as chevrotain's parser builds it, or null when the file leaves the
 * happy path (a syntax error, or anything this parser does not take): then chevrotain parses it.
 */
export function parseDirect(input: IToken[]): CstNode | null {
  tokens = input;
  pos = 0;
  try {
    const cst = file();
    return pos === tokens.length ? cst : null;
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  } finally {
    tokens = [];
  }
}

// ---- the rules, in parser.ts's order and with its names

const TOP_ITEM_START = new Set<TokenType>([T.DocComment, T.At, T.Package, T.Use, T.Module, T.Command, T.Libc, T.Type, T.Enum, T.Flags, T.Struct, T.Variant, T.Const]);

const file: Rule = rule("file", (node) => {
  while (TOP_ITEM_START.has(la(1)!)) subrule(node, topItem, "topItem");
});

const docs: Rule = rule("docs", (node) => {
  while (la(1) === T.DocComment) consume(node, T.DocComment);
});

const annotations: Rule = rule("annotations", (node) => {
  while (la(1) === T.At) subrule(node, annotation, "annotation");
});

const DECLARATION_START = new Set<TokenType>([T.Type, T.Enum, T.Flags, T.Struct, T.Variant, T.Const]);

const topItem: Rule = rule("topItem", (node) => {
  subrule(node, docs, "docs");
  subrule(node, annotations, "annotations");
  const next = la(1);
  if (next === T.Package) subrule(node, packageDecl, "packageDecl");
  else if (next === T.Use) subrule(node, useDecl, "useDecl");
  else if (next === T.Module) subrule(node, moduleDecl, "moduleDecl");
  else if (next === T.Command) subrule(node, commandDecl, "commandDecl");
  else if (next === T.Libc) subrule(node, libcDecl, "libcDecl");
  else if (DECLARATION_START.has(next!)) subrule(node, declaration, "declaration");
  else throw GIVE_UP;
});

const declaration: Rule = rule("declaration", (node) => {
  const next = la(1);
  if (next === T.Type) subrule(node, typeDecl, "typeDecl");
  else if (next === T.Enum) subrule(node, enumDecl, "enumDecl");
  else if (next === T.Flags) subrule(node, flagsDecl, "flagsDecl");
  else if (next === T.Struct) subrule(node, structDecl, "structDecl");
  else if (next === T.Variant) subrule(node, variantDecl, "variantDecl");
  else if (next === T.Const) subrule(node, constDecl, "constDecl");
  else throw GIVE_UP;
});

/** Where an annotation argument can start. */
function annotationArgStart(type: TokenType | undefined): boolean {
  return type === T.Version || type === T.StringLiteral || type === T.Integer || isName(type);
}

const annotation: Rule = rule("annotation", (node) => {
  consume(node, T.At);
  consume(node, T.Name);
  if (la(1) === T.LParen) {
    consume(node, T.LParen);
    if (annotationArgStart(la(1))) {
      subrule(node, annotationArg, "annotationArg");
      while (la(1) === T.Comma) {
        consume(node, T.Comma);
        subrule(node, annotationArg, "annotationArg");
      }
    }
    consume(node, T.RParen);
  }
});

const annotationArg: Rule = rule("annotationArg", (node) => {
  if (isName(la(1)) && la(2) === T.Eq) {
    consume(node, T.Name, "key");
    consume(node, T.Eq);
  }
  const next = la(1);
  if (next === T.Version || next === T.StringLiteral || next === T.Integer) consume(node, next);
  else if (isName(next)) {
    consume(node, T.Name, "word");
    if (la(1) === T.PathSep) {
      consume(node, T.PathSep);
      consume(node, T.Name, "member");
    } else
      while (la(1) === T.Minus) {
        consume(node, T.Minus);
        consume(node, T.Name, "word");
      }
  } else throw GIVE_UP;
});

const packageDecl: Rule = rule("packageDecl", (node) => {
  consume(node, T.Package);
  consume(node, T.Name);
  consume(node, T.At);
  consume(node, T.Version);
  consume(node, T.Semi);
});

const useDecl: Rule = rule("useDecl", (node) => {
  consume(node, T.Use);
  consume(node, T.StringLiteral);
  consume(node, T.Semi);
});

const typeDecl: Rule = rule("typeDecl", (node) => {
  consume(node, T.Type);
  consume(node, T.Name);
  consume(node, T.Eq);
  subrule(node, typeExpr, "typeExpr");
  consume(node, T.Semi);
});

const enumDecl: Rule = rule("enumDecl", (node) => {
  consume(node, T.Enum);
  subrule(node, reprDeclBody, "reprDeclBody");
});

const flagsDecl: Rule = rule("flagsDecl", (node) => {
  consume(node, T.Flags);
  subrule(node, reprDeclBody, "reprDeclBody");
});

/**
 * `item (, item)* ,?` up to `close`, as chevrotain takes it: a comma continues the list when an
 * item can start after it, and is the trailing comma otherwise.
 */
function list(node: CstNode, item: Rule, key: string, starts: (type: TokenType | undefined) => boolean): void {
  if (!starts(la(1))) return;
  subrule(node, item, key);
  while (la(1) === T.Comma && starts(la(2))) {
    consume(node, T.Comma);
    subrule(node, item, key);
  }
  if (la(1) === T.Comma) consume(node, T.Comma);
}

const memberStart = (type: TokenType | undefined): boolean => type === T.DocComment || type === T.Reserved || isName(type);
const fieldStart = (type: TokenType | undefined): boolean => type === T.DocComment || isName(type);
const tupleFieldStart = (type: TokenType | undefined): boolean => type === T.DocComment || type === T.LParen || isName(type);

const reprDeclBody: Rule = rule("reprDeclBody", (node) => {
  consume(node, T.Name);
  consume(node, T.Colon);
  consume(node, T.Name, "repr");
  consume(node, T.LBrace);
  list(node, member, "member", memberStart);
  consume(node, T.RBrace);
});

const member: Rule = rule("member", (node) => {
  subrule(node, docs, "docs");
  if (la(1) === T.Reserved) consume(node, T.Reserved);
  consume(node, T.Name);
  consume(node, T.Eq);
  consume(node, T.Integer, "value");
  if (la(1) === T.Shl) {
    consume(node, T.Shl);
    consume(node, T.Integer, "bit");
  }
});

const structDecl: Rule = rule("structDecl", (node) => {
  consume(node, T.Struct);
  consume(node, T.Name);
  consume(node, T.LBrace);
  list(node, field, "field", fieldStart);
  consume(node, T.RBrace);
});

const field: Rule = rule("field", (node) => {
  subrule(node, docs, "docs");
  consume(node, T.Name);
  consume(node, T.Colon);
  subrule(node, typeExpr, "typeExpr");
});

const variantDecl: Rule = rule("variantDecl", (node) => {
  consume(node, T.Variant);
  consume(node, T.Name);
  consume(node, T.Colon);
  consume(node, T.Name, "tag");
  consume(node, T.LBrace);
  list(node, variantCase, "variantCase", fieldStart);
  consume(node, T.RBrace);
});

const variantCase: Rule = rule("variantCase", (node) => {
  subrule(node, docs, "docs");
  consume(node, T.Name);
  if (la(1) === T.LParen) {
    consume(node, T.LParen);
    subrule(node, typeExpr, "typeExpr");
    consume(node, T.RParen);
  }
});

const constDecl: Rule = rule("constDecl", (node) => {
  consume(node, T.Const);
  consume(node, T.Name);
  consume(node, T.Colon);
  subrule(node, typeExpr, "typeExpr");
  consume(node, T.Eq);
  consume(node, T.Integer);
  consume(node, T.Semi);
});

const typeExpr: Rule = rule("typeExpr", (node) => {
  const next = la(1);
  if (isName(next)) {
    consume(node, T.Name);
    if (la(1) === T.LAngle) {
      consume(node, T.LAngle);
      subrule(node, typeExpr, "typeExpr");
      while (la(1) === T.Comma) {
        consume(node, T.Comma);
        subrule(node, typeExpr, "typeExpr");
      }
      consume(node, T.RAngle);
    }
  } else if (next === T.LParen) subrule(node, tupleExpr, "tupleExpr");
  else throw GIVE_UP;
});

const tupleExpr: Rule = rule("tupleExpr", (node) => {
  consume(node, T.LParen);
  list(node, tupleField, "tupleField", tupleFieldStart);
  consume(node, T.RParen);
});

const tupleField: Rule = rule("tupleField", (node) => {
  subrule(node, docs, "docs");
  if (isName(la(1)) && la(2) === T.Colon) {
    consume(node, T.Name);
    consume(node, T.Colon);
  }
  subrule(node, typeExpr, "typeExpr");
});

const moduleDecl: Rule = rule("moduleDecl", (node) => {
  consume(node, T.Module);
  consume(node, T.Name);
  consume(node, T.LBrace);
  while (MODULE_ITEM_START.has(la(1)!)) subrule(node, moduleItem, "moduleItem");
  consume(node, T.RBrace);
});

const MODULE_ITEM_START = new Set<TokenType>([T.DocComment, T.At, T.Alias, T.Fn, T.Reserved, ...DECLARATION_START]);

const moduleItem: Rule = rule("moduleItem", (node) => {
  subrule(node, docs, "docs");
  subrule(node, annotations, "annotations");
  const next = la(1);
  if (next === T.Alias) subrule(node, aliasDecl, "aliasDecl");
  else if (next === T.Fn) subrule(node, fnDecl, "fnDecl");
  else if (next === T.Reserved) subrule(node, reservedFn, "reservedFn");
  else if (DECLARATION_START.has(next!)) subrule(node, declaration, "declaration");
  else throw GIVE_UP;
});

const aliasDecl: Rule = rule("aliasDecl", (node) => {
  consume(node, T.Alias);
  consume(node, T.Name);
  consume(node, T.Semi);
});

const reservedFn: Rule = rule("reservedFn", (node) => {
  consume(node, T.Reserved);
  consume(node, T.Fn);
  consume(node, T.Name);
  consume(node, T.Semi);
});

const fnDecl: Rule = rule("fnDecl", (node) => {
  consume(node, T.Fn);
  consume(node, T.Name);
  consume(node, T.LParen);
  list(node, param, "param", fieldStart);
  consume(node, T.RParen);
  if (la(1) === T.Arrow) {
    consume(node, T.Arrow);
    if (la(1) === T.Bang) consume(node, T.Bang);
    else subrule(node, typeExpr, "typeExpr");
  }
  consume(node, T.Semi);
});

const param: Rule = rule("param", (node) => {
  subrule(node, docs, "docs");
  consume(node, T.Name);
  consume(node, T.Colon);
  subrule(node, typeExpr, "typeExpr");
});

const COMMAND_ITEM_START = new Set<TokenType>([T.DocComment, T.At, T.Optional, T.Export, T.Convention, T.Const]);

const commandDecl: Rule = rule("commandDecl", (node) => {
  consume(node, T.Command);
  consume(node, T.LBrace);
  while (COMMAND_ITEM_START.has(la(1)!)) subrule(node, commandItem, "commandItem");
  consume(node, T.RBrace);
});

const commandItem: Rule = rule("commandItem", (node) => {
  subrule(node, docs, "docs");
  subrule(node, annotations, "annotations");
  const next = la(1);
  if (next === T.Optional || next === T.Export) subrule(node, exportDecl, "exportDecl");
  else if (next === T.Convention) subrule(node, conventionDecl, "conventionDecl");
  else if (next === T.Const) subrule(node, constDecl, "constDecl");
  else throw GIVE_UP;
});

const exportDecl: Rule = rule("exportDecl", (node) => {
  if (la(1) === T.Optional) consume(node, T.Optional);
  consume(node, T.Export);
  consume(node, T.Name);
  consume(node, T.Colon);
  consume(node, T.Name, "kind");
  if (la(1) === T.LParen) {
    subrule(node, tupleExpr, "params");
    if (la(1) === T.Arrow) {
      consume(node, T.Arrow);
      subrule(node, typeExpr, "results");
    }
  }
  consume(node, T.Semi);
});

const conventionDecl: Rule = rule("conventionDecl", (node) => {
  consume(node, T.Convention);
  consume(node, T.Name);
  consume(node, T.Semi);
});

const LIBC_ITEM_START = new Set<TokenType>([T.DocComment, T.At, T.Header, T.Fn, T.Absent]);

const libcDecl: Rule = rule("libcDecl", (node) => {
  consume(node, T.Libc);
  consume(node, T.LBrace);
  while (LIBC_ITEM_START.has(la(1)!)) subrule(node, libcItem, "libcItem");
  consume(node, T.RBrace);
});

const libcItem: Rule = rule("libcItem", (node) => {
  subrule(node, docs, "docs");
  subrule(node, annotations, "annotations");
  const next = la(1);
  if (next === T.Header) subrule(node, libcHeader, "libcHeader");
  else if (next === T.Fn) subrule(node, libcFn, "libcFn");
  else if (next === T.Absent) subrule(node, libcAbsent, "libcAbsent");
  else throw GIVE_UP;
});

const libcHeader: Rule = rule("libcHeader", (node) => {
  consume(node, T.Header);
  consume(node, T.StringLiteral);
  consume(node, T.Colon);
  consume(node, T.Name, "kind");
  consume(node, T.Semi);
});

const libcFn: Rule = rule("libcFn", (node) => {
  consume(node, T.Fn);
  consume(node, T.Name);
  consume(node, T.Colon);
  consume(node, T.Name, "change");
  subrule(node, libcBody, "libcBody");
});

const libcAbsent: Rule = rule("libcAbsent", (node) => {
  consume(node, T.Absent);
  consume(node, T.Fn);
  consume(node, T.Name);
  subrule(node, libcBody, "libcBody");
});

const libcBody: Rule = rule("libcBody", (node) => {
  consume(node, T.LBrace);
  while (isName(la(1))) subrule(node, libcProperty, "libcProperty");
  consume(node, T.RBrace);
});

const libcProperty: Rule = rule("libcProperty", (node) => {
  consume(node, T.Name, "key");
  const next = la(1);
  if (next === T.StringLiteral || next === T.Integer || isName(next)) {
    subrule(node, libcValue, "libcValue");
    while (la(1) === T.Comma) {
      consume(node, T.Comma);
      subrule(node, libcValue, "libcValue");
    }
  }
  consume(node, T.Semi);
});

const libcValue: Rule = rule("libcValue", (node) => {
  const next = la(1);
  if (next === T.StringLiteral || next === T.Integer) consume(node, next);
  else if (isName(next)) {
    consume(node, T.Name, "word");
    if (la(1) === T.PathSep) {
      consume(node, T.PathSep);
      consume(node, T.Name, "word");
    }
  } else throw GIVE_UP;
});
