// Rename of a type, constant or function across every file of its contract: the declaration,
// every use as a type, `@deprecated(use = ...)` and backticked doc-comment references. A stable
// item is refused: by the contract's own rules its name is part of the ABI (generated C and
// TypeScript names, import names), so renaming it breaks every guest and host built against it.

import type { Span } from "../model.ts";
import * as T from "../lexer.ts";
import { findAnnotation } from "../gates.ts";
import type { ContractIndex, Occurrence, SymbolDef } from "./symbols.ts";
import { builtinType } from "./vocabulary.ts";

const RENAMEABLE = new Set<SymbolDef["kind"]>(["type", "const", "function"]);

export type RenameCheck = { ok: true; def: SymbolDef; occurrence: Occurrence } | { ok: false; message: string };

/** Whether the item under the cursor may be renamed, and why not. */
export function checkRename(index: ContractIndex, file: string, line: number, column: number): RenameCheck {
  const occurrence = index.at(file, line, column);
  const def = occurrence && index.defs.get(occurrence.key);
  if (!occurrence || !def) return { ok: false, message: "Only a type, constant or function declared in the contract can be renamed." };
  if (def.kind === "libc")
    return { ok: false, message: `\`${def.name}\` is a C library function: its name is the symbol guests link, which the patched libc defines, so it cannot be renamed.` };
  if (def.kind === "header") return { ok: false, message: `\`${def.name}\` is a header's path in the sysroot, which the patched libc installs, so it cannot be renamed.` };
  if (!RENAMEABLE.has(def.kind)) return { ok: false, message: `A ${def.kind === "member" ? "member, field or case" : def.kind} cannot be renamed here: only types, constants and functions.` };
  const since = findAnnotation(def.annotations ?? [], "since");
  if (since) {
    const version = since.args[0]?.value.text ?? "";
    return {
      ok: false,
      message:
        `\`${def.name}\` is stable (@since(${version})): its name is part of the ABI, so renaming it breaks every guest ` +
        "and host built against the contract. Add the new name as a new item and deprecate this one instead.",
    };
  }
  return { ok: true, def, occurrence };
}

/** The edits of a rename, by file; or the reason the new name is refused. */
export function renameEdits(index: ContractIndex, def: SymbolDef, newName: string): { edits: Map<string, Span[]> } | { message: string } {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return { message: `\`${newName}\` is not an identifier.` };
  if (isKeyword(newName)) return { message: `\`${newName}\` is a keyword.` };
  if (def.kind !== "function" && builtinType(newName)) return { message: `\`${newName}\` is a built-in type.` };
  const clash =
    def.kind === "function"
      ? index.defs.get(`fn:${def.container}.${newName}`)
      : (index.lookup(newName) ?? undefined);
  if (clash && clash.key !== def.key) return { message: `\`${newName}\` is already defined in the contract.` };
  const edits = new Map<string, Span[]>();
  for (const o of index.references(def.key)) edits.set(o.span.file, [...(edits.get(o.span.file) ?? []), o.span]);
  return { edits };
}

function isKeyword(name: string): boolean {
  const tokens = T.tokenize(name).tokens;
  return tokens.length === 1 && tokens[0]!.tokenType !== T.Identifier;
}
