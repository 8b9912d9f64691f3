// host_user, host_system and host_tty: the virtual root identity, the passwd database, uname
// fields, and terminal queries on a non-terminal stdout.
// The group records are an unstable part of the contract: the test runs this guest with the
// `group_records` feature.
#define __ABIC_FEATURE_GROUP_RECORDS 1
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  uint32_t id = 99;
  CHECK(__host_user_getuid(&id) == 0 && id == 0, "getuid: 0");
  CHECK(__host_user_geteuid(&id) == 0 && id == 0, "geteuid: 0");
  CHECK(__host_user_getgid(&id) == 0 && id == 0, "getgid: 0");
  char rec[128] = {0};
  uint32_t len = 0;
  CHECK(__host_user_getpwuid(0, (uint8_t *)rec, sizeof rec, &len) == 0 && len == strlen("root:x:0:0:root:/root:/bin/sh") && !strncmp(rec, "root:x:0:0:", 11), "getpwuid 0");
  CHECK(__host_user_getpwuid(0, (uint8_t *)rec, 4, &len) == __WASI_ERRNO_RANGE && len == 29, "getpwuid short buffer: range + full length");
  CHECK(__host_user_getpwnam("nobody", (uint8_t *)rec, sizeof rec, &len) == 0 && !strncmp(rec, "nobody:x:65534:", 15), "getpwnam nobody");
  CHECK(__host_user_getpwnam("ghost", (uint8_t *)rec, sizeof rec, &len) == __WASI_ERRNO_NOENT, "getpwnam unknown: noent");
  uint32_t groups[4], count = 0;
  CHECK(__host_user_getgroups(0, groups, &count) == 0 && count == 1, "getgroups count");
  uint32_t r = 9, e = 9, s = 9;
  CHECK(__host_user_getegid(&id) == 0 && id == 0, "getegid: 0");
  CHECK(__host_user_getresuid(&r, &e, &s) == 0 && r == 0 && e == 0 && s == 0, "getresuid: 0 0 0");
  CHECK(__host_user_getresgid(&r, &e, &s) == 0 && r == 0 && e == 0 && s == 0, "getresgid: 0 0 0");
  uint32_t mine[2] = {0, 100};
  CHECK(__host_user_setgroups(2, mine) == 0 && __host_user_getgroups(4, groups, &count) == 0 && count == 2 && groups[1] == 100, "setgroups, then getgroups");
  CHECK(__host_user_getgroups(1, groups, &count) == __WASI_ERRNO_INVAL, "getgroups into a short array: inval");
  CHECK(__host_user_setgid(50) == 0 && __host_user_getgid(&id) == 0 && id == 50, "root may setgid");
  CHECK(__host_user_setegid(60) == 0 && __host_user_getegid(&id) == 0 && id == 60, "setegid");
  CHECK(__host_user_setregid(70, 80) == 0 && __host_user_getresgid(&r, &e, &s) == 0 && r == 70 && e == 80, "setregid");
  CHECK(__host_user_setresgid(1, 2, 3) == 0 && __host_user_getresgid(&r, &e, &s) == 0 && r == 1 && e == 2 && s == 3, "setresgid");
  CHECK(__host_user_seteuid(500) == 0 && __host_user_geteuid(&id) == 0 && id == 500 && __host_user_getuid(&r) == 0 && r == 0, "seteuid 500 keeps the real uid");
  CHECK(__host_user_setgid(7) == __WASI_ERRNO_PERM, "not root: setgid to a foreign id: perm");
  CHECK(__host_user_seteuid(0) == 0, "seteuid back to the saved uid 0");
  CHECK(__host_user_setreuid(0xFFFFFFFF, 0) == 0 && __host_user_setresuid(0, 0, 0) == 0, "setreuid (keep, 0), setresuid 0 0 0");
  CHECK(__host_user_getpwent(0, (uint8_t *)rec, sizeof rec, &len) == 0 && !strncmp(rec, "root:", 5), "getpwent 0: root");
  CHECK(__host_user_getpwent(1, (uint8_t *)rec, sizeof rec, &len) == 0 && !strncmp(rec, "nobody:", 7), "getpwent 1: nobody");
  CHECK(__host_user_getpwent(2, (uint8_t *)rec, sizeof rec, &len) == __WASI_ERRNO_NOENT, "getpwent past the end: noent");
