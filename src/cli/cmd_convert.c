/*
 * cmd_convert.c — `scipix convert`: LaTeX the user already has, converted
 * through the math tree to MathML, AsciiMath, plain text, LaTeX (styled or
 * simplified) or the Mathpix v3 JSON shape.
 *
 * Formulas come from the arguments, or one per line on stdin (optionally
 * "id<TAB>latex" lines with --tsv, as in im2latex gold files).  A line that
 * fails to parse is reported on stderr with its position and does not stop
 * the others; output stays one line per input line.  One sp_tree arena is
 * reused for every formula (sp_tree_reset), so a batch allocates almost
 * nothing after the first formula.
 *
 * --report prints the parse failure rate and every failure with its reason;
 * --roundtrip also checks that the styled LaTeX parses back to the same tree.
 */
#include "cli/cli.h"
#include "emit/emit.h"
#include "tree/latex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OUT_MATHML, OUT_ASCIIMATH, OUT_TEXT, OUT_LATEX, OUT_LATEX_SIMPLE, OUT_JSON, OUT_TREE } sp_out_fmt;

typedef struct {
    sp_out_fmt fmt;
    int display, tsv, report, roundtrip, quiet;
    sp_mathpix_options mp;
    sp_latex_options lo;
    /* counters */
    size_t total, failed, rt_failed;
    FILE *report_out;
} sp_conv;

static void sp_convert_usage(FILE *f) {
    fprintf(f,
            "usage: scipix convert [--from latex] [--to FORMAT] [options] [FORMULA ...]\n"
            "Converts LaTeX formulas (arguments, or one per line on stdin).\n\n"
            "  --to FORMAT       mathml (default), asciimath, text, latex (styled),\n"
            "                    latex-simplified, json (Mathpix v3 shape), tree (debug)\n"
            "  --display         MathML display=\"block\" (default inline)\n"
            "  --tsv             input lines are ID<TAB>LATEX; output ID<TAB>RESULT\n"
            "  --delims D        json: math delimiters in \"text\": inline (\\( \\), default),\n"
            "                    display (\\[ \\]), dollars ($ $), or OPEN,CLOSE\n"
            "  --data LIST       json: formats listed in \"data\": mathml,asciimath,latex\n"
            "  --pretty          json: indented\n"
            "  --report          do not convert: parse every formula, print the failure\n"
            "                    rate and each failure with its reason\n"
            "  --roundtrip       with --report: also check parse(styled(tree)) == tree\n"
            "  --max-len N       longest formula accepted in bytes (default 65536)\n"
            "  -q, --quiet       no per-line error messages\n");
}

