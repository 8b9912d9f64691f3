// The language server's view of the contracts being edited: open documents over the files on
// disk, which contract root each file belongs to, and compilations that reparse only the files
// whose text changed (the checker then runs once over the whole contract, as `abic check` does).

import { readdirSync } from "node:fs";
import * as path from "node:path";
import type { FileAst } from "../ast.ts";
import { checkContract } from "../check.ts";
import { normalizeDiagnostics, type Diagnostic } from "../diagnostics.ts";
import type { ContractModel, Span } from "../model.ts";
import { loadSources, parseSource, readSource, type SourceReader } from "../source.ts";
import { ContractIndex } from "./symbols.ts";

/** One compiled contract: a root file and everything it includes. */
export interface Contract {
  /** Absolute path of the file that declares the package (or of a lone file that includes nothing). */
  root: string;
  /** Parsed files in dependency order (the root last). */
  files: FileAst[];
  /** Text of every file read, by absolute path. */
  texts: Map<string, string>;
  /** Files that belong to the contract, including ones that could not be read. */
  members: Set<string>;
  diagnostics: Diagnostic[];
  /** The checked model. With errors it still holds every item that checked, so hover and
   *  completion keep working while the user types; null only without a package declaration. */
  model: ContractModel | null;
  /** Bumped on every recompilation, so derived data (the symbol index) knows when it is stale. */
  generation: number;
}

interface Parsed {
  text: string;
  result: { ast: FileAst; diagnostics: Diagnostic[] };
}

export class Project {
  /** Text of documents open in the editor, by absolute path; they win over the disk. */
  private readonly open = new Map<string, string>();
  private readonly parsed = new Map<string, Parsed>();
  private readonly contracts = new Map<string, Contract>();
  private readonly indexes = new WeakMap<Contract, ContractIndex>();
  private generation = 0;

  /** @param folders workspace folders: where contract roots are searched and default roots live. */
  constructor(private readonly folders: string[]) {}

  // ------------------------------------------------------------------ documents

  setOpen(file: string, text: string): void {
    this.open.set(file, text);
  }

  close(file: string): void {
    this.open.delete(file);
  }

  isOpen(file: string): boolean {
    return this.open.has(file);
  }

  openFiles(): string[] {
    return [...this.open.keys()];
  }

  /** The current text of a file: the editor's when open, else the disk's (null when unreadable). */
  textOf(file: string): string | null {
    const t = this.open.get(file);
    if (t !== undefined) return t;
    const r = readSource(file);
    return "text" in r ? r.text : null;
  }

  private readonly reader: SourceReader = (file, at) => {
    const t = this.open.get(path.resolve(file));
    return t !== undefined ? { text: t } : readSource(file, at);
  };

  /** Parses a file's text once per distinct content: a keystroke reparses only the edited file. */
  parse(file: string, text: string): { ast: FileAst; diagnostics: Diagnostic[] } {
    const prior = this.parsed.get(file);
    if (prior && prior.text === text) return prior.result;
    const result = parseSource(file, text);
    this.parsed.set(file, { text, result });
    return result;
  }

  // ------------------------------------------------------------------ contracts

  /** Every compiled contract. */
  all(): Contract[] {
    return [...this.contracts.values()];
  }

  get(root: string): Contract | undefined {
    return this.contracts.get(root);
  }

  /** Compiles (or recompiles) the contract rooted at `root`. */
  compile(root: string): Contract {
    const loaded = loadSources(root, this.reader, (f, t) => this.parse(f, t));
    const checked = loaded.files.length > 0 ? checkContract(loaded.files) : { model: null, diagnostics: [] };
    const members = new Set<string>([root, ...loaded.files.map((f) => f.file), ...loaded.diagnostics.map((d) => d.span.file)]);
    const contract: Contract = {
      root,
      files: loaded.files,
      texts: loaded.texts,
      members,
      diagnostics: normalizeDiagnostics([...loaded.diagnostics, ...checked.diagnostics]),
      model: checked.model,
      generation: ++this.generation,
    };
    this.contracts.set(root, contract);
    return contract;
  }

  drop(root: string): void {
    this.contracts.delete(root);
  }

  /** Contracts a file belongs to. */
  containing(file: string): Contract[] {
    return this.all().filter((c) => c.members.has(file));
  }

  /** The symbol index of a contract, built on first use after each recompilation. */
  index(contract: Contract): ContractIndex {
    let index = this.indexes.get(contract);
    if (!index) {
      index = new ContractIndex(contract);
      this.indexes.set(contract, index);
    }
    return index;
  }

  /**
   * The contract a file belongs to. A file that declares a package is a root. Otherwise the
   * nearest root that includes it, looking first at the contracts already compiled, then in the
   * file's folder and each folder above it up to its workspace folder. A file nobody includes
   * is compiled on its own (and then reports the missing package, as `abic check` would).
   */
  rootFor(file: string): string {
    const text = this.textOf(file);
    if (text !== null && this.parse(file, text).ast.packages.length > 0) return file;
    const known = this.containing(file).map((c) => c.root);
    if (known.length > 0) return nearest(file, known);
    const top = this.folders.find((f) => isInside(file, f));
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const found = this.rootsIn(dir).filter((root) => this.includes(root, file));
      if (found.length > 0) return found[0]!;
      const stop = top ? dir === top || !isInside(dir, top) : dir === path.dirname(dir) || depth(file, dir) >= 3;
      if (stop || dir === path.dirname(dir)) break;
    }
    return file;
  }

  /** `.idl` files in one folder that declare a package, in name order. */
  private rootsIn(dir: string): string[] {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(".idl")).sort();
    } catch {
      return [];
    }
    return names
      .map((n) => path.join(dir, n))
      .filter((f) => {
        const t = this.textOf(f);
        return t !== null && this.parse(f, t).ast.packages.length > 0;
      });
  }

  /** Whether `file` is in the include closure of `root` (parsing only, no checking). */
  private includes(root: string, file: string): boolean {
    const loaded = loadSources(root, this.reader, (f, t) => this.parse(f, t));
    return loaded.files.some((f) => f.file === file);
  }

  /** `abi.idl` of each workspace folder: the contract `abic check` checks by default. */
  defaultRoots(): string[] {
    return this.folders.map((f) => path.join(f, "abi.idl")).filter((f) => this.textOf(f) !== null);
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function depth(file: string, dir: string): number {
  return path.relative(dir, path.dirname(file)).split(path.sep).filter(Boolean).length;
}

/** The root whose folder is closest to the file (then the first by name). */
function nearest(file: string, roots: string[]): string {
  const score = (r: string): number => (isInside(file, path.dirname(r)) ? depth(file, path.dirname(r)) : 1000);
  return [...roots].sort((a, b) => score(a) - score(b) || a.localeCompare(b))[0]!;
}

/** A span's file relative position helpers shared by the features. */
export function spanContains(span: Span, line: number, column: number): boolean {
  if (line < span.line || line > span.endLine) return false;
  if (line === span.line && column < span.column) return false;
  if (line === span.endLine && column > span.endColumn) return false;
  return true;
}
