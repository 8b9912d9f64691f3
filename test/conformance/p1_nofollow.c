// Root cause 2 (final symlinks): path_open without lookupflags::symlink_follow does not follow
// a final symlink. Like POSIX O_NOFOLLOW it answers loop (notdir with O_DIRECTORY), also for a
// dangling link, and O_CREAT creates nothing through it; with the flag the link is followed.
#include "preview1.h"

int main(void) {
  __wasi_fd_t base = preopen("/data");
  CHECK(base != (__wasi_fd_t)-1, "found the /data preopen");
  EXPECT(__wasi_path_symlink("sub", base, "link-dir"), 0, "symlink link-dir -> sub");
  EXPECT(__wasi_path_symlink("input.txt", base, "link-file"), 0, "symlink link-file -> input.txt");
  EXPECT(__wasi_path_symlink("missing", base, "dangling"), 0, "symlink dangling -> missing");
  const __wasi_rights_t R = __WASI_RIGHTS_FD_READ;
  const __wasi_rights_t W = __WASI_RIGHTS_FD_WRITE;
  __wasi_fd_t fd;

  EXPECT(__wasi_path_open(base, 0, "link-dir", 0, R, 0, 0, &fd), __WASI_ERRNO_LOOP, "no follow: a link to a directory: loop");
  EXPECT(__wasi_path_open(base, 0, "link-dir", __WASI_OFLAGS_DIRECTORY, R, 0, 0, &fd), __WASI_ERRNO_NOTDIR,
         "no follow, O_DIRECTORY: a link to a directory: notdir");
  EXPECT(__wasi_path_open(base, 0, "link-file", 0, R, 0, 0, &fd), __WASI_ERRNO_LOOP, "no follow: a link to a file: loop");
  EXPECT(__wasi_path_open(base, 0, "dangling", 0, R, 0, 0, &fd), __WASI_ERRNO_LOOP, "no follow: a dangling link: loop, not noent");
  EXPECT(__wasi_path_open(base, 0, "dangling", __WASI_OFLAGS_CREAT, W, 0, 0, &fd), __WASI_ERRNO_LOOP, "no follow, O_CREAT: a dangling link: loop");
  CHECK(!exists(base, "missing"), "nothing was created through the dangling link");
  EXPECT(__wasi_path_open(base, 0, "link-file", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, W, 0, 0, &fd), __WASI_ERRNO_EXIST,
         "O_CREAT|O_EXCL on a link: exist");
  EXPECT(__wasi_path_open(base, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, W, 0, 0, &fd),
         __WASI_ERRNO_EXIST, "O_CREAT|O_EXCL never follows, even when asked to: exist");
  CHECK(!exists(base, "missing"), "still nothing created");

  // Links inside the path are always followed; so is the final one when asked.
  EXPECT(__wasi_path_open(base, 0, "link-dir/inner.txt", __WASI_OFLAGS_CREAT, W, 0, 0, &fd), 0, "a link before the last component is followed");
  (void)__wasi_fd_close(fd);
  CHECK(exists(base, "sub/inner.txt"), "the file was made in the link's target");
  EXPECT(__wasi_path_open(base, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link-dir", __WASI_OFLAGS_DIRECTORY, R, 0, 0, &fd), 0,
         "follow: the link opens as its directory");
  __wasi_fdstat_t st;
  CHECK(__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY, "the fd is a directory");
  (void)__wasi_fd_close(fd);
  char buf[256];
  CHECK(strcmp(content(base, "link-file", buf), "first line\n") == 0, "follow: the link reads as its file");
  EXPECT(__wasi_path_open(base, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", 0, R, 0, 0, &fd), __WASI_ERRNO_NOENT, "follow: a dangling link: noent");
  EXPECT(__wasi_path_open(base, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", __WASI_OFLAGS_CREAT, W, 0, 0, &fd), 0,
         "follow, O_CREAT: a dangling link creates its target");
  (void)__wasi_fd_close(fd);
  CHECK(exists(base, "missing"), "the target exists now");

  __wasi_filestat_t fst;
  CHECK(__wasi_path_filestat_get(base, 0, "link-dir", &fst) == 0 && fst.filetype == __WASI_FILETYPE_SYMBOLIC_LINK, "path_filestat_get without follow: the link");
  CHECK(__wasi_path_filestat_get(base, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link-dir", &fst) == 0 && fst.filetype == __WASI_FILETYPE_DIRECTORY,
        "path_filestat_get with follow: the directory");
  DONE();
}
