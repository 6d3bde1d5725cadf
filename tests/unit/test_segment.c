/*
 * test_segment.c — connected components and symbol grouping.  Real renders
 * (LaTeX + dvipng, committed under tests/fixtures/) must split into the
 * right number of symbols: multi-part symbols joined (i j = ≡ ≤ ≥ ÷ : ; ! %),
 * fractions and limits left apart.  Hand-made boxes check the rules alone.
 */
#include "engine/status.h"
#include "image/image.h"
#include "segment/segment.h"

#include <check.h>
#include "sp_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t groups_of_fixture(const char *name, size_t *ncomp_out) {
    const char *src = getenv("SCIPIX_SOURCE_DIR");
    ck_assert_msg(src != NULL, "SCIPIX_SOURCE_DIR is not set");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", src, name);
    size_t n = 0;
    l_uint8 *d = l_binaryRead(path, &n);
    ck_assert_msg(d != NULL, "cannot read %s", path);
    sp_image_limits lim;
    sp_image_limits_from_config(NULL, &lim);
    PIX *gray = NULL, *bin = NULL;
    scipix_error err;
    ck_assert_int_eq(sp_image_decode(d, n, &lim, &gray, NULL, &err), SCIPIX_OK);
    ck_assert_int_eq(sp_image_binarize(gray, &bin, &err), SCIPIX_OK);
    sp_box *comps = NULL;
    size_t ncomp = 0, ng = 0;
    ck_assert_int_eq(sp_segment_components(bin, &comps, &ncomp, &err), SCIPIX_OK);
    sp_symbol_group *g = NULL;
    ck_assert_int_eq(sp_segment_group(comps, ncomp, &g, &ng, &err), SCIPIX_OK);
    sp_segment_sort_reading(g, ng);
    for (size_t i = 1; i < ng; i++) ck_assert_int_le(g[i - 1].box.x, g[i].box.x);
    *ncomp_out = ncomp;
    free(g);
    free(comps);
    pixDestroy(&bin);
    pixDestroy(&gray);
    free(d);
    return ng;
}

START_TEST(formula_example) {
    size_t nc, ng = groups_of_fixture("examples/formula.png", &nc);
    /* x ^2 + y = α − 3: the = has two parts */
    ck_assert_uint_eq(nc, 9);
    ck_assert_uint_eq(ng, 8);
}
END_TEST

START_TEST(multipart_symbols) {
    size_t nc, ng = groups_of_fixture("tests/fixtures/multipart.png", &nc);
    /* i j = ≡ ≤ ≥ ÷ : ; ! % -> 11 symbols from 2+2+2+3+2+2+3+2+2+2+2 parts
     * (in Computer Modern the upper circle of % touches the slash) */
    ck_assert_uint_eq(nc, 24);
    ck_assert_uint_eq(ng, 11);
}
END_TEST

START_TEST(fractions_stay_apart) {
    size_t nc, ng = groups_of_fixture("tests/fixtures/fraction.png", &nc);
    ck_assert_uint_eq(nc, 9);
    ck_assert_uint_eq(ng, 9);
}
END_TEST

START_TEST(sum_limits) {
    size_t nc, ng = groups_of_fixture("tests/fixtures/sum.png", &nc);
    /* Σ, i (2 parts), = (2), 1, n, x, i (2) */
    ck_assert_uint_eq(nc, 10);
    ck_assert_uint_eq(ng, 7);
}
END_TEST

START_TEST(small_render) {
    size_t nc, ng = groups_of_fixture("tests/fixtures/small.png", &nc);
    /* x, i (2 parts), ≤ (2 parts), 1 at 100 dpi */
    ck_assert_uint_eq(ng, 4);
    ck_assert_uint_eq(nc, 6);
}
END_TEST

