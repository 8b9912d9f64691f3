// Root cause 6 (synchronized I/O): path_open honours fdflags::dsync, rsync and sync (O_DSYNC,
// O_SYNC) and fd_fdstat_get reports them. They are fixed at open: fd_fdstat_set_flags accepts
// the ones the descriptor has and answers notsup to a change.
#include "preview1.h"

int main(void) {
  __wasi_fd_t base = preopen("/data");
  CHECK(base != (__wasi_fd_t)-1, "found the /data preopen");
  static const struct {
    __wasi_fdflags_t flags;
    const char *name;
  } cases[] = {
      {__WASI_FDFLAGS_DSYNC, "dsync"},
      {__WASI_FDFLAGS_RSYNC, "rsync"},
      {__WASI_FDFLAGS_SYNC, "sync"},
      {__WASI_FDFLAGS_DSYNC | __WASI_FDFLAGS_SYNC | __WASI_FDFLAGS_APPEND, "dsync|sync|append"},
  };
  char what[128], buf[256];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    __wasi_fdflags_t f = cases[i].flags;
    __wasi_fd_t fd = open_at(base, "out/s", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RW_RIGHTS, f);
    snprintf(what, sizeof what, "path_open with %s", cases[i].name);
    CHECK(fd != (__wasi_fd_t)-1, what);
    __wasi_fdstat_t st;
    snprintf(what, sizeof what, "fdstat reports %s", cases[i].name);
    CHECK(__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_flags == f, what);
    snprintf(what, sizeof what, "%s: writes land", cases[i].name);
    CHECK(put(fd, "synced") == 6 && strcmp(content(base, "out/s", buf), "synced") == 0, what);
    snprintf(what, sizeof what, "%s: set_flags with the same sync flags and nonblock", cases[i].name);
    EXPECT(__wasi_fd_fdstat_set_flags(fd, (f & ~__WASI_FDFLAGS_APPEND) | __WASI_FDFLAGS_NONBLOCK), 0, what);
    snprintf(what, sizeof what, "%s: set_flags clearing them: notsup", cases[i].name);
    EXPECT(__wasi_fd_fdstat_set_flags(fd, 0), __WASI_ERRNO_NOTSUP, what);
    CHECK(__wasi_fd_fdstat_get(fd, &st) == 0 && (st.fs_flags & ~__WASI_FDFLAGS_NONBLOCK) == (f & ~__WASI_FDFLAGS_APPEND),
          "the refused change left the flags as they were");
    (void)__wasi_fd_close(fd);
  }
  __wasi_fd_t plain = open_at(base, "out/s", 0, RW_RIGHTS, 0);
  CHECK(plain != (__wasi_fd_t)-1, "open without sync flags");
  EXPECT(__wasi_fd_fdstat_set_flags(plain, __WASI_FDFLAGS_DSYNC), __WASI_ERRNO_NOTSUP, "set_flags adding dsync: notsup");
  EXPECT(__wasi_fd_fdstat_set_flags(plain, 0x40), __WASI_ERRNO_NOTSUP, "set_flags with an unknown bit: notsup");
  EXPECT(__wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_NOTSUP, "sync on a pipe: notsup");
  DONE();
}
