/*
 * test_classify_context.c — the context stage (src/classify/context.c) on
 * small models whose tables are written here, so that each test knows what
 * the answer must be: the image's scale found from the glyphs read surely,
 * a size that picks between two look-alikes, a glyph between two others
 * read as the class that is found there, only near-misses moving up, the
 * probabilities' mass kept; the loader refusing malformed tables; and the
 * committed model carrying its tables.
 */
#include "test_classify_util.h"
#include "sp_test.h"

#include "engine/status.h"

static char tmpdir[512];
static char path[600];

static void setup(void) {
    tcu_tempdir(tmpdir, sizeof tmpdir);
    snprintf(path, sizeof path, "%s/m.spxm", tmpdir);
}

static void teardown(void) {
    unlink(path);
    rmdir(tmpdir);
}

#define BINS 64
#define BIN0 -1.3862944f /* ln 0.25 */
#define BIN_W 0.1f

enum { CLS_X = 0, CLS_ALPHA = 1, CLS_PLUS = 2 };

/* ln density of heights peaked at peak_pt (a narrow Gaussian in ln h), or
 * flat when peak_pt is 0. */
static void height_row(float *row, float peak_pt) {
    for (int b = 0; b < BINS; b++) {
        float centre = BIN0 + ((float)b + 0.5f) * BIN_W, z = (centre - logf(peak_pt)) / 0.08f;
        row[b] = peak_pt > 0 ? logf(expf(-0.5f * z * z) + 1e-3f) : 0.0f;
    }
}

/* Sensible ctx.params for these tables (the order of sp_context_params). */
static void default_params(float *p, float near) {
    const float d[SP_CONTEXT_PARAMS] = {BIN0, BIN_W, 0.5f, 0.5f, 6.0f, 0.9f, -1.0f, 3.0f, 0.01f, -6.9f, near};
    memcpy(p, d, sizeof d);
}

/* A model whose x is 4.3 pt tall, \alpha alpha_pt and + plus_pt (0: any),
 * \alpha found between two glyphs and + alone when `neighbours`. */
static sp_model *open_ctx_model(float alpha_pt, float plus_pt, int neighbours, float near) {
    static float height[3 * BINS], vnbr[12], params[SP_CONTEXT_PARAMS];
    height_row(height + CLS_X * BINS, 4.3f);
    height_row(height + CLS_ALPHA * BINS, alpha_pt);
    height_row(height + CLS_PLUS * BINS, plus_pt);
    for (int i = 0; i < 12; i++) vnbr[i] = logf(0.25f);
    if (neighbours) {
        static const float alpha_nb[4] = {0.01f, 0.02f, 0.02f, 0.95f}, plus_nb[4] = {0.95f, 0.02f, 0.02f, 0.01f};
        for (int k = 0; k < 4; k++) {
            vnbr[CLS_ALPHA * 4 + k] = logf(alpha_nb[k]);
            vnbr[CLS_PLUS * 4 + k] = logf(plus_nb[k]);
        }
    }
    default_params(params, near);
    tcu_context ctx = {params, SP_CONTEXT_PARAMS, height, BINS, vnbr, NULL, 0};
    size_t size;
    uint8_t *buf = tcu_build_model_ctx(&size, &ctx);
    tcu_write(path, buf, size);
    free(buf);
    scipix_error err;
    sp_model *m = NULL;
    ck_assert_msg(sp_model_open(path, &m, &err) == SCIPIX_OK, "%s", err.message);
    ck_assert(sp_model_has_context(m));
    return m;
}

static sp_class_scores two(int a, float pa, int b, float pb) {
    sp_class_scores s = {{a, b, -1, -1, -1}, {pa, pb, 0, 0, 0}};
    return s;
}

/* Five x's read surely, 13 px tall (4.3 pt at 3 px/pt), on one line. */
static size_t five_xs(sp_glyph_place *pl, sp_class_scores *sc) {
    for (int i = 0; i < 5; i++) {
        pl[i] = (sp_glyph_place){10 + 20 * i, 100, 10, 13};
        sc[i] = two(CLS_X, 0.97f, CLS_PLUS, 0.02f);
    }
    return 5;
}

