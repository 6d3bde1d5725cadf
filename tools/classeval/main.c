/*
 * scipix-classeval — the symbol classifier's figures: top-1 accuracy of a
 * model on labelled dataset directories, fp32 and int8, broken down by
 * font and dpi band, and the most confused class pairs.
 *
 *   scipix-classeval [--model PATH] [--confusions N] [--kernel best|portable|avx2]
 *                    [--identical TSV] [--dump TSV] DATASET_DIR...
 *
 * It goes through the same path the engine does: crop each label box from
 * the gray image (Leptonica), reference height = median height of the
 * image's letter and digit labels, sp_classify_batch, then the context
 * stage (sp_classify_context) over the image's boxes.  Each directory is
 * reported on its own, with the network's figure without the context stage
 * beside.  --dump writes one line per symbol (dataset, image, box, font,
 * dpi, true class, fp32 prediction in context and its probability, then the
 * network's own top-5 classes and probabilities) for the analyses the
 * summary cannot make (accuracy by glyph size, say).
 */
#include "common/dataset.h"
#include "classify/model.h"
#include "engine/status.h"

#include <leptonica/allheaders.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SP_EVAL_BANDS 4

typedef struct {
    long n, ok[2];
    long ok_merged; /* fp32, counting glyphs drawn identically in the font as one */
    long ok_alone;  /* fp32, the network alone (before the context stage) */
} sp_eval_count;

/* Classes drawn pixel-identically within one font (tools/gen/identical.tsv,
 * written by fontprobe.py): class `a` has the glyph of class `b` there. */
#define SP_EVAL_MAX_IDENTICAL 512
typedef struct {
    char font[64];
    int a, b;
} sp_eval_identical;

typedef struct {
    const sp_model *model;
    const sp_kernel_ops *ops;
    sp_dataset_fonts fonts;
    sp_eval_count total, by_font[SP_DATASET_MAX_FONTS], by_band[SP_EVAL_BANDS];
    long *confusion[2]; /* [true * n_classes + predicted], fp32 and int8 */
    double seconds;
    long images, images_low; /* images read (fp32 pass), and of those with the low-resolution network */
    const sp_eval_identical *identical;
    int n_identical;
    const sp_dataset_letters *letters; /* the model's letter classes: the reference height */
    FILE *dump;                        /* --dump: one line per symbol, or NULL */
    const char *dir;                   /* the dataset being evaluated (for the dump) */
} sp_eval_state;

/* The class whose glyph `c` shares in font `font_id` (c itself if none). */
static int sp_eval_canonical(const sp_eval_state *st, int font_id, int c) {
    for (int i = 0; i < st->n_identical; i++)
        if (st->identical[i].a == c && strcmp(st->identical[i].font, st->fonts.names[font_id]) == 0)
            return st->identical[i].b;
    return c;
}

/* Reads identical.tsv (font, latex, same_as); classes the model lacks are
 * skipped.  A missing file is no error: the merged figure then equals the
 * strict one. */
static int sp_eval_load_identical(const char *path, const sp_model *model, sp_eval_identical *out) {
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, fp) && n < SP_EVAL_MAX_IDENTICAL) {
        line[strcspn(line, "\r\n")] = '\0';
        char *font = line, *a = strchr(font, '\t'), *b = a ? strchr(a + 1, '\t') : NULL;
        if (!a || !b) continue;
        *a++ = '\0';
        *b++ = '\0';
        int ia = sp_model_find_class(model, a), ib = sp_model_find_class(model, b);
        if (ia < 0 || ib < 0) continue; /* the header line, or classes not in this model */
        snprintf(out[n].font, sizeof out[n].font, "%.63s", font);
        out[n].a = ia;
        out[n].b = ib;
        n++;
    }
    fclose(fp);
    return n;
}

static const char *sp_eval_band_name[SP_EVAL_BANDS] = {"< 100 dpi", "100-149 dpi", "150-249 dpi", ">= 250 dpi"};

static int sp_eval_band(int dpi) { return dpi < 100 ? 0 : dpi < 150 ? 1 : dpi < 250 ? 2 : 3; }

/* The three tallies a symbol counts in: all, its font's, its dpi band's. */
static void sp_eval_tallies(sp_eval_state *st, const sp_dataset_label *lb, sp_eval_count *t[3]) {
    t[0] = &st->total;
    t[1] = &st->by_font[lb->font];
    t[2] = &st->by_band[sp_eval_band(lb->dpi)];
}

