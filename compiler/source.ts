// Reads the root IDL file and everything it includes with `use`, parsing each file once.
// Unreadable files, bad encodings, include cycles and syntax errors become diagnostics.

import * as path from "node:path";
import type { CstNode, IRecognitionException, IToken } from "chevrotain";
import type { FileAst } from "./ast.ts";
import { buildAst, integerValue } from "./build-ast.ts";
import { error, fileSpan, type Diagnostic } from "./diagnostics.ts";
import { Integer, LAngle, LBrace, LParen, RAngle, RBrace, RParen, tokenize } from "./lexer.ts";
import type { Span } from "./model.ts";
import { parseTokens } from "./parser.ts";
import { readSource } from "./read-source.ts";

export { readSource };

export interface LoadedSources {
  /** Parsed files in dependency order: every included file before the file that includes it. */
  files: FileAst[];
  /** Text of every file read, for code frames. */
  texts: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** The parser's view of a text: the concrete tree, its tokens and, apart, its plain comments. */
export interface SyntaxTree {
  cst: CstNode;
  tokens: IToken[];
  comments: IToken[];
}

/** Lexes, parses and builds the AST of one text; never throws on user input. */
export function parseSource(file: string, text: string): { ast: FileAst; diagnostics: Diagnostic[]; syntax: SyntaxTree } {
  const diagnostics: Diagnostic[] = [];
  if (text.trim() === "") diagnostics.push(error("E0003", `\`${file}\` is empty`, fileSpan(file)));
  const lexed = tokenize(text);
  for (const e of lexed.errors) {
    const ch = text.slice(e.offset, e.offset + Math.max(1, e.length)).slice(0, 1);
    diagnostics.push(
      error("E0101", `unexpected character ${JSON.stringify(ch)}`, {
        file,
        line: e.line,
        column: e.column,
        endLine: e.line,
        endColumn: e.column + 1,
      }),
    );
  }
  // Indexed: this runs over every token before V8 has optimised it (see cst.ts).
  for (let i = 0; i < lexed.tokens.length; i++) {
    const t = lexed.tokens[i]!;
    if (t.tokenType === Integer && integerValue(t.image) === null)
      diagnostics.push(error("E0103", `the number \`${t.image}\` has no digits after its prefix`, tokenSpan(file, t)));
  }
  const tokens = limitNesting(file, lexed.tokens, diagnostics);
  const parsed = parseTokens(tokens);
  const lastToken = lexed.tokens[lexed.tokens.length - 1];
  for (const e of parsed.errors) diagnostics.push(syntaxError(file, e, lastToken, text));
  return { ast: buildAst(file, parsed.cst, tokens), diagnostics, syntax: { cst: parsed.cst, tokens: lexed.tokens, comments: lexed.comments } };
}

/**
 * How deep brackets may nest (`ptr<ptr<...>>`, tuples in results). The parser and every later
 * stage recurse once per level; real contracts nest a few levels, and a bound keeps hostile input
 * from exhausting the stack.
 */
export const MAX_NESTING = 32;


/**
 * The tokens with every bracket group nested deeper than MAX_NESTING cut out (each reported as
 * E0106); the rest still parses, so the file's other problems are reported too.
 */
function limitNesting(file: string, tokens: IToken[], diagnostics: Diagnostic[]): IToken[] {
  let depth = 0;
  let cutFrom = -1;
  // The tokens kept, once something is cut (until then, all of them: no copy).
  let kept: IToken[] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === LAngle || type === LParen || type === LBrace) {
      depth++;
      if (depth > MAX_NESTING && cutFrom < 0) {
        cutFrom = depth;
        kept ??= tokens.slice(0, i);
        diagnostics.push(error("E0106", `brackets nest more than ${MAX_NESTING} levels deep here`, tokenSpan(file, t)));
      }
    } else if ((type === RAngle || type === RParen || type === RBrace) && depth > 0) {
      depth--;
      if (cutFrom >= 0 && depth < cutFrom) {
        cutFrom = -1;
        continue;
      }
    }
    if (cutFrom < 0 && kept !== null) kept.push(t);
  }
  return kept ?? tokens;
}

function tokenSpan(file: string, t: IToken): Span {
  const line = t.startLine ?? 1;
  const column = t.startColumn ?? 1;
  return { file, line, column, endLine: t.endLine ?? line, endColumn: (t.endColumn ?? column) + 1 };
}

