// Exports the optional `__wasi_signal_trampoline` with no parameter (the contract says
// `func(signum: i32)`): a present export of the wrong type is an EXP_REQUIRED error.
#include <stdint.h>

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
_Noreturn void proc_exit(int32_t code);

__attribute__((export_name("__wasi_signal_trampoline")))
void signal_trampoline(void) {}

void _start(void) {
  proc_exit(0);
}
