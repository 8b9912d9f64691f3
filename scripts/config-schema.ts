// Writes abic.config.schema.json, the JSON Schema of abic.config.json that editors validate and
// complete the file with, from the same declarations the configuration checker uses
// (compiler/config.ts, the target registry). test/config.test.ts fails when it is out of date.

import { writeFileSync } from "node:fs";
import { configSchema } from "../compiler/config.ts";

export const SCHEMA_FILE = "abic.config.schema.json";

export function schemaText(): string {
  return JSON.stringify(configSchema(), null, 2) + "\n";
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, schemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
