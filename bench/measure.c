/* bench/run's helper: runs one command and reports its wall time and peak memory.
 *
 *     measure OUTFILE PROGRAM [ARGS...]
 *
 * writes "NANOSECONDS MAXRSS_KIB EXIT_STATUS" to OUTFILE; the command's standard streams
 * are this helper's. bench/run builds it with cc into target/.
 *
 * Why not wait4 in bench/run itself: Linux keeps the largest resident set a process has
 * had across exec, and a child of Python starts from Python's pages, so every engine
 * would report at least Python's ~16 MiB, more than most of the programs use. This
 * helper is a few hundred KiB, so the peak it reports is the program's own. */
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: measure OUTFILE PROGRAM [ARGS...]\n");
        return 2;
    }
    struct timespec t0, t1;
    struct rusage usage;
    pid_t pid;
    int status;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int err = posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ);
    if (err != 0) {
        fprintf(stderr, "measure: cannot run %s (error %d)\n", argv[2], err);
        return 2;
    }
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("measure: wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *out = fopen(argv[1], "w");
    if (out == NULL) {
        perror("measure: output file");
        return 2;
    }
    fprintf(out, "%lld %ld %d\n", ns, usage.ru_maxrss, code);
    return fclose(out) == 0 ? 0 : 2;
}
