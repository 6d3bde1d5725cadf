/*
 * bench_convert.c — converter speed: every formula of a gold TSV file from
 * LaTeX to MathML (parse + MathML emit, one reused arena), best of several
 * passes, in formulas per second; then the same formulas through MathJax
 * and Temml under Node (tools/js/bench.js) in the same run, and the ratio.
 *
 *   bench_convert GOLD.tsv [TOOLS_JS_DIR] [PASSES]
 * Without TOOLS_JS_DIR (or without node) only scipix is measured.
 */
#include "emit/emit.h"
#include "tree/latex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double sp_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s GOLD.tsv [TOOLS_JS_DIR] [PASSES]\n", argv[0]);
        return 2;
    }
    const char *js = argc > 2 ? argv[2] : NULL;
    int passes = argc > 3 ? atoi(argv[3]) : 5;
    if (passes < 1) passes = 1;
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t n = 0, cap = 0;
    char **lines = NULL;
    size_t *lens = NULL;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        char *tab = strchr(line, '\t');
        const char *src = tab ? tab + 1 : line;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            char **nl = realloc(lines, cap * sizeof *lines);
            size_t *ns = realloc(lens, cap * sizeof *lens);
            if (!nl || !ns) {
                fprintf(stderr, "out of memory\n");
                return 1;
            }
            lines = nl;
            lens = ns;
        }
        lines[n] = strdup(src);
        if (!lines[n]) return 1;
        lens[n] = strlen(src);
        n++;
    }
    free(line);
    fclose(f);
    sp_tree *t = sp_tree_new();
    sp_buf out;
    sp_buf_init(&out);
    if (!t) return 1;
    double best = 1e30;
    size_t ok = 0, bytes = 0;
    for (int p = 0; p < passes; p++) {
        ok = 0;
        bytes = 0;
        double t0 = sp_now();
        for (size_t i = 0; i < n; i++) {
            sp_node *root;
            scipix_error err;
            sp_tree_reset(t);
            if (sp_latex_parse(t, lines[i], lens[i], NULL, &root, &err) != SCIPIX_OK) continue;
            sp_buf_clear(&out);
            if (sp_mathml_emit(root, 1, &out) == SCIPIX_OK) {
                ok++;
                bytes += out.len;
            }
        }
        double dt = sp_now() - t0;
        if (dt < best) best = dt;
    }
    double ours = (double)n / best;
    printf("scipix  %zu formulas (%zu converted, %zu bytes of MathML) in %.4f s: %.0f formulas/s (best of %d)\n", n, ok,
           bytes, best, ours, passes);
    fflush(stdout);
    int rc = 0;
    if (js) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "node '%s/bench.js' '%s' mathjax,temml", js, argv[1]);
        FILE *pp = popen(cmd, "r");
        if (!pp) {
            perror("popen node");
            rc = 1;
        } else {
            char buf[512];
            double mj = 0, tm = 0;
            while (fgets(buf, sizeof buf, pp)) {
                char name[32];
                size_t cnt;
                double secs, fps;
                if (sscanf(buf, "%31s %zu %lf %lf", name, &cnt, &secs, &fps) == 4) {
                    printf("%-7s %zu formulas in %.3f s: %.0f formulas/s (Node %s)\n", name, cnt, secs, fps,
                           !strcmp(name, "mathjax") ? "mathjax-full TeX->MathML" : "temml renderToString");
                    if (!strcmp(name, "mathjax")) mj = fps;
                    if (!strcmp(name, "temml")) tm = fps;
                }
            }
            if (pclose(pp) != 0 || (mj <= 0 && tm <= 0)) {
                fprintf(stderr, "bench_convert: the Node side failed (run scripts/install-deps.sh)\n");
                rc = 1;
            }
            if (mj > 0) printf("ratio   scipix / MathJax = %.1fx\n", ours / mj);
            if (tm > 0) printf("ratio   scipix / Temml   = %.1fx\n", ours / tm);
            /* The bar: at least 20x MathJax or Temml on the same
             * formulas.  Both ratios are printed; a bench reports, it does
             * not fail. */
            if (mj > 0 || tm > 0)
                printf("bar     scipix >= 20x MathJax or Temml: %s (MathJax %.1fx, Temml %.1fx)\n",
                       (mj > 0 && ours >= 20 * mj) || (tm > 0 && ours >= 20 * tm) ? "met" : "NOT met",
                       mj > 0 ? ours / mj : 0.0, tm > 0 ? ours / tm : 0.0);
        }
    }
    for (size_t i = 0; i < n; i++) free(lines[i]);
    free(lines);
    free(lens);
    sp_buf_free(&out);
    sp_tree_free(t);
    return rc;
}
