// Patch 0014-initialize-cwd-from-pwd: the working directory starts where `PWD` says. Stock
// wasi-libc keeps the directory in `__wasilibc_cwd` (starting at "/") and resolves relative
// paths against it; defining that symbol and getcwd here keeps stock getcwd.o out of the link.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shim.h"

char *__wasilibc_cwd = "/";
static int initialized;

/** Adopt `PWD` once, through stock chdir, which checks it and resolves it against the preopens. */
static void from_pwd(void) {
  if (initialized) return;
  initialized = 1;
  const char *pwd = getenv("PWD");
  if (pwd && pwd[0] == '/') chdir(pwd);
}

// Relative opens before any getcwd must already resolve against PWD.
__attribute__((constructor)) static void start_in_pwd(void) {
  from_pwd();
}

char *getcwd(char *buf, size_t size) {
  from_pwd();
  size_t len = strlen(__wasilibc_cwd) + 1;
  if (!buf) return strdup(__wasilibc_cwd);
  if (size < len) {
    errno = size ? ERANGE : EINVAL;
    return NULL;
  }
  return memcpy(buf, __wasilibc_cwd, len);
}
