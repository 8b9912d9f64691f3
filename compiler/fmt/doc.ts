// The layout engine behind `abic fmt`: a small Wadler-style document (text, line breaks that a
// group takes flat or broken, indentation) and its printer. A group is printed flat when it
// fits the width together with what follows it up to the next possible break, as prettier does.

export type Doc =
  | string
  | Doc[]
  | { kind: "indent"; contents: Doc }
  | { kind: "group"; contents: Doc; broken: boolean }
  | { kind: "line"; flat: "" | " "; hard: boolean }
  | { kind: "freshline" }
  | { kind: "ifBreak"; broken: Doc; flat: Doc }
  | { kind: "lineSuffix"; text: string }
  | { kind: "breakParent" };

/** A space when the enclosing group is flat, a line break when it is broken. */
export const line: Doc = { kind: "line", flat: " ", hard: false };
/** Nothing when flat, a line break when broken. */
export const softline: Doc = { kind: "line", flat: "", hard: false };
/** Always a line break; breaks every group around it. */
export const hardline: Doc = [{ kind: "line", flat: "", hard: true }, { kind: "breakParent" }];
/** A line break unless the current line is still empty (own-line comments). */
export const freshline: Doc = [{ kind: "freshline" }, { kind: "breakParent" }];
export const breakParent: Doc = { kind: "breakParent" };

export const indent = (contents: Doc): Doc => ({ kind: "indent", contents });
export const group = (contents: Doc): Doc => ({ kind: "group", contents, broken: false });
export const ifBreak = (broken: Doc, flat: Doc = ""): Doc => ({ kind: "ifBreak", broken, flat });
/** Text held back until the end of the line (a trailing `//` comment after a comma). */
export const lineSuffix = (text: string): Doc => ({ kind: "lineSuffix", text });

export function join(separator: Doc, docs: Doc[]): Doc[] {
  return docs.flatMap((d, i) => (i === 0 ? [d] : [separator, d]));
}

/** Marks every group that contains a forced break (at any depth) as broken; returns whether `doc` does. */
function propagateBreaks(doc: Doc): boolean {
  if (typeof doc === "string") return doc.includes("\n");
  if (Array.isArray(doc)) {
    let any = false;
    for (const d of doc) any = propagateBreaks(d) || any;
    return any;
  }
  switch (doc.kind) {
    case "breakParent":
      return true;
    case "indent":
      return propagateBreaks(doc.contents);
    case "group":
      if (propagateBreaks(doc.contents)) doc.broken = true;
      return doc.broken;
    case "ifBreak":
      // Only the flat branch can force a break: the broken one is printed when broken anyway.
      propagateBreaks(doc.broken);
      return propagateBreaks(doc.flat);
    default:
      return false;
  }
}

type Mode = "flat" | "break";
interface Command {
  indent: number;
  mode: Mode;
  doc: Doc;
}

/** Whether `next` fits in `width` columns, followed by `rest` up to its first line break. */
function fits(next: Command, rest: Command[], width: number): boolean {
  let restIndex = rest.length;
  const todo: Command[] = [next];
  while (width >= 0) {
    const cmd = todo.pop();
    if (!cmd) {
      if (restIndex === 0) return true;
      todo.push(rest[--restIndex]!);
      continue;
    }
    const { mode, doc } = cmd;
    if (typeof doc === "string") {
      if (doc.includes("\n")) return false;
      width -= doc.length;
    } else if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) todo.push({ ...cmd, doc: doc[i]! });
    } else
      switch (doc.kind) {
        case "indent":
          todo.push({ ...cmd, doc: doc.contents });
          break;
        case "group":
          todo.push({ ...cmd, mode: doc.broken ? "break" : mode, doc: doc.contents });
          break;
        case "ifBreak":
          todo.push({ ...cmd, doc: mode === "break" ? doc.broken : doc.flat });
          break;
        case "line":
          if (mode === "break" || doc.hard) return true;
          width -= doc.flat.length;
          break;
        case "freshline":
          return true;
        default:
          break;
      }
  }
  return false;
}

/** Lays `doc` out in `width` columns with `indentWidth` spaces per level; no trailing spaces. */
export function printDoc(doc: Doc, width: number, indentWidth = 4): string {
  propagateBreaks(doc);
  const out: string[] = [];
  let lineText = "";
  let suffixes: string[] = [];
  const stack: Command[] = [{ indent: 0, mode: "break", doc }];
  const newline = (indentLevel: number): void => {
    out.push(lineText.replace(/[ \t]+$/, ""));
    lineText = " ".repeat(indentLevel * indentWidth);
  };
  const breakLine = (cmd: Command, fresh: boolean): void => {
    if (suffixes.length) {
      // A trailing comment goes at the end of the line it was on. Two line comments cannot
      // share a line (the second would become part of the first): the others get lines of
      // their own, where the next run finds them above what follows: indented as the deeper
      // of this line and the next (after `{` the members; before `}` the last member).
      stack.push(cmd);
      const lineIndent = " ".repeat(Math.max(/^ */.exec(lineText)![0].length, cmd.indent * indentWidth));
      lineText += suffixes[0];
      for (const s of suffixes.slice(1)) {
        out.push(lineText.replace(/[ \t]+$/, ""));
        lineText = lineIndent + s.trimStart();
      }
      suffixes = [];
    } else if (fresh && lineText.trim() === "") lineText = " ".repeat(cmd.indent * indentWidth);
    else newline(cmd.indent);
  };
  while (stack.length) {
    const cmd = stack.pop()!;
    const { indent: level, mode, doc: d } = cmd;
    if (typeof d === "string") {
      const parts = d.split("\n");
      lineText += parts[0];
      // Text with line breaks (a multi-line block comment) is kept as written.
      for (const p of parts.slice(1)) {
        out.push(lineText.replace(/[ \t]+$/, ""));
        lineText = p;
      }
      continue;
    }
    if (Array.isArray(d)) {
      for (let i = d.length - 1; i >= 0; i--) stack.push({ ...cmd, doc: d[i]! });
      continue;
    }
    switch (d.kind) {
      case "indent":
        stack.push({ indent: level + 1, mode, doc: d.contents });
        break;
      case "group": {
        const flat: Command = { indent: level, mode: "flat", doc: d.contents };
        const room = width - lineText.length;
        stack.push(!d.broken && fits(flat, stack, room) ? flat : { indent: level, mode: "break", doc: d.contents });
        break;
      }
      case "ifBreak":
        stack.push({ ...cmd, doc: mode === "break" ? d.broken : d.flat });
        break;
      case "lineSuffix":
        suffixes.push(d.text);
        break;
      case "line":
        if (mode === "flat" && !d.hard) lineText += d.flat;
        else breakLine(cmd, false);
        break;
      case "freshline":
        breakLine(cmd, true);
        break;
      case "breakParent":
        break;
    }
  }
  suffixes.forEach((s, i) => {
    if (i > 0) newline(0);
    lineText += i > 0 ? s.trimStart() : s;
  });
  out.push(lineText.replace(/[ \t]+$/, ""));
  return out.join("\n");
}
