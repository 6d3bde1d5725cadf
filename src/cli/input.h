/*
 * input.h — reading input files for the `ocr` and `image-info` commands
 * (see input.c): bounded reads, stdin as "-", size options.
 */
#ifndef SP_CLI_INPUT_H
#define SP_CLI_INPUT_H

#include "scipix.h"

#include <stddef.h>
#include <stdint.h>

/* Read a whole file ("-" = stdin) into *buf (free()), refusing to read more
 * than max_bytes: a larger input fails with SCIPIX_ELIMIT_BYTES without
 * being read to the end. */
int sp_cli_read_input(const char *path, size_t max_bytes, uint8_t **buf, size_t *len, scipix_error *err);

/* Parse a positive decimal count with an optional k/M/G suffix (x1000,
 * or Ki/Mi/Gi for x1024).  Returns 0 on success. */
int sp_cli_parse_count(const char *s, uint64_t *out);

/* The shared limit options: if argv[*i] is --max-bytes, --max-dimension or
 * --max-pixels, consume it and its value into cfg.  Returns 1 if consumed,
 * 0 if not one of them, -1 on a bad value (message printed). */
int sp_cli_limit_option(int argc, char **argv, int *i, scipix_config *cfg);

#endif
