// Test runner settings. Generous timeouts: tests compile C with clang and start processes, and
// CI machines are shared; no test asserts on timing.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/.build/**", "node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
