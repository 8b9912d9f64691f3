// Completion inside the libc block: its items (`header`, `fn`, `absent fn`), a header's kind, a
// function's change, the properties the function's change allows (those it has already, unless
// repeatable, are not offered again), and their values: declared headers, host imports as
// `module::function`, `errno` members, libc functions to use instead, what a stub returns.

import type { IToken } from "chevrotain";
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from "vscode-languageserver";
import { ALLOWED, PROPERTIES, REQUIRED } from "../check-libc.ts";
import { HEADER_KIND } from "../gen/libc.ts";
import * as T from "../lexer.ts";
import { LIBC_CHANGES, LIBC_HEADER_CHANGES, type ContractModel } from "../model.ts";
import type { ContractIndex } from "./symbols.ts";
import { LIBC_CHANGE_DOCS } from "./vocabulary.ts";

/** Where the cursor is in the libc block, as the enclosing-block scan found it. */
export type LibcPlace =
  | { kind: "block" }
  /** Inside a function's braces: its change as written (`absent` for an absent function). */
  | { kind: "function"; name: string; change: string };

const ITEM_SNIPPETS: CompletionItem[] = [
  {
    label: "header",
    kind: CompletionItemKind.Keyword,
    detail: "a header of the patched sysroot",
    insertText: `header "\${1:name.h}": \${2|${LIBC_HEADER_CHANGES.join(",")}|};`,
    insertTextFormat: InsertTextFormat.Snippet,
  },
  {
    label: "fn",
    kind: CompletionItemKind.Keyword,
    detail: "a function the patches add, replace or stub",
    insertText: `fn \${1:name}: \${2|${LIBC_CHANGES.join(",")}|} {\n    header "\${3:name.h}";\n    prototype "\${4:int} \${1:name}(\${5:void})";\n}`,
    insertTextFormat: InsertTextFormat.Snippet,
  },
  {
    label: "absent fn",
    kind: CompletionItemKind.Keyword,
    detail: "a function porters must do without",
    insertText: 'absent fn ${1:name} {\n    header "${2:name.h}";\n    instead ${3};\n}',
    insertTextFormat: InsertTextFormat.Snippet,
  },
];

/** Completions at a place of the libc block; `tokens` are those before what is being typed. */
export function completeLibc(place: LibcPlace, tokens: IToken[], index: ContractIndex, model: ContractModel | null): CompletionItem[] {
  const last = tokens[tokens.length - 1];
  const type = (i: number) => tokens[tokens.length + i]?.tokenType;
  if (place.kind === "block") {
    if (type(-1) === T.Colon && type(-2) === T.StringLiteral && type(-3) === T.Header)
      return LIBC_HEADER_CHANGES.map((c) => ({ label: c, kind: CompletionItemKind.EnumMember, documentation: HEADER_KIND[c] }));
    if (type(-1) === T.Colon && type(-3) === T.Fn)
      return LIBC_CHANGES.map((c) => ({ label: c, kind: CompletionItemKind.EnumMember, documentation: LIBC_CHANGE_DOCS[c] }));
    const startsItem = last === undefined || [T.Semi, T.LBrace, T.RBrace, T.DocComment, T.RParen].includes(last.tokenType) || type(-2) === T.At;
    return startsItem ? ITEM_SNIPPETS : [];
  }

  // Inside a function: the statement being written starts after the last `;` or `{`.
  let start = tokens.length;
  while (start > 0 && tokens[start - 1]!.tokenType !== T.Semi && tokens[start - 1]!.tokenType !== T.LBrace) start--;
  const statement = tokens.slice(start);
  if (statement.length === 0) return properties(place, tokens);
  const key = statement[0]!.image;
  // A value goes right after the key or a comma; `module::` being typed counts as the start of one.
  let end = statement.length;
  if (end >= 3 && statement[end - 1]!.tokenType === T.Colon && statement[end - 2]!.tokenType === T.Colon) end -= 3;
  const before = statement[end - 1]!;
  if (end !== 1 && before.tokenType !== T.Comma) return [];
  // The values already in the list, `module::function` as one.
  const written = new Set(
    statement
      .slice(1, end)
      .map((t) => (t.tokenType === T.Comma ? "," : t.image))
      .join("")
      .split(",")
      .filter(Boolean),
  );
  return values(key, place, written, index, model);
}

