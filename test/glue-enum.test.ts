// Closed enums from the guest: a value no member has is answered `inval` by the glue before the
// implementation runs (stability rules B3: hosts reject unknown values of closed enums).

import { expect, test } from "vitest";
import { createImports, type HostSystem, type WasiSnapshotPreview1 } from "../generated/ts/index.ts";

type Raw = (...args: (number | bigint)[]) => number;

test("unknown clockid, whence and identity field get inval and never reach the implementation", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const calls: string[] = [];
  const wasi: Partial<WasiSnapshotPreview1> = {
    clockTimeGet(id) {
      calls.push(`clock ${id}`);
      return 123n;
    },
    fdSeek(_fd, _offset, whence) {
      calls.push(`seek ${whence}`);
      return 0n;
    },
  };
  const system: Partial<HostSystem> = {
    getIdentity(field) {
      calls.push(`identity ${field}`);
    },
  };
  const { imports } = createImports({ wasiSnapshotPreview1: wasi, hostSystem: system }, { memory, tier: "full" });
  const p1 = imports.wasi_snapshot_preview1 as Record<string, Raw>;
  const sys = imports.host_system as Record<string, Raw>;

  expect(p1.clock_time_get!(99, 0n, 64)).toBe(28);
  expect(p1.clock_time_get!(-1, 0n, 64)).toBe(28);
  expect(p1.fd_seek!(3, 0n, 3, 64)).toBe(28);
  expect(sys.get_identity!(6, 128, 16)).toBe(28);
  expect(calls).toEqual([]);

  expect(p1.clock_time_get!(1, 0n, 64)).toBe(0);
  expect(new DataView(memory.buffer).getBigUint64(64, true)).toBe(123n);
  expect(p1.fd_seek!(3, 0n, 2, 64)).toBe(0);
  expect(sys.get_identity!(5, 128, 16)).toBe(0);
  expect(calls).toEqual(["clock 1", "seek 2", "identity 5"]);
});
