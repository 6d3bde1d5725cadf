/*
 * input.c — bounded reading of input files and the limit options shared by
 * `scipix ocr` and `scipix image-info`.
 *
 * The byte limit is enforced while reading, not after: a 10 GB file or an
 * endless pipe on stdin costs at most max_bytes + 1 bytes of memory before
 * it is refused with SCIPIX_ELIMIT_BYTES.
 */
#include "cli/input.h"
#include "engine/status.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int sp_cli_read_input(const char *path, size_t max_bytes, uint8_t **buf, size_t *len, scipix_error *err) {
    *buf = NULL;
    *len = 0;
    int is_stdin = !strcmp(path, "-");
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return sp_error_set(err, SCIPIX_EIO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            if (!is_stdin) fclose(f);
            return sp_error_set(err, SCIPIX_EIO, "is a directory");
        }
        if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes) {
            if (!is_stdin) fclose(f);
            return sp_error_set(err, SCIPIX_ELIMIT_BYTES, "input is %lld bytes; the limit is %zu bytes",
                                (long long)st.st_size, max_bytes);
        }
    }
    size_t cap = 65536, n = 0;
    uint8_t *b = malloc(cap);
    if (!b) {
        if (!is_stdin) fclose(f);
        return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate a read buffer");
    }
    int rc = SCIPIX_OK;
    for (;;) {
        if (n == cap) {
            size_t nc = cap * 2;
            uint8_t *nb = realloc(b, nc);
            if (!nb) {
                rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot grow the read buffer to %zu bytes", nc);
                break;
            }
            b = nb, cap = nc;
        }
        size_t want = cap - n;
        size_t got = fread(b + n, 1, want, f);
        n += got;
        if (n > max_bytes) {
            rc = sp_error_set(err, SCIPIX_ELIMIT_BYTES, "input is more than %zu bytes (the limit)", max_bytes);
            break;
        }
        if (got < want) {
            if (ferror(f)) rc = sp_error_set(err, SCIPIX_EIO, "read error: %s", strerror(errno));
            break;
        }
    }
    if (!is_stdin) fclose(f);
    if (rc) {
        free(b);
        return rc;
    }
    *buf = b;
    *len = n;
    return SCIPIX_OK;
}

int sp_cli_parse_count(const char *s, uint64_t *out) {
    if (!s || !*s) return -1;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-') return -1;
    uint64_t mul = 1;
    if (*end) {
        int bin = end[1] == 'i';
        uint64_t base = bin ? 1024 : 1000;
        switch (*end) {
        case 'k': case 'K': mul = base; break;
        case 'M': mul = base * base; break;
        case 'G': mul = base * base * base; break;
        default: return -1;
        }
        if (end[1 + bin] != '\0') return -1;
    }
    if (v == 0 || v > UINT64_MAX / mul) return -1;
    *out = (uint64_t)v * mul;
    return 0;
}

int sp_cli_limit_option(int argc, char **argv, int *i, scipix_config *cfg) {
    const char *opt = argv[*i];
    int which = !strcmp(opt, "--max-bytes") ? 1 : !strcmp(opt, "--max-dimension") ? 2
              : !strcmp(opt, "--max-pixels") ? 3 : 0;
    if (!which) return 0;
    uint64_t v;
    if (*i + 1 >= argc || sp_cli_parse_count(argv[*i + 1], &v)) {
        fprintf(stderr, "scipix: %s needs a positive number\n", opt);
        return -1;
    }
    (*i)++;
    if (which == 1) {
        if (v > SIZE_MAX) v = SIZE_MAX;
        cfg->max_bytes = (size_t)v;
    } else if (which == 2) {
        if (v > UINT32_MAX) v = UINT32_MAX;
        cfg->max_dimension = (uint32_t)v;
    } else {
        cfg->max_pixels = v;
    }
    return 1;
}
