/* A libnvidia-ml.so.1 whose nvmlInit_v2 does not return for a long time, as a driver that is
 * loading or a GPU that does not answer: the agent's start-up is stuck in device discovery. */
#include <stdio.h>
#include <unistd.h>

int nvmlInit_v2(void) {
    fprintf(stderr, "stuck-nvml: nvmlInit_v2 sleeps\n");
    sleep(45);
    fprintf(stderr, "stuck-nvml: nvmlInit_v2 returned\n");
    return 999; /* NVML_ERROR_UNKNOWN */
}

const char *nvmlErrorString(int rc) {
    (void) rc;
    return "stuck-nvml: unknown error";
}
