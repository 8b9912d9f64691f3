// A clean command with the smallest import list: proc_exit only. Valid against the fixture.
#include <stdint.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
_Noreturn void proc_exit(int32_t code);

void _start(void) {
  proc_exit(0);
}
