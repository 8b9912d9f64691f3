// host_fs, the rest of it, against a `--dir` folder mapped at /data (see build.ts `sandbox()`):
// legacy chown names, inserted and collapsed ranges, the open latches, extended attributes
// (emulated by the host: its contract rules for capacity, `range`, flags and names), unnamed
// files named later by fd_link, and remount (refused).
// Build: clang --target=wasm32-wasi -I generated/c fs_attr.c; prints ok/FAIL, exits 1 on a FAIL.
#define __ABIC_FEATURE_XATTR_FLAGS 1
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <host_fs.h>
#include "check.h"

#define CWD __HOST_FS_FD_CWD
#define BLOCK 4096

/** Fills `n` bytes at `at` with `c`. */
static int fill(int fd, off_t at, size_t n, char c) {
  static char buf[BLOCK];
  memset(buf, c, sizeof buf);
  for (size_t done = 0; done < n; done += BLOCK)
    if (pwrite(fd, buf, BLOCK, at + (off_t)done) != BLOCK) return 0;
  return 1;
}

/** The byte at `at`, or -1. */
static int byte_at(int fd, off_t at) {
  unsigned char c;
  return pread(fd, &c, 1, at) == 1 ? c : -1;
}

static void legacy_chown(void) {
  CHECK(__host_fs_path_chown(CWD, "/data/input.txt", 0xFFFFFFFF, 0xFFFFFFFF, 1) == 0, "path_chown unchanged");
  CHECK(__host_fs_path_chown(CWD, "/data/missing", 0xFFFFFFFF, 0xFFFFFFFF, 1) == __WASI_ERRNO_NOENT, "path_chown missing: NOENT");
  int fd = open("/data/input.txt", O_RDONLY);
  CHECK(__host_fs_fd_chown(fd, 0xFFFFFFFF, 0xFFFFFFFF) == 0, "fd_chown unchanged");
  CHECK(__host_fs_fd_chown(99, 0xFFFFFFFF, 0xFFFFFFFF) == __WASI_ERRNO_BADF, "fd_chown closed fd: BADF");
  close(fd);
}

static void ranges(void) {
  // Blocks A B C; insert one block after A, then collapse it away again.
  int fd = open("/data/ranges", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0 && fill(fd, 0, BLOCK, 'A') && fill(fd, BLOCK, BLOCK, 'B') && fill(fd, 2 * BLOCK, BLOCK, 'C'), "three blocks written");
  CHECK(__host_fs_fd_insert_range(fd, BLOCK, BLOCK) == 0, "fd_insert_range");
  CHECK(__host_fs_fd_size(fd) == 4 * BLOCK, "insert grows the file by the range");
  CHECK(byte_at(fd, BLOCK - 1) == 'A' && byte_at(fd, BLOCK) == 0 && byte_at(fd, 2 * BLOCK - 1) == 0, "the inserted range reads zeros");
  CHECK(byte_at(fd, 2 * BLOCK) == 'B' && byte_at(fd, 4 * BLOCK - 1) == 'C', "later data moved up");
  CHECK(__host_fs_fd_collapse_range(fd, BLOCK, BLOCK) == 0, "fd_collapse_range");
  CHECK(__host_fs_fd_size(fd) == 3 * BLOCK, "collapse shrinks the file");
  CHECK(byte_at(fd, BLOCK) == 'B' && byte_at(fd, 2 * BLOCK) == 'C', "later data moved down");
  CHECK(__host_fs_fd_insert_range(fd, 1, BLOCK) == __WASI_ERRNO_INVAL, "insert unaligned: INVAL");
  CHECK(__host_fs_fd_insert_range(fd, 3 * BLOCK, BLOCK) == __WASI_ERRNO_INVAL, "insert at the end: INVAL");
  CHECK(__host_fs_fd_collapse_range(fd, 2 * BLOCK, BLOCK) == __WASI_ERRNO_INVAL, "collapse reaching the end: INVAL");
  CHECK(__host_fs_fd_collapse_range(fd, 0, 0) == __WASI_ERRNO_INVAL, "collapse len 0: INVAL");
  close(fd);
  int ro = open("/data/ranges", O_RDONLY);
  CHECK(__host_fs_fd_insert_range(ro, 0, BLOCK) == __WASI_ERRNO_BADF, "insert on a read-only fd: BADF");
  close(ro);
}

