// Root cause 3 (trailing slashes): a trailing `/` asks for a directory. An existing
// non-directory answers notdir; a new name with a trailing slash is never made a file (noent;
// path_open with O_CREAT: isdir, as Linux); directories work with or without it.
#include "preview1.h"

int main(void) {
  __wasi_fd_t base = preopen("/data");
  CHECK(base != (__wasi_fd_t)-1, "found the /data preopen");
  const __wasi_rights_t R = __WASI_RIGHTS_FD_READ;
  const __wasi_rights_t W = __WASI_RIGHTS_FD_WRITE;
  __wasi_fd_t fd;
  __wasi_filestat_t st;
  char buf[256];

  EXPECT(__wasi_path_open(base, 0, "input.txt/", 0, R, 0, 0, &fd), __WASI_ERRNO_NOTDIR, "open file/: notdir");
  EXPECT(__wasi_path_open(base, 0, "input.txt/.", 0, R, 0, 0, &fd), __WASI_ERRNO_NOTDIR, "open file/.: notdir");
  EXPECT(__wasi_path_open(base, 0, "missing/", 0, R, 0, 0, &fd), __WASI_ERRNO_NOENT, "open missing/: noent");
  EXPECT(__wasi_path_open(base, 0, "new/", __WASI_OFLAGS_CREAT, W, 0, 0, &fd), __WASI_ERRNO_ISDIR, "open new/ with O_CREAT: isdir");
  CHECK(!exists(base, "new"), "no file named new was made");
  EXPECT(__wasi_path_filestat_get(base, 0, "input.txt/", &st), __WASI_ERRNO_NOTDIR, "filestat file/: notdir");
  EXPECT(__wasi_path_unlink_file(base, "input.txt/"), __WASI_ERRNO_NOTDIR, "unlink file/: notdir");
  CHECK(strcmp(content(base, "input.txt", buf), "first line\n") == 0, "the file is still there");
  EXPECT(__wasi_path_link(base, 0, "input.txt/", base, "l1"), __WASI_ERRNO_NOTDIR, "link from file/: notdir");
  EXPECT(__wasi_path_link(base, 0, "input.txt", base, "l1/"), __WASI_ERRNO_NOENT, "link to new/: noent");
  EXPECT(__wasi_path_symlink("input.txt", base, "s1/"), __WASI_ERRNO_NOENT, "symlink at new/: noent");
  EXPECT(__wasi_path_symlink("input.txt", base, "sub/"), __WASI_ERRNO_EXIST, "symlink at an existing dir/: exist");
  EXPECT(__wasi_path_rename(base, "input.txt/", base, "r1"), __WASI_ERRNO_NOTDIR, "rename file/: notdir");
  EXPECT(__wasi_path_rename(base, "input.txt", base, "r1/"), __WASI_ERRNO_NOTDIR, "rename a file to new/: notdir");
  CHECK(!exists(base, "l1") && !exists(base, "s1") && !exists(base, "r1"), "no link, symlink or renamed file was made");
  CHECK(strcmp(content(base, "input.txt", buf), "first line\n") == 0, "the file was not moved");
  EXPECT(__wasi_path_remove_directory(base, "input.txt/"), __WASI_ERRNO_NOTDIR, "remove_directory file/: notdir");

  // Directories take a trailing slash everywhere.
  EXPECT(__wasi_path_create_directory(base, "made/"), 0, "create_directory made/");
  EXPECT(__wasi_path_open(base, 0, "made/", 0, R, 0, 0, &fd), 0, "open made/");
  (void)__wasi_fd_close(fd);
  EXPECT(__wasi_path_rename(base, "made/", base, "moved/"), 0, "rename made/ to moved/");
  CHECK(__wasi_path_filestat_get(base, 0, "moved/", &st) == 0 && st.filetype == __WASI_FILETYPE_DIRECTORY, "filestat moved/: a directory");
  EXPECT(__wasi_path_unlink_file(base, "moved/"), __WASI_ERRNO_ISDIR, "unlink_file dir/: isdir");
  EXPECT(__wasi_path_remove_directory(base, "moved/"), 0, "remove_directory moved/");

  // A trailing slash follows a final symlink, even without symlink_follow.
  EXPECT(__wasi_path_symlink("sub", base, "to-sub"), 0, "symlink to-sub -> sub");
  EXPECT(__wasi_path_open(base, 0, "to-sub/", __WASI_OFLAGS_DIRECTORY, R, 0, 0, &fd), 0, "open link/ without follow: the directory");
  (void)__wasi_fd_close(fd);
  EXPECT(__wasi_path_symlink("input.txt", base, "to-file"), 0, "symlink to-file -> input.txt");
  EXPECT(__wasi_path_open(base, 0, "to-file/", 0, R, 0, 0, &fd), __WASI_ERRNO_NOTDIR, "open link-to-file/: notdir");
  DONE();
}
