// The host benchmark guest: times clock reads and writes from inside wasm (monotonic clock),
// so the figures are per call and exclude start-up. Run as `host DIR [SCALE [MEASURE]]`: prints
// one line per measure on stderr, `name ns_per_call`; MEASURE runs only that one (profiling).
// Built with stock wasi-libc so it runs unchanged under `abic run` and under node:wasi.

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 7

static unsigned char buf[65536];

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v) {
  qsort(v, ROUNDS, sizeof *v, compare);
  return v[ROUNDS / 2];
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

/** ns per iteration of `op`, the median of ROUNDS rounds of n iterations after one warm-up. */
static double timed(void (*op)(int), int fd, long n) {
  double samples[ROUNDS];
  for (int r = -1; r < ROUNDS; r++) {
    if (lseek(fd, 0, SEEK_SET) < 0 && fd > 2) die("lseek");
    long long start = now_ns();
    for (long i = 0; i < n; i++) op(fd);
    double ns = (double)(now_ns() - start) / (double)n;
    if (r >= 0) samples[r] = ns;
  }
  return median(samples);
}

static volatile long long sink;
static void op_clock(int fd) {
  (void)fd;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  sink += ts.tv_nsec;
}
static void op_write64(int fd) {
  if (write(fd, buf, 64) != 64) die("write 64");
}
static void op_write64k(int fd) {
  if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) die("write 64k");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: host DIR [SCALE]\n");
    return 2;
  }
  long scale = argc > 2 ? atol(argv[2]) : 1;
  memset(buf, 'x', sizeof buf);
  char path[512];
  snprintf(path, sizeof path, "%s/bench.out", argv[1]);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die(path);

  const char *only = argc > 3 ? argv[3] : NULL;
  static const struct {
    const char *name;
    void (*op)(int);
    int on_file;
    long n;
  } measures[] = {
      {"clock_gettime", op_clock, 0, 200000},
      {"file_write_64", op_write64, 1, 20000},
      {"file_write_64k", op_write64k, 1, 200},
      {"stdout_write_64", op_write64, 0, 20000},
  };
  for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++) {
    if (only && strcmp(only, measures[i].name) != 0) continue;
    int target = measures[i].on_file ? fd : measures[i].op == op_clock ? -1 : 1;
    double ns = timed(measures[i].op, target, measures[i].n * scale);
    fprintf(stderr, "%s %.1f\n", measures[i].name, ns);
  }
  close(fd);
  unlink(path);
  return 0;
}
