// Root cause 7 (fd_renumber): as preview1, `to` must be open (badf otherwise, and nothing
// moves); the descriptor then replaces it and its old number is closed.
#include "preview1.h"

int main(void) {
  __wasi_fd_t base = preopen("/data");
  CHECK(base != (__wasi_fd_t)-1, "found the /data preopen");
  __wasi_fd_t a = open_at(base, "input.txt", 0, __WASI_RIGHTS_FD_READ, 0);
  __wasi_fd_t b = open_at(base, "out/b", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0);
  CHECK(a != (__wasi_fd_t)-1 && b != (__wasi_fd_t)-1, "open two files");
  __wasi_fdstat_t st;
  __wasi_fd_t closed = 200;

  EXPECT(__wasi_fd_renumber(a, closed), __WASI_ERRNO_BADF, "renumber onto a closed fd: badf");
  CHECK(__wasi_fd_fdstat_get(a, &st) == 0, "the source is still open");
  EXPECT(__wasi_fd_fdstat_get(closed, &st), __WASI_ERRNO_BADF, "the target is still closed");
  EXPECT(__wasi_fd_renumber(closed, b), __WASI_ERRNO_BADF, "renumber from a closed fd: badf");
  CHECK(__wasi_fd_fdstat_get(b, &st) == 0 && (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE), "the target is untouched");
  EXPECT(__wasi_fd_renumber(a, a), 0, "renumber onto itself");
  CHECK(__wasi_fd_fdstat_get(a, &st) == 0, "and it stays open");

  EXPECT(__wasi_fd_renumber(a, b), 0, "renumber onto an open fd");
  EXPECT(__wasi_fd_fdstat_get(a, &st), __WASI_ERRNO_BADF, "the old number is closed");
  char buf[16] = {0};
  __wasi_iovec_t iov = {(uint8_t *)buf, 5};
  __wasi_size_t n;
  CHECK(__wasi_fd_read(b, &iov, 1, &n) == 0 && n == 5 && memcmp(buf, "first", 5) == 0, "the new number reads the source's file");
  CHECK(__wasi_fd_fdstat_get(b, &st) == 0 && !(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE), "with the source's access mode");
  DONE();
}
