// TypeScript -> JavaScript and declaration files for the TS target's `js+dts` output, and the
// import-specifier rewrite of the static runtime. The generated TypeScript keeps two rules that
// tsc checks in the tests (`erasableSyntaxOnly`, `isolatedDeclarations`): its only TypeScript
// syntax is types, which JavaScript simply drops, and everything exported carries its type, so
// a declaration file is the source with bodies and private details removed. Both transforms are
// therefore syntactic (no type checker, no TypeScript at run time); they work on the AST of
// prettier's TypeScript-aware Babel parser and refuse any syntax they do not know.

import { parsers } from "prettier/plugins/babel";

/** A Babel AST node, as far as these transforms look at it. */
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

interface Comment {
  type: "CommentBlock" | "CommentLine";
  start: number;
  end: number;
}

interface Program {
  body: Node[];
  comments: Comment[];
}

/** A construct outside the TypeScript subset the transforms handle: a bug in a template. */
export class TranspileError extends Error {}

async function parse(text: string, file: string): Promise<Program> {
  // The parser reads no option this needs; prettier's type asks for its whole option set.
  const options = { originalText: text } as Parameters<(typeof parsers)["babel-ts"]["parse"]>[1];
  const ast = (await parsers["babel-ts"].parse(text, options)) as { program?: { body: Node[] }; comments?: Comment[] };
  if (ast.program === undefined) throw new TranspileError(`${file}: the parser returned no program`);
  return { body: ast.program.body, comments: ast.comments ?? [] };
}

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && typeof (v as Node).type === "string";

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments" || key === "extra") continue;
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

function fail(file: string, text: string, node: Node, what: string): never {
  const line = text.slice(0, node.start).split("\n").length;
  throw new TranspileError(`${file}:${line}: ${what} (${node.type}): not supported by the js+dts output`);
}

// ---------------------------------------------------------------------------------------------
// Import specifiers

/** The extension relative imports end with: `.js`, `.ts`, or none. */
export type SpecifierExtension = ".js" | ".ts" | "";

/**
 * Rewrites every relative `.ts` import/export specifier of `text` to end in `extension` (the
 * static runtime is written with `.ts` specifiers, as the repository's sources are).
 */
export async function rewriteRelativeImports(text: string, file: string, extension: SpecifierExtension): Promise<string> {
  const program = await parse(text, file);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of program.body) {
    const source = statement["source"];
    if (!isNode(source) || source.type !== "StringLiteral") continue;
    const value = source["value"] as string;
    if (!value.startsWith("./") && !value.startsWith("../")) continue;
    if (!value.endsWith(".ts")) fail(file, text, statement, `relative import ${JSON.stringify(value)} without a .ts extension`);
    edits.push({ start: source.start, end: source.end, text: JSON.stringify(value.slice(0, -3) + extension) });
  }
  return applyEdits(text, edits);
}

