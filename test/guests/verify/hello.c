// A stock wasi-libc command: imports fd_write and friends from wasi_snapshot_preview1.
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