/** Property names the function's change allows, with their value shapes as snippets. */
function properties(place: Extract<LibcPlace, { kind: "function" }>, tokens: IToken[]): CompletionItem[] {
  const kind = place.change === "absent" || Object.hasOwn(ALLOWED, place.change) ? (place.change as keyof typeof ALLOWED) : null;
  const allowed = kind ? ALLOWED[kind] : Object.keys(PROPERTIES);
  // Keys already given in this body: each token that starts a statement.
  const body = tokens.slice(tokens.map((t) => t.tokenType).lastIndexOf(T.LBrace) + 1);
  const given = new Set(body.filter((_, i) => i === 0 || body[i - 1]!.tokenType === T.Semi).map((t) => t.image));
  return allowed
    .filter((k) => PROPERTIES[k]!.repeatable || !given.has(k))
    .map((k) => ({
      label: k,
      kind: CompletionItemKind.Property,
      detail: kind && REQUIRED[kind].includes(k) ? `required on ${kind}` : "libc property",
      documentation: { kind: MarkupKind.Markdown, value: PROPERTIES[k]!.what },
      insertText: PROPERTY_SNIPPETS[k]?.(place.name) ?? `${k} $1;`,
      insertTextFormat: InsertTextFormat.Snippet,
    }));
}

const PROPERTY_SNIPPETS: Record<string, (name: string) => string> = {
  header: () => 'header "$1";',
  prototype: (name) => `prototype "\${1:int} ${name}(\${2:void})";`,
  deviation: () => 'deviation "$1";',
  patch: () => 'patch "$1";',
};

function values(key: string, place: LibcPlace, written: Set<string>, index: ContractIndex, model: ContractModel | null): CompletionItem[] {
  const defs = [...index.defs.values()];
  switch (key) {
    case "header":
      // Inside the quotes the client replaces the word typed; before them, the quotes come too.
      // The quotes come with the name; a quote already typed is part of what the item replaces.
      return defs
        .filter((d) => d.kind === "header")
        .map((d) => ({ label: d.name, kind: CompletionItemKind.File, filterText: JSON.stringify(d.name), insertText: JSON.stringify(d.name) }));
    case "calls":
      return imports(index, model, written);
    case "instead":
      return [
        ...defs
          .filter((d) => d.kind === "libc" && d.libc?.kind === "fn" && (place.kind !== "function" || d.name !== place.name) && !written.has(d.name))
          .map((d) => ({ label: d.name, kind: CompletionItemKind.Function, detail: `libc function (${d.libc?.change})` })),
        ...imports(index, model, written),
      ];
    case "errno":
      return defs
        .filter((d) => d.kind === "member" && d.container === "errno" && d.name !== "success" && !written.has(d.name))
        .map((d) => ({ label: d.name, kind: CompletionItemKind.EnumMember, detail: "member of errno" }));
    case "returns":
      return ["-1", "0", "NULL"].map((v) => ({ label: v, kind: CompletionItemKind.Constant, detail: "what the stub returns" }));
    default:
      return [];
  }
}

/** Host imports a libc function may call: every function of every module, except refused ones (they are not linked). */
function imports(index: ContractIndex, model: ContractModel | null, written: Set<string>): CompletionItem[] {
  const refused = new Set(model?.modules.flatMap((m) => m.functions.filter((f) => f.status.kind === "refused").map((f) => `${m.name}.${f.name}`)) ?? []);
  return [...index.defs.values()]
    .filter((d) => d.kind === "function" && !refused.has(`${d.container}.${d.name}`))
    .map((d) => `${d.container}::${d.name}`)
    .filter((label) => !written.has(label))
    .map((label) => ({ label, kind: CompletionItemKind.Function, detail: "host import" }));
}
