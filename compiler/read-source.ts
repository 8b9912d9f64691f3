// Reading one IDL file as text, or the diagnostic that says why it cannot be used. Apart from
// the parser so that what only reads files (the check cache, --watch) does not load it.

import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { error, fileSpan, type Diagnostic } from "./diagnostics.ts";
import type { Span } from "./model.ts";

/**
 * Reads a source file, or explains why it cannot be used. `file` is read relative to `from`
 * (the working directory when empty); messages name it from the working directory.
 */
export function readSource(file: string, at?: Span, from = ""): { text: string } | { diagnostic: Diagnostic } {
  const span = at ?? fileSpan(file);
  const onDisk = from === "" ? file : path.resolve(from, file);
  const named = from === "" ? file : path.relative(process.cwd(), onDisk).split(path.sep).join("/");
  let bytes: Buffer;
  try {
    if (statSync(onDisk).isDirectory()) return { diagnostic: error("E0004", `\`${named}\` is a directory, not an IDL file`, span) };
    bytes = readFileSync(onDisk);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code ?? e);
    return { diagnostic: error("E0001", `cannot read \`${named}\`: ${why}`, span) };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { diagnostic: error("E0002", `\`${named}\` is not valid UTF-8 text`, span) };
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  return { text };
}
