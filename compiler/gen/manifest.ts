// The JSON manifest target, generated/abi.json: the checked model exactly as `abic ir` prints it,
// for tools in other languages. Spans name files relative to the repository, so it is deterministic.

import { manifestJson } from "../manifest.ts";
import type { Target } from "./target.ts";

export const manifestTarget: Target = {
  name: "manifest",
  async generate(model) {
    return [{ path: "abi.json", content: manifestJson(model) }];
  },
};
