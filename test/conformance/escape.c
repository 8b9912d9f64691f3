// Escapes from the `--dir` sandbox (mapped at /data) must fail with notcapable or perm, and
// nothing outside is read or written. The test places `secret.txt` next to the folder and
// symlinks inside it that point out.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static int preopen(void) {
  for (int fd = 3; fd < 16; fd++) {
    __wasi_prestat_t p;
    if (__wasi_fd_prestat_get(fd, &p) == 0) return fd;
  }
  return -1;
}

int main(void) {
  int root = preopen();
  CHECK(root >= 3, "found the preopen");
  __wasi_fd_t fd;
  CHECK(__wasi_path_open(root, 0, "../secret.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == __WASI_ERRNO_NOTCAPABLE, "raw open ../: notcapable");
  CHECK(__wasi_path_open(root, 0, "sub/../../secret.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == __WASI_ERRNO_NOTCAPABLE, "raw open sub/../..: notcapable");
  CHECK(__wasi_path_open(root, 0, "/etc/passwd", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == __WASI_ERRNO_NOTCAPABLE, "raw absolute path: notcapable");
  CHECK(__wasi_path_open(root, 1, "out-abs", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == __WASI_ERRNO_NOTCAPABLE, "symlink to absolute path: notcapable");
  CHECK(__wasi_path_open(root, 1, "out-rel", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == __WASI_ERRNO_NOTCAPABLE, "symlink climbing out: notcapable");
  CHECK(__wasi_path_open(root, 1, "out-dir/secret.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == __WASI_ERRNO_NOTCAPABLE, "through a symlinked dir out: notcapable");
  CHECK(__wasi_path_open(root, 1, "out-rel", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd) == __WASI_ERRNO_NOTCAPABLE, "create through a symlink out: notcapable");
  CHECK(__wasi_path_create_directory(root, "../made-outside") == __WASI_ERRNO_NOTCAPABLE, "mkdir ..: notcapable");
  CHECK(__wasi_path_unlink_file(root, "../secret.txt") == __WASI_ERRNO_NOTCAPABLE, "unlink ..: notcapable");
  CHECK(__wasi_path_rename(root, "inside.txt", root, "../stolen.txt") == __WASI_ERRNO_NOTCAPABLE, "rename out: notcapable");
  CHECK(__wasi_path_symlink("/etc/passwd", root, "new-abs-link") == __WASI_ERRNO_PERM, "create absolute symlink: perm");
  CHECK(__wasi_path_link(root, 0, "../secret.txt", root, "hard") == __WASI_ERRNO_NOTCAPABLE, "hard link from outside: notcapable");
  __wasi_filestat_t st;
  CHECK(__wasi_path_filestat_get(root, 1, "out-abs", &st) == __WASI_ERRNO_NOTCAPABLE, "stat through symlink out: notcapable");
  CHECK(__wasi_path_filestat_get(root, 0, "out-abs", &st) == 0 && st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK, "lstat of the link itself is fine");
  // Through libc: absolute paths outside every preopen, and .. above /data.
  CHECK(open("/etc/passwd", O_RDONLY) == -1 && errno == ENOTCAPABLE, "libc open /etc/passwd: ENOTCAPABLE");
  CHECK(open("/data/../secret.txt", O_RDONLY) == -1, "libc open /data/../secret.txt fails");
  CHECK(open("/data/out-rel", O_RDONLY) == -1 && errno == ENOTCAPABLE, "libc open through symlink out: ENOTCAPABLE");
  int ok = open("/data/inside.txt", O_RDONLY);
  char buf[16] = {0};
  CHECK(ok >= 0 && read(ok, buf, sizeof buf - 1) > 0 && strncmp(buf, "inside", 6) == 0, "inside file still readable");
  DONE();
}
