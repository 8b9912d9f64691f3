// Where abic's own files are (package.json, templates/, the built dist/), whether this module
// runs from its TypeScript source (tests, scripts) or compiled into dist/ (the CLI, the package).

import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** This file is `compiler/package-files.ts` in a checkout and `dist/compiler/package-files.js` once built. */
const compiled = import.meta.url.endsWith(".js");

/** The package's root folder: the one holding package.json, templates/ and dist/. */
export const PACKAGE_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), compiled ? "../.." : "..");

/** A path under the package root, e.g. `packageFile("templates")`. */
export function packageFile(...segments: string[]): string {
  return path.join(PACKAGE_ROOT, ...segments);
}

/** Where the compiled JavaScript lives; the reference host's workers always run it from here. */
export const DIST_DIR: string = packageFile("dist");