static void latches(void) {
  CHECK(__host_fs_set_open_mode(0600) == 0, "set_open_mode 0600");
  int fd = open("/data/latched", O_WRONLY | O_CREAT | O_EXCL, 0644);
  CHECK(fd >= 0, "open consumes the latch");
  close(fd);
  CHECK((__host_fs_path_mode(CWD, "/data/latched", 1) & 07777) == 0600, "the created file has the latched mode");
  fd = open("/data/unlatched", O_WRONLY | O_CREAT | O_EXCL, 0600);
  close(fd);
  CHECK((__host_fs_path_mode(CWD, "/data/unlatched", 1) & 07777) == 0644, "one shot: the next open uses the default");
  CHECK(__host_fs_set_open_direct(1) == 0, "set_open_direct 1");
  fd = open("/data/direct", O_RDWR | O_CREAT, 0644);
  CHECK(fd >= 0 && write(fd, "abc", 3) == 3, "a direct open works and writes");
  close(fd);
}

static void xattrs(void) {
  const char *p = "/data/input.txt";
  uint8_t buf[64];
  uint32_t size = 0;
  CHECK(__host_fs_path_setxattr(CWD, p, "user.color", (const uint8_t *)"blue", 4, 0, 1) == 0, "path_setxattr");
  CHECK(__host_fs_path_getxattr(CWD, p, "user.color", buf, 0, 1, &size) == 0 && size == 4, "getxattr capacity 0: size query");
  size = 0;
  CHECK(__host_fs_path_getxattr(CWD, p, "user.color", buf, 2, 1, &size) == __WASI_ERRNO_RANGE && size == 4, "getxattr short: RANGE, full size");
  CHECK(__host_fs_path_getxattr(CWD, p, "user.color", buf, sizeof buf, 1, &size) == 0 && size == 4 && memcmp(buf, "blue", 4) == 0, "path_getxattr value");
  CHECK(__host_fs_path_getxattr(CWD, p, "user.none", buf, sizeof buf, 1, &size) == __WASI_ERRNO_NODATA, "getxattr missing: NODATA");
  CHECK(__host_fs_path_setxattr(CWD, p, "user.color", (const uint8_t *)"red", 3, __HOST_FS_XATTR_CREATE, 1) == __WASI_ERRNO_EXIST, "XATTR_CREATE on an existing name: EXIST");
  CHECK(__host_fs_path_setxattr(CWD, p, "user.none", (const uint8_t *)"x", 1, __HOST_FS_XATTR_REPLACE, 1) == __WASI_ERRNO_NODATA, "XATTR_REPLACE on a missing name: NODATA");
  CHECK(__host_fs_path_setxattr(CWD, p, "user.color", (const uint8_t *)"x", 1, 8, 1) == __WASI_ERRNO_INVAL, "unknown flags: INVAL");
  CHECK(__host_fs_path_setxattr(CWD, p, "color", (const uint8_t *)"x", 1, 0, 1) == __WASI_ERRNO_NOTSUP, "no namespace: NOTSUP");
  char longname[300];
  memset(longname, 'n', sizeof longname - 1);
  memcpy(longname, "user.", 5);
  longname[sizeof longname - 1] = 0;
  CHECK(__host_fs_path_setxattr(CWD, p, longname, (const uint8_t *)"x", 1, 0, 1) == __WASI_ERRNO_RANGE, "name over xattr_name_max: RANGE");
  CHECK(__host_fs_path_getxattr(CWD, p, longname, buf, sizeof buf, 1, &size) == __WASI_ERRNO_RANGE, "get with an over-long name: RANGE");
  CHECK(__host_fs_path_setxattr(CWD, "/data/missing", "user.a", (const uint8_t *)"x", 1, 0, 1) == __WASI_ERRNO_NOENT, "setxattr missing path: NOENT");
  CHECK(__host_fs_path_setxattr(CWD, "/data/out-abs", "user.a", (const uint8_t *)"x", 1, 0, 1) == __WASI_ERRNO_NOTCAPABLE, "setxattr through a link out: NOTCAPABLE");

  // The same file through a descriptor: the attributes belong to the file, not the name.
  int fd = open(p, O_RDONLY);
  CHECK(__host_fs_fd_getxattr(fd, "user.color", buf, sizeof buf, &size) == 0 && size == 4 && memcmp(buf, "blue", 4) == 0, "fd_getxattr sees the path's attribute");
  CHECK(__host_fs_fd_setxattr(fd, "user.shape", (const uint8_t *)"round", 5, 0) == 0, "fd_setxattr");
  const char want[] = "user.color\0user.shape\0";
  CHECK(__host_fs_fd_listxattr(fd, buf, 0, &size) == 0 && size == sizeof want - 1, "fd_listxattr size query");
  CHECK(__host_fs_fd_listxattr(fd, buf, 5, &size) == __WASI_ERRNO_RANGE && size == sizeof want - 1, "listxattr short: RANGE");
  CHECK(__host_fs_path_listxattr(CWD, p, buf, sizeof buf, 1, &size) == 0 && size == sizeof want - 1 && memcmp(buf, want, size) == 0, "path_listxattr names, NUL-terminated");
  CHECK(__host_fs_fd_removexattr(fd, "user.shape") == 0, "fd_removexattr");
  CHECK(__host_fs_fd_removexattr(fd, "user.shape") == __WASI_ERRNO_NODATA, "remove again: NODATA");
  CHECK(__host_fs_path_removexattr(CWD, p, "user.color", 1) == 0, "path_removexattr");
  CHECK(__host_fs_fd_listxattr(fd, buf, sizeof buf, &size) == 0 && size == 0, "no attributes left");
  close(fd);

  // A directory descriptor; a link itself (no follow) takes no user attributes.
  int dfd = open("/data/sub", O_RDONLY | O_DIRECTORY);
  CHECK(__host_fs_fd_setxattr(dfd, "user.dir", (const uint8_t *)"1", 1, 0) == 0, "fd_setxattr on a directory");
  CHECK(__host_fs_path_getxattr(CWD, "/data/sub", "user.dir", buf, sizeof buf, 1, &size) == 0 && size == 1, "seen through its path");
  close(dfd);
  CHECK(symlink("input.txt", "/data/xattr-link") == 0, "symlink inside");
  CHECK(__host_fs_path_setxattr(CWD, "/data/xattr-link", "user.a", (const uint8_t *)"x", 1, 0, 0) == __WASI_ERRNO_PERM, "user attribute on a link itself: PERM");
  CHECK(__host_fs_path_setxattr(CWD, "/data/xattr-link", "user.a", (const uint8_t *)"x", 1, 0, 1) == 0, "followed to its target");
  CHECK(__host_fs_path_getxattr(CWD, p, "user.a", buf, sizeof buf, 1, &size) == 0 && size == 1, "the target has it");
}