START_TEST(size_picks_between_look_alikes) {
    sp_model *m = open_ctx_model(8.0f, 6.0f, 0, 0.1f);
    sp_glyph_place pl[8];
    sp_class_scores sc[8];
    for (int tall = 0; tall < 2; tall++) {
        size_t n = five_xs(pl, sc);
        /* the network leans to + either way */
        pl[n] = (sp_glyph_place){130, 95, 12, tall ? 24 : 18};
        sc[n++] = two(CLS_PLUS, 0.55f, CLS_ALPHA, 0.44f);
        float scale = 0;
        scipix_error err;
        ck_assert_int_eq(sp_classify_context(m, pl, n, sc, &scale, &err), SCIPIX_OK);
        ck_assert_msg(scale > 2.6f && scale < 3.4f, "scale %g px/pt, want about 3", (double)scale);
        /* 24 px = 8 pt: \alpha's height; 18 px = 6 pt: +'s */
        ck_assert_int_eq(sc[5].class_id[0], tall ? CLS_ALPHA : CLS_PLUS);
        ck_assert(sc[5].prob[0] >= sc[5].prob[1]);
        ck_assert_float_eq_tol(sc[5].prob[0] + sc[5].prob[1], 0.99f, 1e-5f);
        for (int i = 0; i < 5; i++) ck_assert_int_eq(sc[i].class_id[0], CLS_X);
    }
    sp_model_close(m);
}
END_TEST

START_TEST(glyph_between_two_reads_as_what_lies_there) {
    sp_model *m = open_ctx_model(0, 0, 1, 0.1f);
    sp_glyph_place pl[8];
    sp_class_scores sc[8];
    for (int stacked = 0; stacked < 2; stacked++) {
        size_t n = five_xs(pl, sc);
        /* a 30 x 2 bar at x 200; when stacked, an x 4 px above and one 4 px below */
        pl[n] = (sp_glyph_place){200, 120, 30, 2};
        sc[n++] = two(CLS_PLUS, 0.6f, CLS_ALPHA, 0.4f);
        if (stacked) {
            pl[n] = (sp_glyph_place){210, 103, 10, 13};
            sc[n++] = two(CLS_X, 0.97f, CLS_PLUS, 0.02f);
            pl[n] = (sp_glyph_place){210, 126, 10, 13};
            sc[n++] = two(CLS_X, 0.97f, CLS_PLUS, 0.02f);
        }
        scipix_error err;
        ck_assert_int_eq(sp_classify_context(m, pl, n, sc, NULL, &err), SCIPIX_OK);
        ck_assert_int_eq(sc[5].class_id[0], stacked ? CLS_ALPHA : CLS_PLUS);
    }
    sp_model_close(m);
}
END_TEST

/* A candidate the network all but ruled out stays below, however well its
 * size fits; with `near` 0 the same evidence moves it up. */
START_TEST(only_near_misses_move_up) {
    for (int any = 0; any < 2; any++) {
        sp_model *m = open_ctx_model(8.0f, 6.0f, 0, any ? 0.0f : 0.1f);
        sp_glyph_place pl[8];
        sp_class_scores sc[8];
        size_t n = five_xs(pl, sc);
        pl[n] = (sp_glyph_place){130, 95, 12, 24};
        sc[n++] = two(CLS_PLUS, 0.85f, CLS_ALPHA, 0.08f); /* 0.08 < 0.1 x 0.85 */
        scipix_error err;
        ck_assert_int_eq(sp_classify_context(m, pl, n, sc, NULL, &err), SCIPIX_OK);
        ck_assert_int_eq(sc[5].class_id[0], any ? CLS_ALPHA : CLS_PLUS);
        if (!any) ck_assert_float_eq_tol(sc[5].prob[1], 0.08f, 1e-6f); /* untouched */
        sp_model_close(m);
    }
}
END_TEST

START_TEST(no_tables_or_no_sure_glyph_changes_nothing) {
    size_t size;
    uint8_t *buf = tcu_build_model(&size);
    tcu_write(path, buf, size);
    free(buf);
    scipix_error err;
    sp_model *plain = NULL;
    ck_assert_int_eq(sp_model_open(path, &plain, &err), SCIPIX_OK);
    ck_assert(!sp_model_has_context(plain));
    sp_model *ctx = open_ctx_model(8.0f, 6.0f, 0, 0.1f);
    sp_glyph_place pl[8];
    sp_class_scores sc[8], before[8];
    size_t n = five_xs(pl, sc);
    pl[n] = (sp_glyph_place){130, 95, 12, 24};
    sc[n++] = two(CLS_PLUS, 0.55f, CLS_ALPHA, 0.44f);
    memcpy(before, sc, sizeof sc);
    float scale = -1;
    ck_assert_int_eq(sp_classify_context(plain, pl, n, sc, &scale, &err), SCIPIX_OK);
    ck_assert(memcmp(before, sc, n * sizeof sc[0]) == 0);
    ck_assert(scale == 0.0f);
    /* nothing read surely (all under 0.9): no scale, no change */
    for (size_t i = 0; i < 5; i++) sc[i] = before[i] = two(CLS_X, 0.6f, CLS_PLUS, 0.3f);
    ck_assert_int_eq(sp_classify_context(ctx, pl, n, sc, &scale, &err), SCIPIX_OK);
    ck_assert(memcmp(before, sc, n * sizeof sc[0]) == 0);
    ck_assert(scale == 0.0f);
    ck_assert_int_eq(sp_classify_context(ctx, pl, 0, sc, NULL, &err), SCIPIX_OK);
    sp_model_close(plain);
    sp_model_close(ctx);
}
END_TEST

