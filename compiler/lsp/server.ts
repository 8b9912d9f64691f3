// `abic lsp`: the Language Server Protocol server. It keeps the open documents, recompiles the
// contracts they belong to after each edit (debounced; only edited files are reparsed), and
// publishes diagnostics for every file of those contracts. Requests are answered from the last
// compilation of the document's contract and its symbol index.

import { readFileSync } from "node:fs";
import {
  CodeActionKind,
  createConnection,
  ResponseError,
  ErrorCodes,
  TextDocumentSyncKind,
  TextDocuments,
  DidChangeWatchedFilesNotification,
  type CodeAction,
  type Connection,
  type InitializeResult,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { FormatterBug } from "../fmt/index.ts";
import { packageFile } from "../package-files.ts";
import { complete } from "./complete.ts";
import { fromPosition, toLspDiagnostic, toRange, Uris, type DiagnosticData } from "./convert.ts";
import { formattingEdits } from "./format.ts";
import { hoverText } from "./hover.ts";
import { documentSymbols, foldingRanges, workspaceSymbols } from "./outline.ts";
import { Project, type Contract } from "./project.ts";
import { checkRename, renameEdits } from "./rename.ts";

/** Quiet time after the last keystroke before recompiling: short, because a recompilation of
 *  the whole contract takes tens of milliseconds and the answer should feel immediate. */
export const DEFAULT_DEBOUNCE_MS = 30;

const VERSION: string = JSON.parse(readFileSync(packageFile("package.json"), "utf8")).version;

export interface ServerOptions {
  debounceMs: number;
}

export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ServerOptions): Connection {
  const connection = createConnection(input, output);
  // stdout carries the protocol: anything else printed would corrupt it.
  console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(" "));
  console.info = console.log;
  new Server(connection, options).listen();
  return connection;
}

class Server {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly uris = new Uris();
  private project = new Project([]);
  /** Files whose text changed since the last recompilation. */
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  /** What was last published per file: stale diagnostics get cleared, unchanged ones are not resent. */
  private readonly published = new Map<string, string>();
  private debounceMs: number;

