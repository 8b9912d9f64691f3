// fd_record_lock: byte-range locks shared by the processes of a host. The parent write-locks
// [0, 10) of a file; a child (`locks child`) sees the conflict with F_GETLK, is refused by
// F_SETLK, takes a free range, then waits in F_SETLKW until the parent unlocks.
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

#define GETLK __HOST_PROCESS_LOCK_CMD_GETLK
#define SETLK __HOST_PROCESS_LOCK_CMD_SETLK
#define SETLKW __HOST_PROCESS_LOCK_CMD_SETLKW
#define RD __HOST_PROCESS_LOCK_TYPE_RDLCK
#define WR __HOST_PROCESS_LOCK_TYPE_WRLCK
#define UN __HOST_PROCESS_LOCK_TYPE_UNLCK

static __host_process_lock_type_t type;
static int32_t holder;
static uint64_t start, len;

static __wasi_errno_t lock(int fd, int cmd, int t, int64_t s, int64_t l) {
  return __host_process_fd_record_lock(fd, cmd, t, s, l, &type, &holder, &start, &len);
}

static int child(void) {
  int fd = open("/data/locked.bin", O_RDWR);
  CHECK(fd >= 0, "child: open the file");
  CHECK(lock(fd, GETLK, WR, 0, 5) == 0 && type == WR && holder == 1 && start == 0 && len == 10, "child: getlk reports the parent's write lock");
  CHECK(lock(fd, GETLK, RD, 10, 0) == 0 && type == UN, "child: getlk past it: unlck");
  CHECK(lock(fd, SETLK, RD, 5, 1) == __WASI_ERRNO_AGAIN, "child: setlk over it: again");
  CHECK(lock(fd, SETLK, WR, 10, 10) == 0, "child: setlk on a free range");
  fflush(stdout);
  write(9, "w", 1); // tell the parent it may unlock (fd 9: the pipe, see the spawn)
  CHECK(lock(fd, SETLKW, WR, 0, 1) == 0, "child: setlkw gets the range once the parent unlocks");
  DONE();
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child();
  int fd = open("/data/locked.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0 && write(fd, "0123456789abcdefghij", 20) == 20, "create the file");
  CHECK(lock(fd, SETLK, WR, 0, 10) == 0, "setlk write [0, 10)");
  CHECK(lock(fd, GETLK, WR, 0, 10) == 0 && type == UN, "own locks never conflict");
  CHECK(lock(fd, SETLK, WR, -1, 10) == __WASI_ERRNO_INVAL, "negative start: inval");
  CHECK(lock(fd, 99, WR, 0, 10) == __WASI_ERRNO_INVAL, "unknown command: inval");
  CHECK(lock(77, SETLK, WR, 0, 10) == __WASI_ERRNO_BADF, "closed fd: badf");
  int32_t r, w;
  __host_process_fd_pipe(&r, &w);
  CHECK(lock(r, SETLK, WR, 0, 10) == __WASI_ERRNO_NOTSUP, "a pipe: notsup");
  int ro = open("/data/locked.bin", O_RDONLY);
  CHECK(lock(ro, SETLK, WR, 30, 1) == __WASI_ERRNO_BADF, "write lock on a read-only fd: badf");
  CHECK(__host_process_fd_record_lock(fd, GETLK, WR, 0, 1, &type, &holder, &start, (uint64_t *)0xfffffff8) == __WASI_ERRNO_FAULT, "bad output range: fault");

  // The child gets the write end of the pipe as fd 9 (above its preopens).
  __host_process_spawn_file_action_t acts[1] = {{.opcode = __HOST_PROCESS_SPAWN_FILE_OP_DUP2, .fd = 9, .src_fd = w}};
  const char args[] = "locks\0child\0";
  int32_t pid = -1;
  fflush(stdout);
  CHECK(__host_process_proc_spawn_v4("locks", args, sizeof args - 1, "", 0, (const uint8_t *)acts, sizeof acts, "", "", 0, 0, 0, 0, 0, 0, 0, 0, &pid) == 0, "spawn the child");
  close(w);
  char c;
  CHECK(read(r, &c, 1) == 1, "the child reached its setlkw");
  CHECK(lock(fd, SETLK, UN, 0, 10) == 0, "unlock [0, 10)");
  uint32_t status = 99;
  int32_t got;
  CHECK(__host_process_proc_waitpid(pid, 0, &status, &got) == 0 && status == 0, "the child passed its checks");
  CHECK(lock(fd, GETLK, WR, 0, 0) == 0 && type == UN, "the child's locks went with it");
  DONE();
}
