// Reading chevrotain's concrete syntax tree: the tokens and sub-rules under a key, skipping the
// tokens that error recovery invented. Shared by the AST builder and the formatter. These run
// for every node of every file, mostly before V8 has optimised them, so each is one indexed pass
// (a for-of loop allocates an iterator and a result per element in unoptimised code) and
// `tok`/`sub` allocate nothing.

import type { CstElement, CstNode, IToken } from "chevrotain";

export function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

function real(t: IToken): boolean {
  return !t.isInsertedInRecovery && Number.isFinite(t.startOffset) && Number.isFinite(t.startLine);
}

export function toks(node: CstNode | undefined, key: string): IToken[] {
  const out: IToken[] = [];
  const list = node?.children[key];
  if (list)
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (isToken(e) && real(e)) out.push(e);
    }
  return out;
}

export function tok(node: CstNode | undefined, key: string): IToken | undefined {
  const list = node?.children[key];
  if (list)
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (isToken(e) && real(e)) return e;
    }
  return undefined;
}

export function subs(node: CstNode | undefined, key: string): CstNode[] {
  const out: CstNode[] = [];
  const list = node?.children[key];
  if (list)
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (!isToken(e)) out.push(e);
    }
  return out;
}

export function sub(node: CstNode | undefined, key: string): CstNode | undefined {
  const list = node?.children[key];
  if (list)
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (!isToken(e)) return e;
    }
  return undefined;
}
