/* test_classify_glyph.c — properties of glyph normalization: the longer
 * side fills the box, the glyph is centred, ink is contrast-stretched,
 * stride and gray level do not matter, resampling keeps the ink mass, the
 * size features are the log ratios, and bad glyphs are refused. */
#include "classify/glyph.h"
#include "engine/status.h"

#include <check.h>
#include "sp_test.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ink bounding box of a normalized input (pixels > thr) */
static void ink_box(const sp_glyph_input *in, int thr, int *x0, int *y0, int *x1, int *y1) {
    *x0 = *y0 = SP_GLYPH_SIZE;
    *x1 = *y1 = -1;
    for (int y = 0; y < SP_GLYPH_SIZE; y++)
        for (int x = 0; x < SP_GLYPH_SIZE; x++)
            if (in->pixels[y * SP_GLYPH_SIZE + x] > thr) {
                if (x < *x0) *x0 = x;
                if (x > *x1) *x1 = x;
                if (y < *y0) *y0 = y;
                if (y > *y1) *y1 = y;
            }
}

/* a solid w x h rectangle of gray level `ink` (0 = black) in a buffer with stride */
static uint8_t *rect(int w, int h, int stride, uint8_t ink) {
    uint8_t *p = malloc((size_t)stride * h);
    memset(p, 200, (size_t)stride * h); /* garbage beyond the width */
    for (int y = 0; y < h; y++) memset(p + (size_t)y * stride, ink, (size_t)w);
    return p;
}

START_TEST(tall_bar_fills_height_and_is_centred) {
    uint8_t *p = rect(10, 70, 10, 0);
    sp_glyph g = {p, 10, 70, 10, 35.0f};
    sp_glyph_input in;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, NULL), SCIPIX_OK);
    int x0, y0, x1, y1;
    ink_box(&in, 0, &x0, &y0, &x1, &y1);
    ck_assert_int_eq(y1 - y0 + 1, SP_GLYPH_BOX);
    ck_assert_int_eq(x1 - x0 + 1, 4); /* 10 * 28 / 70 */
    ck_assert_int_le(abs((x0 + x1) - (SP_GLYPH_SIZE - 1)), 1);
    ck_assert_int_le(abs((y0 + y1) - (SP_GLYPH_SIZE - 1)), 1);
    ck_assert_int_eq(in.pixels[16 * SP_GLYPH_SIZE + 16], 255);
    ck_assert_float_eq_tol(in.features[0], logf(2.0f), 1e-5f);
    ck_assert_float_eq_tol(in.features[1], logf(10.0f / 35.0f), 1e-5f);
    ck_assert_float_eq_tol(in.features[2], logf(10.0f / 70.0f), 1e-5f);
    free(p);
}
END_TEST

START_TEST(small_glyph_is_magnified) {
    uint8_t *p = rect(3, 2, 3, 0);
    sp_glyph g = {p, 3, 2, 3, 30.0f};
    sp_glyph_input in;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, NULL), SCIPIX_OK);
    int x0, y0, x1, y1;
    ink_box(&in, 0, &x0, &y0, &x1, &y1);
    ck_assert_int_eq(x1 - x0 + 1, SP_GLYPH_BOX);
    ck_assert_int_eq(y1 - y0 + 1, 19); /* 2 * 28 / 3 rounded */
    ck_assert_float_lt(in.features[0], -2.0f);
    free(p);
}
END_TEST

START_TEST(stride_and_gray_level_do_not_matter) {
    /* an "L" shape, black in a tight buffer vs mid-gray in a wide one */
    int w = 13, h = 21;
    uint8_t *a = malloc((size_t)w * h), *b = malloc((size_t)40 * h);
    memset(b, 7, (size_t)40 * h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int ink = x < 3 || y >= h - 3;
            a[y * w + x] = ink ? 0 : 255;
            b[y * 40 + x] = ink ? 100 : 255;
        }
    sp_glyph ga = {a, w, h, w, 20.0f}, gb = {b, w, h, 40, 20.0f};
    sp_glyph_input ia, ib;
    ck_assert_int_eq(sp_glyph_normalize(&ga, &ia, NULL), SCIPIX_OK);
    ck_assert_int_eq(sp_glyph_normalize(&gb, &ib, NULL), SCIPIX_OK);
    for (int i = 0; i < SP_GLYPH_PIXELS; i++) ck_assert_int_le(abs(ia.pixels[i] - ib.pixels[i]), 1);
    ck_assert_mem_eq(ia.features, ib.features, sizeof ia.features);
    free(a);
    free(b);
}
END_TEST

