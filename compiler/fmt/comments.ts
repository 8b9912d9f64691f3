// Where each plain comment belongs, so the printer can put it back: a comment on the same line
// as the token before it trails that token (`a = 0, // zero`); any other comment leads the
// next token (own-line comments above an item, inside a list, before a closing brace); the
// comments after the last token belong to the end of the file.

import type { IToken } from "chevrotain";

export interface CommentMap {
  leading: Map<IToken, IToken[]>;
  trailing: Map<IToken, IToken[]>;
  /** Comments after the last token (or every comment of a file without tokens). */
  atEnd: IToken[];
  /** The real token before `t` in source order, if any. */
  previous: Map<IToken, IToken>;
}

export function attachComments(tokens: IToken[], comments: IToken[]): CommentMap {
  const map: CommentMap = { leading: new Map(), trailing: new Map(), atEnd: [], previous: new Map() };
  for (let i = 1; i < tokens.length; i++) map.previous.set(tokens[i]!, tokens[i - 1]!);
  const add = (m: Map<IToken, IToken[]>, t: IToken, c: IToken): void => {
    const list = m.get(t);
    if (list) list.push(c);
    else m.set(t, [c]);
  };
  let next = 0; // index of the first token after the current comment
  for (const c of comments) {
    while (next < tokens.length && tokens[next]!.startOffset < c.startOffset) next++;
    const before = tokens[next - 1];
    const after = tokens[next];
    if (before && firstLine(c) === lastLine(before)) add(map.trailing, before, c);
    else if (after) add(map.leading, after, c);
    else map.atEnd.push(c);
  }
  return map;
}

/** The text of a comment as printed: trailing spaces removed from each of its lines. */
export function commentText(c: IToken): string {
  return c.image
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/[ \t]+$/, ""))
    .join("\n");
}

/** The line a token starts on (tokens from the lexer always have one). */
export function firstLine(t: IToken): number {
  return t.startLine ?? 1;
}

/** The line a token ends on: later than its first only for a multi-line block comment. */
export function lastLine(t: IToken): number {
  return t.endLine ?? firstLine(t);
}
