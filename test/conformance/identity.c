// host_user, host_system and host_tty: the virtual root identity, the passwd database, uname
// fields, and terminal queries on a non-terminal stdout.
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
  DONE();
}
