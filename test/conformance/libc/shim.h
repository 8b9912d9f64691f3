// Shared by the libc shim: the generated host headers (`-I generated/c`) whose typed wrappers
// every shim function calls, exactly the imports abi/libc.idl declares for it.
#ifndef ABIC_SHIM_H
#define ABIC_SHIM_H
#include <errno.h>
#include <host_net.h>
#include <host_process.h>
#include <host_user.h>

/** Patched libc convention: a host errno becomes `errno` as is (the numbering is WASI's). */
static inline int shim_fail(__wasi_errno_t e) {
  errno = (int)e;
  return -1;
}
#endif
