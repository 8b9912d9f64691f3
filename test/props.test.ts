// Properties of the front end on arbitrary input: it never throws, and every diagnostic points
// inside the text it was given.

import { readFileSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { compileText } from "../compiler/index.ts";

function expectWellFormed(text: string): void {
  const c = compileText(text);
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of c.diagnostics) {
    expect(d.code).toMatch(/^[EW]\d{4}$/);
    if (d.span.file !== "<input>.idl") continue;
    expect(d.span.line).toBeGreaterThanOrEqual(1);
    expect(d.span.column).toBeGreaterThanOrEqual(1);
    expect(d.span.line).toBeLessThanOrEqual(Math.max(1, lines.length));
  }
  if (c.model === null) expect(c.diagnostics.some((d) => d.severity === "error")).toBe(true);
}

const tokens = [
  "package", "x", "@", "1.0.0", ";", "struct", "enum", "flags", "variant", "type", "const", "module", "fn",
  "command", "export", "optional", "convention", "reserved", "alias", "use", "\"a.idl\"", "{", "}", "(", ")",
  "<", ">", ",", ":", "=", "->", "!", "<<", "1", "0x10", "-1", "u8", "u32", "u64", "ptr", "list", "string",
  "result", "errno", "%2big", "/// doc\n", "// c\n", "\n", "@since(1.0.0)", "@unstable(f)", "@open", "@tier(full)",
];

const contract = readFileSync("test/fixtures/valid/every-construct/input.idl", "utf8");

describe("the compiler never throws on user input", () => {
  test.prop([fc.string({ maxLength: 300 })])("random text", (text) => expectWellFormed(text));

  test.prop([fc.array(fc.constantFrom(...tokens), { maxLength: 80 })])("random token soup", (parts) =>
    expectWellFormed(parts.join(" ")),
  );

  test.prop([
    fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 20 }), insert: fc.constantFrom("", ...tokens) }), {
      minLength: 1,
      maxLength: 6,
    }),
  ])("mutations of a valid contract", (edits) => {
    let text = contract;
    for (const e of edits) {
      const at = e.at % (text.length + 1);
      text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
    }
    expectWellFormed(text);
  });

  test.prop([fc.uint8Array({ maxLength: 200 })])("random bytes decoded leniently", (bytes) =>
    expectWellFormed(Buffer.from(bytes).toString("latin1")),
  );
});
