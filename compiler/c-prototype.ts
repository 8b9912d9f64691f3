// A small parser for the C function prototypes of the libc block: enough of C's declaration
// syntax (specifiers, pointers, arrays, function declarators, `...`) to check a prototype's
// structure and reduce it to the function type that C compatibility is decided on.

/** A C type as the declarator builds it. */
export type CType =
  | { kind: "base"; text: string }
  | { kind: "ptr"; to: CType; quals: string[] }
  | { kind: "array"; of: CType; size: string }
  | { kind: "func"; result: CType; params: CParam[]; variadic: boolean };

export interface CParam {
  name: string | null;
  type: CType;
}

export interface CPrototype {
  name: string;
  type: Extract<CType, { kind: "func" }>;
}

/** A problem at a character offset of the prototype text. */
export interface CPrototypeError {
  offset: number;
  length: number;
  message: string;
}

export type CPrototypeResult = { ok: true; prototype: CPrototype } | { ok: false; error: CPrototypeError };

const QUALIFIERS = new Set(["const", "volatile", "restrict", "__restrict", "_Atomic"]);
const BASIC = new Set(["void", "char", "short", "int", "long", "signed", "unsigned", "float", "double", "_Bool"]);
const TAGS = new Set(["struct", "union", "enum"]);
// Words that may never name a typedef or a parameter.
const RESERVED = new Set([
  ...QUALIFIERS,
  ...BASIC,
  ...TAGS,
  "static",
  "extern",
  "inline",
  "register",
  "auto",
  "typedef",
  "return",
  "if",
  "else",
  "for",
  "while",
  "do",
  "switch",
  "case",
  "default",
  "break",
  "continue",
  "goto",
  "sizeof",
]);

interface Token {
  text: string;
  offset: number;
}

class Fail extends Error {
  constructor(readonly at: { offset: number; length: number }, message: string) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s+|([A-Za-z_][A-Za-z0-9_]*)|(0[xX][0-9a-fA-F]+|\d+)|(\.\.\.)|([*()[\],;])|(.)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[5] !== undefined) throw new Fail({ offset: m.index, length: 1 }, `unexpected character \`${m[5]}\` in a C prototype`);
    if (m[1] ?? m[2] ?? m[3] ?? m[4]) out.push({ text: m[0], offset: m.index });
  }
  return out;
}

/** Parses `int pipe(int fd[2])`: one function declaration, no body, no trailing `;`. */
export function parseCPrototype(text: string): CPrototypeResult {
  try {
    const p = new DeclParser(tokenize(text), text.length);
    const prototype = p.prototype();
    return { ok: true, prototype };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: { ...e.at, message: e.message } };
    throw e;
  }
}