static void tmpfiles(void) {
  int dir = open("/data/sub", O_RDONLY | O_DIRECTORY);
  __wasi_fd_t t = 0;
  uint32_t rw = __HOST_FS_O_RDONLY | __HOST_FS_O_WRONLY;
  CHECK(__host_fs_open_tmpfile(dir, ".", rw, 0640, &t) == 0, "open_tmpfile");
  CHECK(write(t, "unnamed", 7) == 7, "write to the unnamed file");
  char buf[16] = {0};
  CHECK(pread(t, buf, 7, 0) == 7 && memcmp(buf, "unnamed", 7) == 0, "read it back");
  // The directory shows nothing: the file has no name yet.
  CHECK(__host_fs_path_size(dir, "named", 1) == UINT64_MAX, "no name before fd_link");
  CHECK(__host_fs_fd_link(t, dir, "named") == 0, "fd_link");
  CHECK(__host_fs_path_size(dir, "named", 1) == 7, "the name has the content");
  CHECK((__host_fs_path_mode(dir, "named", 1) & 07777) == 0640, "and the tmpfile's mode");
  CHECK(write(t, "+more", 5) == 5 && __host_fs_path_size(dir, "named", 1) == 12, "later writes land in the named file");
  CHECK(__host_fs_fd_link(t, dir, "named") == __WASI_ERRNO_EXIST, "link over an existing name: EXIST");
  CHECK(__host_fs_fd_link(t, dir, "second") == 0 && __host_fs_path_size(dir, "second", 1) == 12, "a second name");
  close(t);

  CHECK(__host_fs_open_tmpfile(dir, ".", rw | __HOST_FS_O_EXCL, 0600, &t) == 0, "open_tmpfile O_EXCL");
  CHECK(__host_fs_fd_link(t, dir, "never") == __WASI_ERRNO_NOENT, "an O_EXCL tmpfile cannot be linked: NOENT");
  close(t);
  CHECK(__host_fs_open_tmpfile(dir, ".", __HOST_FS_O_RDONLY, 0600, &t) == __WASI_ERRNO_INVAL, "read-only tmpfile: INVAL");
  CHECK(__host_fs_open_tmpfile(dir, "missing", rw, 0600, &t) == __WASI_ERRNO_NOENT, "tmpfile in a missing directory: NOENT");
  CHECK(__host_fs_open_tmpfile(dir, "../out-dir", rw, 0600, &t) == __WASI_ERRNO_NOTCAPABLE, "tmpfile through a link out: NOTCAPABLE");
  int plain = open("/data/input.txt", O_RDONLY);
  CHECK(__host_fs_fd_link(plain, dir, "x") == __WASI_ERRNO_INVAL, "fd_link of a named file: INVAL");
  close(plain);
  close(dir);
}

int main(void) {
  legacy_chown();
  ranges();
  latches();
  xattrs();
  tmpfiles();
  CHECK(__host_fs_remount("/data", "ro") == __WASI_ERRNO_NOTSUP, "remount as root: NOTSUP");
  CHECK(__host_fs_remount("/data/missing", "ro") == __WASI_ERRNO_NOENT, "remount of a missing path: NOENT");
  DONE();
}