static double sp_eval_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One network's reading and the context stage over it. */
static int sp_eval_read_with(sp_eval_state *st, const sp_model *net, const sp_glyph *glyphs,
                             const sp_glyph_place *places, int n, sp_precision prec, sp_class_scores *scores,
                             sp_class_scores *alone, float *scale, scipix_error *err) {
    int rc = sp_classify_batch_ops(net, glyphs, (size_t)n, prec, st->ops, scores, err);
    if (rc) return rc;
    if (alone) memcpy(alone, scores, (size_t)n * sizeof *scores);
    return sp_classify_context(net, places, (size_t)n, scores, scale, err);
}

/* Reads one image's glyphs the way the engine does: the model's network,
 * the context stage, and when the model has a low-resolution network and
 * the context stage's scale calls for it, both again with that network.
 * alone (if not NULL) receives the network's reading before the context
 * stage; *low whether the low-resolution network read it. */
static int sp_eval_read(sp_eval_state *st, const sp_glyph *glyphs, const sp_glyph_place *places, int n,
                        sp_precision prec, sp_class_scores *scores, sp_class_scores *alone, int *low,
                        scipix_error *err) {
    float scale = 0.0f;
    int rc = sp_eval_read_with(st, st->model, glyphs, places, n, prec, scores, alone, &scale, err);
    const sp_model *routed = sp_model_for_scale(st->model, scale);
    *low = rc == SCIPIX_OK && routed != st->model;
    if (!*low) return rc;
    return sp_eval_read_with(st, routed, glyphs, places, n, prec, scores, alone, NULL, err);
}

/* Classifies every label of one image (an sp_dataset_each_image callback). */
static int sp_eval_image(void *ctx, const sp_dataset_image *img, const sp_dataset_label *labels, int n,
                         scipix_error *err) {
    sp_eval_state *st = ctx;
    sp_glyph *glyphs = malloc((size_t)n * sizeof *glyphs);
    sp_class_scores *scores = malloc((size_t)n * sizeof *scores);
    sp_class_scores *alone = malloc((size_t)n * sizeof *alone);
    sp_glyph_place *places = malloc((size_t)n * sizeof *places);
    int rc = glyphs && scores && alone && places ? SCIPIX_OK : sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
    for (int i = 0; i < n && rc == SCIPIX_OK; i++) {
        const sp_dataset_label *lb = &labels[i];
        if (lb->class_id < 0 || lb->class_id >= sp_model_class_count(st->model))
            rc = sp_error_set(err, SCIPIX_EINVAL, "%s: class %d is not in the model", img->path, lb->class_id);
        glyphs[i] = (sp_glyph){img->pixels + (size_t)lb->y * img->width + lb->x, lb->w, lb->h, img->width,
                               (float)img->ref_height};
        places[i] = (sp_glyph_place){lb->x, lb->y, lb->w, lb->h};
    }
    for (int p = 0; p < 2 && rc == SCIPIX_OK; p++) {
        double t0 = sp_eval_now();
        int low = 0;
        rc = sp_eval_read(st, glyphs, places, n, p ? SP_PRECISION_INT8 : SP_PRECISION_FP32, scores,
                          p ? NULL : alone, &low, err);
        st->seconds += sp_eval_now() - t0;
        if (p == 0) st->images++, st->images_low += low;
        for (int i = 0; i < n && rc == SCIPIX_OK; i++) {
            int truth = labels[i].class_id, pred = scores[i].class_id[0], ok = pred == truth;
            sp_eval_count *tally[3];
            sp_eval_tallies(st, &labels[i], tally);
            for (int k = 0; k < 3; k++) tally[k]->ok[p] += ok;
            if (p == 0) { /* the network alone and look-alikes merged: fp32 only */
                int ok_alone = alone[i].class_id[0] == truth;
                int same = sp_eval_canonical(st, labels[i].font, truth) == sp_eval_canonical(st, labels[i].font, pred);
                for (int k = 0; k < 3; k++) tally[k]->ok_alone += ok_alone, tally[k]->ok_merged += same;
            }
            if (p == 0 && st->dump) {
                fprintf(st->dump, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%d\t%s\t%s\t%.4f", st->dir, img->path, labels[i].x,
                        labels[i].y, labels[i].w, labels[i].h, st->fonts.names[labels[i].font], labels[i].dpi,
                        sp_model_class(st->model, truth)->latex, sp_model_class(st->model, pred)->latex,
                        (double)scores[i].prob[0]);
                for (int k = 0; k < SP_CLASSIFY_TOPK; k++)
                    fprintf(st->dump, "\t%s\t%.4f", sp_model_class(st->model, alone[i].class_id[k])->latex,
                            (double)alone[i].prob[k]);
                fputc('\n', st->dump);
            }
            st->confusion[p][(size_t)truth * (size_t)sp_model_class_count(st->model) + (size_t)pred]++;
        }
    }
    if (rc == SCIPIX_OK)
        for (int i = 0; i < n; i++) {
            sp_eval_count *tally[3];
            sp_eval_tallies(st, &labels[i], tally);
            for (int k = 0; k < 3; k++) tally[k]->n++;
        }
    free(glyphs);
    free(scores);
    free(alone);
    free(places);
    return rc;
}

