/* A guest that uses the everyday parts of wasi-libc, so its imports cover a broad slice of
 * preview1. It is only linked and verified, not run. */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    printf("%d args, first %s, HOME=%s\n", argc, argv[0], getenv("HOME") ? getenv("HOME") : "");
    FILE *f = fopen("/tmp/x", "w+");
    if (f) {
        fputs("hello", f);
        rewind(f);
        char buf[8] = {0};
        fread(buf, 1, 5, f);
        fclose(f);
    }
    DIR *d = opendir(".");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) puts(e->d_name);
        closedir(d);
    }
    struct stat st;
    stat(".", &st);
    mkdir("/tmp/d", 0755);
    rename("/tmp/x", "/tmp/y");
    unlink("/tmp/y");
    rmdir("/tmp/d");
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    clock_getres(CLOCK_REALTIME, &ts);
    struct pollfd p = {.fd = 0, .events = POLLIN};
    poll(&p, 1, 10);
    unsigned char r[16];
    getentropy(r, sizeof r);
    char line[64];
    if (read(0, line, sizeof line) < 0) return 2;
    int fd = open("/tmp/z", O_CREAT | O_WRONLY, 0644);
    if (fd >= 0) {
        pwrite(fd, "a", 1, 0);
        lseek(fd, 0, SEEK_SET);
        fsync(fd);
        ftruncate(fd, 0);
        close(fd);
    }
    return 0;
}
