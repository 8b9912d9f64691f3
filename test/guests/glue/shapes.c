// A guest for the glue-shape tests: calls the `ext` module of test/glue-shapes.test.ts through its
// generated header, so each function shape runs through the generated TS glue.

#include <ext.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static __ext_ciovec_t iovs[4];
static const char text[] = "hello, world";

/** Sums `n` iovecs over the text, through `ext_sum(iovs: list<ciovec>) -> u32`. */
EXPORT(sum) uint32_t sum(uint32_t n) {
    for (uint32_t i = 0; i < n && i < 4; i++) {
        iovs[i].buf = (const uint8_t *)text + i;
        iovs[i].buf_len = i + 1;
    }
    return __ext_ext_sum(iovs, n);
}

/** The same call with a list outside memory: the glue answers the declared fault value. */
EXPORT(sum_bad) uint32_t sum_bad(void) { return __ext_ext_sum((const __ext_ciovec_t *)(uintptr_t)0xfffffff0u, 4); }

/** `ext_note(iovs: list<ciovec>)`: no result. */
EXPORT(note) void note(uint32_t n) {
    for (uint32_t i = 0; i < n && i < 4; i++) {
        iovs[i].buf = (const uint8_t *)text;
        iovs[i].buf_len = 5;
    }
    __ext_ext_note(iovs, n);
}