START_TEST(rules_on_boxes) {
    /* an 'a' over a fraction bar over a 'b': three symbols */
    sp_box frac[] = {{10, 0, 10, 12}, {6, 16, 18, 2}, {10, 22, 10, 12}, {40, 10, 10, 12}};
    sp_symbol_group *g = NULL;
    size_t ng = 0;
    ck_assert_int_eq(sp_segment_group(frac, 4, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_eq(ng, 4);
    free(g);
    /* '=': two equal bars, beside a letter */
    sp_box eq[] = {{0, 0, 10, 12}, {20, 3, 12, 2}, {20, 8, 12, 2}};
    ck_assert_int_eq(sp_segment_group(eq, 3, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_eq(ng, 2);
    sp_segment_sort_reading(g, ng);
    ck_assert_int_eq(g[1].ncomp, 2);
    ck_assert_int_eq(g[1].box.x, 20);
    ck_assert_int_eq(g[1].box.y, 3);
    ck_assert_int_eq(g[1].box.w, 12);
    ck_assert_int_eq(g[1].box.h, 7);
    free(g);
    /* a dot under a wide glyph, off its middle, is not its own (the dot of
     * the i of \\sum_{i=1} whose stem is stuck to the "="); one right
     * under the middle of a stroke is a "!" */
    sp_box sum[] = {{0, 0, 20, 20}, {3, 23, 2, 1}, {2, 25, 11, 5}};
    ck_assert_int_eq(sp_segment_group(sum, 3, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_eq(ng, 3);
    free(g);
    sp_box bang[] = {{0, 0, 3, 14}, {0, 17, 3, 3}, {10, 4, 10, 10}};
    ck_assert_int_eq(sp_segment_group(bang, 3, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_eq(ng, 2);
    free(g);
    /* a speck is dropped, an empty input gives no groups */
    sp_box speck[] = {{0, 0, 10, 24}, {30, 0, 10, 24}, {60, 0, 1, 1}};
    ck_assert_int_eq(sp_segment_group(speck, 3, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_eq(ng, 2);
    free(g);
    ck_assert_int_eq(sp_segment_group(NULL, 0, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_eq(ng, 0);
    ck_assert_ptr_null(g);
    ck_assert_float_eq(sp_segment_median_height(eq, 3), 2.0f);
}
END_TEST

/* "0,1,2,3,...": the plain median is a comma's height or less; the reference is
 * the letters' and digits', or the plain median with fewer than two. */
START_TEST(reference_height_from_letters) {
    sp_box row[] = {{0, 0, 6, 10}, {7, 6, 2, 5}, {10, 0, 5, 10}, {16, 6, 2, 5}, {19, 8, 2, 2},
                    {22, 8, 2, 2},  {25, 8, 2, 2}};
    unsigned char letter[] = {1, 0, 1, 0, 0, 0, 0}, one[] = {1, 0, 0, 0, 0, 0, 0};
    ck_assert_float_eq(sp_segment_median_height(row, 7), 5.0f);
    ck_assert_float_eq(sp_segment_reference_height(row, letter, 7), 10.0f);
    ck_assert_float_eq(sp_segment_reference_height(row, one, 7), 5.0f);
    ck_assert_float_eq(sp_segment_reference_height(row, NULL, 7), 5.0f);
    ck_assert_float_eq(sp_segment_reference_height(NULL, NULL, 0), 0.0f);
}
END_TEST

START_TEST(flat_word_over_rule_is_not_equals) {
    /* a run of touching letters (flat but letter-tall) right above a
     * fraction rule must not be grouped with it as '=' */
    sp_box b[] = {{0, 0, 10, 12}, {20, 0, 10, 12}, {40, 0, 10, 12}, {60, 4, 30, 8}, {58, 13, 34, 2}};
    sp_symbol_group *g = NULL;
    size_t ng = 0;
    ck_assert_int_eq(sp_segment_group(b, 5, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_eq(ng, 5);
    free(g);
}
END_TEST

/* A 1-bit image with the given filled rectangles. */
static PIX *rects_pix(int w, int h, const sp_box *r, size_t n) {
    PIX *p = pixCreate(w, h, 1);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < n; i++) {
        BOX *b = boxCreate(r[i].x, r[i].y, r[i].w, r[i].h);
        pixSetInRect(p, b);
        boxDestroy(&b);
    }
    return p;
}

/* The best cut the cutter proposes for box whole of p (min part 2): there
 * must be one, through a column in [col_lo, col_hi]. */
static sp_cut first_cut(PIX *p, const sp_box *whole, int col_lo, int col_hi) {
    sp_cut cuts[3];
    ck_assert_uint_ge(sp_segment_cut_candidates(p, whole, 2, cuts, 3, NULL), 1);
    ck_assert_int_ge(cuts[0].column, col_lo);
    ck_assert_int_le(cuts[0].column, col_hi);
    return cuts[0];
}

START_TEST(cut_at_the_bridge) {
    /* two blocks joined by a one-pixel bridge: the first cut goes through
     * the bridge, and the parts are the blocks */
    sp_box r[] = {{2, 2, 8, 10}, {10, 8, 3, 1}, {13, 4, 7, 8}};
    PIX *p = rects_pix(24, 16, r, 3);
    sp_box whole = {2, 2, 18, 10};
    sp_cut cut = first_cut(p, &whole, 10, 13), cuts[3];
    ck_assert_int_eq(cut.left.x, 2);
    ck_assert_int_eq(cut.left.y, 2);
    ck_assert_int_eq(cut.left.h, 10);
    ck_assert_int_eq(cut.right.x + cut.right.w, 20);
    ck_assert_int_eq(cut.right.y, 4);
    ck_assert_int_eq(cut.thick, 0);
    /* a solid block has no place thin enough to cut */
    sp_box solid = {2, 2, 8, 10};
    ck_assert_uint_eq(sp_segment_cut_candidates(p, &solid, 2, cuts, 3, NULL), 0);
    /* heavy glyphs pressed together: a bridge three fifths of the height
     * is cut, and the cut marked thick; one taller is a stroke */
    sp_box pressed[] = {{2, 2, 8, 10}, {10, 4, 3, 6}, {13, 2, 7, 10}};
    PIX *q = rects_pix(24, 16, pressed, 3);
    ck_assert_uint_ge(sp_segment_cut_candidates(q, &whole, 2, cuts, 3, NULL), 1);
    ck_assert_int_eq(cuts[0].thick, 1);
    ck_assert_int_ge(cuts[0].column, 10);
    ck_assert_int_le(cuts[0].column, 13);
    pixDestroy(&q);
    sp_box stroke[] = {{2, 2, 8, 10}, {10, 4, 3, 7}, {13, 2, 7, 10}};
    q = rects_pix(24, 16, stroke, 3);
    ck_assert_uint_eq(sp_segment_cut_candidates(q, &whole, 2, cuts, 3, NULL), 0);
    pixDestroy(&q);
    /* bad arguments propose nothing */
    sp_box outside = {20, 10, 10, 10};
    ck_assert_uint_eq(sp_segment_cut_candidates(p, &outside, 2, cuts, 3, NULL), 0);
    ck_assert_uint_eq(sp_segment_cut_candidates(NULL, &whole, 2, cuts, 3, NULL), 0);
    pixDestroy(&p);
}
END_TEST

static void expect_box(const sp_box *got, sp_box want) {
    ck_assert_int_eq(got->x, want.x);
    ck_assert_int_eq(got->y, want.y);
    ck_assert_int_eq(got->w, want.w);
    ck_assert_int_eq(got->h, want.h);
}

START_TEST(cut_at_stroke_ends) {
    /* an "=" stuck to the ring of a 0 after it: every column of the bars
     * is equally thin, so the middle-first cuts all maim one glyph or the
     * other; with ends asked for, the cutter also cuts where the bars meet
     * the ring (the "=" whole on the left, the 0 on the right) and where
     * they begin */
    sp_box r[] = {{2, 6, 9, 1}, {2, 9, 9, 1}, {11, 2, 1, 12}, {15, 2, 1, 12}, {11, 2, 5, 1}, {11, 13, 5, 1}};
    PIX *p = rects_pix(20, 16, r, 6);
    sp_box whole = {2, 2, 14, 12};
    sp_cut cuts[5 + 2];
    size_t ends = 99, k = sp_segment_cut_candidates(p, &whole, 2, cuts, 5, &ends);
    ck_assert_uint_eq(ends, 2);
    ck_assert_uint_ge(k, 2);
    const sp_cut *at_ring = &cuts[k - 2];
    ck_assert_int_eq(at_ring->column, 11);
    expect_box(&at_ring->left, (sp_box){2, 6, 9, 4});
    expect_box(&at_ring->right, (sp_box){11, 2, 5, 12});
    ck_assert_int_eq(cuts[k - 1].column, 4); /* the run's first column (min part 2) */
    /* none of the regular cuts leaves the "=" whole */
    for (size_t j = 0; j + 2 < k; j++) ck_assert_int_ne(cuts[j].column, 11);
    /* a slanted stroke is inked alike in no two columns: no ends */
    pixDestroy(&p);
    p = pixCreate(20, 16, 1);
    for (int x = 2; x < 14; x++) pixSetPixel(p, x, 13 - x, 1);
    sp_box slant = {2, 0, 12, 12};
    sp_segment_cut_candidates(p, &slant, 2, cuts, 5, &ends);
    ck_assert_uint_eq(ends, 0);
    pixDestroy(&p);
}
END_TEST

START_TEST(seam_cuts) {
    /* two hooks interleaved (a bar with an arm along its top, then a bar
     * with an arm along its bottom reaching under the first), touching at
     * one pixel: every column between them crosses an arm (two pixels at
     * least), but a seam slanting down from the bridge to under the top
     * arm crosses one */
    sp_box r[] = {{2, 2, 2, 12}, {2, 2, 8, 2}, {10, 3, 1, 1}, {11, 2, 2, 12}, {5, 12, 8, 2}};
    PIX *p = rects_pix(16, 16, r, 5);
    sp_box whole = {2, 2, 11, 12};
    sp_seam_cut seams[2];
    ck_assert_uint_eq(sp_segment_seam_cuts(p, &whole, 2, seams, 2), 1);
    expect_box(&seams[0].left, (sp_box){2, 2, 8, 12});
    expect_box(&seams[0].right, (sp_box){5, 2, 8, 12});
    ck_assert_int_eq(seams[0].top, 2);
    ck_assert_int_eq(seams[0].h, 12);
    for (int y = 1; y < seams[0].h; y++) ck_assert_int_le(abs(seams[0].x[y] - seams[0].x[y - 1]), 1);
    /* where a straight column is as thin, the vertical cuts cover it */
    sp_box bridge[] = {{2, 2, 8, 10}, {10, 8, 3, 1}, {13, 4, 7, 8}};
    pixDestroy(&p);
    p = rects_pix(24, 16, bridge, 3);
    sp_box pair = {2, 2, 18, 10};
    ck_assert_uint_eq(sp_segment_seam_cuts(p, &pair, 2, seams, 2), 0);
    ck_assert_uint_eq(sp_segment_seam_cuts(NULL, &pair, 2, seams, 2), 0);
    pixDestroy(&p);
}
END_TEST

START_TEST(accent_pieces) {
    /* a bar one pixel thin over its letter, joined by one pixel: cut under
     * its first row, the bar above and the letter (with the joining pixel)
     * below */
    sp_box bar[] = {{2, 2, 8, 1}, {5, 3, 1, 1}, {2, 4, 8, 5}};
    PIX *p = rects_pix(16, 12, bar, 3);
    sp_box whole = {2, 2, 8, 7};
    sp_cut cut;
    ck_assert_int_eq(sp_segment_top_cut(p, &whole, 1, &cut), 1);
    ck_assert_int_eq(cut.column, 3);
    expect_box(&cut.left, (sp_box){2, 2, 8, 1});
    expect_box(&cut.right, (sp_box){2, 3, 8, 6});
    ck_assert_int_eq(sp_segment_top_cut(p, &whole, 0, &cut), 0);
    ck_assert_int_eq(sp_segment_top_cut(p, &whole, 7, &cut), 0);
    ck_assert_int_eq(sp_segment_top_cut(NULL, &whole, 1, &cut), 0);
    pixDestroy(&p);

    /* a dot over a stem, with a neighbour's corner reaching into the box
     * beside the stem's foot: the dot and the stem */
    sp_box dot[] = {{5, 1, 2, 2}, {4, 5, 3, 8}, {8, 10, 4, 3}};
    p = rects_pix(16, 16, dot, 3);
    sp_box group = {4, 1, 5, 12}, up, lo;
    ck_assert_int_eq(sp_segment_stacked_parts(p, &group, &up, &lo), 1);
    expect_box(&up, (sp_box){5, 1, 2, 2});
    expect_box(&lo, (sp_box){4, 5, 3, 8});
    /* one component, or two side by side, are no such pieces */
    sp_box stem = {4, 5, 3, 8}, pair = {4, 5, 8, 8};
    ck_assert_int_eq(sp_segment_stacked_parts(p, &stem, &up, &lo), 0);
    pixDestroy(&p);
    sp_box side[] = {{4, 5, 3, 8}, {8, 5, 3, 8}};
    p = rects_pix(16, 16, side, 2);
    ck_assert_int_eq(sp_segment_stacked_parts(p, &pair, &up, &lo), 0);
    pixDestroy(&p);
}
END_TEST

START_TEST(corner_cuts) {
    /* a script sitting on its base's upper right corner: the best upper
     * corner cut is the script, the rest the base (no vertical cut
     * separates them: they share columns 9 and 10) */
    sp_box sup[] = {{2, 6, 9, 10}, {9, 2, 5, 4}};
    PIX *p = rects_pix(20, 20, sup, 2);
    sp_box whole = {2, 2, 12, 14};
    sp_corner_cut cc[3];
    ck_assert_uint_ge(sp_segment_corner_cuts(p, &whole, 3, 1, cc, 3), 1);
    expect_box(&cc[0].corner, (sp_box){9, 2, 5, 4});
    expect_box(&cc[0].rest, (sp_box){2, 6, 9, 10});
    pixDestroy(&p);
    /* a letter under the overhanging bar of a T: the lower corner */
    sp_box tr[] = {{2, 2, 13, 2}, {7, 4, 3, 12}, {13, 4, 4, 10}};
    p = rects_pix(20, 20, tr, 3);
    whole = (sp_box){2, 2, 15, 14};
    ck_assert_uint_ge(sp_segment_corner_cuts(p, &whole, 3, 0, cc, 3), 1);
    expect_box(&cc[0].corner, (sp_box){13, 4, 4, 10});
    expect_box(&cc[0].rest, (sp_box){2, 2, 13, 14});
    /* bad arguments propose nothing */
    sp_box outside = {15, 15, 10, 10};
    ck_assert_uint_eq(sp_segment_corner_cuts(p, &outside, 3, 0, cc, 3), 0);
    ck_assert_uint_eq(sp_segment_corner_cuts(NULL, &whole, 3, 0, cc, 3), 0);
    pixDestroy(&p);
    /* a base with both scripts stuck, the superscript the wider: the
     * subscript sticks out past the base but not past the superscript, so
     * no lower corner cut finds it; in the rest of the upper cut, without
     * the ink that cut took, one does, and its rest is the base */
    sp_box both[] = {{2, 6, 9, 8}, {9, 1, 8, 6}, {9, 13, 4, 5}};
    p = rects_pix(20, 20, both, 3);
    whole = (sp_box){2, 1, 15, 17};
    ck_assert_uint_eq(sp_segment_corner_cuts(p, &whole, 3, 0, cc, 3), 0);
    ck_assert_uint_ge(sp_segment_corner_cuts(p, &whole, 3, 1, cc, 3), 1);
    sp_corner_cut lc[3];
    ck_assert_uint_ge(sp_segment_corner_cuts_masked(p, &cc[0].rest, &cc[0].mask, 3, 0, 0, lc, 3), 1);
    expect_box(&lc[0].rest, (sp_box){2, 6, 9, 8});
    ck_assert_int_ge(lc[0].corner.y, 12);
    ck_assert_int_eq(lc[0].corner.y + lc[0].corner.h, 18);
    ck_assert_int_eq(lc[0].corner.x + lc[0].corner.w, 13);
    pixDestroy(&p);
    /* a solid block has no thin bridge */
    sp_box solid = {2, 2, 6, 12};
    p = rects_pix(10, 16, &solid, 1);
    ck_assert_uint_eq(sp_segment_corner_cuts(p, &solid, 3, 0, cc, 3), 0);
    ck_assert_uint_eq(sp_segment_corner_cuts(p, &solid, 3, 1, cc, 3), 0);
    pixDestroy(&p);
}
END_TEST

/* Group hand-made component boxes; expect `want` symbols. */
static void expect_groups(const sp_box *boxes, size_t n, size_t want) {
    sp_symbol_group *g = NULL;
    size_t ng = 0;
    ck_assert_int_eq(sp_segment_group(boxes, n, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_eq(ng, want);
    free(g);
}

START_TEST(numerator_is_no_leq) {
    /* a "2" over a bar of its width is a ≤-like pair; with a glyph right
     * under the bar it is a numerator on its fraction rule */
    sp_box leq[] = {{10, 0, 7, 11}, {9, 14, 9, 2}};
    sp_box frac[] = {{10, 0, 7, 11}, {9, 14, 9, 2}, {10, 18, 7, 11}};
    expect_groups(leq, 2, 1);
    expect_groups(frac, 3, 3);
}
END_TEST

START_TEST(integral_keeps_its_limit) {
    /* a % is a slash with a circle level with its bottom right ... */
    sp_box pct[] = {{0, 0, 9, 12}, {5, 7, 4, 5}, {12, 2, 7, 10}, {21, 2, 7, 10}};
    /* ... an integral sign with its lower limit under the top hook is not */
    sp_box integral[] = {{4, 6, 13, 32}, {12, 31, 5, 7}, {18, 5, 10, 5}, {32, 15, 7, 11}, {39, 18, 7, 10}};
    expect_groups(pct, 4, 3);
    expect_groups(integral, 5, 5);
    /* ... nor a W with the period after it one column into its box */
    sp_box wdot[] = {{71, 5, 14, 10}, {84, 13, 2, 2}};
    expect_groups(wdot, 2, 2);
}
END_TEST

START_TEST(cut_leaves_slivers_out) {
    /* a "(" whose top curls over the "p" it touches at the bottom: the
     * straight cut leaves a pixel or two of the curl on the p's side,
     * which must not make the p's part as tall as the parenthesis */
    sp_box r[] = {{2, 2, 3, 16}, {5, 2, 2, 1}, {5, 16, 2, 1}, {7, 6, 7, 12}};
    PIX *p = rects_pix(18, 20, r, 4);
    sp_box whole = {2, 2, 12, 16};
    sp_cut cut = first_cut(p, &whole, 5, 7);
    ck_assert_int_eq(cut.right.y, 6);
    ck_assert_int_eq(cut.right.x + cut.right.w, 14);
    ck_assert_int_eq(cut.left.x, 2);
    ck_assert_int_eq(cut.left.h, 16);
    pixDestroy(&p);
}
END_TEST

START_TEST(rule_split_of_a_stuck_fraction) {
    /* numerator (two blocks) and denominator touching a rule */
    sp_box r[] = {{6, 2, 5, 8}, {13, 2, 5, 8}, {2, 10, 20, 2}, {9, 12, 6, 8}};
    PIX *p = rects_pix(26, 24, r, 4);
    sp_box whole = {2, 2, 20, 18}, parts[8];
    size_t n = sp_segment_rule_split(p, &whole, 0, parts, 8);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(parts[0].x, 2); /* the rule first */
    ck_assert_int_eq(parts[0].y, 10);
    ck_assert_int_eq(parts[0].w, 20);
    ck_assert_int_eq(parts[0].h, 2);
    int above = 0, below = 0;
    for (size_t i = 1; i < n; i++) {
        above += parts[i].y + parts[i].h <= 10;
        below += parts[i].y >= 12;
    }
    ck_assert_int_eq(above, 2);
    ck_assert_int_eq(below, 1);
    /* a bar with ink on one side only is an accent or a radical: no split */
    sp_box accent[] = {{2, 2, 12, 2}, {5, 4, 6, 8}};
    PIX *q = rects_pix(20, 16, accent, 2);
    sp_box qa = {2, 2, 12, 10};
    ck_assert_uint_eq(sp_segment_rule_split(q, &qa, 0, parts, 8), 0);
    /* too small an output array: no split */
    ck_assert_uint_eq(sp_segment_rule_split(p, &whole, 0, parts, 3), 0);
    /* ... unless the caller knows of a glyph beyond that edge (the
     * numerator stuck to its rule, the denominator apart): a rule along
     * the top edge, reaching past the glyph under it */
    ck_assert_uint_eq(sp_segment_rule_split(q, &qa, SP_RULE_EDGE_TOP, parts, 8), 2);
    ck_assert_int_eq(parts[0].y, 2);
    ck_assert_int_eq(parts[0].h, 2);
    ck_assert_int_eq(parts[1].x, 5);
    ck_assert_int_eq(parts[1].h, 8);
    ck_assert_uint_eq(sp_segment_rule_split(q, &qa, SP_RULE_EDGE_BOTTOM, parts, 8), 0);
    /* a bottom stroke as wide as its glyph (a Z, a 2) is no rule */
    sp_box zed[] = {{2, 2, 10, 2}, {6, 4, 3, 6}, {2, 10, 10, 2}};
    PIX *z = rects_pix(16, 16, zed, 3);
    sp_box za = {2, 2, 10, 10};
    ck_assert_uint_eq(sp_segment_rule_split(z, &za, SP_RULE_EDGE_BOTTOM | SP_RULE_EDGE_TOP, parts, 8), 0);
    pixDestroy(&p);
    pixDestroy(&q);
    pixDestroy(&z);
}
END_TEST

START_TEST(many_components) {
    /* a noisy page: 20000 dots on a grid must group quickly and sanely */
    size_t n = 20000;
    sp_box *b = malloc(n * sizeof *b);
    for (size_t i = 0; i < n; i++) b[i] = (sp_box){(int)(i % 200) * 10, (int)(i / 200) * 10, 3, 3};
    sp_symbol_group *g = NULL;
    size_t ng = 0;
    ck_assert_int_eq(sp_segment_group(b, n, &g, &ng, NULL), SCIPIX_OK);
    ck_assert_uint_gt(ng, 0);
    ck_assert_uint_le(ng, n);
    free(g);
    free(b);
}
END_TEST

int main(void) {
    sp_image_quiet_leptonica();
    Suite *s = suite_create("segment");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, formula_example);
    tcase_add_test(tc, multipart_symbols);
    tcase_add_test(tc, fractions_stay_apart);
    tcase_add_test(tc, sum_limits);
    tcase_add_test(tc, small_render);
    tcase_add_test(tc, rules_on_boxes);
    tcase_add_test(tc, many_components);
    tcase_add_test(tc, flat_word_over_rule_is_not_equals);
    tcase_add_test(tc, reference_height_from_letters);
    tcase_add_test(tc, cut_leaves_slivers_out);
    tcase_add_test(tc, numerator_is_no_leq);
    tcase_add_test(tc, cut_at_the_bridge);
    tcase_add_test(tc, cut_at_stroke_ends);
    tcase_add_test(tc, seam_cuts);
    tcase_add_test(tc, corner_cuts);
    tcase_add_test(tc, accent_pieces);
    tcase_add_test(tc, rule_split_of_a_stuck_fraction);
    tcase_add_test(tc, integral_keeps_its_limit);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
