// Golden files: compare with the checked-in file, or rewrite it when UPDATE_GOLDEN=1
// (`npm run golden`). In CI a missing golden fails instead of being written.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

export function expectGolden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === "1") {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`missing golden ${file}: run UPDATE_GOLDEN=1 npx vitest run to create it`);
  expect(actual).toBe(readFileSync(file, "utf8"));
}