static int sp_convert_one(sp_conv *c, sp_tree *t, sp_tree *t2, const char *id, const char *src, size_t len,
                          size_t lineno, sp_buf *out, sp_buf *tmp) {
    scipix_error err = {0, ""};
    sp_node *root;
    sp_tree_reset(t);
    c->total++;
    int rc = sp_latex_parse(t, src, len, &c->lo, &root, &err);
    if (rc != SCIPIX_OK) {
        c->failed++;
        if (c->report)
            fprintf(c->report_out, "FAIL\t%s\t%s\t%.*s\n", id ? id : "-", err.message, (int)(len > 300 ? 300 : len), src);
        else if (!c->quiet)
            fprintf(stderr, "scipix convert: %s%s%sline %zu: %s: %s\n", id ? "id " : "", id ? id : "", id ? ", " : "",
                    lineno, scipix_status_name(rc), err.message);
        return 1;
    }
    if (c->report) {
        if (!c->roundtrip) return 0;
        sp_buf_clear(tmp);
        if (sp_latex_emit(root, 1, tmp) != SCIPIX_OK) {
            c->rt_failed++;
            fprintf(c->report_out, "RTFAIL\t%s\temit failed\t%.*s\n", id ? id : "-", (int)len, src);
            return 0;
        }
        sp_node *again;
        sp_tree_reset(t2);
        if (sp_latex_parse(t2, tmp->data, tmp->len, &c->lo, &again, &err) != SCIPIX_OK) {
            c->rt_failed++;
            fprintf(c->report_out, "RTFAIL\t%s\treparse: %s\t%s\n", id ? id : "-", err.message, sp_buf_str(tmp));
        } else if (!sp_tree_equal(root, again)) {
            c->rt_failed++;
            fprintf(c->report_out, "RTFAIL\t%s\tdifferent tree\t%s\n", id ? id : "-", sp_buf_str(tmp));
        }
        return 0;
    }
    sp_buf_clear(out);
    switch (c->fmt) {
    case OUT_MATHML: rc = sp_mathml_emit(root, c->display, out); break;
    case OUT_ASCIIMATH: rc = sp_asciimath_emit(root, out); break;
    case OUT_TEXT: rc = sp_plain_emit(root, out); break;
    case OUT_LATEX: rc = sp_latex_emit(root, 1, out); break;
    case OUT_LATEX_SIMPLE: rc = sp_latex_emit(root, 0, out); break;
    case OUT_JSON: rc = sp_mathpix_emit(root, &c->mp, out); break;
    case OUT_TREE: sp_tree_dump(root, out); rc = out->oom ? SCIPIX_ENOMEM : SCIPIX_OK; break;
    }
    if (rc != SCIPIX_OK) {
        c->failed++;
        if (!c->quiet) fprintf(stderr, "scipix convert: line %zu: cannot emit: %s\n", lineno, scipix_strerror(rc));
        return 1;
    }
    return 0;
}

static void sp_convert_print(sp_conv *c, const char *id, int failed, sp_buf *out) {
    if (c->report) return;
    if (id) printf("%s\t", id);
    if (!failed) fwrite(sp_buf_str(out), 1, out->len, stdout);
    putchar('\n');
}

static int sp_parse_data_list(const char *s, unsigned *mask) {
    *mask = 0;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 6 && !strncmp(s, "mathml", 6)) *mask |= SP_MATHPIX_DATA_MATHML;
        else if (n == 9 && !strncmp(s, "asciimath", 9)) *mask |= SP_MATHPIX_DATA_ASCIIMATH;
        else if (n == 5 && !strncmp(s, "latex", 5)) *mask |= SP_MATHPIX_DATA_LATEX;
        else if (n) return -1;
        s += n + (e ? 1 : 0);
    }
    return 0;
}

