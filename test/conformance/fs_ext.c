// host_fs against a `--dir` folder mapped at /data holding `input.txt` ("first line\n"), `sub/`,
// and links pointing out (`out-abs`, `out-rel`, `out-dir`; see build.ts `sandbox()`): modes,
// sizes, owners, chmod/chown, access, statfs, truncation, zeroed ranges, extents, mknod and
// rename with flags, through the generated header; escapes must fail.
// Build: clang --target=wasm32-wasi -I generated/c fs_ext.c; prints ok/FAIL, exits 1 on a FAIL.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <host_fs.h>
#include "check.h"

#define CWD __HOST_FS_FD_CWD
#define NONE UINT64_MAX

static int all_zero(int fd, off_t at, size_t n) {
  unsigned char buf[256];
  if (n > sizeof buf || pread(fd, buf, n, at) != (ssize_t)n) return 0;
  for (size_t i = 0; i < n; i++) if (buf[i]) return 0;
  return 1;
}

int main(void) {
  // Plain-scalar metadata by path, following or not.
  CHECK((__host_fs_path_mode(CWD, "/data/input.txt", 1) & S_IFMT) == S_IFREG, "path_mode: regular file");
  CHECK((__host_fs_path_mode(CWD, "/data/sub", 1) & S_IFMT) == S_IFDIR, "path_mode: directory");
  CHECK(__host_fs_path_size(CWD, "/data/input.txt", 1) == 11, "path_size");
  CHECK(__host_fs_path_blocks(CWD, "/data/input.txt", 1) != NONE, "path_blocks");
  CHECK(__host_fs_path_rdev(CWD, "/data/input.txt", 1) == 0, "path_rdev of a file is 0");
  CHECK(__host_fs_path_mode(CWD, "/data/missing", 1) == 0, "path_mode missing: 0");
  CHECK(__host_fs_path_size(CWD, "/data/missing", 1) == NONE, "path_size missing: u64 max");
  CHECK(symlink("input.txt", "/data/fs-link") == 0, "symlink inside");
  CHECK((__host_fs_path_mode(CWD, "/data/fs-link", 0) & S_IFMT) == S_IFLNK, "path_mode no-follow: link");
  CHECK((__host_fs_path_mode(CWD, "/data/fs-link", 1) & S_IFMT) == S_IFREG, "path_mode follow: target");
  CHECK(__host_fs_path_size(CWD, "/data/fs-link", 0) == 9, "path_size no-follow: link length");

  // A directory descriptor as the base.
  int dfd = open("/data/sub", O_RDONLY | O_DIRECTORY);
  CHECK(dfd >= 0, "open /data/sub");
  CHECK((__host_fs_fd_mode(dfd) & S_IFMT) == S_IFDIR, "fd_mode: directory");
  CHECK((__host_fs_path_mode(dfd, "../input.txt", 1) & S_IFMT) == S_IFREG, "path_mode relative to a dir fd");

  // Owners, modes, access.
  uint32_t uid = 7, gid = 7, fuid = 8, fgid = 8;
  CHECK(__host_fs_path_owner(CWD, "/data/input.txt", 1, &uid, &gid) == 0, "path_owner");
  CHECK(__host_fs_path_owner(CWD, "/data/missing", 1, &uid, &gid) == __WASI_ERRNO_NOENT, "path_owner missing: NOENT");
  CHECK(__host_fs_chmod(CWD, "/data/input.txt", 0640) == 0, "chmod");
  CHECK((__host_fs_path_mode(CWD, "/data/input.txt", 1) & 07777) == 0640, "mode after chmod");
  CHECK(__host_fs_chown(CWD, "/data/input.txt", 0xFFFFFFFF, 0xFFFFFFFF, 1) == 0, "chown unchanged");
  CHECK(__host_fs_path_access(CWD, "/data/input.txt", 0, 0) == 0, "access F_OK");
  CHECK(__host_fs_path_access(CWD, "/data/input.txt", 4 | 2, 0) == 0, "access R_OK|W_OK");
  CHECK(__host_fs_path_access(CWD, "/data/missing", 0, 0) == __WASI_ERRNO_NOENT, "access missing: NOENT");
  CHECK(__host_fs_path_access(CWD, "/data/input.txt", 64, 0) == __WASI_ERRNO_INVAL, "access bad bits: INVAL");

  // File-system statistics.
  uint64_t total = 0, used = 0, avail = 0, inodes = 0, ifree = 0;
  CHECK(__host_fs_path_statfs(CWD, "/data", &total, &used, &avail, &inodes, &ifree) == 0, "path_statfs");
  CHECK(total > 0 && used <= total && avail <= total, "statfs sizes consistent");

  // Descriptor calls on a file of 300 'x'.
  int fd = open("/data/fs-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0, "create /data/fs-file");
  char xs[300];
  memset(xs, 'x', sizeof xs);
  CHECK(write(fd, xs, sizeof xs) == 300, "write 300 bytes");
  CHECK((__host_fs_fd_mode(fd) & S_IFMT) == S_IFREG, "fd_mode: regular file");
  CHECK(__host_fs_fd_size(fd) == 300, "fd_size");
  CHECK(__host_fs_fd_blocks(fd) != NONE, "fd_blocks");
  CHECK(__host_fs_fd_owner(fd, &fuid, &fgid) == 0, "fd_owner");
  CHECK(__host_fs_fchmod(fd, 0600) == 0 && (__host_fs_fd_mode(fd) & 07777) == 0600, "fchmod");
  CHECK(__host_fs_fchown(fd, 0xFFFFFFFF, 0xFFFFFFFF) == 0, "fchown unchanged");
  CHECK(__host_fs_fd_zero_range(fd, 100, 50, 1) == 0, "fd_zero_range keep size");
  CHECK(all_zero(fd, 100, 50) && __host_fs_fd_size(fd) == 300, "zeroed, size kept");
  char c = 0;
  CHECK(pread(fd, &c, 1, 150) == 1 && c == 'x', "byte after the range untouched");
  CHECK(__host_fs_fd_punch_hole(fd, 0, 10) == 0 && all_zero(fd, 0, 10), "fd_punch_hole reads back zeros");
  CHECK(__host_fs_fd_zero_range(fd, 290, 20, 0) == 0 && __host_fs_fd_size(fd) == 310, "fd_zero_range grows");
  CHECK(__host_fs_fd_punch_hole(fd, 0, 0) == __WASI_ERRNO_INVAL, "punch_hole len 0: INVAL");
  uint64_t start = 1, end = 0;
  uint32_t flags = 9;
  CHECK(__host_fs_fd_fiemap(fd, 0, &start, &end, &flags) == 0 && start == 0 && end == 310, "fd_fiemap extent 0");
  CHECK(__host_fs_fd_fiemap(fd, 1, &start, &end, &flags) == __WASI_ERRNO_NODATA, "fd_fiemap past the end: NODATA");
  CHECK(__host_fs_ftruncate(fd, 5) == 0 && __host_fs_fd_size(fd) == 5, "ftruncate");
  CHECK(__host_fs_ftruncate(dfd, 0) == __WASI_ERRNO_ISDIR, "ftruncate a directory: ISDIR");
  CHECK(__host_fs_fd_mode(12345) == 0 && __host_fs_fd_size(12345) == NONE, "bad fd: error values");
  close(fd);

  // mknod and rename with flags.
  CHECK(__host_fs_path_mknod(CWD, "/data/fs-node", S_IFREG | 0644, 0) == 0, "mknod regular file");
  CHECK(__host_fs_path_mknod(CWD, "/data/fs-node", S_IFREG | 0644, 0) == __WASI_ERRNO_EXIST, "mknod again: EXIST");
  CHECK(__host_fs_path_mknod(CWD, "/data/fs-fifo", S_IFIFO | 0644, 0) == __WASI_ERRNO_NOTSUP, "mknod fifo: NOTSUP");
  CHECK(__host_fs_path_renameat2(CWD, "/data/fs-node", __HOST_FS_AT_FDCWD, "/data/fs-file", 1) == __WASI_ERRNO_EXIST,
        "renameat2 NOREPLACE onto a file: EXIST");
  CHECK(__host_fs_path_renameat2(CWD, "/data/fs-node", CWD, "/data/fs-moved", 1) == 0, "renameat2 NOREPLACE");
  CHECK(__host_fs_path_size(CWD, "/data/fs-node", 0) == NONE && __host_fs_path_size(CWD, "/data/fs-moved", 0) == 0,
        "renamed");
  CHECK(__host_fs_path_renameat2(CWD, "/data/fs-moved", CWD, "/data/fs-file", 2) == __WASI_ERRNO_NOTSUP,
        "renameat2 EXCHANGE: NOTSUP");
  CHECK(__host_fs_path_renameat2(CWD, "/data/fs-moved", CWD, "/data/fs-file", 0) == 0, "renameat2 replacing");

  // Nothing outside the sandbox.
  CHECK(__host_fs_path_mode(CWD, "/data/../secret.txt", 1) == 0, "escape by ..: path_mode 0");
  CHECK(__host_fs_path_size(CWD, "/data/out-abs", 1) == NONE, "escape by absolute link: path_size max");
  CHECK(__host_fs_path_size(CWD, "/data/out-rel", 1) == NONE, "escape by relative link: path_size max");
  CHECK(__host_fs_chmod(CWD, "/data/out-abs", 0777) == __WASI_ERRNO_NOTCAPABLE, "chmod through a link out: NOTCAPABLE");
  CHECK(__host_fs_chmod(dfd, "../../secret.txt", 0777) == __WASI_ERRNO_NOTCAPABLE, "chmod by .. from a dir fd: NOTCAPABLE");
  CHECK(__host_fs_path_statfs(CWD, "/etc", &total, &used, &avail, &inodes, &ifree) == __WASI_ERRNO_NOTCAPABLE,
        "statfs outside every mapping: NOTCAPABLE");
  CHECK(__host_fs_path_renameat2(CWD, "/data/fs-file", CWD, "/data/out-dir/stolen", 0) == __WASI_ERRNO_NOTCAPABLE,
        "rename into a link out: NOTCAPABLE");
  close(dfd);
  DONE();
}
