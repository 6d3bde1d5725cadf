/*
 * bench_classify.c — symbol classification throughput on ONE thread:
 * int8 and fp32, AVX2 and portable kernels, side by side in one run.
 *
 *   bench_classify [MODEL] [SECONDS_PER_CASE]
 *
 * The glyphs are real: the model's reference inputs (glyphs from the
 * training data, stored by train.py) turned back into gray crops, so the
 * figures include size normalization exactly as the engine pays it.  Each
 * case classifies batches of 256 glyphs for about SECONDS_PER_CASE (default
 * 1 s) and reports symbols/s for the whole path (sp_classify_batch) and
 * for the network alone (sp_classify_inputs on normalized inputs).
 */
#include "classify/model.h"
#include "engine/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_BATCH 256

static double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Symbols per second of `model` over the benchmark batch for `seconds`:
 * mode 0 the full path (normalization and top classes), 1 the network
 * alone on normalized inputs.  -1 on an error (printed). */
static double bench_rate(const sp_model *model, const sp_glyph *glyphs, const sp_glyph_input *inputs,
                         sp_precision prec, const sp_kernel_ops *ops, int mode, double seconds,
                         sp_class_scores *scores, float *logits) {
    scipix_error err;
    long n = 0;
    double start = bench_now(), now;
    do {
        int rc = mode == 0 ? sp_classify_batch_ops(model, glyphs, BENCH_BATCH, prec, ops, scores, &err)
                           : sp_classify_inputs(model, inputs, BENCH_BATCH, prec, ops, logits, &err);
        if (rc != SCIPIX_OK) {
            fprintf(stderr, "bench_classify: %s\n", err.message);
            return -1.0;
        }
        n += BENCH_BATCH;
        now = bench_now();
    } while (now - start < seconds);
    return (double)n / (now - start);
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "models/symbols.spxm";
    double seconds = argc > 2 ? atof(argv[2]) : 1.0;
    scipix_error err;
    sp_error_clear(&err);
    sp_model *m;
    if (sp_model_open(path, &m, &err) != SCIPIX_OK) {
        fprintf(stderr, "bench_classify: %s\n", err.message);
        return 1;
    }
    if (m->n_ref < 1) {
        fprintf(stderr, "bench_classify: model has no reference glyphs\n");
        sp_model_close(m);
        return 1;
    }
    /* crops: each reference input inverted back to gray (0 = ink), trimmed
     * to its ink box so normalization rescales it */
    static uint8_t crops[BENCH_BATCH][SP_GLYPH_PIXELS];
    sp_glyph glyphs[BENCH_BATCH];
    sp_glyph_input inputs[BENCH_BATCH];
    for (int i = 0; i < BENCH_BATCH; i++) {
        const uint8_t *px = m->ref_pixels + (size_t)(i % m->n_ref) * SP_GLYPH_PIXELS;
        int x0 = SP_GLYPH_SIZE, y0 = SP_GLYPH_SIZE, x1 = -1, y1 = -1;
        for (int y = 0; y < SP_GLYPH_SIZE; y++)
            for (int x = 0; x < SP_GLYPH_SIZE; x++)
                if (px[y * SP_GLYPH_SIZE + x] > 32) {
                    if (x < x0) x0 = x;
                    if (x > x1) x1 = x;
                    if (y < y0) y0 = y;
                    if (y > y1) y1 = y;
                }
        if (x1 < 0) x0 = y0 = 0, x1 = y1 = SP_GLYPH_SIZE - 1;
        for (int p = 0; p < SP_GLYPH_PIXELS; p++) crops[i][p] = (uint8_t)(255 - px[p]);
        glyphs[i] = (sp_glyph){crops[i] + y0 * SP_GLYPH_SIZE + x0, x1 - x0 + 1, y1 - y0 + 1, SP_GLYPH_SIZE, 20.0f};
        if (sp_glyph_normalize(&glyphs[i], &inputs[i], &err) != SCIPIX_OK) {
            fprintf(stderr, "bench_classify: %s\n", err.message);
            return 1;
        }
    }
    static sp_class_scores scores[BENCH_BATCH];
    float *logits = malloc((size_t)BENCH_BATCH * (size_t)m->n_classes * sizeof *logits);
    if (!logits) return 1;

    printf("bench_classify: %s, %d classes, %ld multiply-adds/symbol, 1 thread, batch %d\n", path,
           m->n_classes, sp_model_macs(m), BENCH_BATCH);
    double t0 = bench_now();
    long norm_n = 0;
    while (bench_now() - t0 < seconds * 0.5)
        for (int i = 0; i < BENCH_BATCH; i++, norm_n++) sp_glyph_normalize(&glyphs[i], &inputs[i], NULL);
    printf("  normalization alone: %10.0f symbols/s\n", (double)norm_n / (bench_now() - t0));
    printf("  %-9s %-6s %16s %16s\n", "kernels", "prec", "full symbols/s", "network sym/s");
    const sp_kernel_ops *kernels[2] = {sp_kernel_avx2(), sp_kernel_portable()};
    for (int k = 0; k < 2; k++) {
        if (!kernels[k]) {
            printf("  %-9s (not available on this CPU)\n", "avx2");
            continue;
        }
        for (int p = 1; p >= 0; p--) {
            sp_precision prec = p ? SP_PRECISION_INT8 : SP_PRECISION_FP32;
            double full = bench_rate(m, glyphs, inputs, prec, kernels[k], 0, seconds, scores, logits);
            double net = bench_rate(m, glyphs, inputs, prec, kernels[k], 1, seconds, scores, logits);
            if (full < 0 || net < 0) return 1;
            printf("  %-9s %-6s %16.0f %16.0f\n", kernels[k]->name, p ? "int8" : "fp32", full, net);
        }
    }
    if (sp_model_has_low(m)) { /* the same architecture, timed so that the figure is not taken on trust */
        const sp_model *low = sp_model_for_scale(m, 1e-3f);
        double full = bench_rate(low, glyphs, inputs, SP_PRECISION_INT8, NULL, 0, seconds, scores, logits);
        if (full < 0) return 1;
        printf("  low-resolution network, int8, best kernels: %.0f full symbols/s\n", full);
    }
    free(logits);
    sp_model_close(m);
    return 0;
}
