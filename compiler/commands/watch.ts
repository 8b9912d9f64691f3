// `--watch` for check and gen: a loop around the command's own "run once", re-run when a file
// the contract reads (or tried to read: a `use` of a file not written yet) changes. The set is
// taken from each run, so it follows `use` lines as they are edited.
//
// Watching uses node:fs.watch on the folders holding those files, not on the files: editors
// that save by writing a temporary file and renaming it over the original replace the inode,
// which silences a watch on the file itself, while the folder reports the rename. Events are
// filtered by file name and debounced, so one save is one run.

import { watch, type FSWatcher } from "node:fs";
import * as path from "node:path";
import { readSource } from "../read-source.ts";
import type { CommandIO, Options } from "./args.ts";
import type { Output } from "./output.ts";

export const WATCH_OPTION = { watch: { type: "boolean" } } as const satisfies Options;

export const WATCH_HELP = `  --watch           stay running: re-run whenever a file the contract includes
                    changes (including files added by new \`use\` lines), one
                    result line per run; errors do not stop it; Ctrl-C ends it`;

export interface WatchRun {
  /** Whether this run succeeded (for the result line). */
  ok: boolean;
  /** Every file the run read or tried to read; the next run is triggered by any of them. */
  files: string[];
  /** The text the run read from each file (absent: it could not be read), to catch an edit
   * made after the run read a file but before its folder was watched. */
  texts: ReadonlyMap<string, string>;
  /** The run's result in one line, without a trailing newline. */
  line: string;
}

export interface WatchOptions {
  io: CommandIO;
  output: Output;
  /** The command, for the result line: `check`, `gen`. */
  name: string;
  runOnce(): Promise<WatchRun>;
  /** Quiet time after the last change before a run starts. */
  debounceMs?: number;
}

/** A file's text now, or undefined when it cannot be read (as the run would have found it). */
function currentText(file: string): string | undefined {
  const source = readSource(file);
  return "text" in source ? source.text : undefined;
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** Runs until SIGINT or SIGTERM, then closes every watcher and resolves with exit status 0. */
export function watchContract(opts: WatchOptions): Promise<number> {
  const { io, output } = opts;
  const debounceMs = opts.debounceMs ?? 80;
  const watchers = new Map<string, FSWatcher>();
  let names = new Map<string, Set<string>>(); // folder -> file names in it that matter
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const schedule = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      running = runAndReport().finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          schedule();
        }
      });
    }, debounceMs);
  };

  const follow = (files: string[]): void => {
    const next = new Map<string, Set<string>>();
    for (const f of files) {
      const abs = path.resolve(f);
      const dir = path.dirname(abs);
      if (!next.has(dir)) next.set(dir, new Set());
      next.get(dir)!.add(path.basename(abs));
    }
    for (const [dir, w] of watchers)
      if (!next.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    for (const dir of next.keys()) {
      if (watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: true }, (_event, name) => {
          // Some platforms omit the name: then any change in the folder counts.
          if (name === null || names.get(dir)?.has(name.toString())) schedule();
        });
        w.on("error", () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        // A folder that does not exist (yet): the including file's folder is still watched,
        // and the run reports the missing file.
      }
    }
    names = next;
  };

  const runAndReport = async (): Promise<void> => {
    let result: WatchRun;
    try {
      result = await opts.runOnce();
    } catch (e) {
      // A bug in a run must not end the watch: say so and keep the previous file set.
      io.err(`abic: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return;
    }
    follow(result.files);
    if (result.files.some((f) => currentText(f) !== result.texts.get(f))) schedule();
    if (output.format === "json") return;
    const palette = output.out;
    const verdict = result.ok ? palette.help("ok") : palette.error("failed");
    io.out(`${palette.dim(`[${clock()}]`)} abic ${opts.name}: ${verdict}: ${result.line} (watching ${result.files.length} file${result.files.length === 1 ? "" : "s"})\n`);
  };

  return new Promise<number>((resolve) => {
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      // A run in progress finishes its writes first, so generated/ is never left half-written.
      void Promise.resolve(running).then(() => {
        if (output.format !== "json") io.err(`abic ${opts.name}: stopped watching\n`);
        resolve(0);
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    running = runAndReport().finally(() => {
      running = null;
      if (again && !stopped) {
        again = false;
        schedule();
      }
    });
  });
}
