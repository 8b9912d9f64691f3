// The search index of the HTML reference: one entry per thing a reader looks for (a page, a
// module, a function, a type, a member, a constant, a libc function or header, a command
// export or convention), with where it is documented, what the bindings call it and its doc
// text as plain words. Written into search-index.js, so the search works from file:// too.

import { cConstMacro, cErrnoMacro, cMemberMacro } from "../lang/c.ts";
import type { ContractModel } from "../model.ts";
import { members, reservedMembers } from "../query.ts";
import type { Bindings } from "./docs-bindings.ts";
import { firstSentence, type DocIndex, type Link } from "./doc-pages.ts";
import { docPages } from "./docs.ts";
import { htmlPage } from "./html-markdown.ts";
import { LIBC_PAGE, libcAnchor, libcHeaderAnchor } from "./libc.ts";

export interface SearchEntry {
  /** What the result shows: `fd_write`, `errno::again`, `<netdb.h>`. */
  name: string;
  /** `function`, `enum`, `member`, `libc function`, ... */
  kind: string;
  /** Where it belongs: its module, type or header; "" for none. */
  context: string;
  /** Relative to the reference's folder: `types.html#errno.again`. */
  href: string;
  /** One line under the name. */
  summary: string;
  /** Other names that find it exactly: the C, TypeScript and Rust spellings, `module.function`. */
  keys: string[];
  /** Its doc text as plain words, searched after the names. */
  text: string;
}

/** Doc text as words: links reduced to their text, code and emphasis marks dropped. */
export function plainDocs(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/[`*]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function hrefOf(link: Link): string {
  return `${htmlPage(link.page)}${link.anchor === null ? "" : `#${link.anchor}`}`;
}

/** Every entry, in the order of the pages and of the declarations on them. */
export function searchEntries(model: ContractModel, index: DocIndex, bindings: Bindings): SearchEntry[] {
  const entries: SearchEntry[] = [];
  const add = (e: Omit<SearchEntry, "summary" | "text"> & { docs: string; summary?: string; extra?: string[] }) =>
    entries.push({
      name: e.name,
      kind: e.kind,
      context: e.context,
      href: e.href,
      summary: e.summary ?? plainDocs(firstSentence(e.docs)),
      keys: e.keys,
      text: plainDocs([e.docs, ...(e.extra ?? [])].filter(Boolean).join(" ")),
    });

  for (const p of docPages(model))
    if (p.module === null) add({ name: plainDocs(p.title), kind: "page", context: "", href: htmlPage(p.path), keys: [], docs: "", summary: p.description });

  for (const m of model.modules) {
    add({ name: m.name, kind: "module", context: "", href: htmlPage(index.link(`module:${m.name}`).page), keys: m.aliases, docs: m.docs });
    for (const f of m.functions)
      add({
        name: f.name,
        kind: "function",
        context: m.name,
        href: hrefOf(index.link(`fn:${m.name}.${f.name}`)),
        keys: [...[m.name, ...m.aliases].map((mod) => `${mod}.${f.name}`), ...bindings.functionNames(m, f)],
        docs: f.docs,
        extra: [
          ...f.params.map((p) => p.docs),
          f.resultDocs,
          f.status.kind === "refused" ? f.status.reason : "",
          f.deviation ?? "",
          f.compat ?? "",
        ],
      });
  }

  // The enum the libc's errno values name: its members are also known by their <errno.h> names.
  const libcErrno = model.libcSurface !== null ? "errno" : null;
  for (const t of model.types) {
    const names = bindings.type(t);
    add({ name: t.name, kind: t.kind, context: t.scope ?? "", href: hrefOf(index.link(`type:${t.name}`)), keys: [names.c, names.ts, names.rust], docs: t.docs });
    const flagOrEnum = t.kind === "enum" || t.kind === "flags";
    for (const member of [...members(t), ...reservedMembers(t)]) {
      const keys = [member.name, `${t.name}.${member.name}`];
      if (flagOrEnum) keys.push(cMemberMacro(t, member.name));
      if (t.name === libcErrno) keys.push(cErrnoMacro(member.name));
      add({
        name: `${t.name}::${member.name}`,
        kind: t.kind === "struct" ? "field" : t.kind === "variant" ? "case" : "member",
        context: t.name,
        href: hrefOf(index.link(`member:${t.name}.${member.name}`)),
        keys,
        docs: "docs" in member ? member.docs : "Reserved: never reused.",
      });
    }
  }

  for (const c of model.constants)
    add({ name: c.name, kind: "constant", context: c.scope ?? "", href: hrefOf(index.link(`const:${c.name}`)), keys: [cConstMacro(c)], docs: c.docs });

  for (const e of model.command?.exports ?? [])
    add({ name: e.name, kind: "export", context: "command", href: hrefOf(index.link(`export:${e.name}`)), keys: [], docs: e.docs });
  for (const c of model.command?.conventions ?? [])
    add({ name: c.name, kind: "convention", context: "command", href: hrefOf(index.link(`convention:${c.name}`)), keys: [], docs: c.docs });

  const libc = htmlPage(LIBC_PAGE);
  for (const h of model.libcSurface?.headers ?? [])
    add({ name: `<${h.name}>`, kind: "libc header", context: h.change, href: `${libc}#${libcHeaderAnchor(h.name)}`, keys: [h.name], docs: h.docs });
  for (const f of model.libc)
    add({
      name: f.name,
      kind: "libc function",
      context: `<${f.header}>`,
      href: `${libc}#${libcAnchor(f.name)}`,
      keys: [],
      docs: f.docs,
      summary: f.prototype,
      // Which imports serve it ("which call serves getaddrinfo" finds the import through here)
      // and the errno values it declares, also by their <errno.h> names ("where is EAGAIN set").
      extra: [...f.deviations, ...f.imports, ...f.instead, ...f.errno.flatMap((e) => [`errno::${e}`, cErrnoMacro(e)])],
    });
  for (const a of model.libcSurface?.absent ?? [])
    add({ name: a.name, kind: "absent libc function", context: `<${a.header}>`, href: `${libc}#${libcAnchor(a.name)}`, keys: [], docs: a.docs, extra: a.instead });
  return entries;
}

/** search-index.js: the entries as a global the search script reads, one entry per line. */
export function searchIndexScript(banner: string, entries: SearchEntry[]): string {
  const lines = entries.map((e) => JSON.stringify(e).replace(/</g, "\\u003c"));
  return `${banner}\n"use strict";\nwindow.abicSearchIndex = [\n${lines.join(",\n")}\n];\n`;
}
