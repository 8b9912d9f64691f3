// Cross-references in doc text: which backticked spans name an item of the contract, and which
// item. The checker reports the ones that name nothing (E0207); the docs target links the rest.
//
// Forms: an item's name (`errno`, `fd_write`, `dircookie_start`, `_start`, `dispatch`), a member
// as `type::member` or `type.member`, a function as `module.fn` or `module::fn` (aliases too), a
// parameter or out-value as `fn::param` or `fn.param`. Fenced code blocks are not searched.

import type { ContractModel } from "./model.ts";
import { members, reservedMembers } from "./query.ts";
import { suggest } from "./suggest.ts";

/**
 * The identity of a referable item: `module:M`, `type:T`, `member:T.m`, `const:C`, `fn:M.f`,
 * `param:M.f.p`, `out:M.f.v`, `export:E`, `convention:C`.
 */
export type ItemKey = string;

/** A backticked span of doc text: its inner text, the line it is on (0-based) and the column its text starts at (0-based). */
export interface CodeSpan {
  text: string;
  line: number;
  column: number;
}

const CODE_SPAN = /(?<!`)`([^`\n]+)`(?!`)/g;
const FENCE = /^\s*(```|~~~)/;

/** Rewrites each backticked span outside fenced blocks with `replace`; a null answer keeps it as written. */
export function rewriteCodeSpans(docs: string, replace: (span: CodeSpan) => string | null): string {
  // Most doc text has no code span at all.
  if (!docs.includes("`")) return docs;
  let fenced = false;
  return docs
    .split("\n")
    .map((line, index) => {
      if (FENCE.test(line)) fenced = !fenced;
      if (fenced) return line;
      return line.replace(CODE_SPAN, (whole, text: string, offset: number) => replace({ text, line: index, column: offset + 1 }) ?? whole);
    })
    .join("\n");
}

/**
 * Every backticked span outside fenced blocks: the spans `rewriteCodeSpans` visits, found without
 * building a rewritten text (the checker asks this of every doc comment).
 */
export function codeSpans(docs: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  if (!docs.includes("`")) return spans;
  let fenced = false;
  const lines = docs.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (FENCE.test(line)) fenced = !fenced;
    if (fenced || !line.includes("`")) continue;
    CODE_SPAN.lastIndex = 0;
    for (let m = CODE_SPAN.exec(line); m !== null; m = CODE_SPAN.exec(line)) spans.push({ text: m[1]!, line: index, column: m.index + 1 });
  }
  return spans;
}

interface Candidate {
  key: ItemKey;
  /** For functions and their parameters: the module, so a reference prefers its own module. */
  module: string | null;
}

const QUALIFIED = /^([A-Za-z_][A-Za-z0-9_]*)(::|\.)([A-Za-z0-9_]+)$/;

/**
 * What a reference may name, by every spelling the docs accept. Built on first use: most doc
 * text has no backticked span, and a contract whose docs have none never needs it.
 */
export class ReferenceIndex {
  private readonly refs = new Map<string, Candidate[]>();
  /** Owner (type, module or alias, function) -> the names it qualifies, for suggestions. */
  private readonly owned = new Map<string, Set<string>>();
  /** Module names and aliases. */
  private readonly modules = new Set<string>();
  private model: Pick<ContractModel, "types" | "constants" | "modules" | "command"> | null;

  constructor(model: Pick<ContractModel, "types" | "constants" | "modules" | "command">) {
    this.model = model;
  }

  /** Fills the maps from the model, once. */
  private built(): this {
    const model = this.model;
    if (model === null) return this;
    this.model = null;
    for (const m of model.modules)
      for (const name of [m.name, ...m.aliases]) {
        this.add(name, `module:${m.name}`, null);
        this.modules.add(name);
        this.own(name);
      }
    for (const t of model.types) {
      this.add(t.name, `type:${t.name}`, null);
      this.own(t.name);
      for (const member of [...members(t), ...reservedMembers(t)]) {
        const key = `member:${t.name}.${member.name}`;
        this.add(`${t.name}::${member.name}`, key, null);
        this.add(`${t.name}.${member.name}`, key, null);
        this.own(t.name, member.name);
      }
    }
    for (const c of model.constants) this.add(c.name, `const:${c.name}`, null);
    for (const m of model.modules)
      for (const f of m.functions) {
        const key = `fn:${m.name}.${f.name}`;
        this.add(f.name, key, m.name);
        this.own(f.name);
        for (const mod of [m.name, ...m.aliases]) {
          this.add(`${mod}.${f.name}`, key, m.name);
          this.add(`${mod}::${f.name}`, key, m.name);
          this.own(mod, f.name);
        }
        const values = f.result.kind === "expected" ? f.result.values : [];
        for (const [kind, name] of [...f.params.map((p) => ["param", p.name] as const), ...values.map((v) => ["out", v.name] as const)]) {
          const itemKey = `${kind}:${m.name}.${f.name}.${name}`;
          this.add(`${f.name}::${name}`, itemKey, m.name);
          this.add(`${f.name}.${name}`, itemKey, m.name);
          this.own(f.name, name);
        }
      }
    for (const e of model.command?.exports ?? []) this.add(e.name, `export:${e.name}`, null);
    for (const c of model.command?.conventions ?? []) this.add(c.name, `convention:${c.name}`, null);
    return this;
  }

  private add(text: string, key: ItemKey, module: string | null): void {
    const list = this.refs.get(text);
    if (list === undefined) this.refs.set(text, [{ key, module }]);
    else if (!list.some((c) => c.key === key)) list.push({ key, module });
  }

  private own(owner: string, name?: string): void {
    let names = this.owned.get(owner);
    if (names === undefined) this.owned.set(owner, (names = new Set()));
    if (name !== undefined) names.add(name);
  }

  /** Every item `text` may name, whatever the context. */
  candidates(text: string): ItemKey[] {
    return (this.built().refs.get(text) ?? []).map((c) => c.key);
  }

  /**
   * The item `text` names in doc text of `module` (null outside modules): the only candidate,
   * else the only one in that module, else the only one outside modules; null when it names
   * nothing or is ambiguous.
   */
  resolve(text: string, module: string | null): ItemKey | null {
    const list = this.built().refs.get(text) ?? [];
    if (list.length === 1) return list[0]!.key;
    const own = list.filter((c) => c.module !== null && c.module === module);
    if (own.length === 1) return own[0]!.key;
    const global = list.filter((c) => c.module === null);
    return global.length === 1 ? global[0]!.key : null;
  }

  /**
   * Whether text that names nothing clearly meant an item of this contract: `owner::name` with
   * the owner a type, module or function (`errno::nope`), or `module.name` (`host_fs.nope`).
   * `owner.name` with another owner stays prose: `errno.h` is a file name.
   */
  looksLikeReference(text: string): boolean {
    const m = QUALIFIED.exec(text);
    if (m === null) return false;
    this.built();
    return m[2] === "::" ? this.owned.has(m[1]!) : this.modules.has(m[1]!);
  }

  /** The closest existing spelling of a qualified reference that names nothing, or null. */
  suggestion(text: string): string | null {
    const m = QUALIFIED.exec(text);
    if (!m) return null;
    const [, owner, sep, name] = m;
    const best = suggest(name!, this.built().owned.get(owner!) ?? []);
    return best === null ? null : `${owner}${sep}${best}`;
  }
}