static int sp_eval_dataset(sp_eval_state *st, const char *dir, scipix_error *err) {
    st->dir = dir;
    return sp_dataset_each_image(dir, &st->fonts, st->letters, 0, sp_eval_image, st, NULL, err);
}

static void sp_eval_line(const char *name, const sp_eval_count *c) {
    if (!c->n) return;
    double f = 100.0 * (double)c->ok[0] / (double)c->n, q = 100.0 * (double)c->ok[1] / (double)c->n;
    double m = 100.0 * (double)c->ok_merged / (double)c->n, a = 100.0 * (double)c->ok_alone / (double)c->n;
    printf("  %-14s %8ld   %7.3f%%  %7.3f%%  %+6.3f   %7.3f%%   %7.3f%%\n", name, c->n, f, q, q - f, m, a);
}

typedef struct {
    long count;
    int truth, pred;
} sp_eval_pair;

static int sp_eval_cmp_pair(const void *a, const void *b) {
    const sp_eval_pair *x = a, *y = b;
    return (y->count > x->count) - (y->count < x->count);
}

static void sp_eval_report(sp_eval_state *st, const char *dir, int n_conf) {
    printf("%s  (kernel %s, %.0f symbols/s incl. normalization)\n", dir, st->ops->name,
           st->seconds > 0 ? 2.0 * (double)st->total.n / st->seconds : 0.0);
    printf("  %-14s %8s   %8s  %8s  %6s   %8s   %8s\n", "", "symbols", "fp32", "int8", "diff", "fp32-id",
           "alone");
    printf("  (fp32, int8: the classifier with its context stage%s; fp32-id: fp32 with classes drawn\n"
           "   pixel-identically in the image's font counted as one, %d such pairs from the identical-glyph\n"
           "   table; alone: fp32, the network without the context stage)\n",
           sp_model_has_context(st->model) ? "" : " (this model has none)", st->n_identical);
    if (sp_model_has_low(st->model))
        printf("  (the low-resolution network read %ld of %ld images, those under %.3g pixels per point)\n",
               st->images_low, st->images, (double)st->model->low_below_scale);
    sp_eval_line("all", &st->total);
    for (int f = 0; f < st->fonts.n; f++) sp_eval_line(st->fonts.names[f], &st->by_font[f]);
    for (int b = 0; b < SP_EVAL_BANDS; b++) sp_eval_line(sp_eval_band_name[b], &st->by_band[b]);
    int nc = sp_model_class_count(st->model);
    size_t cells = (size_t)nc * (size_t)nc, n_pairs = 0;
    sp_eval_pair *pairs = malloc(cells * sizeof *pairs);
    if (!pairs) return;
    for (size_t i = 0; i < cells; i++)
        if (st->confusion[0][i] && i / (size_t)nc != i % (size_t)nc)
            pairs[n_pairs++] = (sp_eval_pair){st->confusion[0][i], (int)(i / (size_t)nc), (int)(i % (size_t)nc)};
    qsort(pairs, n_pairs, sizeof *pairs, sp_eval_cmp_pair);
    if (n_pairs) printf("  most confused (fp32): true -> predicted, count, share of the true class\n");
    for (size_t i = 0; i < n_pairs && (int)i < n_conf; i++) {
        long class_total = 0;
        for (int c = 0; c < nc; c++) class_total += st->confusion[0][(size_t)pairs[i].truth * (size_t)nc + (size_t)c];
        printf("    %-22s -> %-22s %6ld  %5.1f%%\n", sp_model_class(st->model, pairs[i].truth)->latex,
               sp_model_class(st->model, pairs[i].pred)->latex, pairs[i].count,
               100.0 * (double)pairs[i].count / (double)class_total);
    }
    free(pairs);
}

