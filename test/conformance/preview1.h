// Shared by the preview1 conformance guests (p1_*.c): they call `wasi_snapshot_preview1`
// directly, the way outside preview1 test programs do, relative to the preopen they find by
// scanning fd_prestat_get from fd 3. EXPECT checks one call's errno and prints what came back.
#ifndef CONFORMANCE_PREVIEW1_H
#define CONFORMANCE_PREVIEW1_H
#include <string.h>
#include "check.h"

#define EXPECT(call, want, what)                                                               \
  do {                                                                                         \
    __wasi_errno_t got_ = (call);                                                              \
    if (got_ == (want)) printf("ok: %s\n", what);                                              \
    else { printf("FAIL: %s: errno %d, expected %d (line %d)\n", what, got_, (want), __LINE__); failures++; } \
  } while (0)

/** The preopened directory named `name`, or -1. */
static __wasi_fd_t preopen(const char *name) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
    char buf[256];
    size_t len = ps.u.dir.pr_name_len;
    if (len >= sizeof buf || __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, len) != 0) continue;
    if (len == strlen(name) && memcmp(buf, name, len) == 0) return fd;
  }
  return (__wasi_fd_t)-1;
}

/** The rights a file opened for reading and writing may get. */
#define RW_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET)

/** path_open of a file with `rights` (and `oflags`/`fdflags`); the new fd or -1. */
static __wasi_fd_t open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd;
  if (__wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, 0, fdflags, &fd) != 0) return (__wasi_fd_t)-1;
  return fd;
}

/** Writes `text` through fd_write (one iovec); the count written, or -1. */
static int put(__wasi_fd_t fd, const char *text) {
  __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &iov, 1, &n) == 0 ? (int)n : -1;
}

/** The whole content of `path` below `dir` (at most 255 bytes), NUL-terminated, in `buf`. */
static const char *content(__wasi_fd_t dir, const char *path, char *buf) {
  buf[0] = 0;
  __wasi_fd_t fd = open_at(dir, path, 0, __WASI_RIGHTS_FD_READ, 0);
  if (fd == (__wasi_fd_t)-1) return "(cannot open)";
  __wasi_iovec_t iov = {(uint8_t *)buf, 255};
  __wasi_size_t n = 0;
  if (__wasi_fd_pread(fd, &iov, 1, 0, &n) != 0) n = 0;
  buf[n] = 0;
  (void)__wasi_fd_close(fd);
  return buf;
}

/** Whether `path` below `dir` exists (without following a final link). */
static int exists(__wasi_fd_t dir, const char *path) {
  __wasi_filestat_t st;
  return __wasi_path_filestat_get(dir, 0, path, &st) == 0;
}
#endif
