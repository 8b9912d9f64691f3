// The JSON manifest, generated/abi.json: the checked model exactly as `abic ir` prints it, for
// tools in other languages. Spans name files relative to the repository, so it is deterministic.

import type { Target } from "./index.ts";

export function manifestJson(model: object): string {
  return JSON.stringify(model, null, 2) + "\n";
}

export const manifestTarget: Target = {
  name: "manifest",
  async generate(model) {
    return [{ path: "abi.json", content: manifestJson(model) }];
  },
};
