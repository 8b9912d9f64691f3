// The generated glue reuses one list accessor per import; a call made while the implementation
// is still running (it called back into the guest, as a signal handler that writes would) must
// get its own accessor, so the outer call's arguments are not re-aimed under it.

import { mkdirSync, readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { createImports, type CiovecList, type WasiSnapshotPreview1 } from "../generated/ts/index.ts";
import { compileC } from "../scripts/toolchain.ts";

test("a re-entrant fd_write does not disturb the outer call's iovec list", () => {
  mkdirSync("test/.build/glue", { recursive: true });
  const out = "test/.build/glue/reentry.wasm";
  compileC({ sources: ["test/guests/glue/reentry.c"], out, extraArgs: ["-nostartfiles", "-Wl,--no-entry"] });
  let instance: WebAssembly.Instance | undefined;
  const seen: string[] = [];
  const describe = (iovs: CiovecList): string => `${iovs.ptr}:${iovs.length}:${iovs.bufAt(0)}:${iovs.bufLenAt(0)}`;
  const wasi: Partial<WasiSnapshotPreview1> = {
    fdWrite(fd, iovs) {
      const before = describe(iovs);
      if (fd === 1) {
        // re-enter: the guest writes to fd 2 with a different list while this call runs
        const view = new DataView((instance!.exports.memory as WebAssembly.Memory).buffer);
        view.setUint32(2048, 4096, true);
        view.setUint32(2052, 7, true);
        expect((instance!.exports.w as (...a: number[]) => number)(2, 2048, 1, 2056)).toBe(0);
      }
      const after = describe(iovs);
      seen.push(`${fd} ${before} ${after}`);
      return iovs.bufLenAt(0);
    },
  };
  const glue = createImports(
    { wasiSnapshotPreview1: wasi },
    { getMemory: () => instance!.exports.memory as WebAssembly.Memory, tier: "isolated" },
  );
  instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), glue.imports);
  const view = new DataView((instance.exports.memory as WebAssembly.Memory).buffer);
  view.setUint32(1024, 3072, true);
  view.setUint32(1028, 5, true);
  expect((instance.exports.w as (...a: number[]) => number)(1, 1024, 1, 1032)).toBe(0);
  expect(view.getUint32(1032, true)).toBe(5);
  expect(view.getUint32(2056, true)).toBe(7);
  expect(seen).toEqual(["2 2048:1:4096:7 2048:1:4096:7", "1 1024:1:3072:5 1024:1:3072:5"]);
});