class DeclParser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly end: number,
  ) {}

  private peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  private here(): { offset: number; length: number } {
    const t = this.peek();
    return t ? { offset: t.offset, length: t.text.length } : { offset: this.end, length: 1 };
  }

  private expect(text: string): Token {
    const t = this.peek();
    if (t?.text !== text) throw new Fail(this.here(), `expected \`${text}\`, found ${t ? `\`${t.text}\`` : "the end"}`);
    this.i++;
    return t;
  }

  prototype(): CPrototype {
    const base = this.specifiers(true);
    const d = this.declarator(false);
    const last = this.peek();
    if (last) throw new Fail(this.here(), last.text === ";" ? "write the prototype without a trailing `;`" : `unexpected \`${last.text}\` after the declaration`);
    const type = d.build(base);
    if (type.kind !== "func" || d.name === null)
      throw new Fail({ offset: 0, length: this.end }, "not a function declaration: expected `RESULT NAME(PARAMETERS)`");
    return { name: d.name.text, type };
  }

  /** Qualifiers and type specifiers; exactly one type (basic words, `struct X` or a typedef name). */
  private specifiers(required: boolean): CType {
    const quals: string[] = [];
    const basic: string[] = [];
    let named: string | null = null;
    const start = this.here();
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (QUALIFIERS.has(t.text)) {
        if (t.text.includes("restrict")) throw new Fail(this.here(), "`restrict` qualifies a pointer: write it after the `*`");
        if (!quals.includes(t.text)) quals.push(t.text);
      } else if (BASIC.has(t.text)) {
        if (named !== null) throw new Fail(this.here(), `\`${t.text}\` cannot follow the type \`${named}\``);
        basic.push(t.text);
      } else if (TAGS.has(t.text)) {
        if (named !== null || basic.length) throw new Fail(this.here(), `a second type in one declaration: \`${t.text}\``);
        this.i++;
        const tag = this.peek();
        if (!tag || !/^[A-Za-z_]/.test(tag.text) || RESERVED.has(tag.text)) throw new Fail(this.here(), `\`${t.text}\` needs a tag name`);
        named = `${t.text} ${tag.text}`;
      } else if (/^[A-Za-z_]/.test(t.text) && !RESERVED.has(t.text) && named === null && basic.length === 0) {
        named = t.text; // a typedef name: size_t, pid_t, posix_spawnattr_t
      } else break;
      this.i++;
    }
    if (named === null && basic.length === 0) {
      if (!required && quals.length === 0) throw new Fail(start, "expected a parameter type");
      throw new Fail(start, quals.length ? "a qualifier without a type" : "expected a type, e.g. `int` or `size_t`");
    }
    const typeText = named ?? normalizeBasic(basic, start);
    return { kind: "base", text: [...quals.sort(), typeText].join(" ") };
  }

  /**
   * A declarator, as a function from its base type to the declared type (C declarators read
   * inside out). `abstract` allows the name to be missing, as in parameter lists.
   */
  private declarator(abstract: boolean): { name: Token | null; build: (base: CType) => CType } {
    const pointers: string[][] = [];
    while (this.peek()?.text === "*") {
      this.i++;
      const quals: string[] = [];
      while (this.peek() && QUALIFIERS.has(this.peek()!.text)) {
        const q = this.peek()!.text === "__restrict" ? "restrict" : this.peek()!.text;
        if (!quals.includes(q)) quals.push(q);
        this.i++;
      }
      pointers.push(quals.sort());
    }
    let name: Token | null = null;
    let inner: (t: CType) => CType = (t) => t;
    const t = this.peek();
    if (t && /^[A-Za-z_]/.test(t.text) && !RESERVED.has(t.text)) {
      name = t;
      this.i++;
    } else if (t?.text === "(" && ["*", "("].includes(this.peek(1)?.text ?? "")) {
      this.i++;
      const nested = this.declarator(abstract);
      this.expect(")");
      name = nested.name;
      inner = nested.build;
    } else if (!abstract) {
      throw new Fail(this.here(), t ? `expected the function's name, found \`${t.text}\`` : "expected the function's name");
    }
    const suffixes: ((t: CType) => CType)[] = [];
    for (;;) {
      const s = this.peek()?.text;
      if (s === "[") suffixes.push(this.arraySuffix());
      else if (s === "(") suffixes.push(this.paramsSuffix());
      else break;
    }
    return {
      name,
      build: (base) => {
        let type = base;
        for (const quals of pointers) type = { kind: "ptr", to: type, quals };
        for (const s of [...suffixes].reverse()) type = s(type);
        return inner(type);
      },
    };
  }

  private arraySuffix(): (t: CType) => CType {
    const open = this.expect("[");
    let size = "";
    while (this.peek() && QUALIFIERS.has(this.peek()!.text)) this.i++;
    if (this.peek()?.text === "static") this.i++;
    const t = this.peek();
    if (t && t.text !== "]") {
      if (!/^[A-Za-z0-9_]+$/.test(t.text)) throw new Fail(this.here(), `an array size is a number or a name, not \`${t.text}\``);
      size = t.text;
      this.i++;
    }
    this.expect("]");
    return (of) => {
      if (of.kind === "func") throw new Fail({ offset: open.offset, length: 1 }, "an array of functions is not a C type");
      return { kind: "array", of, size };
    };
  }

  private paramsSuffix(): (t: CType) => CType {
    const open = this.expect("(");
    const params: CParam[] = [];
    let variadic = false;
    const names = new Map<string, Token>();
    if (this.peek()?.text === ")") throw new Fail(this.here(), "an empty parameter list: write `(void)` for a function without parameters");
    if (this.peek()?.text === "void" && this.peek(1)?.text === ")") {
      this.i += 2;
      return (result) => funcOf(result, [], false, open);
    }
    for (;;) {
      if (this.peek()?.text === "...") {
        if (params.length === 0) throw new Fail(this.here(), "`...` needs at least one named parameter before it");
        this.i++;
        variadic = true;
        break;
      }
      const paramStart = this.here();
      const base = this.specifiers(false);
      const d = this.declarator(true);
      const type = d.build(base);
      if (type.kind === "base" && type.text === "void") throw new Fail(paramStart, "`void` is only allowed alone, as `(void)`");
      if (d.name) {
        const prior = names.get(d.name.text);
        if (prior) throw new Fail({ offset: d.name.offset, length: d.name.text.length }, `parameter \`${d.name.text}\` is named twice`);
        names.set(d.name.text, d.name);
      }
      params.push({ name: d.name?.text ?? null, type });
      if (this.peek()?.text !== ",") break;
      this.i++;
    }
    this.expect(")");
    return (result) => funcOf(result, params, variadic, open);
  }
}

