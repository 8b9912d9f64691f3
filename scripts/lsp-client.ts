// A minimal LSP client for the tests and the latency benchmark (npm run bench): starts `abic lsp --stdio`
// through the real bin as a child process and speaks JSON-RPC to it with vscode-jsonrpc,
// as an editor would. Published diagnostics are recorded per URI as they arrive.

import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type { Diagnostic, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from "vscode-languageserver-protocol";

export const REPO = path.resolve(import.meta.dirname, "..");

export function uriOf(file: string): string {
  return pathToFileURL(path.resolve(REPO, file)).href;
}

interface Waiter {
  uri: string;
  accept: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
}

export class LspClient {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  stderr = "";

  constructor(args: string[] = []) {
    this.child = spawn(process.execPath, [path.join(REPO, "bin/abic.js"), "lsp", "--stdio", ...args], {
      cwd: REPO,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || !w.accept(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onRequest("client/registerCapability", () => null);
    this.connection.onNotification("window/logMessage", () => undefined);
    this.connection.listen();
  }

  async initialize(workspace = REPO, initializationOptions: object = {}): Promise<unknown> {
    const result = await this.connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: path.basename(workspace) }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      initializationOptions,
    });
    await this.connection.sendNotification("initialized", {});
    return result;
  }

  /** Resolves with the next diagnostics published for `uri` that `accept` takes. */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => this.waiters.push({ uri, accept, resolve }));
  }

  lastDiagnostics(uri: string): Diagnostic[] | undefined {
    return this.diagnostics.get(uri)?.diagnostics;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "abic", version: 1, text } });
  }

  /** Sends one edit; returns the document's new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  request<R>(method: string, params: object): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async close(): Promise<void> {
    try {
      await this.connection.sendRequest("shutdown");
      await this.connection.sendNotification("exit");
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.on("exit", () => resolve());
    });
    this.connection.dispose();
  }
}