START_TEST(bad_arguments) {
    sp_model *m = open_ctx_model(8.0f, 6.0f, 0, 0.1f);
    sp_glyph_place pl[1] = {{0, 0, 0, 5}};
    sp_class_scores sc[1] = {two(CLS_X, 0.97f, CLS_PLUS, 0.02f)};
    scipix_error err;
    ck_assert_int_eq(sp_classify_context(NULL, pl, 1, sc, NULL, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_classify_context(m, NULL, 1, sc, NULL, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_classify_context(m, pl, 1, NULL, NULL, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_classify_context(m, pl, 1, sc, NULL, &err), SCIPIX_EINVAL); /* 0 px wide */
    ck_assert_ptr_nonnull(strstr(err.message, "bad box"));
    sp_model_close(m);
}
END_TEST

static void expect_refused(const tcu_context *ctx, const char *what) {
    size_t size;
    uint8_t *buf = tcu_build_model_ctx(&size, ctx);
    tcu_write(path, buf, size);
    free(buf);
    scipix_error err;
    sp_model *m = NULL;
    ck_assert_int_eq(sp_model_open(path, &m, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.message, what) != NULL, "message '%s' lacks '%s'", err.message, what);
}

START_TEST(malformed_tables_are_refused) {
    static float height[3 * BINS], vnbr[12];
    float good[SP_CONTEXT_PARAMS], p[SP_CONTEXT_PARAMS];
    default_params(good, 0.1f);
    tcu_context c = {p, SP_CONTEXT_PARAMS, height, BINS, vnbr, NULL, 0};
    memcpy(p, good, sizeof p);
    p[2] = NAN;
    expect_refused(&c, "ctx");
    memcpy(p, good, sizeof p);
    p[8] = 0.0f; /* a scale search that never ends */
    expect_refused(&c, "ctx");
    memcpy(p, good, sizeof p);
    p[10] = 2.0f;
    expect_refused(&c, "ctx");
    memcpy(p, good, sizeof p);
    height[7] = INFINITY;
    expect_refused(&c, "ctx");
    height[7] = 0.0f;
    c.bins = 1;
    expect_refused(&c, "ctx");
    c.bins = BINS;
    c.n_params = SP_CONTEXT_PARAMS - 1;
    expect_refused(&c, "ctx.params");
    c.n_params = SP_CONTEXT_PARAMS;
    c.vnbr = NULL; /* params without all of the tables */
    expect_refused(&c, "ctx.vnbr");
}
END_TEST

/* The committed model carries its tables, and they make sense: a fraction
 * bar is found between glyphs far more often than a minus sign is. */
START_TEST(committed_model_has_context) {
    sp_model *m = tcu_open_committed_model();
    ck_assert(sp_model_has_context(m));
    int frac = sp_model_find_class(m, "\\frac"), minus = sp_model_find_class(m, "-");
    ck_assert(frac >= 0 && minus >= 0);
    ck_assert(m->ctx_vnbr[frac * 4 + 3] > m->ctx_vnbr[minus * 4 + 3] + 2.0f);
    sp_model_close(m);
}
END_TEST

int main(void) {
    Suite *s = suite_create("classify_context");
    TCase *tc = tcase_create("context");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, size_picks_between_look_alikes);
    tcase_add_test(tc, glyph_between_two_reads_as_what_lies_there);
    tcase_add_test(tc, only_near_misses_move_up);
    tcase_add_test(tc, no_tables_or_no_sure_glyph_changes_nothing);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, malformed_tables_are_refused);
    tcase_add_test(tc, committed_model_has_context);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
