// The abic commands. Each is loaded only when it runs, so `abic check` does not pay for the
// generators, prettier or the reference host.

import type { CommandSpec, Options } from "./commands/args.ts";

export interface CommandEntry {
  summary: string;
  load(): Promise<CommandSpec<Options>>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  check: {
    summary: "Check a contract and report every error and warning",
    load: async () => (await import("./commands/check.ts")).checkCommand,
  },
  ir: {
    summary: "Print the checked model as JSON",
    load: async () => (await import("./commands/check.ts")).irCommand,
  },
  gen: {
    summary: "Generate C headers, TypeScript bindings, docs, manifest and ABI report",
    load: async () => (await import("./commands/gen.ts")).genCommand,
  },
  fmt: {
    summary: "Rewrite IDL files in the canonical layout (--check for CI)",
    load: async () => (await import("./commands/fmt.ts")).fmtCommand,
  },
  diff: {
    summary: "Classify the changes between two contracts and check the version bump",
    load: async () => (await import("./commands/diff.ts")).diffCommand,
  },
  verify: {
    summary: "Check a guest .wasm module against the contract",
    load: async () => (await import("./commands/verify.ts")).verifyCommand,
  },
  lsp: {
    summary: "Serve the Language Server Protocol over stdio, for editors",
    load: async () => (await import("./commands/lsp.ts")).lspCommand,
  },
  run: {
    summary: "Run a command module on the reference host",
    load: async () => (await import("./commands/run.ts")).runCommand,
  },
};
