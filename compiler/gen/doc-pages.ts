// Writing the Markdown reference pages: which page and anchor each item has (DocIndex), and a
// writer for one page (PageWriter) that links types and doc-text references relative to it.
// Every docs page view (docs.ts, libc.ts) writes through these.

import { rewriteCodeSpans, ReferenceIndex, type ItemKey } from "../doc-refs.ts";
import { idlType } from "../idl-text.ts";
import type { ConstModel, ContractModel, Gate, TypeRef } from "../model.ts";
import { members, reservedMembers } from "../query.ts";

// ---- pages and anchors ----

/** Pages that are not module pages; a module may not take one of these names. */
const FIXED_PAGES = ["index", "types", "command", "stability", "libc", "deviations"] as const;

export function modulePage(m: { name: string }): string {
  return `${m.name}.md`;
}

export function typePage(t: { scope: string | null }): string {
  return t.scope ? `${t.scope}.md` : "types.md";
}

export function constPage(c: ConstModel): string {
  return c.scope === "command" ? "command.md" : c.scope ? `${c.scope}.md` : "types.md";
}

export interface Link {
  page: string;
  /** null links to the top of the page. */
  anchor: string | null;
}

/**
 * Every anchor of every page, keyed by the item it marks (the keys of doc-refs.ts). Anchors are
 * the item's name (`errno`, `fd_write`, `dircookie_start`) or `owner.member` (`errno.badf`,
 * `fd_write.iovs`); a clash on one page gets a `-kind` suffix so both stay reachable. What doc
 * text may name, and how a name resolves, is the checker's ReferenceIndex.
 */
export class DocIndex {
  private readonly links = new Map<ItemKey, Link>();
  private readonly used = new Map<string, Set<string>>();
  readonly refs: ReferenceIndex;

  constructor(model: ContractModel) {
    this.refs = new ReferenceIndex(model);
    for (const m of model.modules) {
      if ((FIXED_PAGES as readonly string[]).includes(m.name))
        throw new Error(`docs: module \`${m.name}\` would overwrite the ${m.name}.md page`);
      this.links.set(`module:${m.name}`, { page: modulePage(m), anchor: null });
    }
    for (const t of model.types) {
      const page = typePage(t);
      this.claim(`type:${t.name}`, page, t.name, "type");
      for (const member of [...members(t), ...reservedMembers(t)])
        this.claim(`member:${t.name}.${member.name}`, page, `${t.name}.${member.name}`, "member");
    }
    for (const c of model.constants) this.claim(`const:${c.name}`, constPage(c), c.name, "const");
    for (const m of model.modules) {
      const page = modulePage(m);
      for (const f of m.functions) {
        this.claim(`fn:${m.name}.${f.name}`, page, f.name, "fn");
        const params = new Set(f.params.map((p) => p.name));
        for (const p of f.params) this.claim(`param:${m.name}.${f.name}.${p.name}`, page, `${f.name}.${p.name}`, "param");
        for (const v of f.result.kind === "expected" ? f.result.values : [])
          this.claim(`out:${m.name}.${f.name}.${v.name}`, page, `${f.name}.${v.name}`, params.has(v.name) ? "out" : "param");
      }
      for (const r of m.reservedFunctions) this.claim(`rfn:${m.name}.${r.name}`, page, r.name, "reserved");
    }
    for (const e of model.command?.exports ?? []) this.claim(`export:${e.name}`, "command.md", e.name, "export");
    for (const c of model.command?.conventions ?? []) this.claim(`convention:${c.name}`, "command.md", c.name, "convention");
  }

  private claim(key: ItemKey, page: string, wanted: string, kind: string): void {
    const used = this.used.get(page) ?? new Set<string>();
    this.used.set(page, used);
    let anchor = used.has(wanted) ? `${wanted}-${kind}` : wanted;
    for (let i = 2; used.has(anchor); i++) anchor = `${wanted}-${kind}${i}`;
    used.add(anchor);
    this.links.set(key, { page, anchor });
  }

