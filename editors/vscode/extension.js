// The abic IDL extension's client: starts `abic lsp` from the workspace's installed abic (or
// the `abic.path` setting) and connects VS Code to it over stdio. The grammar and language
// configuration work without it; the server is started only in a trusted workspace, because
// it runs code from the workspace's node_modules.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

/**
 * Where `abic` is: the `abic.path` setting when set (an explicit choice wins), else the
 * workspace's `node_modules/.bin/abic`, else the workspace itself when it is the abic repository.
 * @param {vscode.WorkspaceFolder} folder
 * @returns {{ file: string, from: string } | null}
 */
function findAbic(folder) {
  const configured = vscode.workspace.getConfiguration("abic", folder.uri).get("path");
  if (typeof configured === "string" && configured.trim() !== "") {
    const file = path.resolve(folder.uri.fsPath, configured.trim());
    return { file, from: "the abic.path setting" };
  }
  const bin = path.join(folder.uri.fsPath, "node_modules", ".bin", process.platform === "win32" ? "abic.cmd" : "abic");
  if (fs.existsSync(bin)) return { file: bin, from: "node_modules/.bin/abic" };
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(folder.uri.fsPath, "package.json"), "utf8"));
    const own = path.join(folder.uri.fsPath, "bin", "abic.js");
    if (pkg.name === "abic" && fs.existsSync(own)) return { file: own, from: "this workspace (the abic repository)" };
  } catch {
    // no package.json: not a Node workspace
  }
  return null;
}

/**
 * How to run it: a JavaScript entry point (the npm bin is a link to one) runs on the Node that
 * VS Code ships, so no `node` on PATH is needed; anything else is run as a command.
 * @param {string} file
 * @returns {import("vscode-languageclient/node").ServerOptions}
 */
function serverOptions(file) {
  const args = ["lsp"];
  let real = file;
  try {
    real = fs.realpathSync(file);
  } catch {
    // reported when it fails to start
  }
  if (/\.[cm]?js$/.test(real)) return { module: real, args, transport: TransportKind.stdio };
  return { command: real, args, transport: TransportKind.stdio, options: { shell: process.platform === "win32" } };
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("abic.restartServer", async () => {
      await stop();
      await start(context);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => start(context)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("abic.path") || e.affectsConfiguration("abic.debounceMs")) {
        await stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

/** @param {vscode.ExtensionContext} context */
async function start(context) {
  if (client || !vscode.workspace.isTrusted) return;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return;
  const found = findAbic(folder);
  if (!found) {
    void vscode.window.showWarningMessage(
      "abic: no abic found in this workspace (node_modules/.bin/abic). Install it (npm install --save-dev abic) or set abic.path; highlighting works without it.",
    );
    return;
  }
  const debounceMs = vscode.workspace.getConfiguration("abic", folder.uri).get("debounceMs", 30);
  client = new LanguageClient("abic", "abic language server", serverOptions(found.file), {
    documentSelector: [{ scheme: "file", language: "abic" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.idl") },
    initializationOptions: { debounceMs },
  });
  client.outputChannel.appendLine(`abic: starting ${found.file} (from ${found.from})`);
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`abic: the language server failed to start from ${found.file}: ${e instanceof Error ? e.message : String(e)}`);
    client = undefined;
  }
  context.subscriptions.push({ dispose: () => void stop() });
}

async function stop() {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
