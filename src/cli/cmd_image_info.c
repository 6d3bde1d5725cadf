/*
 * cmd_image_info.c — `scipix image-info`: decode inputs exactly as `ocr`
 * does (same limits, same error codes) and describe them.  Needs no model,
 * so bad input handling can be checked on any machine.
 *
 *   scipix image-info [--jsonl] [--max-bytes N] [--max-dimension N]
 *                     [--max-pixels N] FILE...
 * prints "FILE: format=png width=W height=H bits=8 channels=1 alpha=0
 * inverted=0" per file (or one JSON object per line with --jsonl); errors as
 * in `ocr`; exit status 1 if any input failed.
 */
#include "cli/cli.h"
#include "cli/input.h"
#include "scipix.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sp_cmd_image_info(int argc, char **argv) {
    scipix_config cfg;
    scipix_config_init(&cfg);
    int jsonl = 0, failed = 0, nfiles = 0;
    for (int i = 1; i < argc; i++) {
        int lim = sp_cli_limit_option(argc, argv, &i, &cfg);
        if (lim < 0) return SP_EXIT_USAGE;
        if (lim > 0) continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: scipix image-info [--jsonl] [--max-bytes N] [--max-dimension N] [--max-pixels N] "
                   "FILE...\n\nDecodes each image as `scipix ocr` would and prints its format, size and\n"
                   "whether it was inverted (light on dark).  Needs no model.\n");
            return SP_EXIT_OK;
        }
        if (!strcmp(argv[i], "--jsonl")) {
            jsonl = 1;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "scipix: unknown option '%s' for image-info\n", argv[i]);
            return SP_EXIT_USAGE;
        }
        nfiles++;
    }
    if (!nfiles) {
        fprintf(stderr, "scipix: image-info needs at least one FILE\n");
        return SP_EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--max-bytes") || !strcmp(argv[i], "--max-dimension") ||
            !strcmp(argv[i], "--max-pixels")) {
            i++;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') continue;
        const char *file = argv[i];
        uint8_t *buf = NULL;
        size_t len = 0;
        scipix_error err;
        scipix_image_info info;
        int rc = sp_cli_read_input(file, cfg.max_bytes, &buf, &len, &err);
        if (rc == SCIPIX_OK) rc = scipix_image_probe(&cfg, buf, len, &info, &err);
        free(buf);
        if (rc != SCIPIX_OK) failed = 1;
        if (jsonl) {
            json_t *o = rc == SCIPIX_OK
                ? json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:b, s:b}", "file", file, "format", info.format,
                            "width", (int)info.width, "height", (int)info.height, "bits", info.bits_per_sample,
                            "channels", info.samples_per_pixel, "alpha", info.has_alpha, "inverted",
                            info.inverted)
                : json_pack("{s:s, s:{s:s, s:s}}", "file", file, "error", "id", scipix_status_name(rc),
                            "message", err.message);
            char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
            if (s) printf("%s\n", s);
            free(s);
            json_decref(o);
        } else if (rc == SCIPIX_OK) {
            printf("%s: format=%s width=%u height=%u bits=%d channels=%d alpha=%d inverted=%d\n", file,
                   info.format, info.width, info.height, info.bits_per_sample, info.samples_per_pixel,
                   info.has_alpha, info.inverted);
        } else {
            fprintf(stderr, "scipix: %s: %s (%s)\n", file, err.message, scipix_status_name(rc));
        }
    }
    return failed ? SP_EXIT_FAIL : SP_EXIT_OK;
}
