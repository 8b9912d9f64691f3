// Root cause 5 (timestamps): the contract keeps timestamps to the microsecond. A timestamp set
// by fd_filestat_set_times / path_filestat_set_times reads back truncated to the microsecond,
// the one not asked for keeps its value to the microsecond, and `*_now` is the frozen realtime.
#include "preview1.h"

#define S 1000000000ull

int main(void) {
  __wasi_fd_t base = preopen("/data");
  CHECK(base != (__wasi_fd_t)-1, "found the /data preopen");
  __wasi_fd_t fd = open_at(base, "out/t", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0);
  CHECK(fd != (__wasi_fd_t)-1, "create out/t");
  __wasi_filestat_t st;

  EXPECT(__wasi_fd_filestat_set_times(fd, 1000 * S + 123456789, 2000 * S + 987654321, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0,
         "set both timestamps");
  CHECK(__wasi_fd_filestat_get(fd, &st) == 0 && st.atim == 1000 * S + 123456000 && st.mtim == 2000 * S + 987654000,
        "both read back truncated to the microsecond");
  EXPECT(__wasi_fd_filestat_set_times(fd, 0, 1795000000 * S + 999999999, __WASI_FSTFLAGS_MTIM), 0, "set mtime alone (a date in 2026)");
  CHECK(__wasi_fd_filestat_get(fd, &st) == 0 && st.mtim == 1795000000 * S + 999999000, "mtime: the microsecond asked for, not one less");
  CHECK(st.atim == 1000 * S + 123456000, "atime kept its value");
  EXPECT(__wasi_fd_filestat_set_times(fd, 3000 * S + 1, 0, __WASI_FSTFLAGS_ATIM), 0, "set atime alone");
  CHECK(__wasi_fd_filestat_get(fd, &st) == 0 && st.atim == 3000 * S && st.mtim == 1795000000 * S + 999999000, "atime set, mtime kept");

  __wasi_timestamp_t now;
  CHECK(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now) == 0, "realtime clock");
  EXPECT(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW), 0, "set both to now");
  CHECK(__wasi_fd_filestat_get(fd, &st) == 0 && st.atim == now && st.mtim == now, "now is the frozen realtime clock");
  EXPECT(__wasi_fd_filestat_set_times(fd, 1, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL, "atim with atim_now: inval");
  EXPECT(__wasi_fd_filestat_set_times(fd, 0, 1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL, "mtim with mtim_now: inval");

  // By path, with and without following a final symlink.
  EXPECT(__wasi_path_symlink("t", base, "out/t-link"), 0, "symlink out/t-link -> t");
  EXPECT(__wasi_path_filestat_set_times(base, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "out/t-link", 5 * S + 5000, 6 * S + 6999,
                                        __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
         0, "path_filestat_set_times through the link");
  CHECK(__wasi_path_filestat_get(base, 0, "out/t", &st) == 0 && st.atim == 5 * S + 5000 && st.mtim == 6 * S + 6000, "the target got them");
  EXPECT(__wasi_path_filestat_set_times(base, 0, "out/t-link", 0, 7 * S + 7000, __WASI_FSTFLAGS_MTIM), 0, "set the link's own mtime");
  CHECK(__wasi_path_filestat_get(base, 0, "out/t-link", &st) == 0 && st.mtim == 7 * S + 7000, "the link has it");
  CHECK(__wasi_path_filestat_get(base, 0, "out/t", &st) == 0 && st.mtim == 6 * S + 6000, "the target kept its own");
  DONE();
}
