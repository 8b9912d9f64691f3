// The child guest the spawn tests start: `child upcase` copies stdin to stdout in upper case,
// `child exit N` exits with N, `child sleep` sleeps until signalled, `child args ...` prints
// its argv, `child trap` traps, `child write TEXT` writes TEXT to stdout, `child read N` copies
// N bytes of stdin to stdout, `child cwd FILE` prints its cwd and FILE's first line.
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "upcase")) {
    char buf[256];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
      for (ssize_t i = 0; i < n; i++) buf[i] = toupper((unsigned char)buf[i]);
      write(1, buf, n);
    }
    return 0;
  }
  if (!strcmp(mode, "exit")) return atoi(argv[2]);
  if (!strcmp(mode, "sleep")) {
    for (;;) __host_process_sleep_ms(10);
  }
  if (!strcmp(mode, "args")) {
    for (int i = 0; i < argc; i++) printf("child argv[%d]=%s\n", i, argv[i]);
    int32_t pid, ppid;
    __host_process_proc_getpid(&pid);
    __host_process_proc_getppid(&ppid);
    printf("child pid>1: %d, ppid: %d\n", pid > 1, ppid);
    return 0;
  }
  if (!strcmp(mode, "trap")) __builtin_trap();
  if (!strcmp(mode, "write")) return write(1, argv[2], strlen(argv[2])) == (ssize_t)strlen(argv[2]) ? 0 : 1;
  if (!strcmp(mode, "read")) {
    char buf[64];
    ssize_t n = read(0, buf, (size_t)atoi(argv[2]));
    return n > 0 && write(1, buf, n) == n ? 0 : 1;
  }
  if (!strcmp(mode, "cwd")) {
    // What the contract's libc does at start (command.idl `cwd`): stock wasi-libc starts at
    // "/" and never reads PWD, so this guest stands in for the patched libc.
    const char *pwd = getenv("PWD");
    if (pwd && chdir(pwd) != 0) printf("child chdir(%s): %s\n", pwd, strerror(errno));
    char cwd[256], line[64] = {0};
    printf("child cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
    FILE *f = fopen(argv[2], "r");
    if (!f || !fgets(line, sizeof line, f)) printf("child open %s: %s\n", argv[2], strerror(errno));
    else printf("child read=%s", line);
    fflush(stdout);
    return f ? 0 : 1;
  }
  return 99;
}
