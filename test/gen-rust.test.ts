// The Rust target: naming, literal and lowering decisions of the view model; the generated crate
// built by Debian's rustc for wasm32-wasi with `-D warnings` (default, all and no features), its
// layout assertions failing on a wrong number, every raw import checked by `abic verify`,
// rustfmt leaving it unchanged, a Cargo command depending on it by path, and the docs.

import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import {
  callLines,
  cfgAttribute,
  declarationLines,
  rustConstName,
  rustCrateName,
  rustDocLines,
  rustCrateView,
  rustFeatures,
  rustFlagLiteral,
  rustIdent,
  rustIntegerLiteral,
  rustMemberConst,
  rustString,
  rustTarget,
  rustTypeName,
} from "../compiler/gen/rust.ts";
import { docsTarget } from "../compiler/gen/docs.ts";
import { rustPrototype } from "../compiler/lang/rust.ts";
import { compileFile } from "../compiler/index.ts";
import type { ContractModel, FunctionModel } from "../compiler/model.ts";
import { verifyModule } from "../compiler/verify.ts";
import { runModule } from "../host/index.ts";
import { wasiRust } from "../scripts/toolchain.ts";
import { buildCrate, buildGuest } from "./support/rust.ts";

const BUILD = path.resolve("test/.build/gen-rust");

function load(file: string): ContractModel {
  const { model, diagnostics } = compileFile(file);
  if (!model) throw new Error(`${file} does not check:\n${diagnostics.map((d) => d.message).join("\n")}`);
  return model;
}

const model = load("abi.idl");
const fnNamed = (module: string, name: string): FunctionModel =>
  model.modules.find((m) => m.name === module)!.functions.find((f) => f.name === name)!;

