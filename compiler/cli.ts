// The `abic` command line: argument parsing, dispatch to commands, exit codes
// (0 ok, 1 errors in the input, 2 bad usage). User mistakes never print a stack trace.

import { readFileSync } from "node:fs";
import { COMMANDS } from "./commands.ts";
import { parseArgs, UsageError, type CommandIO } from "./commands/args.ts";
import { packageFile } from "./package-files.ts";
import { didYouMean } from "./suggest.ts";

const VERSION: string = JSON.parse(readFileSync(packageFile("package.json"), "utf8")).version;

const OVERVIEW = `abic ${VERSION}: the wasm command ABI compiler

Usage: abic <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join("\n")}
  help     Show help for a command

Options:
  -h, --help     Show this help
  -V, --version  Print the version

Run \`abic help <command>\` for a command's options.`;

export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === "-h" || first === "--help") {
      io.out(OVERVIEW + "\n");
      return first === undefined ? 2 : 0;
    }
    if (first === "-V" || first === "--version") {
      io.out(`abic ${VERSION}\n`);
      return 0;
    }
    if (first === "help") {
      const topic = rest[0];
      if (topic === undefined) {
        io.out(OVERVIEW + "\n");
        return 0;
      }
      const entry = COMMANDS[topic];
      if (!entry) throw unknownCommand(topic);
      io.out((await entry.load()).help + "\n");
      return 0;
    }
    const entry = COMMANDS[first];
    if (!entry) throw first.startsWith("-") ? new UsageError(`unknown option \`${first}\` (options go after the command)`) : unknownCommand(first);
    const cmd = await entry.load();
    const parsed = parseArgs(rest, cmd.options, cmd.passThrough);
    if (parsed.help) {
      io.out(cmd.help + "\n");
      return 0;
    }
    return await cmd.run(parsed, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`abic: error: ${e.message}\nRun \`abic --help\` for usage.\n`);
      return 2;
    }
    // Anything else is a bug in abic, not a user mistake: say so plainly.
    io.err(`abic: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  }
}

function unknownCommand(name: string): UsageError {
  return new UsageError(`unknown command \`${name}\`${didYouMean(name, [...Object.keys(COMMANDS), "help"])}`);
}

function defaultIO(): CommandIO {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    isTTY: { out: process.stdout.isTTY === true, err: process.stderr.isTTY === true },
    env: process.env,
  };
}

