// Files and directories, args/env and clocks against stock wasi-libc: prints its arguments,
// lists the `--dir` folder mapped at /data, writes, reads, seeks, renames and removes files
// there, reads the clocks, sleeps through poll_oneoff and exits with argv[1] as its status.
#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) printf("arg[%d]=%s\n", i, argv[i]);
  const char *greeting = getenv("GREETING");
  CHECK(greeting && strcmp(greeting, "hello world") == 0, "env GREETING from --env");
  CHECK(getenv("HOME") && strcmp(getenv("HOME"), "/root") == 0, "default HOME=/root");

  DIR *d = opendir("/data");
  CHECK(d != NULL, "opendir /data");
  char *names[64];
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)) && n < 64)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  if (d) closedir(d);
  qsort(names, n, sizeof *names, cmp);
  for (int i = 0; i < n; i++) printf("entry: %s\n", names[i]);

  FILE *f = fopen("/data/input.txt", "r");
  char line[128] = {0};
  CHECK(f && fgets(line, sizeof line, f), "read /data/input.txt");
  if (f) fclose(f);
  printf("input: %s", line);

  f = fopen("/data/out/result.txt", "w");
  CHECK(f != NULL, "create /data/out/result.txt");
  if (f) { fprintf(f, "written by the guest\n"); fclose(f); }
  struct stat st;
  CHECK(stat("/data/out/result.txt", &st) == 0 && st.st_size == 21 && S_ISREG(st.st_mode), "stat size and type");

  int fd = open("/data/out/result.txt", O_RDWR);
  CHECK(fd >= 0, "open O_RDWR");
  CHECK(lseek(fd, 8, SEEK_SET) == 8, "lseek SEEK_SET");
  char buf[8] = {0};
  CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "by", 2) == 0, "read after seek");
  CHECK(lseek(fd, 0, SEEK_CUR) == 10, "tell after read");
  CHECK(lseek(fd, 0, SEEK_END) == 21, "lseek SEEK_END");
  CHECK(pwrite(fd, "WRITTEN", 7, 0) == 7, "pwrite");
  CHECK(pread(fd, buf, 7, 0) == 7 && memcmp(buf, "WRITTEN", 7) == 0, "pread");
  CHECK(ftruncate(fd, 4) == 0 && fstat(fd, &st) == 0 && st.st_size == 4, "ftruncate");
  close(fd);

  CHECK(mkdir("/data/out/sub", 0755) == 0, "mkdir");
  CHECK(mkdir("/data/out/sub", 0755) == -1 && errno == EEXIST, "mkdir again: EEXIST");
  CHECK(rename("/data/out/result.txt", "/data/out/sub/moved.txt") == 0, "rename");
  CHECK(access("/data/out/result.txt", F_OK) == -1 && errno == ENOENT, "old name gone");
  CHECK(symlink("sub/moved.txt", "/data/out/link") == 0, "symlink");
  char target[64] = {0};
  CHECK(readlink("/data/out/link", target, sizeof target) == 13 && strcmp(target, "sub/moved.txt") == 0, "readlink");
  CHECK(link("/data/out/sub/moved.txt", "/data/out/hard") == 0, "hard link");
  CHECK(stat("/data/out/link", &st) == 0 && st.st_size == 4 && st.st_nlink == 2, "stat through symlink");
  CHECK(rmdir("/data/out/sub") == -1 && errno == ENOTEMPTY, "rmdir non-empty: ENOTEMPTY");
  CHECK(unlink("/data/out/sub/moved.txt") == 0 && rmdir("/data/out/sub") == 0, "unlink and rmdir");
  CHECK(unlink("/data/out/link") == 0 && unlink("/data/out/hard") == 0, "unlink links");

  // Descriptor-level calls: allocate, sync, timestamps (by fd and by path), renumber.
  int x = open("/data/out/extra.txt", O_RDWR | O_CREAT, 0644);
  CHECK(x >= 0, "create extra.txt");
  CHECK(__wasi_fd_allocate(x, 0, 100) == 0 && fstat(x, &st) == 0 && st.st_size == 100, "fd_allocate grows the file");
  CHECK(__wasi_fd_allocate(x, 0, 10) == 0 && fstat(x, &st) == 0 && st.st_size == 100, "fd_allocate inside the file keeps its size");
  CHECK(fdatasync(x) == 0 && fsync(x) == 0, "fd_datasync, fd_sync");
  struct timespec times[2] = {{1000, 0}, {2000, 500}};
  CHECK(futimens(x, times) == 0 && fstat(x, &st) == 0 && st.st_mtim.tv_sec == 2000 && st.st_atim.tv_sec == 1000, "fd_filestat_set_times");
  times[1].tv_sec = 3000;
  CHECK(utimensat(AT_FDCWD, "/data/out/extra.txt", times, 0) == 0 && stat("/data/out/extra.txt", &st) == 0 && st.st_mtim.tv_sec == 3000, "path_filestat_set_times");
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = 4000;
  CHECK(futimens(x, times) == 0 && fstat(x, &st) == 0 && st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec == 4000, "UTIME_OMIT keeps atime");
  int y = open("/data/input.txt", O_RDONLY);
  CHECK(y >= 0 && __wasi_fd_renumber(x, y) == 0 && write(y, "renumbered", 10) == 10, "fd_renumber: the file answers at the new number");
  CHECK(__wasi_fd_fdstat_get(x, &(__wasi_fdstat_t){0}) == __WASI_ERRNO_BADF, "fd_renumber: the old number is closed");
  CHECK(pread(y, buf, 8, 0) == 8 && memcmp(buf, "renumber", 8) == 0, "read back through the new number");
  CHECK(__wasi_fd_renumber(77, y) == __WASI_ERRNO_BADF, "fd_renumber from a closed fd: badf");
  close(y);
  CHECK(unlink("/data/out/extra.txt") == 0, "unlink extra.txt");

  // flock: locks belong to open file descriptions and go away with them.
  int l1 = open("/data/input.txt", O_RDONLY), l2 = open("/data/input.txt", O_RDONLY);
  CHECK(__host_process_fd_flock(l1, 2) == 0, "flock LOCK_EX");
  CHECK(__host_process_fd_flock(l2, 2 | 4) == __WASI_ERRNO_AGAIN, "another description, LOCK_EX|LOCK_NB: again");
  CHECK(__host_process_fd_flock(l2, 1 | 4) == __WASI_ERRNO_AGAIN, "LOCK_SH|LOCK_NB against an exclusive lock: again");
  CHECK(__host_process_fd_flock(l1, 1) == 0 && __host_process_fd_flock(l2, 1 | 4) == 0, "downgrade to shared: both hold it");
  CHECK(__host_process_fd_flock(l2, 2 | 4) == __WASI_ERRNO_AGAIN, "upgrade while another shares: again");
  close(l1);
  CHECK(__host_process_fd_flock(l2, 2 | 4) == 0, "closing the other description dropped its lock");
  CHECK(__host_process_fd_flock(l2, 8) == 0 && __host_process_fd_flock(l2, 3) == __WASI_ERRNO_INVAL, "LOCK_UN; an unknown operation: inval");
  close(l2);
  CHECK(sched_yield() == 0, "sched_yield");
  CHECK(open("/data/missing", O_RDONLY) == -1 && errno == ENOENT, "open missing: ENOENT");
  CHECK(open("/data/out", O_WRONLY) == -1 && errno == EISDIR, "open dir for write: EISDIR");
  CHECK(open("/data/input.txt", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR, "O_DIRECTORY on a file: ENOTDIR");
  CHECK(open("/data/input.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST, "O_EXCL: EEXIST");

  struct timespec t0, t1, rt, res;
  CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0 && rt.tv_sec > 1600000000, "realtime clock after 2020");
  CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0, "clock_getres monotonic");
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct timespec nap = {0, 30 * 1000 * 1000};
  CHECK(nanosleep(&nap, NULL) == 0, "nanosleep through poll_oneoff");
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long slept = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  CHECK(slept >= 30 * 1000 * 1000, "monotonic clock advanced across the sleep");
  __wasi_timestamp_t ts;
  CHECK(__wasi_clock_time_get(2, 1, &ts) == __WASI_ERRNO_NOTSUP, "cputime clock: notsup");
  unsigned char rnd[32] = {0}, zero[32] = {0};
  CHECK(getentropy(rnd, sizeof rnd) == 0 && memcmp(rnd, zero, 32) != 0, "random_get");

  fflush(stdout);
  if (failures) return 1;
  return argc > 1 ? atoi(argv[1]) : 0;
}
