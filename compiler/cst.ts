// Reading chevrotain's concrete syntax tree: the tokens and sub-rules under a key, skipping the
// tokens that error recovery invented. Shared by the AST builder and the formatter.

import type { CstElement, CstNode, IToken } from "chevrotain";

export function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

function real(t: IToken | undefined): t is IToken {
  return t !== undefined && !t.isInsertedInRecovery && Number.isFinite(t.startOffset) && Number.isFinite(t.startLine);
}

export function toks(node: CstNode | undefined, key: string): IToken[] {
  return (node?.children[key] ?? []).filter(isToken).filter(real);
}

export function tok(node: CstNode | undefined, key: string): IToken | undefined {
  return toks(node, key)[0];
}

export function subs(node: CstNode | undefined, key: string): CstNode[] {
  return (node?.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

export function sub(node: CstNode | undefined, key: string): CstNode | undefined {
  return subs(node, key)[0];
}
