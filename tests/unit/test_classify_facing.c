/*
 * test_classify_facing.c — which way a tall delimiter faces
 * (src/classify/facing.c): when the network's two best readings of a glyph
 * are a delimiter and its mirror image, the glyph's pixels choose, and the
 * mirror is ruled out; anything else keeps the network's order.  Glyphs
 * are drawn here, so each test knows the answer; the class names come
 * from the committed model.
 */
#include "test_classify_util.h"
#include "sp_test.h"

#define W 8
#define H 160

static uint8_t px[H][W];
static sp_model *model;

static void setup(void) { model = tcu_open_committed_model(); }
static void teardown(void) { sp_model_close(model); }

static int cls(const char *latex) {
    int id = sp_model_find_class(model, latex);
    ck_assert_msg(id >= 0, "%s is not in the committed model", latex);
    return id;
}

/* A square bracket h rows tall: a 2 px stem on the left (`opening`) or
 * right, arms along the top and bottom rows. */
static sp_glyph bracket(int opening, int h) {
    memset(px, 255, sizeof px);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < W; x++) {
            int stem = opening ? x < 2 : x >= W - 2, arm = y < 2 || y >= h - 2;
            if (stem || arm) px[y][x] = 0;
        }
    return (sp_glyph){&px[0][0], W, h, W, 20.0f};
}

/* An angle bracket: two strokes meeting at the middle row's left edge
 * (opening) or right edge. */
static sp_glyph angle(int opening) {
    memset(px, 255, sizeof px);
    for (int y = 0; y < H; y++) {
        int d = abs(2 * y - (H - 1)), x = (W - 1) * d / (H - 1);
        px[y][opening ? x : W - 1 - x] = 0;
    }
    return (sp_glyph){&px[0][0], W, H, W, 20.0f};
}

static sp_class_scores reading(int a, float pa, int b, float pb) {
    sp_class_scores s = {{a, b, cls("x"), cls("y"), cls("z")}, {pa, pb, 0.02f, 0.01f, 0.005f}};
    return s;
}

static void assert_unchanged(const sp_glyph *g, sp_class_scores s) {
    sp_class_scores before = s;
    sp_classify_facing(model, g, &s);
    ck_assert(memcmp(&s, &before, sizeof s) == 0);
}

START_TEST(pixels_pick_between_mirror_images) {
    int open = cls("\\left["), close = cls("\\right]");
    sp_glyph g = bracket(1, H);
    sp_class_scores s = reading(close, 0.52f, open, 0.45f);
    sp_classify_facing(model, &g, &s);
    ck_assert_int_eq(s.class_id[0], open);
    ck_assert_float_eq_tol(s.prob[0], 0.97f, 1e-5f);
    /* the mirror is ruled out: last, with no probability left */
    ck_assert_int_eq(s.class_id[SP_CLASSIFY_TOPK - 1], close);
    ck_assert_float_eq(s.prob[SP_CLASSIFY_TOPK - 1], 0.0f);
    ck_assert_int_eq(s.class_id[1], cls("x"));

    g = bracket(0, H);
    s = reading(close, 0.52f, open, 0.45f);
    sp_classify_facing(model, &g, &s);
    ck_assert_int_eq(s.class_id[0], close);
    ck_assert_float_eq_tol(s.prob[0], 0.97f, 1e-5f);
    ck_assert_int_eq(s.class_id[SP_CLASSIFY_TOPK - 1], open);

    int lang = cls("\\Bigg\\langle"), rang = cls("\\Bigg\\rangle");
    g = angle(1);
    s = reading(rang, 0.5f, lang, 0.4f);
    sp_classify_facing(model, &g, &s);
    ck_assert_int_eq(s.class_id[0], lang);
    g = angle(0);
    s = reading(lang, 0.5f, rang, 0.4f);
    sp_classify_facing(model, &g, &s);
    ck_assert_int_eq(s.class_id[0], rang);
}
END_TEST

START_TEST(only_mirror_pairs_of_one_size_are_judged) {
    sp_glyph g = bracket(1, H);
    /* not mirror images of each other */
    assert_unchanged(&g, reading(cls("\\right]"), 0.5f, cls("\\left|"), 0.4f));
    assert_unchanged(&g, reading(cls("\\right]"), 0.5f, cls("\\left("), 0.4f));
    /* mirror shapes at two sizes */
    assert_unchanged(&g, reading(cls("\\Big]"), 0.5f, cls("\\bigg["), 0.4f));
    /* the mirror third, not second */
    sp_class_scores s = {{cls("\\right]"), cls("x"), cls("\\left["), cls("y"), cls("z")}, {0.5f, 0.2f, 0.1f, 0, 0}};
    assert_unchanged(&g, s);
}
END_TEST

START_TEST(glyphs_that_show_no_side_keep_the_network_order) {
    int open = cls("\\left["), close = cls("\\right]");
    /* squat enough for the network to see the side itself */
    sp_glyph g = bracket(1, 40);
    assert_unchanged(&g, reading(close, 0.52f, open, 0.45f));
    /* a straight bar: its middle is at neither edge */
    memset(px, 255, sizeof px);
    for (int y = 0; y < H; y++) px[y][3] = px[y][4] = 0;
    g = (sp_glyph){&px[0][0], W, H, W, 20.0f};
    assert_unchanged(&g, reading(close, 0.52f, open, 0.45f));
    /* too narrow to have sides */
    g = (sp_glyph){&px[0][3], 2, H, W, 20.0f};
    assert_unchanged(&g, reading(close, 0.52f, open, 0.45f));
}
END_TEST

int main(void) {
    Suite *s = suite_create("classify_facing");
    TCase *tc = tcase_create("facing");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, pixels_pick_between_mirror_images);
    tcase_add_test(tc, only_mirror_pairs_of_one_size_are_judged);
    tcase_add_test(tc, glyphs_that_show_no_side_keep_the_network_order);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
