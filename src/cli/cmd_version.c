/*
 * cmd_version.c — `scipix version`: prints the library version.
 */
#include "cli/cli.h"
#include "scipix.h"

#include <stdio.h>
#include <string.h>

int sp_cmd_version(int argc, char **argv) {
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: scipix version\n\nPrints the scipix version.\n");
        return SP_EXIT_OK;
    }
    printf("scipix %s\n", scipix_version());
    return SP_EXIT_OK;
}
