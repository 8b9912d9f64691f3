// The IDL grammar as a chevrotain CstParser. Instances are created once and reused; a file with
// a syntax error is parsed with error recovery, so that all its syntax errors are reported in one run.

import type { CstNode, ILookaheadStrategy, IRecognitionException, IToken } from "chevrotain";
import { CstParser, LLkLookaheadStrategy } from "./chevrotain.ts";
import * as T from "./lexer.ts";
import { parseDirect } from "./parser-direct.ts";

const MAX_LOOKAHEAD = 3;

/**
 * chevrotain's LL(k) lookahead, each decision's function built when the parser first takes that
 * decision rather than all of them when the parser is built: the same functions, and a file that
 * uses a few constructs never pays for the others (the analysis is most of building the parser).
 */
class LazyLookahead implements ILookaheadStrategy {
  private readonly strategy = new LLkLookaheadStrategy({ maxLookahead: MAX_LOOKAHEAD });

  validate(options: Parameters<ILookaheadStrategy["validate"]>[0]): ReturnType<ILookaheadStrategy["validate"]> {
    return this.strategy.validate(options);
  }

  buildLookaheadForAlternation(options: Parameters<ILookaheadStrategy["buildLookaheadForAlternation"]>[0]): ReturnType<ILookaheadStrategy["buildLookaheadForAlternation"]> {
    let built: ReturnType<ILookaheadStrategy["buildLookaheadForAlternation"]> | null = null;
    const strategy = this.strategy;
    return function (this: unknown, alts) {
      built ??= strategy.buildLookaheadForAlternation(options);
      return built.call(this, alts);
    };
  }

  buildLookaheadForOptional(options: Parameters<ILookaheadStrategy["buildLookaheadForOptional"]>[0]): ReturnType<ILookaheadStrategy["buildLookaheadForOptional"]> {
    let built: ReturnType<ILookaheadStrategy["buildLookaheadForOptional"]> | null = null;
    const strategy = this.strategy;
    return function (this: unknown) {
      built ??= strategy.buildLookaheadForOptional(options);
      return built.call(this);
    };
  }
}

/** How a parser instance is built. */
interface ParserSetup {
  /** chevrotain's grammar checks (ambiguities, left recursion): ~20 ms, so only in the tests (`validateGrammar`). */
  validate: boolean;
  /** Error recovery: reports every syntax error of a file in one run, at a cost on every file (see `parseTokens`). */
  recovery: boolean;
  /** Each lookahead function built on the decision's first use (LazyLookahead) rather than all up front. */
  lazyLookahead: boolean;
}

class IdlParser extends CstParser {
  /** Node locations are offsets only: the AST builder takes lines and columns from the tokens. */
  constructor(setup: ParserSetup) {
    super(T.allTokens, {
      recoveryEnabled: setup.recovery,
      nodeLocationTracking: "onlyOffset",
      maxLookahead: MAX_LOOKAHEAD,
      ...(setup.lazyLookahead ? { lookaheadStrategy: new LazyLookahead() } : {}),
      skipValidations: !setup.validate,
    });
    this.performSelfAnalysis();
  }

