// A minimal LSP client for the tests and the latency benchmark (npm run bench): starts `abic lsp --stdio`
// through the real bin as a child process and speaks JSON-RPC to it with vscode-jsonrpc,
// as an editor would. Published diagnostics are recorded per URI as they arrive. A server that
// exits on its own fails every request and wait at once, with what it printed on stderr.

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
  reject: (e: Error) => void;
}

export interface ServerCommand {
  /** The `abic` bin to run (default: this checkout's bin/abic.js). */
  bin?: string;
  /** Its working folder (default: this checkout). */
  cwd?: string;
}

export class LspClient {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private closing = false;
  /** Set when the server exited without being asked to. */
  private died: Error | null = null;
  stderr = "";

  constructor(args: string[] = [], command: ServerCommand = {}) {
    this.child = spawn(process.execPath, [command.bin ?? path.join(REPO, "bin/abic.js"), "lsp", "--stdio", ...args], {
      cwd: command.cwd ?? REPO,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.child.on("exit", (code, signal) => {
      if (this.closing) return;
      this.died = new Error(`abic lsp exited (${signal ?? `code ${code}`}): ${this.stderr.trim() || "nothing on stderr"}`);
      for (const w of this.waiters) w.reject(this.died);
      this.waiters = [];
      this.connection.dispose();
    });
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
    const result = await this.request("initialize", {
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
    if (this.died) return Promise.reject(this.died);
    return new Promise((resolve, reject) => this.waiters.push({ uri, accept, resolve, reject }));
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

  /** A request; when the server has died, the error says why (its exit and stderr). */
  async request<R>(method: string, params: object): Promise<R> {
    if (this.died) throw this.died;
    try {
      return (await this.connection.sendRequest(method, params)) as R;
    } catch (e) {
      throw this.died ?? e;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
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
