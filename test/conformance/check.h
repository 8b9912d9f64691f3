// Shared by the conformance guests: CHECK prints `ok: what` or `FAIL: what` and counts
// failures; DONE exits non-zero when any check failed.
#ifndef CONFORMANCE_CHECK_H
#define CONFORMANCE_CHECK_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <wasi/api.h>

static int failures = 0;
#define CHECK(cond, what)                                            \
  do {                                                               \
    if (cond) printf("ok: %s\n", what);                              \
    else { printf("FAIL: %s (line %d)\n", what, __LINE__); failures++; } \
  } while (0)
#define DONE() do { fflush(stdout); return failures ? 1 : 0; } while (0)

// The host modules through the generated headers (`-I generated/c`): the typed wrappers
// `__host_<module>_<function>` over the raw imports.
#include <host_process.h>
#include <host_system.h>
#include <host_tty.h>
#include <host_user.h>

#endif