  public file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.topItem));
  });

  private docs = this.RULE("docs", () => {
    this.MANY(() => this.CONSUME(T.DocComment));
  });

  private annotations = this.RULE("annotations", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
  });

  private topItem = this.RULE("topItem", () => {
    this.SUBRULE(this.docs);
    this.SUBRULE(this.annotations);
    this.OR([
      { ALT: () => this.SUBRULE(this.packageDecl) },
      { ALT: () => this.SUBRULE(this.useDecl) },
      { ALT: () => this.SUBRULE(this.moduleDecl) },
      { ALT: () => this.SUBRULE(this.commandDecl) },
      { ALT: () => this.SUBRULE(this.libcDecl) },
      { ALT: () => this.SUBRULE(this.declaration) },
    ]);
  });

  /** A type or constant: allowed at top level and inside a module. */
  private declaration = this.RULE("declaration", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.typeDecl) },
      { ALT: () => this.SUBRULE(this.enumDecl) },
      { ALT: () => this.SUBRULE(this.flagsDecl) },
      { ALT: () => this.SUBRULE(this.structDecl) },
      { ALT: () => this.SUBRULE(this.variantDecl) },
      { ALT: () => this.SUBRULE(this.constDecl) },
    ]);
  });

  private annotation = this.RULE("annotation", () => {
    this.CONSUME(T.At);
    this.CONSUME(T.Name);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.annotationArg);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.annotationArg);
        });
      });
      this.CONSUME(T.RParen);
    });
  });

  private annotationArg = this.RULE("annotationArg", () => {
    this.OPTION(() => {
      this.CONSUME(T.Name, { LABEL: "key" });
      this.CONSUME(T.Eq);
    });
    this.OR([
      { ALT: () => this.CONSUME(T.Version) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.Integer) },
      {
        ALT: () => {
          // Hyphenated words such as `read-only` are one value; `errno::fault` names a member.
          this.CONSUME2(T.Name, { LABEL: "word" });
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.PathSep);
                this.CONSUME4(T.Name, { LABEL: "member" });
              },
            },
            {
              ALT: () =>
                this.MANY2(() => {
                  this.CONSUME(T.Minus);
                  this.CONSUME3(T.Name, { LABEL: "word" });
                }),
            },
          ]);
        },
      },
    ]);
  });

  private packageDecl = this.RULE("packageDecl", () => {
    this.CONSUME(T.Package);
    this.CONSUME(T.Name);
    this.CONSUME(T.At);
    this.CONSUME(T.Version);
    this.CONSUME(T.Semi);
  });

  private useDecl = this.RULE("useDecl", () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.Semi);
  });

  private typeDecl = this.RULE("typeDecl", () => {
    this.CONSUME(T.Type);
    this.CONSUME(T.Name);
    this.CONSUME(T.Eq);
    this.SUBRULE(this.typeExpr);
    this.CONSUME(T.Semi);
  });

  private enumDecl = this.RULE("enumDecl", () => {
    this.CONSUME(T.Enum);
    this.SUBRULE(this.reprDeclBody);
  });

  private flagsDecl = this.RULE("flagsDecl", () => {
    this.CONSUME(T.Flags);
    this.SUBRULE(this.reprDeclBody);
  });

  /** `NAME: REPR { members }`, shared by enum and flags. */
  private reprDeclBody = this.RULE("reprDeclBody", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Name, { LABEL: "repr" });
    this.CONSUME(T.LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.member);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.member);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBrace);
  });

  private member = this.RULE("member", () => {
    this.SUBRULE(this.docs);
    this.OPTION(() => this.CONSUME(T.Reserved));
    this.CONSUME(T.Name);
    this.CONSUME(T.Eq);
    this.CONSUME(T.Integer, { LABEL: "value" });
    this.OPTION2(() => {
      this.CONSUME(T.Shl);
      this.CONSUME2(T.Integer, { LABEL: "bit" });
    });
  });

  private structDecl = this.RULE("structDecl", () => {
    this.CONSUME(T.Struct);
    this.CONSUME(T.Name);
    this.CONSUME(T.LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.field);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.field);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBrace);
  });

  private field = this.RULE("field", () => {
    this.SUBRULE(this.docs);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  private variantDecl = this.RULE("variantDecl", () => {
    this.CONSUME(T.Variant);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Name, { LABEL: "tag" });
    this.CONSUME(T.LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.variantCase);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.variantCase);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBrace);
  });

  private variantCase = this.RULE("variantCase", () => {
    this.SUBRULE(this.docs);
    this.CONSUME(T.Name);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.SUBRULE(this.typeExpr);
      this.CONSUME(T.RParen);
    });
  });

  private constDecl = this.RULE("constDecl", () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.CONSUME(T.Eq);
    this.CONSUME(T.Integer);
    this.CONSUME(T.Semi);
  });

  private typeExpr = this.RULE("typeExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Name);
          this.OPTION(() => {
            this.CONSUME(T.LAngle);
            this.SUBRULE(this.typeExpr);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE2(this.typeExpr);
            });
            this.CONSUME(T.RAngle);
          });
        },
      },
      { ALT: () => this.SUBRULE(this.tupleExpr) },
    ]);
  });

  private tupleExpr = this.RULE("tupleExpr", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.tupleField);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.tupleField);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  private tupleField = this.RULE("tupleField", () => {
    this.SUBRULE(this.docs);
    this.OPTION(() => {
      this.CONSUME(T.Name);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.typeExpr);
  });

  private moduleDecl = this.RULE("moduleDecl", () => {
    this.CONSUME(T.Module);
    this.CONSUME(T.Name);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.moduleItem));
    this.CONSUME(T.RBrace);
  });

  private moduleItem = this.RULE("moduleItem", () => {
    this.SUBRULE(this.docs);
    this.SUBRULE(this.annotations);
    this.OR([
      { ALT: () => this.SUBRULE(this.aliasDecl) },
      { ALT: () => this.SUBRULE(this.fnDecl) },
      { ALT: () => this.SUBRULE(this.reservedFn) },
      { ALT: () => this.SUBRULE(this.declaration) },
    ]);
  });

  private aliasDecl = this.RULE("aliasDecl", () => {
    this.CONSUME(T.Alias);
    this.CONSUME(T.Name);
    this.CONSUME(T.Semi);
  });

  private reservedFn = this.RULE("reservedFn", () => {
    this.CONSUME(T.Reserved);
    this.CONSUME(T.Fn);
    this.CONSUME(T.Name);
    this.CONSUME(T.Semi);
  });

  private fnDecl = this.RULE("fnDecl", () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Name);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
    this.OPTION3(() => {
      this.CONSUME(T.Arrow);
      this.OR([{ ALT: () => this.CONSUME(T.Bang) }, { ALT: () => this.SUBRULE(this.typeExpr) }]);
    });
    this.CONSUME(T.Semi);
  });

  private param = this.RULE("param", () => {
    this.SUBRULE(this.docs);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  private commandDecl = this.RULE("commandDecl", () => {
    this.CONSUME(T.Command);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.commandItem));
    this.CONSUME(T.RBrace);
  });

  private commandItem = this.RULE("commandItem", () => {
    this.SUBRULE(this.docs);
    this.SUBRULE(this.annotations);
    this.OR([
      { ALT: () => this.SUBRULE(this.exportDecl) },
      { ALT: () => this.SUBRULE(this.conventionDecl) },
      { ALT: () => this.SUBRULE(this.constDecl) },
    ]);
  });

  /** `optional? export NAME: memory;` or `export NAME: func(i32, ...) -> i32;`. */
  private exportDecl = this.RULE("exportDecl", () => {
    this.OPTION(() => this.CONSUME(T.Optional));
    this.CONSUME(T.Export);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Name, { LABEL: "kind" });
    this.OPTION2(() => {
      this.SUBRULE(this.tupleExpr, { LABEL: "params" });
      this.OPTION3(() => {
        this.CONSUME(T.Arrow);
        this.SUBRULE(this.typeExpr, { LABEL: "results" });
      });
    });
    this.CONSUME(T.Semi);
  });

  private conventionDecl = this.RULE("conventionDecl", () => {
    this.CONSUME(T.Convention);
    this.CONSUME(T.Name);
    this.CONSUME(T.Semi);
  });

  // ---- the libc block: `libc { header "x.h": kind; fn NAME: change { properties } absent fn NAME { ... } }`

  private libcDecl = this.RULE("libcDecl", () => {
    this.CONSUME(T.Libc);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.libcItem));
    this.CONSUME(T.RBrace);
  });

  private libcItem = this.RULE("libcItem", () => {
    this.SUBRULE(this.docs);
    this.SUBRULE(this.annotations);
    this.OR([
      { ALT: () => this.SUBRULE(this.libcHeader) },
      { ALT: () => this.SUBRULE(this.libcFn) },
      { ALT: () => this.SUBRULE(this.libcAbsent) },
    ]);
  });

  private libcHeader = this.RULE("libcHeader", () => {
    this.CONSUME(T.Header);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.Colon);
    this.CONSUME(T.Name, { LABEL: "kind" });
    this.CONSUME(T.Semi);
  });

  private libcFn = this.RULE("libcFn", () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Name, { LABEL: "change" });
    this.SUBRULE(this.libcBody);
  });

  private libcAbsent = this.RULE("libcAbsent", () => {
    this.CONSUME(T.Absent);
    this.CONSUME(T.Fn);
    this.CONSUME(T.Name);
    this.SUBRULE(this.libcBody);
  });

  private libcBody = this.RULE("libcBody", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.libcProperty));
    this.CONSUME(T.RBrace);
  });

  /** `NAME value, value;`: the checker knows which properties exist and what they take. */
  private libcProperty = this.RULE("libcProperty", () => {
    this.CONSUME(T.Name, { LABEL: "key" });
    this.OPTION(() => {
      this.SUBRULE(this.libcValue);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.libcValue);
      });
    });
    this.CONSUME(T.Semi);
  });

  /** A string, a number, a name, or `module::function`. */
  private libcValue = this.RULE("libcValue", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.Integer) },
      {
        ALT: () => {
          this.CONSUME(T.Name, { LABEL: "word" });
          this.OPTION(() => {
            this.CONSUME(T.PathSep);
            this.CONSUME2(T.Name, { LABEL: "word" });
          });
        },
      },
    ]);
  });
}

