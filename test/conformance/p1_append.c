// Root cause 4 (append): fdflags::append can be set and cleared with fd_fdstat_set_flags, and
// writes follow the current flag: appended at the end while set, at the offset once cleared.
#include "preview1.h"

int main(void) {
  __wasi_fd_t base = preopen("/data");
  CHECK(base != (__wasi_fd_t)-1, "found the /data preopen");
  const __wasi_rights_t RW = RW_RIGHTS;
  char buf[256];
  __wasi_filesize_t at;
  __wasi_fdstat_t st;

  __wasi_fd_t fd = open_at(base, "out/log", __WASI_OFLAGS_CREAT, RW, __WASI_FDFLAGS_APPEND);
  CHECK(fd != (__wasi_fd_t)-1, "open out/log with append");
  CHECK(__wasi_fd_fdstat_get(fd, &st) == 0 && (st.fs_flags & __WASI_FDFLAGS_APPEND), "fdstat reports append");
  CHECK(put(fd, "ab") == 2 && __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &at) == 0 && put(fd, "cd") == 2, "write, seek to 0, write");
  CHECK(strcmp(content(base, "out/log", buf), "abcd") == 0, "append: the second write went to the end");
  CHECK(__wasi_fd_tell(fd, &at) == 0 && at == 4, "after an append write the offset is the end");

  EXPECT(__wasi_fd_fdstat_set_flags(fd, 0), 0, "clear append");
  CHECK(__wasi_fd_fdstat_get(fd, &st) == 0 && !(st.fs_flags & __WASI_FDFLAGS_APPEND), "fdstat no longer reports append");
  CHECK(__wasi_fd_tell(fd, &at) == 0 && at == 4, "clearing append keeps the offset");
  CHECK(__wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &at) == 0 && put(fd, "X") == 1, "seek to 1, write");
  CHECK(strcmp(content(base, "out/log", buf), "aXcd") == 0, "without append the write lands at the offset");
  CHECK(__wasi_fd_tell(fd, &at) == 0 && at == 2, "and the offset moved past it");
  __wasi_iovec_t iov = {(uint8_t *)buf, 8};
  __wasi_size_t n;
  CHECK(__wasi_fd_read(fd, &iov, 1, &n) == 0 && n == 2 && memcmp(buf, "cd", 2) == 0, "the descriptor still reads");

  EXPECT(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0, "set append again");
  CHECK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &at) == 0 && put(fd, "e") == 1, "seek to 0, write");
  CHECK(strcmp(content(base, "out/log", buf), "aXcde") == 0, "append again: at the end");
  (void)__wasi_fd_close(fd);

  // Set on a descriptor opened without it; another description appends in between.
  fd = open_at(base, "out/log", 0, RW, 0);
  __wasi_fd_t other = open_at(base, "out/log", 0, __WASI_RIGHTS_FD_WRITE, __WASI_FDFLAGS_APPEND);
  CHECK(fd != (__wasi_fd_t)-1 && other != (__wasi_fd_t)-1, "open out/log twice, the second with append");
  EXPECT(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0, "set append on the first");
  CHECK(put(other, "1") == 1 && put(fd, "2") == 1 && put(other, "3") == 1, "interleaved appends");
  CHECK(strcmp(content(base, "out/log", buf), "aXcde123") == 0, "every append went to the end");
  CHECK(__wasi_fd_tell(fd, &at) == 0 && at == 8, "after an append write the offset reads as the file's end");
  DONE();
}
