// Imports a function from a module the contract does not have (IMP_MODULE_KNOWN).
#include <stdint.h>

__attribute__((import_module("host_bogus"), import_name("nothing")))
int32_t host_bogus_nothing(void);

int main(void) {
  return host_bogus_nothing();
}
