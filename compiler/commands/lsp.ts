// `abic lsp`: the language server, for editors. It speaks the Language Server Protocol over
// stdin/stdout until the client says exit.

import { DEFAULT_DEBOUNCE_MS, startServer } from "../lsp/server.ts";
import { UsageError, type CommandSpec, type Options } from "./args.ts";

const LSP_OPTIONS = {
  stdio: { type: "boolean" },
  debounce: { type: "string" },
  clientProcessId: { type: "string" },
} as const satisfies Options;

export const lspCommand: CommandSpec<typeof LSP_OPTIONS> = {
  summary: "Serve the Language Server Protocol over stdio, for editors",
  help: `Usage: abic lsp [--stdio] [--debounce MS]

Runs the abic language server on stdin/stdout (the only transport; --stdio is accepted
because editors pass it). It checks the contract each open .idl file belongs to as you
type (the file that declares the package and includes it with \`use\`, found in the file's
folder or a folder above it) and serves diagnostics for every file of that contract,
hover (docs, stability, wasm32 layout, core wasm signature, C prototype; for libc
functions their prototype, change and imports), go to definition, references, document
and workspace symbols, completion (the libc block's properties and values included),
quick fixes for the checker's "did you mean", formatting in abic fmt's canonical layout,
and rename of unstable types, constants and functions.

Options:
  --debounce MS          quiet time after an edit before rechecking (default ${DEFAULT_DEBOUNCE_MS});
                         an editor may also pass { "debounceMs": MS } as initialization options
  --clientProcessId PID  exit when that process does (editors pass it)`,
  options: LSP_OPTIONS,
  async run({ values, positionals }) {
    if (positionals.length) throw new UsageError(`abic lsp takes no files (the editor opens them), got \`${positionals[0]}\``);
    const debounce = values.debounce;
    const debounceMs = debounce === undefined ? DEFAULT_DEBOUNCE_MS : Number(debounce);
    if (!Number.isInteger(debounceMs) || debounceMs < 0) throw new UsageError(`--debounce needs a whole number of milliseconds, got \`${debounce}\``);
    const connection = startServer(process.stdin, process.stdout, { debounceMs });
    // The server runs until the client sends exit (vscode-languageserver then ends the process)
    // or closes stdin.
    return new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
  },
};