function applyEdits(text: string, edits: { start: number; end: number; text: string }[]): string {
  let out = "";
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (e.start < at) continue; // inside a range already replaced
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------------
// JavaScript: the source with its types removed

const MODIFIERS = new Set(["public", "private", "protected", "readonly", "declare", "override", "abstract"]);

/**
 * The JavaScript of erasable TypeScript: every type annotation, type declaration, type-only
 * import, assertion and modifier is blanked out; what remains is valid JavaScript with the same
 * behaviour (formatting is left to the caller).
 */
export async function eraseTypes(text: string, file: string): Promise<string> {
  const program = await parse(text, file);
  const cuts: { start: number; end: number }[] = [];
  const cut = (start: number, end: number): void => void cuts.push({ start, end });
  const cutStatement = (node: Node, previousEnd: number): void => {
    // The statement and its doc comments (`/** ... */` between it and the previous one).
    for (const c of program.comments)
      if (c.start >= previousEnd && c.end <= node.start && text.startsWith("/**", c.start)) cut(c.start, c.end);
    cut(node.start, node.end);
  };
  /** Blanks TypeScript modifiers between a class member's start and its key. */
  const cutModifiers = (member: Node, keyStart: number): void => {
    const prefix = text.slice(member.start, keyStart);
    for (const m of prefix.matchAll(/[A-Za-z]+/g))
      if (MODIFIERS.has(m[0])) cut(member.start + m.index, member.start + m.index + m[0].length);
  };

  const visit = (node: Node): void => {
    switch (node.type) {
      case "TSEnumDeclaration":
      case "TSModuleDeclaration":
      case "TSParameterProperty":
      case "TSImportEqualsDeclaration":
      case "TSExportAssignment":
      case "TSTypeAssertion":
        fail(file, text, node, "non-erasable TypeScript syntax");
        break;
      case "TSAsExpression":
      case "TSSatisfiesExpression":
      case "TSNonNullExpression":
        visit(node["expression"] as Node);
        cut((node["expression"] as Node).end, node.end);
        return;
      case "ClassDeclaration":
      case "ClassExpression":
        if (node["abstract"] === true) {
          // `abstract class`: the keyword sits at (or just before) the declaration's start.
          const from = Math.max(0, node.start - "abstract ".length);
          const at = text.slice(from, (node["id"] as Node).start).search(/\babstract\b/);
          if (at < 0) fail(file, text, node, "an abstract class whose keyword cannot be found");
          cut(from + at, from + at + "abstract".length);
        }
        for (const key of ["typeParameters", "superTypeParameters", "superTypeArguments"]) {
          const tp = node[key];
          if (isNode(tp)) cut(tp.start, tp.end);
        }
        {
          const impl = node["implements"] as Node[] | null | undefined;
          if (impl && impl.length > 0) {
            const keyword = text.lastIndexOf("implements", impl[0]!.start);
            cut(keyword, impl[impl.length - 1]!.end);
          }
        }
        if (node["id"]) visit(node["id"] as Node);
        if (node["superClass"]) visit(node["superClass"] as Node);
        visitClassBody(node["body"] as Node);
        return;
      case "Identifier":
        if (node["optional"] === true) {
          const name = node["name"] as string;
          const q = node.start + name.length;
          if (text[q] === "?") cut(q, q + 1);
        }
        break;
    }
    if (node.type.startsWith("TS")) fail(file, text, node, "TypeScript syntax in a value position");
    for (const key of ["typeAnnotation", "returnType", "typeParameters", "typeArguments", "predicate"]) {
      const t = node[key];
      if (isNode(t)) cut(t.start, t.end);
    }
    for (const child of children(node)) {
      if (["typeAnnotation", "returnType", "typeParameters", "typeArguments", "predicate"].some((k) => node[k] === child)) continue;
      visit(child);
    }
  };

  const visitClassBody = (body: Node): void => {
    let previousEnd = body.start + 1;
    for (const member of body["body"] as Node[]) {
      const key = member["key"] as Node | undefined;
      if (
        member.type === "TSDeclareMethod" ||
        member.type === "TSIndexSignature" ||
        member["declare"] === true ||
        (member["abstract"] === true && member.type === "ClassProperty")
      ) {
        cutStatement(member, previousEnd);
      } else if (member.type === "ClassProperty" || member.type === "ClassMethod" || member.type === "ClassPrivateProperty" || member.type === "ClassPrivateMethod") {
        if (key) {
          // A computed key starts at `[`, before the key expression.
          const keyStart = member["computed"] === true ? text.lastIndexOf("[", key.start) : key.start;
          cutModifiers(member, keyStart);
          if (member.type === "ClassProperty" && (member["definite"] === true || member["optional"] === true)) {
            const after = member["computed"] === true ? text.indexOf("]", key.end) + 1 : key.end;
            if (text[after] === "!" || text[after] === "?") cut(after, after + 1);
          }
        }
        visit(member);
      } else if (member.type === "StaticBlock") {
        visit(member);
      } else {
        fail(file, text, member, "class member");
      }
      previousEnd = member.end;
    }
  };

  let previousEnd = 0;
  for (const statement of program.body) {
    if (isTypeOnlyStatement(statement)) cutStatement(statement, previousEnd);
    else if (statement.type === "ImportDeclaration" || (statement.type === "ExportNamedDeclaration" && statement["source"])) {
      const specifiers = statement["specifiers"] as Node[];
      const typeOnly = specifiers.filter((s) => s["importKind"] === "type" || s["exportKind"] === "type");
      if (typeOnly.length > 0 && typeOnly.length === specifiers.length) cutStatement(statement, previousEnd);
      else for (const s of typeOnly) cut(s.start, text[s.end] === "," ? s.end + 1 : s.end);
    } else if (statement.type === "ExportNamedDeclaration" && !statement["declaration"]) {
      // `export { a, type B };`
      for (const s of statement["specifiers"] as Node[]) if (s["exportKind"] === "type") cut(s.start, text[s.end] === "," ? s.end + 1 : s.end);
    } else {
      visit(statement);
    }
    previousEnd = statement.end;
  }
  return blank(text, cuts);
}

/** Whether a top-level statement is nothing but types (removed whole from the JavaScript). */
function isTypeOnlyStatement(statement: Node): boolean {
  const inner = statement.type === "ExportNamedDeclaration" && isNode(statement["declaration"]) ? (statement["declaration"] as Node) : statement;
  if (inner.type === "TSInterfaceDeclaration" || inner.type === "TSTypeAliasDeclaration" || inner.type === "TSDeclareFunction") return true;
  if (inner["declare"] === true) return true;
  if (statement.type === "ImportDeclaration" && statement["importKind"] === "type") return true;
  if ((statement.type === "ExportNamedDeclaration" || statement.type === "ExportAllDeclaration") && statement["exportKind"] === "type") return true;
  return false;
}

/** Replaces every cut range with spaces (newlines kept), so positions and line structure stay. */
function blank(text: string, cuts: { start: number; end: number }[]): string {
  const chars = text.split("");
  for (const { start, end } of cuts) for (let i = start; i < end; i++) if (chars[i] !== "\n") chars[i] = " ";
  return chars.join("");
}

// ---------------------------------------------------------------------------------------------
// Declarations: types and signatures, no bodies

/**
 * The declaration file of TypeScript whose exports all carry explicit types: imports,
 * re-exports, interfaces and type aliases as written; functions, classes and constants as
 * `declare` signatures with their doc comments; private details and non-exported values omitted.
 * Imports no declaration refers to are dropped.
 */
export async function declarations(text: string, file: string): Promise<string> {
  const program = await parse(text, file);
  const src = (n: Node | Comment): string => text.slice(n.start, n.end);
  /** The doc comment (`/** ... *\/`) right in front of a node, if any. */
  const docOf = (node: Node, previousEnd: number): string => {
    const docs = program.comments.filter((c) => c.type === "CommentBlock" && c.start >= previousEnd && c.end <= node.start && text.startsWith("/**", c.start));
    return docs.length > 0 ? src(docs[docs.length - 1]!) + "\n" : "";
  };
  const typeOf = (annotation: unknown, node: Node, what: string): string => {
    if (!isNode(annotation)) fail(file, text, node, `${what} without an explicit type`);
    return text.slice(annotation.start, annotation.end).replace(/^:\s*/, "");
  };
  const typeParams = (node: Node): string => (isNode(node["typeParameters"]) ? src(node["typeParameters"] as Node) : "");
  const params = (node: Node): string =>
    (node["params"] as Node[])
      .map((p) => {
        if (p.type === "Identifier") return src(p);
        if (p.type === "AssignmentPattern") {
          const left = p["left"] as Node;
          if (left.type !== "Identifier") fail(file, text, p, "a destructured parameter with a default");
          return `${left["name"] as string}?: ${typeOf(left["typeAnnotation"], left, "a parameter with a default")}`;
        }
        if (p.type === "RestElement") return src(p);
        return fail(file, text, p, "parameter");
      })
      .join(", ");
  const signature = (node: Node, name: string): string => `${name}${typeParams(node)}(${params(node)}): ${typeOf(node["returnType"], node, "a function")}`;

  const literalType = (node: Node): string => {
    switch (node.type) {
      case "NumericLiteral":
      case "BigIntLiteral":
      case "StringLiteral":
      case "BooleanLiteral":
        return src(node);
      case "UnaryExpression": {
        const arg = node["argument"] as Node;
        if (node["operator"] === "-" && (arg.type === "NumericLiteral" || arg.type === "BigIntLiteral")) return src(node);
        break;
      }
      case "ArrayExpression":
        return `readonly [${(node["elements"] as Node[]).map(literalType).join(", ")}]`;
      case "ObjectExpression":
        // One member per line, as tsc writes them.
        return `{\n${(node["properties"] as Node[])
          .map((p) => {
            const key = p["key"] as Node;
            if (p.type !== "ObjectProperty" || p["computed"] === true || p["shorthand"] === true) fail(file, text, p, "object member in a const object");
            return `readonly ${src(key)}: ${literalType(p["value"] as Node)};`;
          })
          .join("\n")}\n}`;
    }
    return fail(file, text, node, "a value whose type is not a literal (give it an explicit type)");
  };

  /** `<T>` of `extends Base<T>` (Babel names the field differently across versions). */
  const superTypeArguments = (decl: Node): string => {
    const args = decl["superTypeArguments"] ?? decl["superTypeParameters"];
    return isNode(args) ? src(args) : "";
  };

  const classMember = (member: Node): string | null => {
    const key = member["key"] as Node;
    const name = member["computed"] === true ? `[${src(key)}]` : src(key);
    const accessibility = member["accessibility"] as string | undefined;
    const prefix = [
      accessibility && accessibility !== "public" ? accessibility : null,
      member["static"] === true ? "static" : null,
      member["abstract"] === true ? "abstract" : null,
      member["readonly"] === true ? "readonly" : null,
    ]
      .filter((m) => m !== null)
      .join(" ");
    const lead = prefix ? `${prefix} ` : "";
    // Private members are named (they take part in assignability) without their types.
    if (accessibility === "private") return member.type === "ClassMethod" && member["kind"] === "constructor" ? `private constructor();` : `${lead}${name};`;
    switch (member.type) {
      case "ClassProperty":
        return `${lead}${name}${member["optional"] === true ? "?" : ""}: ${typeOf(member["typeAnnotation"], member, "a class property")};`;
      case "ClassMethod":
      case "TSDeclareMethod":
        switch (member["kind"]) {
          case "constructor":
            return `constructor(${params(member)});`;
          case "get":
            return `${lead}get ${name}(): ${typeOf(member["returnType"], member, "a getter")};`;
          case "set":
            return `${lead}set ${name}(${params(member)});`;
          default:
            return `${lead}${signature(member, name)};`;
        }
      case "TSIndexSignature":
        return src(member);
    }
    return fail(file, text, member, "class member");
  };

  const out: string[] = [];
  /** Imports and re-exports stay on consecutive lines; other declarations get a blank line. */
  const joined = (): string =>
    out.reduce((all, item, i) => {
      const together = i > 0 && /^(import|export \*|export (type )?\{)/.test(item) && /^(import|export \*|export (type )?\{)/.test(out[i - 1]!);
      return i === 0 ? item : all + (together ? "\n" : "\n\n") + item;
    }, "");
  // The file's header comments (banner and description) come first.
  const firstStart = program.body[0]?.start ?? text.length;
  const header = program.comments.filter((c) => c.end <= firstStart && c.type === "CommentLine");
  if (header.length > 0) out.push(text.slice(header[0]!.start, header[header.length - 1]!.end) + "\n");
  let previousEnd = header.length > 0 ? header[header.length - 1]!.end : 0;
  for (const statement of program.body) {
    const doc = docOf(statement, previousEnd);
    previousEnd = statement.end;
    const exported = statement.type === "ExportNamedDeclaration" && isNode(statement["declaration"]);
    const decl = exported ? (statement["declaration"] as Node) : statement;
    const exportKeyword = exported ? "export " : "";
    switch (decl.type) {
      case "ImportDeclaration":
      case "ExportAllDeclaration":
      case "ExportNamedDeclaration":
        out.push(src(statement));
        continue;
      case "TSInterfaceDeclaration":
      case "TSTypeAliasDeclaration":
        out.push(doc + src(statement));
        continue;
    }
    if (!exported) {
      // Module-private values are no part of the declarations.
      if (["VariableDeclaration", "FunctionDeclaration", "ClassDeclaration"].includes(decl.type)) continue;
      fail(file, text, statement, "top-level statement");
    }
    switch (decl.type) {
      case "FunctionDeclaration":
        out.push(`${doc}${exportKeyword}declare function ${signature(decl, src(decl["id"] as Node))};`);
        break;
      case "VariableDeclaration":
        if (decl["kind"] !== "const") fail(file, text, decl, "an exported `let` or `var`");
        for (const d of decl["declarations"] as Node[]) {
          const id = d["id"] as Node;
          const init = d["init"] as Node | null;
          const name = id["name"] as string;
          let type: string;
          if (isNode(id["typeAnnotation"])) type = typeOf(id["typeAnnotation"], id, "a constant");
          else if (init && init.type === "TSAsExpression" && src(init["typeAnnotation"] as Node) === "const") type = literalType(init["expression"] as Node);
          else type = fail(file, text, d, "an exported constant without an explicit type or `as const`");
          out.push(`${doc}${exportKeyword}declare const ${name}: ${type};`);
        }
        break;
      case "ClassDeclaration": {
        const heading = [
          `${exportKeyword}declare ${decl["abstract"] === true ? "abstract " : ""}class ${src(decl["id"] as Node)}${typeParams(decl)}`,
          decl["superClass"] ? ` extends ${src(decl["superClass"] as Node)}${superTypeArguments(decl)}` : "",
          (decl["implements"] as Node[] | undefined)?.length ? ` implements ${(decl["implements"] as Node[]).map(src).join(", ")}` : "",
        ].join("");
        const body = decl["body"] as Node;
        const members: string[] = [];
        let memberEnd = body.start + 1;
        for (const member of body["body"] as Node[]) {
          const line = classMember(member);
          if (line !== null) members.push(docOf(member, memberEnd) + line);
          memberEnd = member.end;
        }
        out.push(`${doc}${heading} {\n${members.join("\n")}\n}`);
        break;
      }
      default:
        fail(file, text, statement, "exported declaration");
    }
  }
  return dropUnusedImports(joined() + "\n", file);
}

/** Removes import specifiers (and whole imports) the declarations never refer to. */
async function dropUnusedImports(text: string, file: string): Promise<string> {
  const program = await parse(text, file);
  const used = new Set<string>();
  const collect = (node: Node): void => {
    if (node.type === "ImportDeclaration") return;
    if (node.type === "Identifier") used.add(node["name"] as string);
    for (const child of children(node)) collect(child);
  };
  for (const statement of program.body) collect(statement);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration") continue;
    const specifiers = statement["specifiers"] as Node[];
    if (specifiers.length === 0) continue;
    const kept = specifiers.filter((s) => used.has((s["local"] as Node)["name"] as string));
    if (kept.length === specifiers.length) continue;
    const source = text.slice((statement["source"] as Node).start, (statement["source"] as Node).end);
    const typeKeyword = statement["importKind"] === "type" ? "type " : "";
    edits.push({
      start: statement.start,
      // A whole import goes with its line break.
      end: kept.length === 0 && text[statement.end] === "\n" ? statement.end + 1 : statement.end,
      text: kept.length === 0 ? "" : `import ${typeKeyword}{ ${kept.map((s) => text.slice(s.start, s.end)).join(", ")} } from ${source};`,
    });
  }
  return applyEdits(text, edits);
}
