/*
 * deny-syscalls NAME[,NAME...] PROGRAM [ARGS...]
 *
 * Runs PROGRAM with a seccomp filter under which each named system call fails with EPERM, as a
 * container runtime's seccomp profile or a locked-down host makes the kernel refuse it. The filter
 * is inherited by every thread and child of PROGRAM. Built by the it tests with gcc at test time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

static long number(const char *name) {
    if (!strcmp(name, "set_mempolicy")) return SYS_set_mempolicy;
    if (!strcmp(name, "get_mempolicy")) return SYS_get_mempolicy;
    if (!strcmp(name, "mbind")) return SYS_mbind;
    if (!strcmp(name, "sched_setaffinity")) return SYS_sched_setaffinity;
    return -1;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: deny-syscalls NAME[,NAME...] PROGRAM [ARGS...]\n");
        return 2;
    }
    struct sock_filter filter[32];
    int n = 0;
    filter[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (char *name = strtok(argv[1], ","); name != NULL && n < 28; name = strtok(NULL, ",")) {
        long nr = number(name);
        if (nr < 0) {
            fprintf(stderr, "deny-syscalls: unknown system call %s\n", name);
            return 2;
        }
        filter[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned) nr, 0, 1);
        filter[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
    }
    filter[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog prog = { .len = (unsigned short) n, .filter = filter };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        perror("deny-syscalls: PR_SET_NO_NEW_PRIVS");
        return 2;
    }
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
        perror("deny-syscalls: PR_SET_SECCOMP");
        return 2;
    }
    execvp(argv[2], argv + 2);
    perror("deny-syscalls: execvp");
    return 127;
}