int main(int argc, char **argv) {
    const char *model_path = "models/symbols.spxm";
    const char *kernel = "best";
    const char *identical_path = "tools/gen/identical.tsv";
    const char *dump_path = NULL;
    int n_conf = 15, i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) model_path = argv[++i];
        else if (strcmp(argv[i], "--confusions") == 0 && i + 1 < argc) n_conf = atoi(argv[++i]);
        else if (strcmp(argv[i], "--kernel") == 0 && i + 1 < argc) kernel = argv[++i];
        else if (strcmp(argv[i], "--identical") == 0 && i + 1 < argc) identical_path = argv[++i];
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) dump_path = argv[++i];
        else {
            fprintf(stderr, "scipix-classeval: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: scipix-classeval [--model PATH] [--confusions N] "
                        "[--kernel best|portable|avx2] [--identical TSV] [--dump TSV] DATASET_DIR...\n");
        return 2;
    }
    const sp_kernel_ops *ops = strcmp(kernel, "portable") == 0 ? sp_kernel_portable()
                               : strcmp(kernel, "avx2") == 0   ? sp_kernel_avx2()
                                                               : sp_kernel_best();
    if (!ops) {
        fprintf(stderr, "scipix-classeval: kernel '%s' is not available on this CPU\n", kernel);
        return 2;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    scipix_error err;
    sp_error_clear(&err);
    sp_model *model;
    if (sp_model_open(model_path, &model, &err) != SCIPIX_OK) {
        fprintf(stderr, "scipix-classeval: %s\n", err.message);
        return 1;
    }
    printf("model %s: %d classes, %ld multiply-adds per symbol\n", model_path, sp_model_class_count(model),
           sp_model_macs(model));
    sp_dataset_letters letters;
    if (sp_dataset_letters_from_model(model, &letters, &err) != SCIPIX_OK) {
        fprintf(stderr, "scipix-classeval: %s\n", err.message);
        sp_model_close(model);
        return 1;
    }
    FILE *dump = NULL;
    if (dump_path && !(dump = fopen(dump_path, "w"))) {
        fprintf(stderr, "scipix-classeval: cannot write %s: %s\n", dump_path, strerror(errno));
        sp_model_close(model);
        return 1;
    }
    static sp_eval_identical identical[SP_EVAL_MAX_IDENTICAL];
    int n_identical = sp_eval_load_identical(identical_path, model, identical);
    int status = 0;
    size_t cells = (size_t)sp_model_class_count(model) * (size_t)sp_model_class_count(model);
    for (; i < argc; i++) {
        sp_eval_state st;
        memset(&st, 0, sizeof st);
        st.model = model;
        st.ops = ops;
        st.identical = identical;
        st.n_identical = n_identical;
        st.letters = &letters;
        st.dump = dump;
        st.confusion[0] = calloc(cells, sizeof(long));
        st.confusion[1] = calloc(cells, sizeof(long));
        int rc = st.confusion[0] && st.confusion[1] ? sp_eval_dataset(&st, argv[i], &err)
                                                    : sp_error_set(&err, SCIPIX_ENOMEM, "out of memory");
        if (rc == SCIPIX_OK) {
            sp_eval_report(&st, argv[i], n_conf);
        } else {
            fprintf(stderr, "scipix-classeval: %s (%s)\n", err.message, scipix_status_name(rc));
            status = 1;
        }
        free(st.confusion[0]);
        free(st.confusion[1]);
    }
    if (dump && (ferror(dump) | (fclose(dump) != 0))) {
        fprintf(stderr, "scipix-classeval: writing %s failed\n", dump_path);
        status = 1;
    }
    sp_dataset_letters_free(&letters);
    sp_model_close(model);
    return status;
}