function funcOf(result: CType, params: CParam[], variadic: boolean, at: Token): CType {
  if (result.kind === "func" || result.kind === "array")
    throw new Fail({ offset: at.offset, length: 1 }, `a function cannot return ${result.kind === "func" ? "a function" : "an array"}; return a pointer`);
  return { kind: "func", result, params, variadic };
}

/** `unsigned` -> `unsigned int`, `long int` -> `long`, `signed char` stays: one spelling per type. */
function normalizeBasic(words: string[], at: { offset: number; length: number }): string {
  const count = (w: string) => words.filter((x) => x === w).length;
  const signed = count("signed");
  const unsigned = count("unsigned");
  const longs = count("long");
  if (signed + unsigned > 1) throw new Fail(at, "`signed` and `unsigned` given together or twice");
  for (const w of ["void", "char", "short", "int", "float", "double", "_Bool"]) if (count(w) > 1) throw new Fail(at, `\`${w}\` given twice`);
  const core = words.filter((w) => w !== "signed" && w !== "unsigned" && w !== "long" && w !== "int");
  const hasInt = count("int") === 1;
  if (longs > 2) throw new Fail(at, "`long` given more than twice");
  if (core.length > 1) throw new Fail(at, `\`${core.join(" ")}\` is not one type`);
  const only = core[0];
  if (only === "void" || only === "float" || only === "_Bool") {
    if (signed + unsigned + longs > 0 || hasInt) throw new Fail(at, `\`${words.join(" ")}\` is not a C type`);
    return only;
  }
  if (only === "double") {
    if (signed + unsigned > 0 || hasInt || longs > 1) throw new Fail(at, `\`${words.join(" ")}\` is not a C type`);
    return longs ? "long double" : "double";
  }
  const prefix = unsigned ? "unsigned " : "";
  if (only === "char") {
    if (longs || hasInt) throw new Fail(at, `\`${words.join(" ")}\` is not a C type`);
    return signed ? "signed char" : `${prefix}char`;
  }
  if (only === "short") {
    if (longs) throw new Fail(at, `\`${words.join(" ")}\` is not a C type`);
    return `${prefix}short`;
  }
  if (longs === 2) return `${prefix}long long`;
  if (longs === 1) return `${prefix}long`;
  return `${prefix}int`;
}

// ---- printing ----

/** A type with an optional name, as C writes it: `int *fd`, `void (*)(int)`, `char *const argv[]`. */
export function cDeclaration(type: CType, name = ""): string {
  return render(type, name).trim();
}

function render(t: CType, inner: string): string {
  switch (t.kind) {
    case "base":
      return inner ? `${t.text} ${inner}` : t.text;
    case "ptr": {
      const star = `*${t.quals.join(" ")}${t.quals.length && inner ? " " : ""}${inner}`;
      return render(t.to, t.to.kind === "array" || t.to.kind === "func" ? `(${star})` : star);
    }
    case "array":
      return render(t.of, `${inner}[${t.size}]`);
    case "func": {
      const params = t.params.length === 0 ? (t.variadic ? "..." : "void") : [...t.params.map((p) => render(p.type, p.name ?? "").trim()), ...(t.variadic ? ["..."] : [])].join(", ");
      return render(t.result, `${inner}(${params})`);
    }
  }
}

/**
 * The type C compatibility is decided on: parameter names dropped, parameter arrays and
 * functions adjusted to pointers, and qualifiers at the top of a parameter dropped.
 * `int pipe(int fd[2])` and `int pipe(int *fds)` give the same `int (int *)`.
 */
export function cFunctionType(p: CPrototype): string {
  const adjust = (t: CType): CType => {
    const decayed: CType = t.kind === "array" ? { kind: "ptr", to: t.of, quals: [] } : t.kind === "func" ? { kind: "ptr", to: t, quals: [] } : t;
    if (decayed.kind === "ptr") return { ...decayed, quals: [] };
    if (decayed.kind === "base") return { kind: "base", text: decayed.text.split(" ").filter((w) => !QUALIFIERS.has(w)).join(" ") };
    return decayed;
  };
  const type: CType = { ...p.type, params: p.type.params.map((q) => ({ name: null, type: adjust(q.type) })) };
  return cDeclaration(type);
}
