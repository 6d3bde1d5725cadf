/*
 * scipix-eval — produce predictions for the layout / end-to-end yardsticks.
 *
 *   scipix-eval labels DIR [INVENTORY] [--lines join|array]
 *       Ground-truth symbols (DIR/labels.tsv from tools/gen: image class_id
 *       x y w h font dpi, classes from INVENTORY, default
 *       tools/gen/inventory.tsv) through the layout stage alone: isolates
 *       layout errors from classifier errors.  Prints "image<TAB>latex".
 *       tools/gen typesets each formula as inline math in a fixed line
 *       width, so long ones wrap onto several lines of ONE formula: by
 *       default the lines are joined into one row (SP_LAYOUT_JOIN_LINES);
 *       --lines array keeps the engine's default (an array of lines).
 *   scipix-eval images GOLD.tsv IMAGEDIR [--limit N] [--model PATH]
 *       Every image named in GOLD.tsv ("N.png<TAB>latex") through
 *       scipix_recognize.  Prints "id<TAB>latex<TAB>confidence<TAB>ms".
 *
 * tools/eval/run_eval.sh scores these with /work/shared/eval/score.py and
 * breaks the failures down by construct and confidence decile.
 */
#include "emit/emit.h"
#include "layout/layout.h"
#include "scipix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CLASSES 4096

static char *classes[MAX_CLASSES];

static int load_inventory(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "scipix-eval: cannot open %s\n", path);
        return -1;
    }
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab || line[0] < '0' || line[0] > '9') continue;
        int id = atoi(line);
        char *l = tab + 1, *e = strchr(l, '\t');
        if (!e || id < 0 || id >= MAX_CLASSES) continue;
        *e = 0;
        free(classes[id]);
        classes[id] = strdup(l);
    }
    fclose(f);
    return 0;
}

static unsigned layout_flags = SP_LAYOUT_JOIN_LINES;

static void flush_formula(const char *name, sp_layout_symbol *syms, size_t n, sp_tree *t) {
    if (!name[0]) return;
    sp_tree_reset(t);
    sp_node *root = NULL;
    float conf = 0;
    scipix_error err;
    sp_buf b;
    sp_buf_init(&b);
    if (sp_layout_build_ex(t, syms, n, layout_flags, &root, &conf, &err) == SCIPIX_OK) sp_latex_emit(root, 1, &b);
    printf("%s\t%s\n", name, sp_buf_str(&b));
    sp_buf_free(&b);
}

static int run_labels(const char *dir, const char *inv) {
    if (load_inventory(inv)) return 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/labels.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "scipix-eval: cannot open %s\n", path);
        return 1;
    }
    sp_tree *t = sp_tree_new();
    size_t cap = 4096, n = 0;
    sp_layout_symbol *syms = malloc(cap * sizeof *syms);
    if (!t || !syms) return 1;
    char cur[256] = "", line[1024];
    while (fgets(line, sizeof line, f)) {
        char img[256];
        int cls, x, y, w, h;
        if (sscanf(line, "%255s %d %d %d %d %d", img, &cls, &x, &y, &w, &h) != 6) continue;
        if (strcmp(img, cur)) {
            flush_formula(cur, syms, n, t);
            snprintf(cur, sizeof cur, "%s", img);
            n = 0;
        }
        if (n == cap) continue;
        syms[n++] = (sp_layout_symbol){.x = x, .y = y, .w = w, .h = h,
                                       .latex = (cls >= 0 && cls < MAX_CLASSES) ? classes[cls] : NULL,
                                       .prob = 1.0f};
    }
    flush_formula(cur, syms, n, t);
    fclose(f);
    free(syms);
    sp_tree_free(t);
    return 0;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int run_images(const char *gold, const char *dir, long limit, const char *model) {
    FILE *f = fopen(gold, "r");
    if (!f) {
        fprintf(stderr, "scipix-eval: cannot open %s\n", gold);
        return 1;
    }
    scipix_config cfg;
    scipix_config_init(&cfg);
    cfg.model_path = model;
    scipix_engine *eng = NULL;
    scipix_error err;
    if (scipix_engine_new(&cfg, &eng, &err) != SCIPIX_OK) {
        fprintf(stderr, "scipix-eval: %s\n", err.message);
        fclose(f);
        return 1;
    }
    char *line = NULL;
    size_t lcap = 0;
    long count = 0;
    while (getline(&line, &lcap, f) > 0 && (limit <= 0 || count < limit)) {
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, line);
        FILE *im = fopen(path, "rb");
        if (!im) {
            printf("%s\t\t0\t0\n", line);
            continue;
        }
        fseek(im, 0, SEEK_END);
        long sz = ftell(im);
        fseek(im, 0, SEEK_SET);
        unsigned char *buf = malloc(sz > 0 ? (size_t)sz : 1);
        size_t got = buf ? fread(buf, 1, (size_t)(sz > 0 ? sz : 0), im) : 0;
        fclose(im);
        double t0 = now_ms();
        scipix_result *res = NULL;
        int rc = buf ? scipix_recognize(eng, buf, got, &res, &err) : SCIPIX_ENOMEM;
        double ms = now_ms() - t0;
        printf("%s\t%s\t%.4f\t%.2f\n", line, rc == SCIPIX_OK ? scipix_result_latex(res) : "",
               rc == SCIPIX_OK ? scipix_result_confidence(res) : 0.0f, ms);
        scipix_result_free(res);
        free(buf);
        count++;
    }
    free(line);
    fclose(f);
    scipix_engine_free(eng);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && !strcmp(argv[1], "labels")) {
        const char *inv = "tools/gen/inventory.tsv";
        for (int i = 3; i < argc; i++) {
            if (!strcmp(argv[i], "--lines") && i + 1 < argc) {
                layout_flags = !strcmp(argv[++i], "array") ? 0 : SP_LAYOUT_JOIN_LINES;
            } else inv = argv[i];
        }
        return run_labels(argv[2], inv);
    }
    if (argc >= 4 && !strcmp(argv[1], "images")) {
        long limit = 0;
        const char *model = NULL;
        for (int i = 4; i + 1 < argc; i += 2) {
            if (!strcmp(argv[i], "--limit")) limit = atol(argv[i + 1]);
            else if (!strcmp(argv[i], "--model")) model = argv[i + 1];
        }
        return run_images(argv[2], argv[3], limit, model);
    }
    fprintf(stderr, "usage: scipix-eval labels DIR [INVENTORY] [--lines join|array]\n"
                    "       scipix-eval images GOLD.tsv IMAGEDIR [--limit N] [--model PATH]\n");
    return 2;
}