int sp_cmd_convert(int argc, char **argv) {
    sp_conv c;
    memset(&c, 0, sizeof c);
    c.fmt = OUT_MATHML;
    c.report_out = stdout;
    sp_mathpix_options_init(&c.mp);
    sp_latex_options_init(&c.lo);
    char *delim_copy = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            sp_convert_usage(stdout);
            return SP_EXIT_OK;
        } else if (!strcmp(a, "--from")) {
            if (!v || strcmp(v, "latex") != 0) {
                fprintf(stderr, "scipix convert: --from must be latex\n");
                return SP_EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(a, "--to")) {
            if (!v) goto usage;
            i++;
            if (!strcmp(v, "mathml")) c.fmt = OUT_MATHML;
            else if (!strcmp(v, "asciimath")) c.fmt = OUT_ASCIIMATH;
            else if (!strcmp(v, "text")) c.fmt = OUT_TEXT;
            else if (!strcmp(v, "latex") || !strcmp(v, "latex-styled")) c.fmt = OUT_LATEX;
            else if (!strcmp(v, "latex-simplified")) c.fmt = OUT_LATEX_SIMPLE;
            else if (!strcmp(v, "json")) c.fmt = OUT_JSON;
            else if (!strcmp(v, "tree")) c.fmt = OUT_TREE;
            else {
                fprintf(stderr, "scipix convert: unknown output format '%s'\n", v);
                return SP_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--display")) c.display = 1;
        else if (!strcmp(a, "--inline")) c.display = 0;
        else if (!strcmp(a, "--tsv")) c.tsv = 1;
        else if (!strcmp(a, "--report")) c.report = 1;
        else if (!strcmp(a, "--roundtrip")) c.roundtrip = c.report = 1;
        else if (!strcmp(a, "--pretty")) c.mp.pretty = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) c.quiet = 1;
        else if (!strcmp(a, "--max-len")) {
            if (!v) goto usage;
            i++;
            c.lo.max_len = (size_t)strtoull(v, NULL, 10);
        } else if (!strcmp(a, "--data")) {
            if (!v || sp_parse_data_list(v, &c.mp.data)) {
                fprintf(stderr, "scipix convert: --data takes a list of mathml,asciimath,latex\n");
                return SP_EXIT_USAGE;
            }
            i++;
        } else if (!strcmp(a, "--delims")) {
            if (!v) goto usage;
            i++;
            if (!strcmp(v, "inline")) {
                c.mp.open_delim = "\\(";
                c.mp.close_delim = "\\)";
            } else if (!strcmp(v, "display")) {
                c.mp.open_delim = "\\[";
                c.mp.close_delim = "\\]";
            } else if (!strcmp(v, "dollars")) {
                c.mp.open_delim = "$";
                c.mp.close_delim = "$";
            } else {
                const char *comma = strchr(v, ',');
                if (!comma) {
                    fprintf(stderr, "scipix convert: --delims takes inline, display, dollars or OPEN,CLOSE\n");
                    return SP_EXIT_USAGE;
                }
                free(delim_copy);
                delim_copy = strdup(v);
                if (!delim_copy) return SP_EXIT_FAIL;
                delim_copy[comma - v] = 0;
                c.mp.open_delim = delim_copy;
                c.mp.close_delim = delim_copy + (comma - v) + 1;
            }
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "scipix convert: unknown option '%s'\n", a);
            goto usage;
        } else break;
    }
    sp_tree *t = sp_tree_new(), *t2 = sp_tree_new();
    sp_buf out, tmp;
    sp_buf_init(&out);
    sp_buf_init(&tmp);
    if (!t || !t2) {
        fprintf(stderr, "scipix convert: out of memory\n");
        sp_tree_free(t);
        sp_tree_free(t2);
        free(delim_copy);
        return SP_EXIT_FAIL;
    }
    int any_failed = 0;
    if (i < argc) {
        for (int k = i; k < argc; k++) {
            int f = sp_convert_one(&c, t, t2, NULL, argv[k], strlen(argv[k]), (size_t)(k - i + 1), &out, &tmp);
            any_failed |= f;
            sp_convert_print(&c, NULL, f, &out);
        }
    } else {
        char *line = NULL;
        size_t cap = 0, lineno = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) >= 0) {
            lineno++;
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
            const char *id = NULL, *src = line;
            if (c.tsv) {
                char *tab = memchr(line, '\t', (size_t)n);
                if (tab) {
                    *tab = 0;
                    id = line;
                    src = tab + 1;
                } else id = "";
            }
            size_t len = (size_t)n - (size_t)(src - line);
            int f = sp_convert_one(&c, t, t2, id, src, len, lineno, &out, &tmp);
            any_failed |= f;
            sp_convert_print(&c, id, f, &out);
        }
        free(line);
    }
    if (c.report) {
        printf("formulas: %zu\nparse failures: %zu (%.3f%%)\n", c.total, c.failed,
               c.total ? 100.0 * (double)c.failed / (double)c.total : 0.0);
        if (c.roundtrip)
            printf("round trip: %zu of %zu parsed formulas give the same tree (%zu differ)\n",
                   c.total - c.failed - c.rt_failed, c.total - c.failed, c.rt_failed);
    }
    fflush(stdout);
    sp_buf_free(&out);
    sp_buf_free(&tmp);
    sp_tree_free(t);
    sp_tree_free(t2);
    free(delim_copy);
    if (c.report) return c.rt_failed ? SP_EXIT_FAIL : SP_EXIT_OK;
    return any_failed ? SP_EXIT_FAIL : SP_EXIT_OK;
usage:
    sp_convert_usage(stderr);
    free(delim_copy);
    return SP_EXIT_USAGE;
}
