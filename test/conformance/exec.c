// proc_exec and proc_fexec: the errors of a failed exec, then an exec of this same guest
// (`exec stage2 ...`: same pid, new argv and env, kept fds open, cloexec fds closed), which
// fexecs `child exit 3` from the /bin directory; the run's status is that 3.
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static int is_open(int fd) { return __wasi_fd_fdstat_get(fd, &(__wasi_fdstat_t){0}) == 0; }

static int stage2(int argc, char **argv) {
  int32_t pid = 0;
  CHECK(__host_process_proc_getpid(&pid) == 0 && pid == 1, "stage2: same pid after exec");
  CHECK(argc == 5 && strcmp(argv[0], "exec") == 0, "stage2: the new argv");
  const char *stage = getenv("STAGE");
  CHECK(stage && strcmp(stage, "two") == 0 && getenv("GREETING") == NULL, "stage2: the new env only");
  int kept_r = atoi(argv[2]), kept_w = atoi(argv[3]), listed = atoi(argv[4]);
  CHECK(write(kept_w, "kept", 4) == 4, "stage2: a kept pipe end still writes");
  char buf[8] = {0};
  CHECK(read(kept_r, buf, sizeof buf) == 4 && memcmp(buf, "kept", 4) == 0, "stage2: and its read end reads it");
  CHECK(!is_open(listed), "stage2: the fd in the cloexec list is closed");
  CHECK(!is_open(40), "stage2: the FD_CLOEXEC-flagged fd is closed");
  int image = open("/bin/child.wasm", O_RDONLY);
  CHECK(image >= 0, "stage2: open the child image");
  const char args[] = "child\0exit\0" "3\0";
  fflush(stdout);
  __wasi_errno_t e = __host_process_proc_fexec(image, args, sizeof args - 1, "", 0, NULL, 0);
  printf("FAIL: fexec returned %d\n", e);
  return 1;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "stage2") == 0) return stage2(argc, argv);
  const char one[] = "exec\0";
  CHECK(__host_process_proc_exec("", one, sizeof one - 1, "", 0, NULL, 0) == __WASI_ERRNO_NOENT, "exec empty path: noent");
  CHECK(__host_process_proc_exec("no-such-command", one, sizeof one - 1, "", 0, NULL, 0) == __WASI_ERRNO_NOENT, "exec unknown command: noent");
  int text = open("/data/not-wasm.txt", O_RDWR | O_CREAT | O_TRUNC, 0755);
  CHECK(text >= 0 && write(text, "#!/bin/sh\necho hi\n", 18) == 18, "write a script");
  CHECK(__host_process_proc_fexec(text, one, sizeof one - 1, "", 0, NULL, 0) == __WASI_ERRNO_NOEXEC, "fexec a script: noexec");
  int dir = open("/data", O_RDONLY | O_DIRECTORY);
  CHECK(__host_process_proc_fexec(dir, one, sizeof one - 1, "", 0, NULL, 0) == __WASI_ERRNO_ACCES, "fexec a directory: acces");
  CHECK(__host_process_proc_fexec(77, one, sizeof one - 1, "", 0, NULL, 0) == __WASI_ERRNO_BADF, "fexec a closed fd: badf");
  int32_t r, w, listed_r, listed_w;
  CHECK(__host_process_fd_pipe(&r, &w) == 0 && __host_process_fd_pipe(&listed_r, &listed_w) == 0, "pipes to keep and to close");
  int32_t flagged;
  CHECK(__host_process_fd_dup_min(w, 40, &flagged) == 0 && flagged == 40 && __host_process_fd_setfd(flagged, 1) == 0, "an FD_CLOEXEC-flagged dup");
  CHECK(__host_process_proc_exec("exec", "\xff", 1, "", 0, NULL, 0) == __WASI_ERRNO_INVAL, "argv not UTF-8: inval");
  CHECK(is_open(listed_r) && is_open(flagged), "nothing closed by the failed execs");
  char args[96];
  int n = snprintf(args, sizeof args, "exec%cstage2%c%d%c%d%c%d%c", 0, 0, (int)r, 0, (int)w, 0, (int)listed_r, 0);
  const char env[] = "STAGE=two\0noequals\0";
  __wasi_fd_t cloexec[] = {listed_r};
  fflush(stdout);
  __wasi_errno_t e = __host_process_proc_exec("exec", args, n, env, sizeof env - 1, cloexec, 1);
  printf("FAIL: exec returned %d\n", e);
  return 1;
}
