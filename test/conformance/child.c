// The child guest the spawn tests start: `child upcase` copies stdin to stdout in upper case,
// `child exit N` exits with N, `child sleep` sleeps until signalled, `child args ...` prints
// its argv, `child trap` traps.
#include <ctype.h>
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
  return 99;
}
