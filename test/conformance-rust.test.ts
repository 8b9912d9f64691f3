// Rust guests on the reference host: commands written against the generated crate
// (generated/rust) with Debian's rustc, each checking its own results (`ok:`/`FAIL:` lines,
// non-zero exit on failure), run by the host and accepted by `abic verify`.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { verifyModule } from "../compiler/verify.ts";
import { runModule, type RunOptions } from "../host/index.ts";
import { contract, read, sandbox } from "./conformance/build.ts";
import { buildCrate, buildGuest, type CrateBuild } from "./support/rust.ts";

const CRATE = "generated/rust";
const BUILD = "test/.build/conformance-rust";
const GUESTS = ["rust_files", "rust_spawn", "rust_net", "rust_identity"] as const;
type Guest = (typeof GUESTS)[number];
/** The Cargo features the guests build the crate with, and the host enables. */
const FEATURES = ["group_records"];

let crate: CrateBuild | null = null;
const built = new Set<Guest>();

/** The path of a built guest; builds the crate and the guest on first use. */
function guest(name: Guest): string {
  crate ??= buildCrate(CRATE, { crateName: "command_abi", features: ["std", ...FEATURES] });
  const out = `${BUILD}/${name}.wasm`;
  if (!built.has(name)) {
    buildGuest(`test/conformance/rust/${name}.rs`, crate, out);
    built.add(name);
  }
  return out;
}

async function run(name: Guest, opts: Partial<RunOptions> = {}) {
  const result = await runModule({ module: guest(name), model: contract(), features: FEATURES, ...opts });
  const out = Buffer.from(result.stdout).toString();
  const err = Buffer.from(result.stderr).toString();
  expect(out.split("\n").filter((l) => l.startsWith("FAIL")), out + err).toEqual([]);
  expect(err.split("\n").filter((l) => l.startsWith("FAIL")), err).toEqual([]);
  return { ...result, out, err };
}

describe("Rust guests built on the generated crate", () => {
  test("a file round trip through wasi_snapshot_preview1", async () => {
    const { data } = sandbox();
    const r = await run("rust_files", { dirs: [{ host: data, guest: "/data" }] });
    expect(r.out).toContain("ok: the bytes read back are the bytes written");
    expect(r.out).toContain("ok: fd_close twice: badf");
    expect(r.exitCode).toBe(0);
    expect(read(join(data, "out", "rust.txt"))).toBe("written by a Rust guest\n");
    expect(readdirSync(join(data, "out"))).toEqual(["rust.txt"]);
  }, 60000);

  test("a spawn and wait through host_process", async () => {
    const r = await run("rust_spawn");
    expect(r.out).toContain("ok: the child's output came back upper-cased");
    expect(r.out).toContain("ok: waitpid any: exit 42");
    expect(r.exitCode).toBe(0);
  }, 60000);

  test("a loopback TCP exchange through host_net with a Rust server", async () => {
    const r = await run("rust_net");
    expect(r.out).toContain("ok: net_recv: the echo came back");
    expect(r.out).toContain("ok: 64 KiB round trip, in order");
    expect(r.err).toContain("server ok: echoed until the client closed");
    expect(r.exitCode).toBe(0);
  }, 60000);

  test("identity through host_system, host_user and host_tty", async () => {
    const r = await run("rust_identity");
    expect(r.out).toContain("ok: get_identity sysname: Linux");
    expect(r.out).toContain("ok: getgrgid 0 (the group_records feature)");
    expect(r.exitCode).toBe(0);
  }, 60000);

  test("abic verify accepts every Rust guest at the full tier with its features", () => {
    for (const name of GUESTS) {
      const report = verifyModule(new Uint8Array(readFileSync(guest(name))), contract(), {
        tier: "full",
        features: FEATURES,
      });
      expect({ name, findings: report.findings }).toEqual({ name, findings: [] });
      expect(report.ok).toBe(true);
    }
    // Only the identity guest calls a group_records function; verify names that feature.
    const identity = verifyModule(new Uint8Array(readFileSync(guest("rust_identity"))), contract(), {
      tier: "full",
      features: FEATURES,
    });
    expect(identity.features).toEqual(FEATURES);
  }, 120000);
});
