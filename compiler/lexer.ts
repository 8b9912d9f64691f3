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

/**
 * chevrotain's lexer built from the token definitions above, with its definition checks on. abic
 * does not lex with it (see `tokenize`); the tests use it as the reference `tokenize` must agree
 * with, token for token and error for error.
 */
export function referenceLexer(): ChevrotainLexer {
  return new Lexer(allTokens, { ...LEXER_CONFIG, skipValidations: false });
}

/** Builds chevrotain's lexer with its definition checks on; throws what they find (run by the tests). */
export function validateLexer(): void {
  referenceLexer();
}

export interface LexResult {
  tokens: IToken[];
  /** Line and block comments, in order (doc comments are ordinary tokens). */
  comments: IToken[];
  errors: { offset: number; line: number; column: number; length: number; message: string }[];
}

// The lexer abic runs: a hand-written scanner over the same definitions. chevrotain's lexer costs
// ~20 ms to construct (regex analysis) on every start and ~1 us per token; this one needs no set-up
// and is several times faster. It follows chevrotain's rules exactly: the first definition in
// `allTokens` that matches wins, a keyword gives way to a longer identifier (`longer_alt`), only
// WhiteSpace and BlockComment span lines (`\n`, `\r\n` and a lone `\r` end a line), and a run of
// characters where no token can start is one error, resumed where some token can.

const KEYWORDS = new Map<string, TokenType>(
  [Package, Use, Type, Enum, Flags, Struct, Variant, Const, Module, Alias, Fn, Command, Export, Optional, Convention, Libc, Header, Absent, Reserved].map(
    (t) => [(t.LABEL ?? "").slice(1, -1), t],
  ),
);

/** One character class per code unit below 128; everything above is no token's start or part. */
const WORD = 1; // [A-Za-z0-9_]
const WORD_START = 2; // [A-Za-z_]
const DIGIT = 4;
const HEX = 8;
const VERSION_TAIL = 16; // [0-9A-Za-z.-]
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_]/.test(ch)) CLASS[c]! |= WORD;
  if (/[A-Za-z_]/.test(ch)) CLASS[c]! |= WORD_START;
  if (/[0-9]/.test(ch)) CLASS[c]! |= DIGIT;
  if (/[0-9a-fA-F_]/.test(ch)) CLASS[c]! |= HEX;
  if (/[0-9A-Za-z.-]/.test(ch)) CLASS[c]! |= VERSION_TAIL;
}
const is = (c: number, k: number): boolean => c < 128 && (CLASS[c]! & k) !== 0;

/** Single-character punctuation, by code unit (`-`, `<` and `:` are decided in `scan`). */
const SINGLE = new Map<number, TokenType>(
  [RAngle, LBrace, RBrace, LParen, RParen, Comma, Semi, Eq, Bang, At].map((t) => [(t.LABEL ?? "").charCodeAt(1), t]),
);

const CH = {
  tab: 9,
  lf: 10,
  cr: 13,
  space: 32,
  bang: 33,
  quote: 34,
  percent: 37,
  star: 42,
  minus: 45,
  dot: 46,
  slash: 47,
  zero: 48,
  colon: 58,
  lt: 60,
  gt: 62,
  backslash: 92,
  ls: 0x2028,
  ps: 0x2029,
} as const;

/** End of a run of `kind` characters from `i`. */
function run(text: string, i: number, kind: number): number {
  while (i < text.length && is(text.charCodeAt(i), kind)) i++;
  return i;
}

// The long runs (the rest of a comment line: most of a contract's text is doc comments; names;
// white space) are found by sticky regular expressions, which V8 runs as native code from the
// first call, rather than by a loop that runs interpreted until V8 has optimised it.
const LINE_REST = /[^\n\r]*/y;
const WORD_REST = /[A-Za-z0-9_]*/y;
const SPACE_REST = /[ \t\r\n]*/y;

/** End of the match of `re` (sticky, matching the empty string too) at `i`. */
function endOf(re: RegExp, text: string, i: number): number {
  re.lastIndex = i;
  re.test(text);
  return re.lastIndex;
}

/** End of `\d+` from `i`, or -1 when there is no digit. */
function digits(text: string, i: number): number {
  const end = run(text, i, DIGIT);
  return end > i ? end : -1;
}

/** End of a version (`1.2.3`, `1.0.0-rc.1`) starting at `i`, or -1. */
function version(text: string, i: number): number {
  let end = digits(text, i);
  for (let part = 0; part < 2 && end >= 0; part++) end = text.charCodeAt(end) === CH.dot ? digits(text, end + 1) : -1;
  if (end < 0) return -1;
  if (text.charCodeAt(end) === CH.minus && is(text.charCodeAt(end + 1), VERSION_TAIL)) end = run(text, end + 1, VERSION_TAIL);
  return end;
}

/** End of an integer (`-`, then `0x..`, `0o..`, `0b..` or decimal digits; `_` anywhere after) at `i`, or -1. */
function integer(text: string, i: number): number {
  let p = i;
  if (text.charCodeAt(p) === CH.minus) p++;
  const c = text.charCodeAt(p);
  if (!is(c, DIGIT)) return -1;
  if (c === CH.zero) {
    const prefix = text.charCodeAt(p + 1) | 0x20;
    const kind = prefix === 0x78 ? /[0-9a-fA-F_]/ : prefix === 0x6f ? /[0-7_]/ : prefix === 0x62 ? /[01_]/ : null;
    if (kind) {
      let end = p + 2;
      while (end < text.length && text.charCodeAt(end) < 128 && kind.test(text[end]!)) end++;
      if (end > p + 2) return end;
    }
  }
  p++;
  while (p < text.length && (is(text.charCodeAt(p), DIGIT) || text.charCodeAt(p) === 95)) p++;
  return p;
}

