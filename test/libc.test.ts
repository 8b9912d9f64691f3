// The libc block: the C prototype parser, the real contract's coverage of the reference's
// patch and override lists, its gates, and how the frozen 1.0.0 release diffs against it.

import { readFileSync } from "node:fs";
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import { cDeclaration, cFunctionType, parseCPrototype } from "../compiler/c-prototype.ts";
import { diffContracts } from "../compiler/diff.ts";
import { compileFile, compileText } from "../compiler/index.ts";
import type { ContractModel } from "../compiler/model.ts";

const typeOf = (text: string) => {
  const r = parseCPrototype(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return cFunctionType(r.prototype);
};

describe("C prototypes", () => {
  test.each([
    ["int pipe(int fd[2])", "int (int *)"],
    ["int pipe(int *fds)", "int (int *)"],
    ["pid_t getpid(void)", "pid_t (void)"],
    ["int fcntl(int fd, int cmd, ...)", "int (int, int, ...)"],
    ["void (*signal(int sig, void (*func)(int)))(int)", "void (*(int, void (*)(int)))(int)"],
    ["char *getpass(const char *prompt)", "char *(const char *)"],
    ["int f(const int x, char *const argv[restrict], const struct addrinfo *restrict h)", "int (int, char *const *, const struct addrinfo *)"],
    ["unsigned f(long int a, unsigned b, short int c, signed char d, long long int e)", "unsigned int (long, unsigned int, short, signed char, long long)"],
    ["int f(int (*cb)(void *), void *arg)", "int (int (*)(void *), void *)"],
    ["ssize_t f(void *__restrict buf)", "ssize_t (void *)"],
  ])("%s has the C type %s", (text, type) => {
    expect(typeOf(text)).toBe(type);
  });

  test.each([
    ["int f()", 6, "an empty parameter list"],
    ["int f(void);", 11, "without a trailing `;`"],
    ["int x", 0, "not a function declaration"],
    ["int (*f)(int)", 0, "not a function declaration"],
    ["int f(int a, int a)", 17, "named twice"],
    ["int f(int, void)", 11, "`void` is only allowed alone"],
    ["restrict int f(void)", 0, "`restrict` qualifies a pointer"],
    ["int f(int $)", 10, "unexpected character `$`"],
    ["int f(...)", 6, "`...` needs at least one named parameter"],
    ["long short f(void)", 0, "is not a C type"],
    ["int f(int)[3]", 5, "cannot return an array"],
    ["int f(struct)", 12, "needs a tag name"],
    ["int 3f(void)", 4, "expected the function's name"],
  ])("%s is rejected at offset %i: %s", (text, offset, message) => {
    const r = parseCPrototype(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain(message);
    expect(r.error.offset).toBe(offset);
  });

  // Any spacing and any parameter names give the same type; the printed declaration parses back to it.
  const name = fc.constantFrom("a", "fd", "buf", "len_1");
  const space = fc.constantFrom(" ", "  ", "\t", " \n ");
  fcTest.prop([name, name, space, space])("names and spacing do not change the C type", (a, b, s1, s2) => {
    const text = `ssize_t${s1}read(int${s2}${a},${s1}void${s2}*${b}, size_t count)`;
    fc.pre(a !== b);
    expect(typeOf(text)).toBe("ssize_t (int, void *, size_t)");
    const r = parseCPrototype(text);
    expect(r.ok && typeOf(cDeclaration(r.prototype.type, r.prototype.name))).toBe("ssize_t (int, void *, size_t)");
  });
});

describe("the libc block of the contract", () => {
  const model = compileFile("abi.idl").model as ContractModel;
  const byName = new Map(model.libc.map((f) => [f.name, f]));

  // agentos-abi.md section 6: the functions each patch names and the override list's symbols.
  const PATCHES: Record<string, string[]> = {
    "0001-pipe-dup": ["pipe", "dup", "dup2"],
    "0002-spawn-wait": ["posix_spawn", "posix_spawnp", "posix_spawn_file_actions_init", "posix_spawn_file_actions_adddup2", "posix_spawnattr_init", "waitpid", "wait"],
    "0003-kill": ["kill"],
    "0004-getpid": ["getpid", "getppid"],
    "0005-user-identity": ["getuid", "geteuid", "getgid", "getegid"],
    "0006-isatty": ["isatty"],
    "0007-getpwuid": ["getpwuid"],
    "0008-sockets": ["socket", "connect", "bind", "listen", "accept", "send", "recv", "sendto", "recvfrom", "getaddrinfo", "freeaddrinfo", "gai_strerror", "gethostname", "setsockopt", "getsockname", "getpeername", "poll", "select"],
    "0009-realloc-glibc-semantics": ["realloc"],
    "0010-pthread-condattr-getclock": ["pthread_condattr_getclock"],
    "0011-sigaction": ["sigaction", "signal", "sigemptyset", "sigfillset", "sigaddset", "sigdelset", "sigismember"],
    "0014-initialize-cwd-from-pwd": ["getcwd", "chdir"],
    "0018-posix-spawn-and-terminal-headers": ["posix_spawn_file_actions_addclosefrom_np", "fork", "setsid", "tcgetattr", "tcsetattr", "tcgetpgrp", "tcsetpgrp", "tcgetsid", "getpass"],
  };
  const OVERRIDES = ["fcntl", "close", "strfmon", "open_wmemstream", "swprintf", "inet_ntop", "pthread_mutex_lock", "pthread_attr_setguardsize", "pthread_mutexattr_setrobust", "pthread_key_create", "fmtmsg"];
  const HEADERS = ["unistd.h", "netdb.h", "spawn.h", "termios.h", "sys/wait.h", "pwd.h", "net/if.h", "fcntl.h", "ifaddrs.h", "sys/ioctl.h", "posix_spawn_compat.h"];

  test("covers every function of the reference's patch list and override list", () => {
    const missing = [...Object.values(PATCHES).flat(), ...OVERRIDES].filter((n) => !byName.has(n));
    expect(missing).toEqual([]);
    for (const [patch, names] of Object.entries(PATCHES))
      for (const n of names.filter((x) => !x.startsWith("tc") && x !== "getpass" && !x.startsWith("posix_spawnattr") && !x.startsWith("posix_spawn_file_actions_addclosefrom")))
        expect(byName.get(n)!.patches, `${n}: names ${patch}`).toContain(patch);
  });

  test("declares the headers the patches install or replace, and what a porter must do without", () => {
    const headers = new Map(model.libcSurface!.headers.map((h) => [h.name, h.change]));
    for (const h of HEADERS) expect(headers.has(h), h).toBe(true);
    for (const h of ["netdb.h", "spawn.h", "termios.h", "sys/wait.h", "pwd.h"]) expect(headers.get(h), h).toBe("unomitted");
    const absent = model.libcSurface!.absent.map((a) => a.name);
    for (const n of ["vfork", "execve", "shm_open", "pthread_create"]) expect(absent).toContain(n);
    expect(byName.get("fork")).toMatchObject({ change: "stubbed", returns: "-1", errno: ["nosys"], instead: ["posix_spawn", "posix_spawnp"] });
  });

  test("the imports behind the functions porters ask about", () => {
    const imports = (n: string) => byName.get(n)!.imports;
    expect(imports("socketpair")).toEqual(["host_process.fd_socketpair"]);
    expect(imports("posix_spawnp")).toContain("host_process.proc_spawn");
    expect(imports("waitpid")).toEqual(["host_process.proc_waitpid"]);
    expect(imports("getpwnam")).toEqual(["host_user.getpwnam"]);
    expect(imports("tcsetattr")).toEqual(["host_tty.set_raw_mode"]);
    expect(imports("flock")).toEqual(["host_process.fd_flock"]);
    expect(imports("getaddrinfo")).toEqual(["host_net.net_getaddrinfo"]);
    // A function links only where its imports do: sockets at full, credentials everywhere.
    expect(byName.get("socket")!.tiers).toEqual(["full"]);
    expect(byName.get("getuid")!.tiers).toEqual(["isolated", "read-only", "read-write", "full"]);
    expect(byName.get("fcntl")!.tiers).toEqual(["read-only", "read-write", "full"]);
  });

  test("stable items are new in 1.1.0; unverified ones are unstable and say why", () => {
    const surface = model.libcSurface!;
    for (const item of [...model.libc, ...surface.headers, ...surface.absent]) {
      if (item.unstable === null) expect(item.since, item.name).toBe("1.1.0");
      expect(item.docs.trim(), item.name).not.toBe("");
    }
    // What the reference marks UNVERIFIED or does not record, and what the contract has unstable, stays unstable.
    for (const n of ["getpwnam", "getpwent", "getgrgid", "getgrnam", "tcgetattr", "tcsetattr", "tcgetpgrp", "sigprocmask", "socketpair", "close", "fmtmsg", "flock", "posix_spawnattr_init"])
      expect(byName.get(n)!.unstable, n).not.toBeNull();
    for (const f of model.libc.filter((x) => x.unstable === "libc_overrides" || x.unstable === "terminal_compat"))
      expect(f.deviations.length + (f.docs.match(/not recorded|meaningless|cannot|expect/g)?.length ?? 0) + f.patches.length, f.name).toBeGreaterThan(0);
  });

  test("against the frozen 1.0.0 release every libc item is an addition (or information, if unstable)", () => {
    const release = JSON.parse(readFileSync("abi/releases/1.0.0.json", "utf8")) as ContractModel;
    const report = diffContracts(release, model);
    const libc = report.findings.filter((f) => f.item.startsWith("libc "));
    const added = libc.filter((f) => f.rule === "LIBC_ADDED").map((f) => f.item.slice(5));
    expect(added.sort()).toEqual(model.libc.filter((f) => f.unstable === null).map((f) => f.name).sort());
    expect(libc.filter((f) => f.class === "break" || f.class === "policy")).toEqual([]);
    expect(report.requiredBump).toBe("minor");
  });
});

describe("libc block syntax", () => {
  test("a malformed block reports syntax errors and the rest still checks", () => {
    const c = compileText(`/// p
package p@1.0.0;
/// l
libc {
    /// h
    @since(1.0.0)
    header "unistd.h" patched;
    /// f
    @since(1.0.0)
    fn f added { header "unistd.h"; prototype "int f(void)"; }
}
`);
    expect(c.diagnostics.filter((d) => d.code === "E0102").length).toBeGreaterThanOrEqual(2);
    expect(c.model).toBeNull();
  });
});
