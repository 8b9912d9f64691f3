// A library-like module with no `_start`: exports only `foo` (and `memory`), so EXP_REQUIRED fires.
int foo(int x) {
  return x * 2 + 1;
}