#ifdef __ABIC_FEATURE_GROUP_RECORDS
  CHECK(__host_user_getgrgid(0, (uint8_t *)rec, sizeof rec, &len) == 0 && len == 9 && !strncmp(rec, "root:x:0:", 9), "getgrgid 0");
  CHECK(__host_user_getgrnam("nogroup", (uint8_t *)rec, sizeof rec, &len) == 0 && !strncmp(rec, "nogroup:x:65534:", 16), "getgrnam nogroup");
  CHECK(__host_user_getgrent(1, (uint8_t *)rec, 3, &len) == __WASI_ERRNO_RANGE && len == 16, "getgrent short buffer: range + full length");
  CHECK(__host_user_getgrent(2, (uint8_t *)rec, sizeof rec, &len) == __WASI_ERRNO_NOENT, "getgrent past the end: noent");
#endif
  CHECK(__host_user_setuid(1000) == 0 && __host_user_getuid(&id) == 0 && id == 1000, "root may setuid");
  CHECK(__host_user_setuid(0) == __WASI_ERRNO_PERM, "after dropping, setuid 0: perm");
  char name[64] = {0};
  CHECK(__host_system_get_identity(1, (uint8_t *)name, sizeof name) == 0 && strcmp(name, "Linux") == 0, "uname sysname");
  CHECK(__host_system_get_identity(4, (uint8_t *)name, sizeof name) == 0 && strcmp(name, "wasm32") == 0, "uname machine");
  CHECK(__host_system_get_identity(6, (uint8_t *)name, sizeof name) == __WASI_ERRNO_INVAL, "identity field 6: inval");
  CHECK(__host_system_get_identity(1, (uint8_t *)name, 3) == __WASI_ERRNO_NAMETOOLONG, "short buffer: nametoolong");
  CHECK(__host_tty_isatty(1) == 0 && __host_tty_isatty(1234) == 0, "host_tty.isatty on a pipe and a bad fd: 0");
  uint32_t yes = 7;
  CHECK(__host_user_isatty(1, &yes) == 0 && yes == 0, "host_user.isatty: 0");
  CHECK(!isatty(1), "libc isatty(1): false");
  uint16_t cols, rows;
  CHECK(__host_tty_get_size(1, &cols, &rows) == 25, "get_size on a pipe: Linux ENOTTY");
  CHECK(__host_tty_get_size(99, &cols, &rows) == 9, "get_size on a bad fd: Linux EBADF");
  CHECK(__host_tty_get_size(1, (uint16_t *)0xfffffff0, &rows) == 21, "get_size bad pointer: fault");
  uint32_t mode;
  uint8_t cc[7];
  CHECK(__host_tty_get_attr(1, &mode, cc) == __WASI_ERRNO_NOTTY, "get_attr on a pipe: notty");
  CHECK(__host_tty_set_raw_mode(1) == 25, "set_raw_mode without a terminal: 25");
  __wasi_pid_t pg;
  __host_tty_termios_cc_t tcc = {0};
  CHECK(__host_tty_set_size(1, 100, 30) == __WASI_ERRNO_NOTTY && __host_tty_set_size(1, 70000, 30) == __WASI_ERRNO_INVAL, "set_size on a pipe: notty; cols above 65535: inval");
  CHECK(__host_tty_set_attr(1, 0, &tcc) == __WASI_ERRNO_NOTTY, "set_attr on a pipe: notty");
  CHECK(__host_tty_get_pgrp(1, &pg) == __WASI_ERRNO_NOTTY && __host_tty_set_pgrp(1, 1) == __WASI_ERRNO_NOTTY, "get_pgrp, set_pgrp on a pipe: notty");
  CHECK(__host_tty_get_sid(1, &pg) == __WASI_ERRNO_NOTTY && __host_tty_get_sid(99, &pg) == __WASI_ERRNO_BADF, "get_sid on a pipe: notty; on a bad fd: badf");
  DONE();
}
