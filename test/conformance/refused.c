// Imports sock_accept, which the contract marks @refused: the host must not link it, so
// the module fails to instantiate with an error naming the import.
#include "check.h"

int main(void) {
  __wasi_fd_t fd;
  return __wasi_sock_accept(3, 0, &fd);
}