  /** The anchor of an item by its key (`type:errno`, `fn:wasi_snapshot_preview1.fd_write`, ...). */
  anchor(key: ItemKey): string {
    const link = this.links.get(key);
    if (!link?.anchor) throw new Error(`docs: no anchor for ${key}`);
    return link.anchor;
  }

  /** Every anchor id on a page. */
  anchorsOf(page: string): ReadonlySet<string> {
    return this.used.get(page) ?? new Set();
  }

  /** Where a reference in doc text of `module` (null outside modules) leads; null when unknown or ambiguous. */
  resolve(text: string, module: string | null): Link | null {
    const key = this.refs.resolve(text, module);
    return key === null ? null : (this.links.get(key) ?? null);
  }
}

// ---- Markdown text ----

export function href(from: string, link: Link): string {
  const page = link.page === from ? "" : link.page;
  return link.anchor === null ? page || "#" : `${page}#${link.anchor}`;
}

/** A `|` would end a table cell and a newline the row. */
export function tableCell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|").trim();
}

export function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function htmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Renders on one page: links are relative to it, and references resolve in its module. */
export class PageWriter {
  constructor(
    private readonly index: DocIndex,
    readonly page: string,
    private readonly module: string | null,
  ) {}

  link(text: string, to: Link): string {
    return `[${code(text)}](${href(this.page, to)})`;
  }

  /** A type as Markdown: named types link to their definitions, the rest is code. */
  type(t: TypeRef): string {
    const parts = this.typeParts(t);
    return parts.map((p) => (p.link ? this.link(p.text, p.link) : code(p.text))).join("");
  }

  /** A type inside `<pre>`: HTML links around the named parts. */
  typeHtml(t: TypeRef): string {
    return this.typeParts(t)
      .map((p) => (p.link ? `<a href="${href(this.page, p.link)}">${htmlEscape(p.text)}</a>` : htmlEscape(p.text)))
      .join("");
  }

  private typeParts(t: TypeRef): { text: string; link: Link | null }[] {
    switch (t.kind) {
      case "named":
        return [{ text: t.name, link: this.index.resolve(t.name, null) }];
      case "ptr":
        return [{ text: `${t.const ? "const_ptr" : "ptr"}<`, link: null }, ...this.typeParts(t.to), { text: ">", link: null }];
      case "list":
      case "buffer":
        return [{ text: `${t.kind}<`, link: null }, ...this.typeParts(t.of), { text: ">", link: null }];
      default:
        return [{ text: idlType(t), link: null }];
    }
  }

  /** A name that links when it resolves (`use = proc_spawn_v4`, an errno member). */
  ref(text: string, module: string | null = this.module): string {
    const to = this.index.resolve(text, module);
    return to ? this.link(text, to) : code(text);
  }

  /** Doc text with its backticked references turned into links; fenced blocks are left alone. */
  docs(text: string): string {
    return rewriteCodeSpans(text, ({ text: inner }) => {
      const to = this.index.resolve(inner, this.module);
      return to ? this.link(inner, to) : null;
    });
  }

  /** Doc text for a table cell. */
  cellDocs(text: string): string {
    return tableCell(this.docs(text));
  }

  gate(g: Gate): string[] {
    const lines: string[] = [];
    if (g.since !== null) lines.push(`Stable since ${g.since}.`);
    if (g.unstable !== null) lines.push(`Unstable: linked only with the feature ${code(g.unstable)} enabled; it may change or disappear.`);
    if (g.deprecated) {
      const use = g.deprecated.use ? ` Use ${this.ref(g.deprecated.use)} instead.` : "";
      const note = g.deprecated.note ? ` ${this.docs(g.deprecated.note)}` : "";
      lines.push(`**Deprecated** since ${g.deprecated.since}.${use}${note}`);
    }
    return lines;
  }

  /** One line for a table cell: `since 1.0.0`, `unstable(x)`, `deprecated 1.1.0`. */
  gateShort(g: Gate): string {
    const parts = [g.since !== null ? `since ${g.since}` : `unstable ${code(g.unstable ?? "")}`];
    if (g.deprecated) parts.push(`**deprecated** ${g.deprecated.since}`);
    return parts.join(", ");
  }
}

export interface TableView {
  headers: string[];
  rows: string[][];
}
