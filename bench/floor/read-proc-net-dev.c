/*
 * The floor every agent is measured against: the cheapest possible read of /proc/net/dev.
 * The kernel formats the whole file on every read, so this is the cost no parser can avoid.
 * Usage: read-proc-net-dev [iterations] [path]; prints one JSON line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 100;
  const char *path = argc > 2 ? argv[2] : "/proc/net/dev";
  if (iterations < 1) iterations = 1;
  size_t cap = 1 << 20;
  char *buf = malloc(cap);
  long long *wall = malloc(sizeof(long long) * (size_t)iterations);
  if (!buf || !wall) return 2;
  long long bytes = 0;
  long long cpu0 = ns(CLOCK_PROCESS_CPUTIME_ID);
  for (int i = 0; i < iterations; i++) {
    long long t0 = ns(CLOCK_MONOTONIC);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { perror(path); return 1; }
    size_t len = 0;
    for (;;) {
      if (len == cap) {
        /* Grow rather than truncate: a partial read would understate the floor. */
        cap *= 2;
        buf = realloc(buf, cap);
        if (!buf) return 2;
      }
      ssize_t r = read(fd, buf + len, cap - len);
      if (r < 0) { perror("read"); return 1; }
      if (r == 0) break;
      len += (size_t)r;
    }
    close(fd);
    wall[i] = ns(CLOCK_MONOTONIC) - t0;
    bytes = (long long)len;
  }
  long long cpu = ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
  qsort(wall, (size_t)iterations, sizeof(long long), cmp);
  printf("{\"iterations\":%d,\"bytes\":%lld,\"medianNs\":%lld,\"p90Ns\":%lld,\"cpuNsPerRead\":%lld}\n",
         iterations, bytes, wall[iterations / 2], wall[(iterations * 9) / 10 < iterations ? (iterations * 9) / 10 : iterations - 1],
         cpu / iterations);
  free(buf);
  free(wall);
  return 0;
}