START_TEST(blank_glyph_is_empty) {
    uint8_t *p = rect(5, 5, 5, 255);
    sp_glyph g = {p, 5, 5, 5, 10.0f};
    sp_glyph_input in;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, NULL), SCIPIX_OK);
    for (int i = 0; i < SP_GLYPH_PIXELS; i++) ck_assert_int_eq(in.pixels[i], 0);
    free(p);
}
END_TEST

START_TEST(features_are_clamped) {
    uint8_t *p = rect(1, 1, 1, 0);
    sp_glyph g = {p, 1, 1, 1, 1e6f};
    sp_glyph_input in;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, NULL), SCIPIX_OK);
    ck_assert_float_eq(in.features[0], -SP_GLYPH_FEATURE_CLAMP);
    free(p);
}
END_TEST

START_TEST(resample_keeps_ink_mass) {
    int w = 37, h = 23;
    uint8_t *src = malloc((size_t)w * h);
    uint64_t s = 5;
    double mass = 0;
    for (int i = 0; i < w * h; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        src[i] = (uint8_t)(s >> 56);
        mass += 255 - src[i];
    }
    const int sizes[][2] = {{37, 23}, {10, 7}, {74, 46}, {5, 50}};
    for (int t = 0; t < 4; t++) {
        int dw = sizes[t][0], dh = sizes[t][1];
        uint8_t *dst = malloc((size_t)dw * dh);
        ck_assert_int_eq(sp_glyph_resample(src, w, h, w, dst, dw, dh, NULL), SCIPIX_OK);
        double m2 = 0;
        for (int i = 0; i < dw * dh; i++) m2 += 255 - dst[i];
        m2 *= (double)(w * h) / (dw * dh);
        ck_assert_double_eq_tol(m2, mass, mass * 0.01);
        if (t == 0) ck_assert_mem_eq(dst, src, (size_t)w * h); /* identity */
        free(dst);
    }
    free(src);
}
END_TEST

START_TEST(bad_glyphs_are_refused) {
    uint8_t px[4] = {0, 0, 0, 0};
    sp_glyph_input in;
    scipix_error err;
    sp_glyph g = {px, 2, 2, 2, 10.0f};
    g.pixels = NULL;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, &err), SCIPIX_EINVAL);
    g.pixels = px;
    g.width = 0;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, &err), SCIPIX_EINVAL);
    g.width = 2;
    g.stride = 1;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, &err), SCIPIX_EINVAL);
    g.stride = 2;
    g.ref_height = 0.0f;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, &err), SCIPIX_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "reference height"));
    g.ref_height = NAN;
    ck_assert_int_eq(sp_glyph_normalize(&g, &in, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_glyph_normalize(NULL, &in, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_glyph_resample(px, 2, 2, 2, NULL, 1, 1, &err), SCIPIX_EINVAL);
}
END_TEST

int main(void) {
    Suite *s = suite_create("classify_glyph");
    TCase *tc = tcase_create("normalize");
    tcase_add_test(tc, tall_bar_fills_height_and_is_centred);
    tcase_add_test(tc, small_glyph_is_magnified);
    tcase_add_test(tc, stride_and_gray_level_do_not_matter);
    tcase_add_test(tc, blank_glyph_is_empty);
    tcase_add_test(tc, features_are_clamped);
    tcase_add_test(tc, resample_keeps_ink_mass);
    tcase_add_test(tc, bad_glyphs_are_refused);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
