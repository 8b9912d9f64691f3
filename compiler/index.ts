// The compiler's API: load and check a contract, returning the model and every diagnostic.
// Never throws on user input.

import { checkContract } from "./check.ts";
import { hasErrors, normalizeDiagnostics, type Diagnostic } from "./diagnostics.ts";
import type { ContractModel } from "./model.ts";
import { loadSources, readSource, type SourceReader } from "./source.ts";

export interface Compilation {
  /** The checked model, or null when there are errors. */
  model: ContractModel | null;
  diagnostics: Diagnostic[];
  /** Source texts by file name, for code frames. */
  texts: Map<string, string>;
}

export function compileFile(file: string, read: SourceReader = readSource, from = ""): Compilation {
  const loaded = loadSources(file, read, undefined, from);
  const checked = loaded.files.length > 0 ? checkContract(loaded.files) : { model: null, diagnostics: [] };
  const diagnostics = normalizeDiagnostics([...loaded.diagnostics, ...checked.diagnostics]);
  return { model: hasErrors(diagnostics) ? null : checked.model, diagnostics, texts: loaded.texts };
}

/** Compiles IDL text held in memory; `use` of any other file reads from disk as usual. */
export function compileText(text: string, file = "<input>.idl"): Compilation {
  return compileFile(file, (f, at) => (f === file ? { text } : readSource(f, at)));
}

/**
 * Compiles and also names every file the contract read or tried to read (what `--watch` follows).
 * With `from`, files are read relative to that folder and named relative to it in the model and
 * diagnostics (so the model does not depend on the working directory).
 */
export function compileTracked(file: string, from = ""): { compilation: Compilation; files: string[] } {
  const files = new Set<string>();
  const compilation = compileFile(
    file,
    (f, at) => {
      files.add(f);
      return readSource(f, at, from);
    },
    from,
  );
  return { compilation, files: [...files] };
}
