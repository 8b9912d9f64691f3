// The typed syntax tree built from the CST: what the user wrote, with a span on every node.
// Nothing is resolved here; the checker turns it into the model.

import type { Span } from "./model.ts";

/**
 * A doc comment: its text (the `///` lines without the slashes and their common indentation,
 * blank lines at either end dropped) and where each line of that text starts in the source,
 * so a diagnostic about a word inside it can point at the word.
 */
export interface Docs {
  text: string;
  file: string;
  /** For line `i` of `text`, the 1-based source line and column of its first character. */
  lines: { line: number; column: number }[];
}

export type AnnotationValue =
  /** `path` is `type::member`; `word` a name, or hyphenated words (`read-only`). */
  | { kind: "word" | "path" | "version" | "string"; text: string; span: Span }
  | { kind: "int"; text: string; value: bigint; span: Span };

export interface Annotation {
  name: string;
  args: { key: string | null; value: AnnotationValue; span: Span }[];
  span: Span;
}

export type TypeExpr =
  | { kind: "name"; name: string; args: TypeExpr[]; span: Span }
  | { kind: "tuple"; fields: { name: string | null; type: TypeExpr; docs: Docs; span: Span }[]; span: Span };

interface Node {
  docs: Docs;
  annotations: Annotation[];
  span: Span;
  /** Span of the item's name, where diagnostics about the item point. */
  nameSpan: Span;
  name: string;
}

export interface MemberAst {
  name: string;
  nameSpan: Span;
  reserved: boolean;
  /** The literal as written: `5`, or the bit count of `1 << 5` in `bit`. */
  value: bigint | null;
  valueSpan: Span;
  bit: bigint | null;
  docs: Docs;
  span: Span;
}

export interface FieldAst {
  name: string;
  nameSpan: Span;
  type: TypeExpr;
  docs: Docs;
  span: Span;
}

export interface CaseAst {
  name: string;
  nameSpan: Span;
  payload: TypeExpr | null;
  docs: Docs;
  span: Span;
}

export type DeclAst =
  | (Node & { kind: "alias"; target: TypeExpr })
  | (Node & { kind: "enum"; repr: string; reprSpan: Span; members: MemberAst[] })
  | (Node & { kind: "flags"; repr: string; reprSpan: Span; members: MemberAst[] })
  | (Node & { kind: "struct"; fields: FieldAst[] })
  | (Node & { kind: "variant"; tag: string; tagSpan: Span; cases: CaseAst[] })
  | (Node & { kind: "const"; type: TypeExpr; value: bigint; valueSpan: Span });

export type FnResultAst = { kind: "none" } | { kind: "noreturn"; span: Span } | { kind: "type"; type: TypeExpr };

export interface FnAst extends Node {
  kind: "fn";
  params: FieldAst[];
  result: FnResultAst;
}

export interface ModuleAst extends Node {
  kind: "module";
  aliases: { name: string; span: Span; docs: Docs }[];
  functions: FnAst[];
  reservedFunctions: { name: string; span: Span }[];
  decls: DeclAst[];
}

export interface ExportAst {
  name: string;
  nameSpan: Span;
  optional: boolean;
  kind: string;
  kindSpan: Span;
  params: TypeExpr | null;
  results: TypeExpr | null;
  docs: Docs;
  annotations: Annotation[];
  span: Span;
}

export interface CommandAst {
  kind: "command";
  docs: Docs;
  annotations: Annotation[];
  span: Span;
  nameSpan: Span;
  exports: ExportAst[];
  conventions: { name: string; nameSpan: Span; docs: Docs; annotations: Annotation[]; span: Span }[];
  decls: DeclAst[];
}

/** One value of a libc property: a string, a number, a name or `module::function`. */
export interface LibcValueAst {
  kind: "string" | "int" | "name" | "qualified";
  /** The value; `module.function` for a qualified name. */
  text: string;
  span: Span;
}

export interface LibcPropertyAst {
  key: string;
  keySpan: Span;
  values: LibcValueAst[];
  span: Span;
}

export interface LibcHeaderAst {
  kind: "header";
  name: string;
  nameSpan: Span;
  change: string;
  changeSpan: Span;
  docs: Docs;
  annotations: Annotation[];
}

export interface LibcFnAst {
  kind: "fn" | "absent";
  name: string;
  nameSpan: Span;
  /** `added`, `replaced`, `stubbed` as written; null for an absent function. */
  change: string | null;
  changeSpan: Span | null;
  properties: LibcPropertyAst[];
  docs: Docs;
  annotations: Annotation[];
  span: Span;
}

export interface LibcAst {
  docs: Docs;
  annotations: Annotation[];
  span: Span;
  /** The `libc` keyword, where diagnostics about the block point. */
  nameSpan: Span;
  headers: LibcHeaderAst[];
  functions: LibcFnAst[];
}

export interface PackageAst {
  name: string;
  version: string;
  versionSpan: Span;
  docs: Docs;
  annotations: Annotation[];
  span: Span;
}

export interface UseAst {
  path: string;
  span: Span;
  annotations: Annotation[];
}

export interface FileAst {
  file: string;
  packages: PackageAst[];
  uses: UseAst[];
  decls: DeclAst[];
  modules: ModuleAst[];
  commands: CommandAst[];
  libcs: LibcAst[];
}
