// host_user, host_system and host_tty: the virtual root identity, the passwd database, uname
// fields, and terminal queries on a non-terminal stdout.
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  uint32_t id = 99;
  CHECK(hu_getuid(&id) == 0 && id == 0, "getuid: 0");
  CHECK(hu_geteuid(&id) == 0 && id == 0, "geteuid: 0");
  CHECK(hu_getgid(&id) == 0 && id == 0, "getgid: 0");
  char rec[128] = {0};
  uint32_t len = 0;
  CHECK(hu_getpwuid(0, rec, sizeof rec, &len) == 0 && len == strlen("root:x:0:0:root:/root:/bin/sh") && !strncmp(rec, "root:x:0:0:", 11), "getpwuid 0");
  CHECK(hu_getpwuid(0, rec, 4, &len) == __WASI_ERRNO_RANGE && len == 29, "getpwuid short buffer: range + full length");
  CHECK(hu_getpwnam("nobody", 6, rec, sizeof rec, &len) == 0 && !strncmp(rec, "nobody:x:65534:", 15), "getpwnam nobody");
  CHECK(hu_getpwnam("ghost", 5, rec, sizeof rec, &len) == __WASI_ERRNO_NOENT, "getpwnam unknown: noent");
  uint32_t groups[4], count = 0;
  CHECK(hu_getgroups(0, groups, &count) == 0 && count == 1, "getgroups count");
  CHECK(hu_setuid(1000) == 0 && hu_getuid(&id) == 0 && id == 1000, "root may setuid");
  CHECK(hu_setuid(0) == __WASI_ERRNO_PERM, "after dropping, setuid 0: perm");
  char name[64] = {0};
  CHECK(hs_identity(1, name, sizeof name) == 0 && strcmp(name, "Linux") == 0, "uname sysname");
  CHECK(hs_identity(4, name, sizeof name) == 0 && strcmp(name, "wasm32") == 0, "uname machine");
  CHECK(hs_identity(6, name, sizeof name) == __WASI_ERRNO_INVAL, "identity field 6: inval");
  CHECK(hs_identity(1, name, 3) == __WASI_ERRNO_NAMETOOLONG, "short buffer: nametoolong");
  CHECK(ht_isatty(1) == 0 && ht_isatty(1234) == 0, "host_tty.isatty on a pipe and a bad fd: 0");
  uint32_t yes = 7;
  CHECK(hu_isatty(1, &yes) == 0 && yes == 0, "host_user.isatty: 0");
  CHECK(!isatty(1), "libc isatty(1): false");
  uint16_t cols, rows;
  CHECK(ht_get_size(1, &cols, &rows) == 25, "get_size on a pipe: Linux ENOTTY");
  CHECK(ht_get_size(99, &cols, &rows) == 9, "get_size on a bad fd: Linux EBADF");
  CHECK(ht_get_size(1, (uint16_t *)0xfffffff0, &rows) == 21, "get_size bad pointer: fault");
  uint32_t mode;
  uint8_t cc[7];
  CHECK(ht_get_attr(1, &mode, cc) == __WASI_ERRNO_NOTTY, "get_attr on a pipe: notty");
  CHECK(ht_set_raw_mode(1) == 25, "set_raw_mode without a terminal: 25");
  DONE();
}