/** End of a string literal starting at `i` (a `"`), or -1 when it is not closed on its line. */
function stringLiteral(text: string, i: number): number {
  for (let p = i + 1; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === CH.quote) return p + 1;
    if (c === CH.lf || c === CH.cr) return -1;
    if (c === CH.backslash) {
      const next = text.charCodeAt(p + 1);
      if (p + 1 >= text.length || next === CH.lf || next === CH.cr || next === CH.ls || next === CH.ps) return -1;
      p++;
    }
  }
  return -1;
}


/**
 * The token type of the token starting at `i`, or null when no token starts there; it ends at
 * `scannedEnd`, and `scannedImage` is its text when `scan` had to cut it out (a word), else null.
 */
let scannedEnd = 0;
let scannedImage: string | null = null;
function scan(text: string, i: number): TokenType | null {
  scannedImage = null;
  const c = text.charCodeAt(i);
  if (c === CH.space || c === CH.tab || c === CH.lf || c === CH.cr) {
    scannedEnd = endOf(SPACE_REST, text, i + 1);
    return WhiteSpace;
  }
  if (c === CH.slash) {
    const next = text.charCodeAt(i + 1);
    if (next === CH.slash) {
      scannedEnd = endOf(LINE_REST, text, i + 2);
      return text.charCodeAt(i + 2) === CH.slash ? DocComment : LineComment;
    }
    if (next === CH.star) {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) return null;
      scannedEnd = close + 2;
      return BlockComment;
    }
    return null;
  }
  if (is(c, WORD_START)) {
    const end = endOf(WORD_REST, text, i + 1);
    scannedEnd = end;
    scannedImage = text.slice(i, end);
    return KEYWORDS.get(scannedImage) ?? Identifier;
  }
  if (c === CH.percent) {
    if (!is(text.charCodeAt(i + 1), WORD)) return null;
    scannedEnd = run(text, i + 2, WORD);
    return Identifier;
  }
  if (is(c, DIGIT)) {
    const v = version(text, i);
    if (v >= 0) {
      scannedEnd = v;
      return Version;
    }
    scannedEnd = integer(text, i);
    return Integer;
  }
  if (c === CH.minus) {
    const n = integer(text, i);
    if (n >= 0) {
      scannedEnd = n;
      return Integer;
    }
    const arrow = text.charCodeAt(i + 1) === CH.gt;
    scannedEnd = i + (arrow ? 2 : 1);
    return arrow ? Arrow : Minus;
  }
  if (c === CH.quote) {
    const end = stringLiteral(text, i);
    if (end < 0) return null;
    scannedEnd = end;
    return StringLiteral;
  }
  if (c === CH.lt || c === CH.colon) {
    const double = text.charCodeAt(i + 1) === c;
    scannedEnd = i + (double ? 2 : 1);
    return c === CH.lt ? (double ? Shl : LAngle) : double ? PathSep : Colon;
  }
  const single = SINGLE.get(c);
  if (single) scannedEnd = i + 1;
  return single ?? null;
}

/** The tokens, comments and lexical errors of `text`, exactly as chevrotain's lexer over `allTokens` gives them. */
export function tokenize(text: string): LexResult {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: LexResult["errors"] = [];
  let line = 1;
  let column = 1;
  let i = 0;
  while (i < text.length) {
    const type = scan(text, i);
    if (type === null) {
      // Skip to the next place where a token can start; the run is one error.
      const start = i;
      do i++;
      while (i < text.length && scan(text, i) === null);
      const length = i - start;
      errors.push({
        offset: start,
        line,
        column,
        length,
        message: `unexpected character: ->${text.charAt(start)}<- at offset: ${start}, skipped ${length} characters.`,
      });
      column += length;
      continue;
    }
    const end = scannedEnd;
    const image = scannedImage;
    const length = end - i;
    if (type === WhiteSpace || type === BlockComment) {
      // Count line ends (`\r\n` is one); the column restarts after the last one.
      let lines = 0;
      let lastEnd = -1;
      for (let p = i; p < end; p++) {
        const c = text.charCodeAt(p);
        if (c === CH.lf || c === CH.cr) {
          if (c === CH.cr && text.charCodeAt(p + 1) === CH.lf && p + 1 < end) p++;
          lines++;
          lastEnd = p;
        }
      }
      if (type === BlockComment) {
        const token = makeToken(text.slice(i, end), i, type, line, column, length);
        if (lines > 0) {
          token.endLine = line + lines;
          token.endColumn = end - 1 - lastEnd;
        }
        comments.push(token);
      }
      if (lines > 0) {
        line += lines;
        column = end - lastEnd;
      } else column += length;
    } else {
      const token = makeToken(image ?? text.slice(i, end), i, type, line, column, length);
      (type === LineComment ? comments : tokens).push(token);
      column += length;
    }
    i = end;
  }
  return { tokens, comments, errors };
}

/** A token with every position field, shaped as chevrotain's lexer makes them. */
function makeToken(image: string, offset: number, type: TokenType, line: number, column: number, length: number): IToken {
  return {
    image,
    startOffset: offset,
    endOffset: offset + length - 1,
    startLine: line,
    endLine: line,
    startColumn: column,
    endColumn: column + length - 1,
    tokenTypeIdx: type.tokenTypeIdx!,
    tokenType: type,
  };
}
