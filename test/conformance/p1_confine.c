// Root cause 8 (`..`): resolution is confined beneath the directory descriptor a path is
// relative to (WASI's capability rule): `..` above it, absolute paths and symlinks leading
// out of it answer notcapable, even inside the same preopen; nothing outside is touched.
#include "preview1.h"

int main(void) {
  __wasi_fd_t base = preopen("/data");
  CHECK(base != (__wasi_fd_t)-1, "found the /data preopen");
  __wasi_fd_t sub;
  EXPECT(__wasi_path_open(base, 0, "sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN, ~(__wasi_rights_t)0, 0, &sub), 0, "open sub");
  EXPECT(__wasi_path_create_directory(sub, "inner"), 0, "create sub/inner");
  EXPECT(__wasi_path_symlink("../input.txt", sub, "up"), 0, "symlink sub/up -> ../input.txt");
  EXPECT(__wasi_path_symlink("inner/..", sub, "self"), 0, "symlink sub/self -> inner/..");
  const __wasi_rights_t R = __WASI_RIGHTS_FD_READ;
  __wasi_fd_t fd;
  __wasi_filestat_t st;

  EXPECT(__wasi_path_open(sub, 0, "../input.txt", 0, R, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE, "../file from sub: notcapable");
  EXPECT(__wasi_path_open(sub, 0, "inner/../../input.txt", 0, R, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE, "inner/../../file: notcapable");
  EXPECT(__wasi_path_open(sub, 0, "..", __WASI_OFLAGS_DIRECTORY, R, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE, ".. from sub: notcapable");
  EXPECT(__wasi_path_filestat_get(sub, 0, "../sub", &st), __WASI_ERRNO_NOTCAPABLE, "filestat ../sub (back inside): still notcapable");
  EXPECT(__wasi_path_open(sub, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "up", 0, R, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE, "a link climbing out of sub: notcapable");
  EXPECT(__wasi_path_open(sub, 0, "/data/input.txt", 0, R, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE, "an absolute path: notcapable");
  EXPECT(__wasi_path_create_directory(sub, "../made"), __WASI_ERRNO_NOTCAPABLE, "create_directory ../made: notcapable");
  CHECK(!exists(base, "made"), "nothing was made above sub");
  EXPECT(__wasi_path_rename(sub, "inner", sub, "../moved"), __WASI_ERRNO_NOTCAPABLE, "rename to ../moved: notcapable");
  EXPECT(__wasi_path_unlink_file(sub, "../input.txt"), __WASI_ERRNO_NOTCAPABLE, "unlink ../input.txt: notcapable");
  CHECK(exists(base, "input.txt") && exists(base, "sub/inner"), "nothing above sub changed");

  // `..` that stays beneath the descriptor is fine; from the preopen the same link resolves.
  EXPECT(__wasi_path_open(sub, 0, "inner/..", __WASI_OFLAGS_DIRECTORY, R, 0, 0, &fd), 0, "inner/.. from sub: sub itself");
  (void)__wasi_fd_close(fd);
  EXPECT(__wasi_path_open(sub, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "self", __WASI_OFLAGS_DIRECTORY, R, 0, 0, &fd), 0, "a link to inner/..: sub itself");
  (void)__wasi_fd_close(fd);
  EXPECT(__wasi_path_open(base, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sub/up", 0, R, 0, 0, &fd), 0, "the same link from the preopen: inside it");
  (void)__wasi_fd_close(fd);
  EXPECT(__wasi_path_open(base, 0, "sub/../input.txt", 0, R, 0, 0, &fd), 0, "sub/../file from the preopen");
  (void)__wasi_fd_close(fd);
  EXPECT(__wasi_path_open(base, 0, "../data/input.txt", 0, R, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE, "above the preopen: notcapable");
  DONE();
}
