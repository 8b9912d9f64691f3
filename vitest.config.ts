// Test runner settings. Generous timeouts: tests compile C with clang and start processes, and
// CI machines are shared; no test asserts on timing. The global setup builds dist/ first.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/.build/**", "node_modules/**"],
    globalSetup: ["test/support/build.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
