/* test_classify_glyphs.c — the committed model names real glyphs.
 *
 * tests/fixtures/classify_symbols.png is one line of symbols typeset by
 * LaTeX (Computer Modern, 12pt, dvipng at 150 dpi):
 *   $x \quad 2 \quad + \quad = \quad \alpha \quad \beta \quad y \quad 7
 *    \quad \in \quad k \quad \leq \quad \infty$
 * The test cuts it into symbols at blank columns, boxes each one tightly,
 * takes the median height as reference (as the engine does) and checks
 * that both precisions name every symbol. */
#include "classify/cache.h"
#include "classify/model.h"
#include "engine/status.h"

#include <check.h>
#include "sp_test.h"
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

static const char *expected[] = {"x", "2", "+", "=", "\\alpha", "\\beta", "y", "7", "\\in", "k", "\\leq", "\\infty"};
#define N_EXPECTED (int)(sizeof expected / sizeof expected[0])

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

START_TEST(names_typeset_symbols) {
    const char *src = getenv("SCIPIX_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/classify_symbols.png", src ? src : ".");
    PIX *pix = pixRead(path);
    ck_assert_msg(pix != NULL, "cannot read %s", path);
    PIX *gray = pixConvertTo8(pix, 0);
    pixDestroy(&pix);
    int w = (int)pixGetWidth(gray), h = (int)pixGetHeight(gray), wpl = pixGetWpl(gray);
    uint8_t *img = malloc((size_t)w * h);
    l_uint32 *data = pixGetData(gray);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) img[y * w + x] = (uint8_t)GET_DATA_BYTE(data + y * wpl, x);
    pixDestroy(&gray);

    sp_glyph glyphs[32];
    int heights[32], n = 0;
    for (int x = 0; x < w;) {
        int ink = 0;
        for (int y = 0; y < h; y++) ink |= img[y * w + x] < 160;
        if (!ink) {
            x++;
            continue;
        }
        int x0 = x, y0 = h, y1 = -1;
        for (; x < w; x++) {
            int col = 0;
            for (int y = 0; y < h; y++)
                if (img[y * w + x] < 160) {
                    col = 1;
                    if (y < y0) y0 = y;
                    if (y > y1) y1 = y;
                }
            if (!col) break;
        }
        ck_assert_int_lt(n, 32);
        glyphs[n] = (sp_glyph){img + y0 * w + x0, x - x0, y1 - y0 + 1, w, 0.0f};
        heights[n] = y1 - y0 + 1;
        n++;
    }
    ck_assert_int_eq(n, N_EXPECTED);
    qsort(heights, (size_t)n, sizeof heights[0], cmp_int);
    float ref = n % 2 ? (float)heights[n / 2] : 0.5f * (float)(heights[n / 2 - 1] + heights[n / 2]);
    for (int i = 0; i < n; i++) glyphs[i].ref_height = ref;

    snprintf(path, sizeof path, "%s/models/symbols.spxm", src ? src : ".");
    scipix_error err;
    sp_model *m;
    ck_assert_msg(sp_model_open(path, &m, &err) == SCIPIX_OK, "%s", err.message);
    sp_class_scores scores[32];
    for (int p = 0; p < 2; p++) {
        sp_precision prec = p ? SP_PRECISION_INT8 : SP_PRECISION_FP32;
        ck_assert_int_eq(sp_classify_batch(m, glyphs, (size_t)n, prec, scores, &err), SCIPIX_OK);
        for (int i = 0; i < n; i++) {
            int want = sp_model_find_class(m, expected[i]);
            ck_assert_int_ge(want, 0);
            const sp_symbol_class *got = sp_model_class(m, scores[i].class_id[0]);
            ck_assert_msg(scores[i].class_id[0] == want, "%s: symbol %d is %s, classified %s (p=%.3f)",
                          p ? "int8" : "fp32", i, expected[i], got->latex, (double)scores[i].prob[0]);
            ck_assert_float_gt(scores[i].prob[0], 0.3f);
            ck_assert_float_le(scores[i].prob[0], 1.0f);
            for (int t = 1; t < SP_CLASSIFY_TOPK; t++) ck_assert_float_le(scores[i].prob[t], scores[i].prob[t - 1]);
        }
    }
    /* through a cache: the same answers, repeated inputs answered from it,
     * no more than its capacity held; the reference height is part of the
     * key (it changes the shape features) */
    sp_class_scores cached[32];
    sp_class_cache *cache = sp_class_cache_new(8);
    ck_assert_ptr_nonnull(cache);
    size_t hits, misses, entries;
    for (int round = 0; round < 2; round++) {
        memset(cached, 0, sizeof cached);
        ck_assert_int_eq(sp_classify_batch_cached(m, glyphs, (size_t)n, SP_PRECISION_INT8, cache, cached, &err),
                         SCIPIX_OK);
        ck_assert_mem_eq(cached, scores, (size_t)n * sizeof scores[0]);
        sp_class_cache_stats(cache, &hits, &misses, &entries);
        ck_assert_uint_eq(entries, 8);
        ck_assert_uint_eq(hits, round ? 8u : 0u);
        ck_assert_uint_eq(misses, round ? (size_t)n + (size_t)n - 8 : (size_t)n);
    }
    sp_glyph taller = glyphs[0];
    taller.ref_height = ref * 2.0f;
    ck_assert_int_eq(sp_classify_batch_cached(m, &taller, 1, SP_PRECISION_INT8, cache, cached, &err), SCIPIX_OK);
    sp_class_cache_stats(cache, &hits, &misses, &entries);
    ck_assert_uint_eq(hits, 8);
    size_t hidden_hits;
    sp_class_cache_hidden_stats(cache, &hidden_hits, NULL);
    ck_assert_uint_eq(hidden_hits, 1); /* its pixels were seen, at another reference */
    /* every glyph at another reference height: the first 8 (the memo's
     * capacity) take fc1's output from the pixel memo, and all answers are
     * those of the network run afresh */
    sp_glyph other[32];
    sp_class_scores fresh[32];
    for (int i = 0; i < n; i++) other[i] = glyphs[i], other[i].ref_height = ref * 1.3f;
    ck_assert_int_eq(sp_classify_batch(m, other, (size_t)n, SP_PRECISION_INT8, fresh, &err), SCIPIX_OK);
    ck_assert_int_eq(sp_classify_batch_cached(m, other, (size_t)n, SP_PRECISION_INT8, cache, cached, &err), SCIPIX_OK);
    ck_assert_mem_eq(cached, fresh, (size_t)n * sizeof fresh[0]);
    sp_class_cache_hidden_stats(cache, &hidden_hits, &entries);
    ck_assert_uint_eq(hidden_hits, 9);
    ck_assert_uint_eq(entries, 8);
    sp_class_cache_free(cache);
    /* an invalid glyph in a batch is reported with its index */
    glyphs[3].ref_height = -1.0f;
    ck_assert_int_eq(sp_classify_batch(m, glyphs, (size_t)n, SP_PRECISION_INT8, scores, &err), SCIPIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "glyph 3"));
    sp_model_close(m);
    free(img);
}
END_TEST

int main(void) {
    setMsgSeverity(L_SEVERITY_NONE);
    Suite *s = suite_create("classify_glyphs");
    TCase *tc = tcase_create("real");
    tcase_add_test(tc, names_typeset_symbols);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
