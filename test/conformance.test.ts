// The conformance suite: C guests built with clang against stock wasi-libc, each checking its
// own results (`ok:`/`FAIL:` lines, non-zero exit on failure), run under the reference host.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BUILD, guest, read, run, sandbox } from "./conformance/build.ts";
import { startServers } from "./conformance/tls-servers.ts";

const noFailures = (out: string) => expect(out.split("\n").filter((l) => l.startsWith("FAIL"))).toEqual([]);

describe("conformance", () => {
  test("files, directories, args, env, clocks and sleep; exits with the chosen code", async () => {
    const { data } = sandbox();
    const r = await run("files", { argv0: "files", args: ["7", "two words"], dirs: [{ host: data, guest: "/data" }], env: ["GREETING=hello world"] });
    noFailures(r.out);
    expect(r.exitCode).toBe(7);
    expect(r.out).toContain("arg[0]=files\narg[1]=7\narg[2]=two words\n");
    expect(r.out).toContain("entry: input.txt\nentry: inside.txt\nentry: out\n");
    expect(r.out).toContain("input: first line\n");
    expect(readdirSync(join(data, "out"))).toEqual([]);
  }, 20000);

  test("escapes from --dir fail with notcapable/perm and touch nothing outside", async () => {
    const { root, data } = sandbox();
    const r = await run("escape", { dirs: [{ host: data, guest: "/data" }] });
    noFailures(r.out);
    expect(r.exitCode).toBe(0);
    expect(read(join(root, "secret.txt"))).toBe("secret\n");
    expect(existsSync(join(root, "made-outside"))).toBe(false);
    expect(existsSync(join(root, "stolen.txt"))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(["data", "secret.txt"]);
  }, 20000);

  test("pipes and dup", async () => {
    const r = await run("pipes");
    noFailures(r.out);
    expect(r.out).toContain("ok: EOF after every writer closed");
    expect(r.exitCode).toBe(0);
  }, 20000);

  test("spawn a child, pipe data through it, wait, kill, signal trampoline", async () => {
    guest("child"); // found by name next to the parent
    const r = await run("spawn");
    noFailures(r.out);
    expect(r.out).toContain("ok: child's output came back upper-cased");
    expect(r.out).toContain("child argv[0]=/bin/child\nchild argv[1]=args\nchild argv[2]=\nchild argv[3]=last\n");
    expect(r.err).toContain("abic run: child: trap: unreachable");
    expect(r.exitCode).toBe(0);
  }, 30000);

  test("a spawned child starts in the spawn's cwd and shares the offsets of inherited files", async () => {
    const { data } = sandbox();
    guest("child");
    const r = await run("spawn_fs", { dirs: [{ host: data, guest: "/data" }] });
    noFailures(r.out);
    expect(r.out.split("child cwd=/data/sub\nchild read=in sub\n").length - 1).toBe(4);
    expect(r.out).toContain("ok: cwd outside every --dir: notcapable");
    expect(r.out).toContain("ok: child reads 4 bytes of the inherited stdin");
    expect(r.out).toContain("line");
    expect(read(join(data, "out", "log"))).toBe("abc");
    expect(r.exitCode).toBe(0);
  }, 30000);

  test("user, system and tty identity", async () => {
    const r = await run("identity", { features: ["group_records"] });
    noFailures(r.out);
    expect(r.exitCode).toBe(0);
  }, 20000);

  test("misbehaving calls get the contract's errno", async () => {
    const r = await run("misbehave");
    noFailures(r.out);
    expect(r.out).toContain("ok: fd_write iovec out of memory: fault");
    expect(r.exitCode).toBe(0);
  }, 20000);

  test("a guest server and a guest client exchange data over loopback TCP; UDP, names, options, poll, errors", async () => {
    guest("echoserver"); // spawned by name next to the client
    const r = await run("net");
    noFailures(r.out);
    noFailures(r.err);
    expect(r.out).toContain("ok: net_recv: the echo came back");
    expect(r.out).toContain("ok: 150 KB round trip, in order");
    expect(r.err).toContain("server ok: fd_read: end of stream after the client closed");
    expect(r.out).toContain("ok: connect to a closed port: connrefused");
    expect(r.exitCode).toBe(0);
  }, 30000);

  test("host_fs through the host: modes, sizes, owners, statfs, zeroed ranges, renames; escapes fail", async () => {
    const { root, data } = sandbox();
    const r = await run("fs_ext", { dirs: [{ host: data, guest: "/data" }] });
    noFailures(r.out);
    expect(r.out).toContain("ok: rename into a link out: NOTCAPABLE");
    expect(r.exitCode).toBe(0);
    expect(read(join(root, "secret.txt"))).toBe("secret\n");
    expect(readdirSync(root).sort()).toEqual(["data", "secret.txt"]);
  }, 20000);

  test("host_fs: legacy chown, shifted ranges, open latches, emulated xattrs, unnamed files, remount", async () => {
    const { root, data } = sandbox();
    const r = await run("fs_attr", { dirs: [{ host: data, guest: "/data" }] });
    noFailures(r.out);
    expect(r.out).toContain("ok: later writes land in the named file");
    expect(r.exitCode).toBe(0);
    expect(readdirSync(join(data, "sub")).sort()).toEqual(["named", "second"]);
    expect(read(join(data, "sub", "named"))).toBe("unnamed+more");
    expect(readdirSync(root).sort()).toEqual(["data", "secret.txt"]);
  }, 20000);

  test("exec replaces the image in place: same pid, new argv and env, cloexec fds closed; fexec from a descriptor", async () => {
    const { data } = sandbox();
    guest("child"); // fexeced from /bin
    const r = await run("exec", { argv0: "exec", dirs: [{ host: data, guest: "/data" }, { host: BUILD, guest: "/bin" }], env: ["GREETING=hi"] });
    noFailures(r.out);
    expect(r.out).toContain("ok: fexec a script: noexec");
    expect(r.out).toContain("ok: stage2: the fd in the cloexec list is closed");
    expect(r.exitCode).toBe(3);
  }, 20000);

  test("record locks are shared by the processes of a host; a waiting lock is granted on unlock", async () => {
    const { data } = sandbox();
    const r = await run("locks", { argv0: "locks", dirs: [{ host: data, guest: "/data" }] });
    noFailures(r.out);
    expect(r.out).toContain("ok: child: setlkw gets the range once the parent unlocks");
    expect(r.out).toContain("ok: the child's locks went with it");
    expect(r.exitCode).toBe(0);
  }, 20000);

  test("SCM_RIGHTS over a socketpair hands a descriptor to another process", async () => {
    const r = await run("passing", { argv0: "passing" });
    noFailures(r.out);
    expect(r.out).toContain("ok: child: write through the received descriptor");
    expect(r.out).toContain("ok: msg_flags: ctrunc and the length");
    expect(r.exitCode).toBe(0);
  }, 20000);

  test("pty pairs are terminals with a shared window size; host_tty.read reads stdin with a deadline", async () => {
    const r = await run("tty", { stdin: new TextEncoder().encode("typed\n") });
    noFailures(r.out);
    expect(r.out).toContain("ok: tty read: the rest");
    expect(r.exitCode).toBe(0);
  }, 20000);

  test("host_net: preflight checks, local resource records, TLS over a connected socket", async () => {
    const servers = await startServers();
    try {
      const r = await run("net_ext", { args: [String(servers.tlsPort), String(servers.plainPort)], tlsCa: servers.ca });
      noFailures(r.out);
      expect(r.out).toContain("ok: PTR 127.0.0.1");
      if (servers.tlsPort) expect(r.out).toContain("ok: net_recv: the server's plaintext answer");
      expect(r.exitCode).toBe(0);
    } finally {
      servers.close();
    }
  }, 30000);

  test("a refused import is not linked and the module does not start", async () => {
    const r = await run("refused");
    expect(r.exitCode).toBe(126);
    expect(r.error).toMatch(/sock_accept/);
  }, 20000);
});
