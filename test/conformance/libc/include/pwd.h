// Stands in for <pwd.h>, which upstream wasi-libc omits and the patched libc installs
// (abi/libc.idl: unomitted): musl's `struct passwd` and `getpwuid`.
#ifndef ABIC_SHIM_PWD_H
#define ABIC_SHIM_PWD_H
#include <sys/types.h>

struct passwd {
  char *pw_name;
  char *pw_passwd;
  uid_t pw_uid;
  gid_t pw_gid;
  char *pw_gecos;
  char *pw_dir;
  char *pw_shell;
};

struct passwd *getpwuid(uid_t uid);
#endif
