// Spawn and the file system: a child starts in the spawn's cwd (the v1 argument, the v4 chdir
// and fchdir actions; checked like chdir), and shares the offsets of the files it inherits.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static int32_t waited(int32_t pid) {
  int32_t status = -1, child;
  if (__host_process_proc_waitpid(pid, 0, &status, &child) != 0) return -1;
  return status;
}

/** v1 spawn of `argv` with stdin `in`, stdout `out` and `cwd`: the errno, or 0 once it exited 0. */
static int32_t spawn_cwd(const char *argv, size_t len, int in, int out, const char *cwd) {
  int32_t pid = -1;
  fflush(stdout); // the child shares stdout: keep whole lines apart
  int32_t e = __host_process_proc_spawn(argv, len, "", 0, in, out, 2, cwd, &pid);
  if (e) return e;
  return waited(pid) == 0 ? 0 : -1;
}

#define ACTION(op, fd_, n) {.opcode = (op), .fd = (fd_), .path_len = (n)}

int main(void) {
  int fd = open("/data/sub/here.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0 && write(fd, "in sub\n", 7) == 7 && close(fd) == 0, "write /data/sub/here.txt");

  const char cw[] = "child\0cwd\0here.txt\0";
  CHECK(spawn_cwd(cw, sizeof cw - 1, 0, 1, "/data/sub") == 0, "v1 spawn with cwd /data/sub");
  CHECK(spawn_cwd(cw, sizeof cw - 1, 0, 1, "data/./sub/") == 0, "v1 spawn with a relative cwd");
  CHECK(spawn_cwd(cw, sizeof cw - 1, 0, 1, "/data/nope") == __WASI_ERRNO_NOENT, "cwd that does not exist: noent");
  CHECK(spawn_cwd(cw, sizeof cw - 1, 0, 1, "/data/input.txt") == __WASI_ERRNO_NOTDIR, "cwd naming a file: notdir");
  CHECK(spawn_cwd(cw, sizeof cw - 1, 0, 1, "/elsewhere") == __WASI_ERRNO_NOTCAPABLE, "cwd outside every --dir: notcapable");
  CHECK(spawn_cwd(cw, sizeof cw - 1, 0, 1, "/data/..") == __WASI_ERRNO_NOTCAPABLE, "cwd climbing out of its --dir: notcapable");

  // posix_spawn (v4): chdir actions apply in order, relative to the cwd so far.
  struct { __host_process_spawn_file_action_t a; char p[5]; __host_process_spawn_file_action_t b; char q[3]; } __attribute__((packed)) chdirs = {
      ACTION(__HOST_PROCESS_SPAWN_FILE_OP_CHDIR, 0, 5), "/data", ACTION(__HOST_PROCESS_SPAWN_FILE_OP_CHDIR, 0, 3), "sub"};
  int32_t pid = -1;
  fflush(stdout);
  CHECK(__host_process_proc_spawn_v4("child", cw, sizeof cw - 1, "", 0, (const uint8_t *)&chdirs, sizeof chdirs, "", "", 0, 0, 0, 0, 0, 0, 0, 0, &pid) == 0 && waited(pid) == 0,
        "v4 spawn with chdir /data, chdir sub");
  struct { __host_process_spawn_file_action_t a; char p[4]; } __attribute__((packed)) missing = {ACTION(__HOST_PROCESS_SPAWN_FILE_OP_CHDIR, 0, 4), "nope"};
  CHECK(__host_process_proc_spawn_v4("child", cw, sizeof cw - 1, "", 0, (const uint8_t *)&missing, sizeof missing, "/data", "", 0, 0, 0, 0, 0, 0, 0, 0, &pid) == __WASI_ERRNO_NOENT,
        "chdir action to a missing directory: noent");
  int dir = open("/data/sub", O_RDONLY | O_DIRECTORY);
  __host_process_spawn_file_action_t fchdir = ACTION(__HOST_PROCESS_SPAWN_FILE_OP_FCHDIR, dir, 0);
  fflush(stdout);
  CHECK(dir >= 0 && __host_process_proc_spawn_v4("child", cw, sizeof cw - 1, "", 0, (const uint8_t *)&fchdir, sizeof fchdir, "", "", 0, 0, 0, 0, 0, 0, 0, 0, &pid) == 0 && waited(pid) == 0,
        "v4 spawn with fchdir to /data/sub");
  close(dir);

  // A parent and a child writing one inherited descriptor share its offset.
  int log = open("/data/out/log", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(log >= 0 && write(log, "a", 1) == 1, "parent writes a");
  const char wb[] = "child\0write\0b\0";
  CHECK(spawn_cwd(wb, sizeof wb - 1, 0, log, "") == 0, "child writes b through the inherited fd");
  CHECK(write(log, "c", 1) == 1 && lseek(log, 0, SEEK_CUR) == 3, "parent writes c at offset 2; the offset is 3");
  char buf[8] = {0};
  CHECK(lseek(log, 0, SEEK_SET) == 0 && read(log, buf, sizeof buf - 1) == 3 && !strcmp(buf, "abc"), "the file reads abc");
  close(log);

  // Reads too: what the child reads is gone for the parent.
  int in = open("/data/input.txt", O_RDONLY);
  memset(buf, 0, sizeof buf);
  CHECK(in >= 0 && read(in, buf, 6) == 6 && !strcmp(buf, "first "), "parent reads 'first '");
  const char rd[] = "child\0read\0" "4\0";
  CHECK(spawn_cwd(rd, sizeof rd - 1, in, 1, "") == 0, "child reads 4 bytes of the inherited stdin");
  memset(buf, 0, sizeof buf);
  CHECK(read(in, buf, sizeof buf - 1) == 1 && !strcmp(buf, "\n"), "parent reads on after the child's bytes");
  close(in);
  DONE();
}