  constructor(
    private readonly connection: Connection,
    options: ServerOptions,
  ) {
    this.debounceMs = options.debounceMs;
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params): InitializeResult => {
      const folders = (params.workspaceFolders ?? []).map((f) => this.uris.toPath(f.uri)).filter((p): p is string => p !== null);
      if (folders.length === 0 && params.rootUri) {
        const root = this.uris.toPath(params.rootUri);
        if (root) folders.push(root);
      }
      this.project = new Project(folders);
      const debounce = (params.initializationOptions as { debounceMs?: unknown } | undefined)?.debounceMs;
      if (typeof debounce === "number" && debounce >= 0) this.debounceMs = debounce;
      this.watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      return {
        serverInfo: { name: "abic", version: VERSION },
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          hoverProvider: true,
          definitionProvider: true,
          referencesProvider: true,
          documentSymbolProvider: { label: "abic" },
          foldingRangeProvider: true,
          workspaceSymbolProvider: true,
          completionProvider: { triggerCharacters: ["@", ":", "<", '"', "/", "`", "(", "="] },
          renameProvider: { prepareProvider: true },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          // The one canonical layout of `abic fmt`: the client's tab size and similar options do not apply.
          documentFormattingProvider: true,
        },
      };
    });
    c.onInitialized(() => {
      if (this.watchFiles)
        void c.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.idl" }] });
      // The workspace's contract is checked at once, so its problems show before a file is opened.
      for (const root of this.project.defaultRoots()) this.pending.add(root);
      this.flush();
    });

    this.documents.onDidChangeContent((e) => this.changed(e.document.uri));
    this.documents.onDidClose((e) => this.closed(e.document.uri));
    c.onDidChangeWatchedFiles((e) => {
      for (const change of e.changes) {
        const file = this.uris.toPath(change.uri);
        if (file && !this.project.isOpen(file)) this.changedFile(file);
      }
    });

    c.onHover((p) => {
      const at = this.at(p.textDocument.uri, p.position);
      if (!at) return null;
      const value = hoverText(at.contract, this.project.index(at.contract), at.file, at.line, at.column);
      return value ? { contents: { kind: "markdown", value } } : null;
    });
    c.onDefinition((p) => {
      const at = this.at(p.textDocument.uri, p.position);
      if (!at) return null;
      const index = this.project.index(at.contract);
      const occ = index.at(at.file, at.line, at.column);
      const def = occ && index.defs.get(occ.key);
      return def ? this.uris.location(def.nameSpan) : null;
    });
    c.onReferences((p) => {
      const at = this.at(p.textDocument.uri, p.position);
      if (!at) return null;
      const index = this.project.index(at.contract);
      const occ = index.at(at.file, at.line, at.column);
      if (!occ) return null;
      return index
        .references(occ.key)
        .filter((o) => p.context.includeDeclaration || !o.definition)
        .map((o) => this.uris.location(o.span));
    });
    c.onDocumentSymbol((p) => {
      const file = this.uris.toPath(p.textDocument.uri);
      const doc = this.documents.get(p.textDocument.uri);
      if (!file || !doc) return null;
      return documentSymbols(this.project.parse(file, doc.getText()).ast);
    });
    c.onFoldingRanges((p) => {
      const file = this.uris.toPath(p.textDocument.uri);
      const doc = this.documents.get(p.textDocument.uri);
      if (!file || !doc) return null;
      return foldingRanges(this.project.parse(file, doc.getText()).ast, doc.getText());
    });
    c.onWorkspaceSymbol((p) => {
      this.flush();
      return workspaceSymbols(this.project.all().map((k) => this.project.index(k)), p.query, this.uris);
    });
    c.onCompletion((p) => {
      const at = this.at(p.textDocument.uri, p.position);
      if (!at) return null;
      return complete({ ...at, text: at.text, index: this.project.index(at.contract), model: at.contract.model });
    });
    c.onDocumentFormatting((p) => {
      const file = this.uris.toPath(p.textDocument.uri);
      const doc = this.documents.get(p.textDocument.uri);
      if (!file || !doc) return null;
      try {
        return formattingEdits(file, doc.getText());
      } catch (e) {
        if (!(e instanceof FormatterBug)) throw e;
        // The formatter refused to change the text's meaning: the text stays as it is.
        this.connection.console.error(`abic lsp: not formatting ${file}: ${e.message}`);
        return null;
      }
    });
    c.onPrepareRename((p) => {
      const at = this.at(p.textDocument.uri, p.position);
      if (!at) return null;
      const check = checkRename(this.project.index(at.contract), at.file, at.line, at.column);
      if (!check.ok) throw new ResponseError(ErrorCodes.InvalidRequest, check.message);
      return { range: toRange(check.occurrence.span), placeholder: check.def.name };
    });
    c.onRenameRequest((p): WorkspaceEdit => {
      const at = this.at(p.textDocument.uri, p.position);
      if (!at) throw new ResponseError(ErrorCodes.InvalidRequest, "The document is not part of a contract.");
      const index = this.project.index(at.contract);
      const check = checkRename(index, at.file, at.line, at.column);
      if (!check.ok) throw new ResponseError(ErrorCodes.InvalidRequest, check.message);
      const result = renameEdits(index, check.def, p.newName);
      if ("message" in result) throw new ResponseError(ErrorCodes.InvalidRequest, result.message);
      const changes: Record<string, TextEdit[]> = {};
      for (const [file, spans] of result.edits) changes[this.uris.toUri(file)] = spans.map((s) => ({ range: toRange(s), newText: p.newName }));
      return { changes };
    });
    c.onCodeAction((p) =>
      p.context.diagnostics.flatMap((d): CodeAction[] => {
        const data = d.data as DiagnosticData | undefined;
        if (d.source !== "abic" || typeof data?.replacement !== "string") return [];
        return [
          {
            title: `Replace with \`${data.replacement}\``,
            kind: CodeActionKind.QuickFix,
            diagnostics: [d],
            isPreferred: true,
            edit: { changes: { [p.textDocument.uri]: [{ range: data.replace, newText: data.replacement }] } },
          },
        ];
      }),
    );

    this.documents.listen(c);
    c.listen();
  }

  private watchFiles = false;

  // ------------------------------------------------------------------ documents and recompilation

  private changed(uri: string): void {
    const file = this.uris.toPath(uri);
    const doc = this.documents.get(uri);
    if (!file || !doc) return;
    this.project.setOpen(file, doc.getText());
    this.changedFile(file);
  }

  private changedFile(file: string): void {
    this.pending.add(file);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private closed(uri: string): void {
    const file = this.uris.toPath(uri);
    if (!file) return;
    this.project.close(file);
    // Its text reverts to the disk's: recompile what includes it, and forget contracts no one edits.
    this.changedFile(file);
  }

  /** Recompiles the contracts touched by pending changes and publishes their diagnostics. */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const files = [...this.pending];
    this.pending.clear();
    try {
      const roots = new Set<string>();
      const defaults = this.project.defaultRoots();
      for (const file of files) {
        for (const c of this.project.containing(file)) roots.add(c.root);
        if (this.project.isOpen(file) || defaults.includes(file)) roots.add(this.project.rootFor(file));
      }
      const compiled = [...roots].map((r) => this.project.compile(r));
      this.collectGarbage();
      this.publish(compiled, new Set(files));
    } catch (e) {
      this.connection.console.error(`abic lsp: internal error while checking: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** Drops contracts that neither an open document nor a workspace default root needs. */
  private collectGarbage(): void {
    const needed = new Set(this.project.defaultRoots());
    for (const file of this.project.openFiles()) for (const c of this.project.containing(file)) needed.add(c.root);
    for (const c of this.project.all()) if (!needed.has(c.root)) this.project.drop(c.root);
  }

  /** Publishes the diagnostics of every file of the recompiled contracts that changed, and
   *  always those of the edited files (the client learns that their new version is checked). */
  private publish(compiled: Contract[], edited: Set<string>): void {
    const live = this.project.all();
    const files = new Set<string>([...this.published.keys(), ...compiled.flatMap((c) => [...c.members])]);
    for (const file of files) {
      const seen = new Set<string>();
      const diagnostics = live
        .filter((c) => c.members.has(file))
        .flatMap((c) =>
          c.diagnostics
            .filter((d) => d.span.file === file)
            .map((d) => toLspDiagnostic(d, this.uris, c.texts.get(file))),
        )
        .filter((d) => {
          const key = `${d.range.start.line}:${d.range.start.character}:${d.code}:${d.message}`;
          return !seen.has(key) && seen.add(key) !== undefined;
        });
      const sent = JSON.stringify(diagnostics);
      if (this.published.get(file) === sent && !edited.has(file)) continue;
      this.published.set(file, sent);
      const uri = this.uris.toUri(file);
      void this.connection.sendDiagnostics({ uri, diagnostics, version: this.documents.get(uri)?.version });
    }
  }

  /** The request's document, position and contract, after applying any edit still waiting for its debounce. */
  private at(uri: string, position: { line: number; character: number }): { file: string; text: string; line: number; column: number; contract: Contract } | null {
    const file = this.uris.toPath(uri);
    if (!file) return null;
    if (this.pending.size) this.flush();
    const contract = this.project.get(this.project.rootFor(file)) ?? this.project.containing(file)[0];
    if (!contract) return null;
    const text = this.documents.get(uri)?.getText() ?? contract.texts.get(file) ?? "";
    return { file, text, ...fromPosition(position), contract };
  }
}