function syntaxError(
  file: string,
  e: IRecognitionException,
  lastToken: { endLine?: number; endColumn?: number } | undefined,
  text: string,
): Diagnostic {
  const t = e.token;
  let span: Span;
  if (Number.isFinite(t.startLine) && Number.isFinite(t.startColumn) && t.tokenType.name !== "EOF") {
    span = { file, line: t.startLine!, column: t.startColumn!, endLine: t.endLine ?? t.startLine!, endColumn: (t.endColumn ?? t.startColumn!) + 1 };
  } else {
    // At end of input chevrotain has no real token: point just past the last one.
    const lines = text.split(/\r\n|\r|\n/);
    const line = lastToken?.endLine ?? lines.length;
    const column = (lastToken?.endColumn ?? 0) + 1;
    span = { file, line, column, endLine: line, endColumn: column + 1 };
  }
  return error("E0102", syntaxMessage(e), span);
}

/** Rewrites chevrotain's messages ("Expecting --> ';' <-- but found --> '}' <--") into plain prose. */
function syntaxMessage(e: IRecognitionException): string {
  const found = e.token.tokenType.name === "EOF" ? "end of file" : `\`${e.token.image}\``;
  const m = /Expecting --> (.*?) <-- but found/.exec(e.message);
  const rule = e.context?.ruleStack?.[e.context.ruleStack.length - 1] ?? "";
  // In a comma-separated list the closing bracket is not the only way on: a comma is too.
  if (m && ["'}'", "')'"].includes(m[1]!) && LIST_RULES.has(rule)) return `expected ',' or ${m[1]}, found ${found}`;
  if (m) return `expected ${m[1]}, found ${found}`;
  if (e.name === "NoViableAltException" || e.name === "EarlyExitException") {
    const ctx = e.context?.ruleStack?.[e.context.ruleStack.length - 1] ?? "item";
    return `unexpected ${found} in ${describeRule(ctx)}`;
  }
  if (e.name === "NotAllInputParsedException") return `unexpected ${found}: expected a declaration`;
  return `syntax error at ${found}`;
}

const LIST_RULES = new Set(["structDecl", "reprDeclBody", "variantDecl", "fnDecl", "tupleExpr", "annotation"]);

function describeRule(rule: string): string {
  const names: Record<string, string> = {
    topItem: "a declaration",
    moduleItem: "a module item",
    commandItem: "a command item",
    typeExpr: "a type",
    annotationArg: "an annotation argument",
    fnDecl: "a function",
  };
  return names[rule] ?? rule.replace(/Decl$/, " declaration");
}

export type SourceReader = (file: string, at?: Span) => { text: string } | { diagnostic: Diagnostic };

/** Parses one file's text; the language server passes one that reuses the AST of unchanged text. */
export type SourceParser = (file: string, text: string) => { ast: FileAst; diagnostics: Diagnostic[] };

/** Loads `root` and its includes; file names are relative to `from` (the working directory when empty). */
export function loadSources(root: string, read: SourceReader = readSource, parse: SourceParser = parseSource, from = ""): LoadedSources {
  const out: LoadedSources = { files: [], texts: new Map(), diagnostics: [] };
  const done = new Set<string>();
  const active: string[] = [];

  const visit = (file: string, at?: Span): void => {
    const key = path.resolve(from, file);
    if (done.has(key)) return;
    const cycleStart = active.indexOf(key);
    if (cycleStart >= 0 && at) {
      const chain = [...active.slice(cycleStart), key].map((k) => path.relative(process.cwd(), k) || k);
      out.diagnostics.push(error("E0104", `include cycle: ${chain.join(" -> ")}`, at));
      return;
    }
    const source = read(file, at);
    if ("diagnostic" in source) {
      out.diagnostics.push(source.diagnostic);
      done.add(key);
      return;
    }
    out.texts.set(file, source.text);
    const parsed = parse(file, source.text);
    out.diagnostics.push(...parsed.diagnostics);
    active.push(key);
    for (const use of parsed.ast.uses) visit(path.join(path.dirname(file), use.path), use.span);
    active.pop();
    done.add(key);
    out.files.push(parsed.ast);
  };

  visit(root);
  return out;
}
