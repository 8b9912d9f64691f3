// The doc-reference check: every backticked reference in a doc comment, or in the prose of
// @deprecated(note = ...), @compat, @refused, @deviation and a libc `deviation`, that is qualified like a reference
// (`errno::badf`, `host_fs.path_size`) must name an item of the contract (E0207). Run on a
// contract that otherwise checks, so an item that failed to check does not make every mention
// of it an error too. (Plain words such as `isatty` may also be libc names: they link when they
// name one item and are left alone otherwise.)

import type { Annotation, Docs, FileAst } from "./ast.ts";
import { error, withReplacement, type Diagnostic } from "./diagnostics.ts";
import { codeSpans, type ReferenceIndex } from "./doc-refs.ts";
import type { Span } from "./model.ts";
import { exhaustive } from "./query.ts";

/** Prose arguments rendered as doc text: `@deprecated(note = ...)`, `@compat(...)`, `@refused(...)`. */
const PROSE_ANNOTATIONS: Record<string, (key: string | null) => boolean> = {
  deprecated: (key) => key === "note",
  compat: (key) => key === null,
  refused: (key) => key === null,
  deviation: (key) => key === null,
};

export function checkDocReferences(files: FileAst[], index: ReferenceIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  visitDocTexts(files, (text, at) => {
    for (const ref of codeSpans(text)) {
      // Only a qualified reference whose owner exists can name nothing; a known one names something.
      if (!index.looksLikeReference(ref.text) || index.candidates(ref.text).length > 0) continue;
      const d = error("E0207", `doc reference \`${ref.text}\` names nothing in the contract`, at(ref.line, ref.column, ref.text.length));
      out.push(withReplacement(d, index.suggestion(ref.text)));
    }
  });
  return out;
}

/** Where a piece of doc text is: the source span of `length` characters at a 0-based line and column of the text. */
export type DocTextSpan = (line: number, column: number, length: number) => Span;

/**
 * Every piece of doc text of the files, in order: doc comments, and the prose of annotations
 * and of libc `deviation`s, with where it is in the source and the module it is in (null
 * outside modules), the context in which its references resolve. The checker checks the
 * references; the language server links them.
 */
export function visitDocTexts(files: FileAst[], visit: (text: string, at: DocTextSpan, module: string | null) => void): void {
  let module: string | null = null;
  const check = (text: string, at: DocTextSpan): void => visit(text, at, module);
  const docs = (d: Docs): void =>
    check(d.text, (line, column, length) => {
      const origin = d.lines[line]!;
      return { file: d.file, line: origin.line, column: origin.column + column, endLine: origin.line, endColumn: origin.column + column + length };
    });
  /** A string literal is one line; its text starts one column after the opening quote. */
  const literal = (text: string, at: Span): void =>
    check(text, (_, column, length) => ({
      file: at.file,
      line: at.line,
      column: at.column + 1 + column,
      endLine: at.line,
      endColumn: at.column + 1 + column + length,
    }));
  const prose = (annotations: Annotation[]): void => {
    for (const a of annotations)
      for (const arg of a.args)
        if (arg.value.kind === "string" && PROSE_ANNOTATIONS[a.name]?.(arg.key)) literal(arg.value.text, arg.value.span);
  };

  for (const file of files) {
    for (const p of file.packages) docs(p.docs);
    const decls = (list: FileAst["decls"]): void => {
      for (const d of list) {
        docs(d.docs);
        prose(d.annotations);
        switch (d.kind) {
          case "enum":
          case "flags":
            d.members.forEach((m) => docs(m.docs));
            break;
          case "struct":
            d.fields.forEach((f) => docs(f.docs));
            break;
          case "variant":
            d.cases.forEach((c) => docs(c.docs));
            break;
          case "alias":
          case "const":
            break;
          default:
            exhaustive(d, "declaration kind");
        }
      }
    };
    decls(file.decls);
    for (const m of file.modules) {
      module = m.name;
      docs(m.docs);
      prose(m.annotations);
      m.aliases.forEach((a) => docs(a.docs));
      decls(m.decls);
      for (const f of m.functions) {
        docs(f.docs);
        prose(f.annotations);
        f.params.forEach((p) => docs(p.docs));
        if (f.result.kind === "type" && f.result.type.kind === "name")
          for (const arg of f.result.type.args) if (arg.kind === "tuple") arg.fields.forEach((v) => docs(v.docs));
      }
      module = null;
    }
    for (const block of file.libcs) {
      docs(block.docs);
      prose(block.annotations);
      for (const h of block.headers) docs(h.docs);
      for (const f of block.functions) {
        docs(f.docs);
        prose(f.annotations);
        for (const p of f.properties) if (p.key === "deviation") for (const v of p.values) if (v.kind === "string") literal(v.text, v.span);
      }
    }
    for (const c of file.commands) {
      docs(c.docs);
      c.exports.forEach((e) => docs(e.docs));
      c.conventions.forEach((v) => docs(v.docs));
      decls(c.decls);
    }
  }
}
