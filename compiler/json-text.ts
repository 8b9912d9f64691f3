// A JSON reader that keeps where every value and key is (1-based line and column), so a
// configuration file's mistakes can be reported at their place with a code frame. Strict JSON
// (RFC 8259): no comments, no trailing commas; a key given twice in one object is an error too.

/** A range of the text: 1-based, the end exclusive (as the compiler's spans). */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type JsonValue =
  | { kind: "object"; range: TextRange; members: JsonMember[] }
  | { kind: "array"; range: TextRange; items: JsonValue[] }
  | { kind: "string"; range: TextRange; value: string }
  | { kind: "number"; range: TextRange; value: number }
  | { kind: "boolean"; range: TextRange; value: boolean }
  | { kind: "null"; range: TextRange };

export interface JsonMember {
  key: string;
  keyRange: TextRange;
  value: JsonValue;
}

/** Text that is not JSON: what was expected, and where. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly range: TextRange,
  ) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Parses `text` (a leading byte-order mark is skipped); throws JsonSyntaxError. */
export function parseJson(text: string): JsonValue {
  let at = text.startsWith("\uFEFF") ? 1 : 0;
  let line = 1;
  let lineStart = at;

  const here = (): { line: number; column: number } => ({ line, column: at - lineStart + 1 });
  const rangeFrom = (start: { line: number; column: number }): TextRange => ({ ...start, endLine: line, endColumn: at - lineStart + 1 });
  const fail = (message: string, width = 1): never => {
    const start = here();
    throw new JsonSyntaxError(message, { ...start, endLine: start.line, endColumn: start.column + width });
  };
  const found = (): string => (at >= text.length ? "end of file" : `\`${text[at]}\``);

  const skipSpace = (): void => {
    while (at < text.length) {
      const c = text[at];
      if (c === "\n") {
        at++;
        line++;
        lineStart = at;
      } else if (c === " " || c === "\t" || c === "\r") at++;
      else if (c === "/" && (text[at + 1] === "/" || text[at + 1] === "*")) fail("comments are not allowed in JSON", 2);
      else break;
    }
  };

  const readString = (): string => {
    at++; // the opening quote
    let value = "";
    for (;;) {
      if (at >= text.length) fail("unterminated string");
      const c = text[at]!;
      if (c === '"') {
        at++;
        return value;
      }
      if (c === "\n" || c < " ") fail("a line break or control character inside a string");
      if (c === "\\") {
        const e = text[at + 1];
        if (e === "u") {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("expected four hex digits after \\u", 2);
          value += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else if (e !== undefined && e in ESCAPES) {
          value += ESCAPES[e];
          at += 2;
        } else fail(`unknown escape \\${e ?? ""}`, 2);
        continue;
      }
      value += c;
      at++;
    }
  };

  const readValue = (): JsonValue => {
    skipSpace();
    const start = here();
    const c = text[at];
    if (c === "{") {
      at++;
      const members: JsonMember[] = [];
      const keys = new Set<string>();
      skipSpace();
      if (text[at] === "}") {
        at++;
        return { kind: "object", range: rangeFrom(start), members };
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') fail(text[at] === "}" ? "a trailing comma is not allowed in JSON" : `expected a key in double quotes, found ${found()}`);
        const keyStart = here();
        const key = readString();
        const keyRange = rangeFrom(keyStart);
        if (keys.has(key)) throw new JsonSyntaxError(`key \`${key}\` given twice`, keyRange);
        keys.add(key);
        skipSpace();
        if (text[at] !== ":") fail(`expected \`:\` after the key, found ${found()}`);
        at++;
        members.push({ key, keyRange, value: readValue() });
        skipSpace();
        if (text[at] === ",") {
          at++;
          continue;
        }
        if (text[at] === "}") {
          at++;
          return { kind: "object", range: rangeFrom(start), members };
        }
        fail(`expected \`,\` or \`}\`, found ${found()}`);
      }
    }
    if (c === "[") {
      at++;
      const items: JsonValue[] = [];
      skipSpace();
      if (text[at] === "]") {
        at++;
        return { kind: "array", range: rangeFrom(start), items };
      }
      for (;;) {
        skipSpace();
        if (text[at] === "]") fail("a trailing comma is not allowed in JSON");
        items.push(readValue());
        skipSpace();
        if (text[at] === ",") {
          at++;
          continue;
        }
        if (text[at] === "]") {
          at++;
          return { kind: "array", range: rangeFrom(start), items };
        }
        fail(`expected \`,\` or \`]\`, found ${found()}`);
      }
    }
    if (c === '"') {
      const value = readString();
      return { kind: "string", range: rangeFrom(start), value };
    }
    const word = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 64))?.[0];
    if (word === undefined) return fail(`expected a value, found ${found()}`);
    at += word.length;
    const range = rangeFrom(start);
    if (word === "true" || word === "false") return { kind: "boolean", range, value: word === "true" };
    if (word === "null") return { kind: "null", range };
    return { kind: "number", range, value: Number(word) };
  };

  const value = readValue();
  skipSpace();
  if (at < text.length) fail(`unexpected ${found()} after the value`);
  return value;
}