/** Writes the crate generated for `m` under test/.build/gen-rust/<name>/ and returns its folder. */
async function writeCrate(m: ContractModel, name: string): Promise<string> {
  const dir = path.join(BUILD, name);
  rmSync(dir, { recursive: true, force: true });
  for (const f of await rustTarget.generate(m, { source: "abi.idl" })) {
    const target = path.join(dir, f.path.replace(/^rust\//, ""));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.content);
  }
  return dir;
}

describe("names and literals", () => {
  test("identifiers escape Rust keywords, with raw identifiers where Rust allows them", () => {
    expect(rustIdent("type")).toBe("r#type");
    expect(rustIdent("in")).toBe("r#in");
    expect(rustIdent("self")).toBe("self_");
    expect(rustIdent("crate")).toBe("crate_");
    expect(rustIdent("2big")).toBe("_2big");
    expect(rustIdent("fd")).toBe("fd");
  });

  test("types are PascalCase; prelude names get a suffix; constants are SCREAMING_CASE", () => {
    expect(rustTypeName("event_fd_readwrite")).toBe("EventFdReadwrite");
    expect(rustTypeName("subscription_u")).toBe("SubscriptionU");
    expect(rustTypeName("result")).toBe("ResultType");
    expect(rustTypeName("option")).toBe("OptionType");
    expect(rustMemberConst("errno", "2big")).toBe("ERRNO_2BIG");
    expect(rustMemberConst("fdflags", "nonblock")).toBe("FDFLAGS_NONBLOCK");
    expect(rustConstName("dircookie_start")).toBe("DIRCOOKIE_START");
  });

  test("literals: one bit as a shift, masks in hex, signed minimums by name, escaped strings", () => {
    expect(rustFlagLiteral(1 << 29)).toBe("1 << 29");
    expect(rustFlagLiteral("9223372036854775808")).toBe("1 << 63");
    expect(rustFlagLiteral(0x30)).toBe("0x30");
    expect(rustFlagLiteral(0)).toBe("0");
    expect(rustIntegerLiteral("i64", "-9223372036854775808")).toBe("i64::MIN");
    expect(rustIntegerLiteral("i32", -1)).toBe("-1");
    expect(rustIntegerLiteral("u64", "18446744073709551615")).toBe("18446744073709551615");
    expect(rustString('say "hi"\\\n\u0001')).toBe('"say \\"hi\\"\\\\\\n\\u{1}"');
    expect(rustDocLines("argv[0] stays text, `buf[0]` code, [a link](x.md) a link  ")).toEqual([
      "argv\\[0\\] stays text, `buf[0]` code, [a link](x.md) a link",
    ]);
  });

  test("cfg attributes: one feature, all of several, any of alternatives, none when ungated", () => {
    expect(cfgAttribute([["poll_ext"]])).toBe('#[cfg(feature = "poll_ext")]');
    expect(cfgAttribute([["b", "a"]])).toBe('#[cfg(all(feature = "a", feature = "b"))]');
    expect(cfgAttribute([["a"], ["b"]])).toBe('#[cfg(any(feature = "a", feature = "b"))]');
    expect(cfgAttribute([["a"], []])).toBeNull();
    expect(cfgAttribute([])).toBeNull();
  });

  test("line layout follows rustfmt: call width 60, declarations up to 99 columns with a result", () => {
    expect(callLines("", "f", ["a", "b"], ";")).toEqual(["f(a, b);"]);
    const long = ["x".repeat(30), "y".repeat(30)];
    expect(callLines("    ", "f", long, ";")).toEqual(["    f(", `        ${long[0]},`, `        ${long[1]},`, "    );"]);
    const params = (n: number) => Array.from({ length: n }, (_, i) => `arg${i}: i32`);
    expect(declarationLines("        ", "pub fn f", params(2), " -> i32")).toEqual([
      "        pub fn f(arg0: i32, arg1: i32) -> i32;",
    ]);
    // 8 + "pub fn fd_getxattr(" + 6 params + ") -> i32;" is exactly 100 columns: the result moves down.
    const hundred = declarationLines("        ", "pub fn fd_getxattr", [...params(5), "aggg: i32"], " -> i32");
    expect(hundred).toHaveLength(2);
    expect(hundred[1]).toBe("            -> i32;");
  });

  test("every @unstable gate is a Cargo feature; `std` is the crate's own", () => {
    expect(rustFeatures(model)).toContain("group_records");
    expect(rustFeatures(model)).toContain("poll_ext");
    const clash = structuredClone(model);
    clash.types[0].unstable = "std";
    expect(() => rustFeatures(clash)).toThrow(/`std` collides/);
  });
});

describe("the view model", () => {
  test("wrappers: slices for lists and buffers, &str for strings, out-values returned", () => {
    expect(rustPrototype(model, fnNamed("wasi_snapshot_preview1", "fd_write"))).toBe(
      "// command_abi::wasi_snapshot_preview1::fd_write\npub unsafe fn fd_write(fd: Fd, iovs: &[Ciovec]) -> Result<Size, Errno>;",
    );
    expect(rustPrototype(model, fnNamed("wasi_snapshot_preview1", "fd_read"))).toContain("(fd: Fd, iovs: &[Iovec])");
    expect(rustPrototype(model, fnNamed("host_system", "get_identity"))).toContain(
      "pub unsafe fn get_identity(field: IdentityField, buf: &mut [u8]) -> Result<(), Errno>;",
    );
    expect(rustPrototype(model, fnNamed("host_fs", "path_statfs"))).toContain(
      "pub unsafe fn path_statfs(fd: Fd, path: &str) -> Result<(u64, u64, u64, u64, u64), Errno>;",
    );
    expect(rustPrototype(model, fnNamed("host_tty", "isatty"))).toContain("pub unsafe fn isatty(fd: Fd) -> u32;");
    expect(rustPrototype(model, fnNamed("wasi_snapshot_preview1", "proc_exit"))).toContain(
      "pub unsafe fn proc_exit(rval: Exitcode) -> !;",
    );
    expect(rustPrototype(model, fnNamed("host_net", "net_socket"))).toContain("r#type: u32");
  });

  test("lowering follows the model's core signature: i64 for 64-bit values, .raw() of newtypes", () => {
    const view = rustCrateView(model, { source: "abi.idl" });
    const preview1 = view.files.find((f) => f.path === "src/wasi_snapshot_preview1.rs")!;
    const body = (name: string) => {
      const i = model.modules.find((m) => m.name === "wasi_snapshot_preview1")!.functions.findIndex((f) => f.name === name);
      return preview1.functions[i].body.join("\n");
    };
    expect(body("path_open")).toContain("fs_rights_base.raw() as i64");
    expect(body("path_open")).toContain("path.as_ptr() as i32,\n        path.len() as i32");
    expect(body("fd_seek")).toContain("whence.raw() as i32");
    expect(body("fd_seek")).toMatch(/raw::fd_seek\(fd, offset, whence/);
    expect(body("clock_time_get")).toContain("precision as i64");
    expect(body("fd_write")).toContain("_ => Err(Errno::from_raw(ret as u16)),");
    expect(preview1.rawImports.map((r) => r.lines.join(" ")).find((l) => l.includes("fn proc_exit"))).toContain(
      "pub fn proc_exit(arg0: i32) -> !;",
    );
  });

  test("unstable items are behind their feature, deprecated ones carry #[deprecated]", () => {
    const view = rustCrateView(model, { source: "abi.idl" });
    const user = view.files.find((f) => f.path === "src/host_user.rs")!;
    const getgrgid = user.functions.find((f) => f.prototype.includes("fn getgrgid("))!;
    expect(getgrgid.attrs).toContain('#[cfg(feature = "group_records")]');
    const isatty = user.functions.find((f) => f.prototype.includes("fn isatty("))!;
    expect(isatty.attrs).toContain('#[deprecated(since = "1.0.0", note = "use host_tty.isatty")]');
    const process = view.files.find((f) => f.path === "src/host_process.rs")!;
    const spawn = process.functions.find((f) => f.prototype.includes("fn proc_spawn("))!;
    expect(spawn.attrs).toContain('#[deprecated(since = "1.0.0", note = "use `proc_spawn_v4`")]');
    const types = view.files.find((f) => f.path === "src/types.rs")!;
    const pollpri = types.constants.find((c) => c.lines[0].startsWith("pub const POLLPRI"))!;
    expect(pollpri.attrs).toEqual(['#[cfg(feature = "poll_ext")]']);
    expect(view.cargo.features.map((f) => f.name)).toEqual(rustFeatures(model));
  });

  test("a name two items would share is an error, not a silent shadow", () => {
    const clash = structuredClone(model);
    const errno = clash.types.find((t) => t.name === "errno")!;
    clash.constants.push({ ...clash.constants[0], name: "errno_badf", scope: null });
    expect(errno.kind).toBe("enum");
    expect(() => rustCrateView(clash, { source: "abi.idl" })).toThrow(/`types::ERRNO_BADF` is generated for both/);
  });
});

describe("the crate, built by Debian's rustc for wasm32-wasi", () => {
  const features = rustFeatures(model);

  test("the toolchain is there (a missing one is a failure, installed by scripts/toolchain.ts)", () => {
    expect(wasiRust().version).toMatch(/^rustc 1\.\d+/);
  });

  test("generated/rust is what the target generates for abi.idl", async () => {
    for (const f of await rustTarget.generate(model, { source: "abi.idl" }))
      expect(readFileSync(path.join("generated", f.path), "utf8"), f.path).toBe(f.content);
  });

  test("builds with -D warnings: default features, every feature, and no feature (no_std)", () => {
    buildCrate("generated/rust", { crateName: "command_abi", features: ["std"] });
    buildCrate("generated/rust", { crateName: "command_abi", features: ["std", ...features] });
    buildCrate("generated/rust", { crateName: "command_abi", features: [] });
  }, 180000);

  test("the fixture contracts' crates build too (every construct, variants without payloads)", async () => {
    for (const [file, name] of [
      ["test/fixtures/valid/every-construct/input.idl", "every-construct"],
      ["test/fixtures/gen/small/abi.idl", "small"],
    ]) {
      const m = load(file);
      const dir = await writeCrate(m, name);
      buildCrate(dir, { crateName: rustCrateName(m), features: ["std", ...rustFeatures(m)] });
    }
  }, 180000);

  test("a wrong layout number fails the build, naming the item", async () => {
    const base = load("test/fixtures/valid/every-construct/input.idl");
    const offset = structuredClone(base);
    const stat = offset.types.find((t) => t.name === "stat");
    if (stat?.kind !== "struct") throw new Error("fixture changed");
    stat.fields[2].offset += 2;
    const crateName = rustCrateName(base);
    const brokenOffset = await writeCrate(offset, "broken-offset");
    expect(() => buildCrate(brokenOffset, { crateName, features: [] })).toThrow(/panicked at 'offset of Stat\.mode'/);
    const size = structuredClone(base);
    const payload = size.types.find((t) => t.name === "payload")!;
    payload.size += 8;
    const brokenSize = await writeCrate(size, "broken-size");
    expect(() => buildCrate(brokenSize, { crateName, features: [] })).toThrow(/panicked at 'size of Payload'/);
    const variant = structuredClone(base);
    const v = variant.types.find((t) => t.name === "payload");
    if (v?.kind !== "variant") throw new Error("fixture changed");
    v.payloadOffset = 4;
    const brokenPayload = await writeCrate(variant, "broken-payload");
    expect(() => buildCrate(brokenPayload, { crateName, features: [] })).toThrow(/panicked at 'offset of Payload\.u'/);
  }, 180000);

  test("every raw import links with exactly the contract's core signature (abic verify)", () => {
    // A command that takes the address of every wrapper, so every raw import is linked.
    const wrappers = model.modules.flatMap((m) =>
      m.functions.map((f) => `command_abi::${rustIdent(m.name)}::${rustIdent(f.name)} as *const ()`),
    );
    const source = path.join(BUILD, "every_import", "every_import.rs");
    mkdirSync(path.dirname(source), { recursive: true });
    writeFileSync(
      source,
      [
        "#![allow(deprecated)]",
        "fn main() {",
        "    let wrappers: &[*const ()] = &[",
        ...wrappers.map((w) => `        ${w},`),
        "    ];",
        '    println!("{}", wrappers.iter().map(|f| *f as usize).sum::<usize>());',
        "}",
        "",
      ].join("\n"),
    );
    const crate = buildCrate("generated/rust", { crateName: "command_abi", features: ["std", ...features] });
    const wasm = buildGuest(source, crate, path.join(BUILD, "every_import.wasm"));
    const report = verifyModule(new Uint8Array(readFileSync(wasm)), model, { tier: "full", features });
    const refused = model.modules.flatMap((m) =>
      m.functions.filter((f) => f.status.kind === "refused").map((f) => `IMP_REFUSED ${m.name}.${f.name}`),
    );
    const errors = report.findings
      .filter((f) => f.severity === "error")
      .map((f) => `${f.rule} ${f.import?.module}.${f.import?.name}`);
    expect(errors.sort()).toEqual(refused.sort());
    const imported = new Set(report.findings.map((f) => f.rule));
    expect(imported.has("IMP_SIG_EXACT")).toBe(false);
    // Every contract function is imported: the features found are all the functions' gates.
    const fnFeatures = new Set(model.modules.flatMap((m) => m.functions.flatMap((f) => (f.unstable ? [f.unstable] : []))));
    expect(report.features).toEqual([...fnFeatures].sort());
  }, 180000);

  test("rustfmt leaves the generated crates unchanged", async () => {
    const { rustfmt } = wasiRust();
    const dirs = [
      "generated/rust",
      await writeCrate(load("test/fixtures/valid/every-construct/input.idl"), "fmt-every-construct"),
      await writeCrate(load("test/fixtures/gen/small/abi.idl"), "fmt-small"),
    ];
    for (const dir of dirs) {
      const run = spawnSync(rustfmt, ["--edition", "2021", "--check", path.join(dir, "src", "lib.rs")], { encoding: "utf8" });
      expect(run.stdout + run.stderr, dir).toBe("");
      expect(run.status, dir).toBe(0);
    }
  }, 60000);

  test("rustdoc renders the IDL's doc comments without a warning", () => {
    const { rustdoc } = wasiRust();
    const args = ["--edition", "2021", "--target", "wasm32-wasi", "--crate-name", "command_abi", "-D", "warnings"];
    const cfg = ["std", ...features].flatMap((f) => ["--cfg", `feature="${f}"`]);
    const out = path.join(BUILD, "rustdoc");
    const run = spawnSync(rustdoc, [...args, ...cfg, "generated/rust/src/lib.rs", "-o", out], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const page = readFileSync(path.join(out, "command_abi", "wasi_snapshot_preview1", "fn.fd_write.html"), "utf8");
    expect(page).toContain("Write to a file descriptor.");
  }, 120000);

  test("a Cargo command depends on the crate by path with a feature, and runs on the host", async () => {
    const { cargo, rustc } = wasiRust();
    const project = path.join(BUILD, "cargo-command");
    rmSync(project, { recursive: true, force: true });
    mkdirSync(path.join(project, "src"), { recursive: true });
    writeFileSync(
      path.join(project, "Cargo.toml"),
      [
        "[package]",
        'name = "whoami-rs"',
        'version = "0.1.0"',
        'edition = "2021"',
        "",
        "[dependencies]",
        `command_abi = { path = ${JSON.stringify(path.resolve("generated/rust"))}, features = ["group_records"] }`,
        "",
      ].join("\n"),
    );
    writeFileSync(
      path.join(project, "src", "main.rs"),
      [
        "use command_abi::{host_system, host_user};",
        "",
        "fn main() -> Result<(), Box<dyn std::error::Error>> {",
        "    let mut name = [0u8; 65];",
        "    unsafe { host_system::get_identity(host_system::IDENTITY_FIELD_SYSNAME, &mut name)? };",
        "    let mut group = [0u8; 64];",
        "    let mut len = 0u32;",
        "    unsafe { host_user::getgrgid(0, &mut group, &mut len)? };",
        '    let sysname = String::from_utf8_lossy(&name).trim_end_matches(\'\\0\').to_string();',
        '    println!("{} {} {}", command_abi::CONTRACT_VERSION, sysname, String::from_utf8_lossy(&group[..len as usize]));',
        "    // An Errno is a std::error::Error (the default `std` feature): `?` boxes it.",
        "    unsafe { host_user::getpwnam(\"ghost\", &mut group, &mut len)? };",
        "    Ok(())",
        "}",
        "",
      ].join("\n"),
    );
    const env = {
      ...process.env,
      RUSTC: rustc,
      CARGO_HOME: path.join(BUILD, "cargo-home"),
      CARGO_TARGET_DIR: path.join(BUILD, "cargo-target"),
      CARGO_NET_OFFLINE: "true",
    };
    const build = spawnSync(cargo, ["build", "--offline", "--release", "--target", "wasm32-wasi"], {
      cwd: project,
      env,
      encoding: "utf8",
    });
    expect(build.status, build.stderr).toBe(0);
    const wasm = path.join(BUILD, "cargo-target", "wasm32-wasi", "release", "whoami-rs.wasm");
    const r = await runModule({ module: wasm, model, features: ["group_records"] });
    expect(Buffer.from(r.stdout).toString()).toBe(`${model.package.version} Linux root:x:0:\n`);
    expect(Buffer.from(r.stderr).toString()).toContain('Error: Errno { code: 44, name: "NOENT"');
    expect(r.exitCode).toBe(1);
    // The crate's own folder gained nothing (no target/, no Cargo.lock).
    expect(readdirSync("generated/rust").sort()).toEqual(["Cargo.toml", "src"]);
  }, 180000);
});

describe("docs", () => {
  test("the README's Rust command builds against the crate and runs on the host", async () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Rust commands"));
    const example = /```rust\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const source = path.join(BUILD, "readme", "readme.rs");
    mkdirSync(path.dirname(source), { recursive: true });
    writeFileSync(source, example!);
    const crate = buildCrate("generated/rust", { crateName: "command_abi", features: ["std", "group_records"] });
    const wasm = buildGuest(source, crate, path.join(BUILD, "readme.wasm"));
    const r = await runModule({ module: wasm, model });
    expect(Buffer.from(r.stdout).toString()).toBe("Linux runs as pid 1\n");
    expect(r.exitCode).toBe(0);
  }, 120000);

  test("each function's page shows its Rust signature next to the C prototype", async () => {
    const pages = await docsTarget.generate(model, { source: "abi.idl" });
    const preview1 = pages.find((p) => p.path === "docs/wasi_snapshot_preview1.md")!.content;
    expect(preview1).toContain(
      "```rust\n// command_abi::wasi_snapshot_preview1::fd_write\npub unsafe fn fd_write(fd: Fd, iovs: &[Ciovec]) -> Result<Size, Errno>;\n```",
    );
    for (const m of model.modules) {
      const page = pages.find((p) => p.path === `docs/${m.name}.md`)!.content;
      const blocks = page.match(/```rust\n/g) ?? [];
      expect(blocks.length, m.name).toBe(m.functions.length);
    }
  });
});
