// Root cause 9 (preopens): `p1_preopens visible` checks the preview1 presentation (each
// mapping a preopened directory from fd 3, in order, named by its guest path, found by stock
// wasi-libc); `p1_preopens hidden` the agentOS runtime's (no preopen in the fd namespace; the
// mappings answer host_fs's fd_cwd paths only); `p1_preopens none` a run without preopens.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <host_fs.h>
#include "preview1.h"

static void name_of(__wasi_fd_t fd, const char *want) {
  __wasi_prestat_t ps;
  char what[96], buf[64] = {0};
  snprintf(what, sizeof what, "fd %u is the preopen %s", fd, want);
  CHECK(__wasi_fd_prestat_get(fd, &ps) == 0 && ps.tag == __WASI_PREOPENTYPE_DIR && ps.u.dir.pr_name_len == strlen(want) &&
            __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len) == 0 && strcmp(buf, want) == 0,
        what);
  __wasi_fdstat_t st;
  snprintf(what, sizeof what, "fd %u is a directory", fd);
  CHECK(__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY, what);
}

static int mode_of(const char *path) {
  return (int)__host_fs_path_mode(__HOST_FS_FD_CWD, path, 1) & S_IFMT;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "visible";
  __wasi_prestat_t ps;
  for (__wasi_fd_t fd = 0; fd < 3; fd++) EXPECT(__wasi_fd_prestat_get(fd, &ps), __WASI_ERRNO_BADF, "stdio is no preopen");
  if (strcmp(mode, "visible") == 0) {
    name_of(3, "/data");
    name_of(4, "/other");
    EXPECT(__wasi_fd_prestat_get(5, &ps), __WASI_ERRNO_BADF, "fd 5 (no third mapping): badf");
    uint8_t small[2];
    EXPECT(__wasi_fd_prestat_dir_name(3, small, sizeof small), __WASI_ERRNO_NAMETOOLONG, "a short name buffer: nametoolong");
    int fd = open("/data/input.txt", O_RDONLY);
    char buf[16] = {0};
    CHECK(fd >= 0 && read(fd, buf, 5) == 5 && memcmp(buf, "first", 5) == 0, "stock wasi-libc opens /data/input.txt through the preopen");
    CHECK(access("/other", F_OK) == 0, "and finds /other");
    CHECK(fd == 5, "the first descriptor the guest opens is 5");
  } else {
    for (__wasi_fd_t fd = 3; fd < 16; fd++) EXPECT(__wasi_fd_prestat_get(fd, &ps), __WASI_ERRNO_BADF, "no preopen in the fd namespace");
    __wasi_fdstat_t st;
    EXPECT(__wasi_fd_fdstat_get(3, &st), __WASI_ERRNO_BADF, "fd 3 is not open at all");
    errno = 0;
    CHECK(open("/data/input.txt", O_RDONLY) < 0, "stock wasi-libc finds no file without a preopen");
    if (strcmp(mode, "hidden") == 0) {
      CHECK(mode_of("/data/input.txt") == S_IFREG, "host_fs fd_cwd paths still reach /data");
      CHECK(mode_of("/other") == S_IFDIR, "and /other");
    } else {
      CHECK(mode_of("/data/input.txt") == 0, "no mapping at all: host_fs finds nothing");
    }
  }
  DONE();
}
