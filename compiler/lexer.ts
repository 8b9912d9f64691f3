// Tokens of the abic IDL and the one lexer instance. Keywords are reserved but are also in
// the `Name` category, so a field or parameter may be called `type` where a name is expected.

import type { IToken, Lexer as ChevrotainLexer, TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.ts";

export const Name = createToken({ name: "Name", pattern: Lexer.NA });

export const Identifier = createToken({
  name: "Identifier",
  label: "a name",
  pattern: /%?[A-Za-z_][A-Za-z0-9_]*|%[0-9][A-Za-z0-9_]*/,
  categories: [Name],
});

function keyword(word: string, inName = true): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    label: `'${word}'`,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: inName ? [Name] : [],
  });
}

export const Package = keyword("package");
export const Use = keyword("use");
export const Type = keyword("type");
export const Enum = keyword("enum");
export const Flags = keyword("flags");
export const Struct = keyword("struct");
export const Variant = keyword("variant");
export const Const = keyword("const");
export const Module = keyword("module");
export const Alias = keyword("alias");
export const Fn = keyword("fn");
export const Command = keyword("command");
export const Export = keyword("export");
export const Optional = keyword("optional");
export const Convention = keyword("convention");
export const Libc = keyword("libc");
export const Header = keyword("header");
export const Absent = keyword("absent");
// `reserved` starts an enum/flags tombstone, so it can never be a member name.
export const Reserved = keyword("reserved", false);

export const DocComment = createToken({ name: "DocComment", label: "a doc comment", pattern: /\/\/\/[^\n\r]*/ });
// Plain comments are kept on a channel of their own: the parser never sees them, and
// `abic fmt` puts them back where they were.
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  line_breaks: true,
  group: "comments",
});
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n]+/, line_breaks: true, group: Lexer.SKIPPED });

export const Version = createToken({
  name: "Version",
  label: "a version",
  pattern: /\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?/,
});
export const Integer = createToken({
  name: "Integer",
  label: "a number",
  pattern: /-?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)/,
});
export const StringLiteral = createToken({ name: "StringLiteral", label: "a string", pattern: /"(?:[^"\\\n\r]|\\.)*"/ });

export const Arrow = createToken({ name: "Arrow", label: "'->'", pattern: /->/ });
export const Shl = createToken({ name: "Shl", label: "'<<'", pattern: /<</ });
export const LAngle = createToken({ name: "LAngle", label: "'<'", pattern: /</ });
export const RAngle = createToken({ name: "RAngle", label: "'>'", pattern: />/ });
export const LBrace = createToken({ name: "LBrace", label: "'{'", pattern: /\{/ });
export const RBrace = createToken({ name: "RBrace", label: "'}'", pattern: /\}/ });
export const LParen = createToken({ name: "LParen", label: "'('", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", label: "')'", pattern: /\)/ });
export const Comma = createToken({ name: "Comma", label: "','", pattern: /,/ });
export const Semi = createToken({ name: "Semi", label: "';'", pattern: /;/ });
// `errno::fault` names a member in an annotation argument; before Colon, so `::` is one token.
export const PathSep = createToken({ name: "PathSep", label: "'::'", pattern: /::/ });
export const Colon = createToken({ name: "Colon", label: "':'", pattern: /:/ });
export const Eq = createToken({ name: "Eq", label: "'='", pattern: /=/ });
export const Bang = createToken({ name: "Bang", label: "'!'", pattern: /!/ });
export const At = createToken({ name: "At", label: "'@'", pattern: /@/ });
export const Minus = createToken({ name: "Minus", label: "'-'", pattern: /-/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  Package,
  Use,
  Type,
  Enum,
  Flags,
  Struct,
  Variant,
  Const,
  Module,
  Alias,
  Fn,
  Command,
  Export,
  Optional,
  Convention,
  Libc,
  Header,
  Absent,
  Reserved,
  Identifier,
  Name,
  Version,
  Integer,
  StringLiteral,
  Arrow,
  Shl,
  LAngle,
  RAngle,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  Semi,
  PathSep,
  Colon,
  Eq,
  Bang,
  At,
  Minus,
];

const LEXER_CONFIG = { positionTracking: "full", ensureOptimizations: true } as const;

/** The lexer, built on first use without chevrotain's definition checks (see validateLexer). */
let idlLexer: ChevrotainLexer | null = null;

/** Builds a lexer with chevrotain's definition checks on; throws what they find (run by the tests). */
export function validateLexer(): void {
  new Lexer(allTokens, { ...LEXER_CONFIG, skipValidations: false });
}

export interface LexResult {
  tokens: IToken[];
  /** Line and block comments, in order (doc comments are ordinary tokens). */
  comments: IToken[];
  errors: { offset: number; line: number; column: number; length: number; message: string }[];
}

export function tokenize(text: string): LexResult {
  idlLexer ??= new Lexer(allTokens, { ...LEXER_CONFIG, skipValidations: true });
  const result = idlLexer.tokenize(text);
  return {
    tokens: result.tokens,
    comments: result.groups.comments ?? [],
    errors: result.errors.map((e) => ({
      offset: e.offset,
      line: e.line ?? 1,
      column: e.column ?? 1,
      length: e.length,
      message: e.message,
    })),
  };
}
