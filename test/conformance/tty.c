// pty_open and host_tty on the pair: both ends are terminals (character devices), bytes
// cross both ways, the window size is shared; host_tty.read reads stdin with a deadline.
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  uint8_t buf[64] = {0};
  // stdin is the test's bytes, then end of input.
  CHECK(__host_tty_read(buf, sizeof buf, 1000) == 6 && memcmp(buf, "typed\n", 6) == 0, "tty read: stdin's bytes");
  CHECK(__host_tty_read(buf, sizeof buf, 1000) == 0, "tty read at end of input: 0");
  CHECK(__host_tty_read((uint8_t *)0xfffffff0, 64, 0) == 0, "tty read into a bad range: 0");

  int32_t master = -1, slave = -1;
  CHECK(__host_process_pty_open(&master, &slave) == 0 && master >= 0 && slave >= 0 && master != slave, "pty_open");
  CHECK(__host_tty_isatty(slave) == 1 && __host_tty_isatty(master) == 1 && isatty(slave), "both ends are terminals");
  __wasi_fdstat_t st;
  CHECK(__wasi_fd_fdstat_get(slave, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_CHARACTER_DEVICE, "the slave is a character device");
  int32_t r, w;
  __host_process_fd_pipe(&r, &w);
  CHECK(__host_tty_isatty(r) == 0, "a plain pipe is not a terminal");
  uint16_t cols = 0, rows = 0;
  CHECK(__host_tty_get_size(slave, &cols, &rows) == 0 && cols == 80 && rows == 24, "get_size: 80x24");
  CHECK(__host_tty_set_size(master, 120, 40) == 0 && __host_tty_get_size(slave, &cols, &rows) == 0 && cols == 120 && rows == 40, "set_size on the master, read on the slave");
  CHECK(__host_tty_set_size(r, 1, 1) == __WASI_ERRNO_NOTTY, "set_size on a pipe: notty");
  CHECK(__host_tty_get_size(r, &cols, &rows) == 25, "get_size on a pipe: Linux ENOTTY");
  CHECK(write(master, "to slave", 8) == 8 && read(slave, buf, sizeof buf) == 8 && memcmp(buf, "to slave", 8) == 0, "master -> slave");
  CHECK(write(slave, "to master", 9) == 9 && read(master, buf, sizeof buf) == 9 && memcmp(buf, "to master", 9) == 0, "slave -> master");

  // The slave as stdin: a read with a deadline times out, then gets what the master wrote.
  CHECK(__host_process_fd_dup2(slave, 0) == 0, "the slave becomes stdin");
  CHECK(__host_tty_read(buf, sizeof buf, 10) == 0, "tty read with nothing typed: 0 after the deadline");
  CHECK(write(master, "abc", 3) == 3 && __host_tty_read(buf, 2, 0xffffffff) == 2 && memcmp(buf, "ab", 2) == 0, "tty read: at most the buffer");
  CHECK(__host_tty_read(buf, sizeof buf, 0xffffffff) == 1 && buf[0] == 'c', "tty read: the rest");
  DONE();
}