// The chevrotain parser abic runs, built on first use: only for a file the hand-written parser
// gives up on, which is a file with a syntax error (parser-direct.ts takes every valid file). It
// recovers, so that all the file's syntax errors are reported in one run, with a partial tree;
// on input without errors it gives the same tree as without recovery (recovery acts only on
// errors), and the tests hold it to chevrotain's default parser.
let recovering: IdlParser | null = null;

export interface ParseResult {
  cst: CstNode;
  errors: IRecognitionException[];
}

/**
 * The tree and syntax errors of a file: the hand-written parser's tree when it takes the whole
 * file (the same tree chevrotain builds, without chevrotain's set-up), chevrotain's otherwise.
 */
export function parseTokens(tokens: IToken[]): ParseResult {
  const direct = parseDirect(tokens);
  if (direct !== null) return { cst: direct, errors: [] };
  return parseWithChevrotain(tokens);
}

/** Parses with chevrotain, with error recovery and lazily built lookahead. */
function parseWithChevrotain(tokens: IToken[]): ParseResult {
  recovering ??= new IdlParser({ validate: false, recovery: true, lazyLookahead: true });
  recovering.input = tokens;
  const cst = recovering.file();
  return { cst, errors: [...recovering.errors] };
}

/** A parser built as chevrotain builds one by default (every lookahead up front, recovery on), for the tests. */
let reference: IdlParser | null = null;

/** Parses as `parseTokens` does, with the reference parser: the tests hold `parseTokens` to it. */
export function referenceParseTokens(tokens: IToken[]): ParseResult {
  reference ??= new IdlParser({ validate: false, recovery: true, lazyLookahead: false });
  reference.input = tokens;
  const cst = reference.file();
  return { cst, errors: [...reference.errors] };
}

/** Builds the lexer and the parser with chevrotain's grammar validations on; throws what they find. */
export function validateGrammar(): void {
  T.validateLexer();
  new IdlParser({ validate: true, recovery: true, lazyLookahead: false });
}
