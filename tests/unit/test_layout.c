/*
 * test_layout.c — the layout stage on hand-made symbol boxes: one case per
 * construct family, plus bad input (empty, garbage boxes, deep nesting).
 * Boxes are drawn at an em of 40 px with the main baseline at y = 100, the
 * way TeX places glyphs (x-height 0.45 em, capitals/digits 0.69 em, scripts
 * at 0.7 size, superscripts raised ~0.36 em, subscripts lowered ~0.15 em).
 */
#include "emit/emit.h"
#include "layout/layout.h"

#include <check.h>
#include "sp_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* hand-made boxes list the six leading fields; the classifier's
 * alternatives stay empty unless a case sets them */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
typedef sp_layout_symbol S;

static void expect(const S *syms, size_t n, const char *want) {
    sp_tree *t = sp_tree_new();
    ck_assert_ptr_nonnull(t);
    sp_node *root = NULL;
    float conf = -1;
    scipix_error err;
    ck_assert_int_eq(sp_layout_build(t, syms, n, &root, &conf, &err), SCIPIX_OK);
    ck_assert_ptr_nonnull(root);
    ck_assert(conf >= 0 && conf <= 1);
    sp_buf b;
    sp_buf_init(&b);
    ck_assert_int_eq(sp_latex_emit(root, 1, &b), SCIPIX_OK);
    ck_assert_str_eq(sp_buf_str(&b), want);
    sp_buf_free(&b);
    sp_tree_free(t);
}

/* expect() with sp_layout_build_ex flags */
static void expect_ex(const S *syms, size_t n, unsigned flags, const char *want) {
    sp_tree *t = sp_tree_new();
    ck_assert_ptr_nonnull(t);
    sp_node *root = NULL;
    scipix_error err;
    ck_assert_int_eq(sp_layout_build_ex(t, syms, n, flags, &root, NULL, &err), SCIPIX_OK);
    sp_buf b;
    sp_buf_init(&b);
    ck_assert_int_eq(sp_latex_emit(root, 1, &b), SCIPIX_OK);
    ck_assert_str_eq(sp_buf_str(&b), want);
    sp_buf_free(&b);
    sp_tree_free(t);
}

START_TEST(row_and_scripts) {
    S a[] = {{0, 82, 20, 18, "x", 1}, {30, 88, 26, 8, "+", 1}, {64, 72, 16, 28, "1", 1}};
    expect(a, 3, "x+1");
    S sup[] = {{0, 82, 20, 18, "x", 1}, {22, 67, 12, 19, "2", 1}};
    expect(sup, 2, "x^{2}");
    S sub[] = {{0, 82, 20, 18, "x", 1}, {22, 87, 7, 19, "i", 1}};
    expect(sub, 2, "x_{i}");
    S both[] = {{0, 82, 20, 18, "x", 1}, {22, 91, 7, 19, "i", 1}, {22, 64, 12, 19, "2", 1}};
    expect(both, 3, "x_{i}^{2}");
    /* a j whose tail blurred away, level with the i before it, is beside
     * it: nothing whose bottom reaches the baseline is a superscript */
    S ij[] = {{0, 82, 20, 26, "g", 1}, {22, 93, 5, 13, "i", 1}, {28, 93, 5, 13, "j", 1}};
    expect(ij, 3, "g_{ij}");
    S prime[] = {{0, 72, 22, 28, "f", 1}, {24, 70, 6, 12, "\\prime", 1}};
    expect(prime, 2, "f^{\\prime}");
    /* nested: e^{x^{2}} */
    S nest[] = {{0, 82, 18, 18, "e", 1}, {20, 73, 14, 13, "x", 1}, {36, 60, 9, 14, "2", 1}};
    expect(nest, 3, "e^{x^{2}}");
}
END_TEST

START_TEST(fractions_and_radicals) {
    S f[] = {{0, 89, 30, 2, "\\frac", 1}, {8, 68, 14, 18, "a", 1}, {8, 94, 14, 28, "b", 1}};
    expect(f, 3, "\\frac{a}{b}");
    /* a comma set right after the rule's end is not in the denominator */
    S fc[] = {{0, 89, 30, 2, "\\frac", 1}, {8, 68, 14, 18, "a", 1}, {8, 94, 14, 28, "b", 1}, {31, 96, 5, 11, ",", 1}};
    expect(fc, 4, "\\frac{a}{b},");
    S minus[] = {{0, 82, 20, 18, "x", 1}, {28, 89, 26, 2, "\\frac", 1}, {62, 82, 20, 18, "y", 1}};
    expect(minus, 3, "x-y");
    S r[] = {{0, 60, 50, 44, "\\sqrt", 1}, {24, 82, 20, 18, "x", 1}};
    expect(r, 2, "\\sqrt{x}");
    /* a piece of the sign's rising stroke, broken off and read as a prime */
    S piece[] = {{0, 60, 50, 44, "\\sqrt", 1}, {24, 66, 3, 12, "\\prime", 1}, {30, 82, 20, 18, "x", 1}};
    expect(piece, 3, "\\sqrt{x}");
    S ri[] = {{4, 62, 9, 14, "3", 1}, {0, 60, 50, 44, "\\sqrt", 1}, {24, 82, 20, 18, "x", 1}};
    expect(ri, 3, "\\sqrt[3]{x}");
    /* a radical sign read alone, its vinculum a separate bar */
    S surd[] = {{0, 64, 22, 40, "\\surd", 1}, {20, 60, 30, 3, "-", 1}, {26, 82, 20, 18, "x", 1}};
    expect(surd, 3, "\\sqrt{x}");
    /* that bar read as a flat accent over the radicand (im2latex-val 303: \\surd\\widetilde{3}) */
    static const char *const flat[] = {"\\tilde", "\\bar", "\\widehat"};
    for (size_t k = 0; k < 3; k++) {
        S acc[] = {{0, 64, 22, 40, "\\surd", 1}, {20, 60, 30, 3, flat[k], 1}, {26, 66, 20, 18, "x", 1}};
        expect(acc, 3, "\\sqrt{x}");
    }
    /* a bar over the glyph after a lone radical sign, well below the sign's
     * top, is that glyph's accent */
    S low[] = {{0, 64, 22, 40, "\\surd", 1}, {31, 76, 14, 2, "\\bar", 1}, {31, 82, 14, 18, "x", 1}};
    expect(low, 3, "\\surd\\ \\bar{x}");
}
END_TEST

START_TEST(operators_accents_functions) {
    S sum[] = {{0, 60, 40, 56, "\\displaystyle\\sum", 1}, {16, 120, 6, 19, "i", 1}, {12, 44, 14, 13, "n", 1},
               {48, 82, 20, 18, "x", 1}};
    expect(sum, 4, "\\sum_{i}^{n}x");
    S hat[] = {{3, 72, 14, 6, "\\hat", 1}, {0, 82, 20, 18, "x", 1}};
    expect(hat, 2, "\\hat{x}");
    S sin[] = {{0, 82, 14, 18, "\\mathrm{s}", 1}, {16, 73, 6, 27, "\\mathrm{i}", 1}, {24, 82, 16, 18, "\\mathrm{n}", 1},
               {50, 82, 20, 18, "x", 1}};
    expect(sin, 4, "\\sin x");
    S rm[] = {{0, 72, 22, 28, "\\mathrm{d}", 1}, {24, 82, 20, 18, "x", 1}};
    expect(rm, 2, "\\mathrm{d}x");
}
END_TEST

START_TEST(fences_and_matrices) {
    S p[] = {{0, 50, 10, 80, "\\left(", 1}, {15, 82, 20, 18, "x", 1}, {40, 50, 10, 80, "\\right)", 1}};
    expect(p, 3, "\\bigg(x\\bigg)"); /* far taller than its x: sized on purpose (see sized_on_purpose) */
    S m[] = {{0, 40, 12, 100, "\\left(", 1},  {20, 52, 16, 28, "1", 1}, {76, 52, 16, 28, "0", 1},
             {20, 102, 16, 28, "0", 1},        {76, 102, 16, 28, "1", 1}, {100, 40, 12, 100, "\\right)", 1}};
    expect(m, 6, "\\left( \\begin{matrix} 1 & 0 \\\\ 0 & 1 \\end{matrix} \\right)");
    /* the same with \\arraycolsep kept inside the delimiters: an array */
    S a[] = {{0, 40, 12, 100, "\\left(", 1},  {28, 52, 16, 28, "1", 1}, {84, 52, 16, 28, "0", 1},
             {28, 102, 16, 28, "0", 1},        {84, 102, 16, 28, "1", 1}, {116, 40, 12, 100, "\\right)", 1}};
    expect(a, 6, "\\left( \\begin{array}{cc} 1 & 0 \\\\ 0 & 1 \\end{array} \\right)");
    S big[] = {{0, 70, 10, 40, "\\big(", 1}, {15, 82, 20, 18, "x", 1}, {40, 70, 10, 40, "\\big)", 1}};
    expect(big, 3, "\\big(x\\big)");
}
END_TEST

/* A stretched pair that \\left would not have sized so was sized on
 * purpose, and is written at the size its height says. */
START_TEST(sized_on_purpose) {
    /* \\Big( around subscripted letters: \\left( would be a size smaller */
    S small[] = {{0, 58, 12, 50, "\\left(", 1},   {16, 70, 16, 20, "\\delta", 1}, {33, 85, 8, 10, "a", 1},
                 {46, 70, 16, 20, "\\delta", 1},  {63, 85, 8, 10, "b", 1},      {75, 58, 12, 50, "\\right)", 1}};
    expect(small, 6, "\\Big(\\delta_{a}\\delta_{b}\\Big)");
    /* after an operator: \\Bigl( … \\Bigr) set tight, \\Big( a thin space on */
    S after_op[] = {{0, 52, 16, 60, "\\int", 1},         {20, 58, 12, 50, "\\left(", 1}, {36, 70, 16, 20, "\\delta", 1},
                    {53, 85, 8, 10, "a", 1},            {66, 70, 16, 20, "\\delta", 1}, {83, 85, 8, 10, "b", 1},
                    {95, 58, 12, 50, "\\right)", 1}};
    expect(after_op, 7, "\\int\\Bigl(\\delta_{a}\\delta_{b}\\Bigr)");
    S thin_op[] = {{0, 52, 16, 60, "\\int", 1},         {32, 58, 12, 50, "\\left(", 1}, {48, 70, 16, 20, "\\delta", 1},
                   {65, 85, 8, 10, "a", 1},            {78, 70, 16, 20, "\\delta", 1}, {95, 85, 8, 10, "b", 1},
                   {107, 58, 12, 50, "\\right)", 1}};
    expect(thin_op, 7, "\\int\\Big(\\delta_{a}\\delta_{b}\\Big)");
    /* \\Big[ whose fraction reaches beyond it: \\left[ would be taller */
    S over[] = {{0, 63, 10, 40, "\\left[", 1}, {20, 82, 16, 2, "\\frac", 1}, {22, 48, 12, 19, "4", 1},
                {22, 98, 12, 19, "1", 1},       {44, 63, 10, 40, "\\right]", 1}};
    expect(over, 5, "\\Big[\\frac{4}{1}\\Big]");
    /* a pair its content fills stays \\left … \\right */
    S fill[] = {{0, 50, 14, 64, "\\left(", 1}, {24, 82, 16, 2, "\\frac", 1}, {26, 58, 12, 19, "4", 1},
                {26, 92, 12, 19, "1", 1},       {48, 50, 14, 64, "\\right)", 1}};
    expect(fill, 5, "\\left( \\frac{4}{1} \\right)");
}
END_TEST

/* A tall bar with a script and no bar before it evaluates what precedes
 * it back to the relation: \\left. … \\right|, sized by TeX. */
START_TEST(evaluation_bar) {
    S eval[] = {{0, 82, 20, 18, "x", 1},        {26, 84, 26, 12, "=", 1},  {60, 89, 16, 2, "\\frac", 1},
                {62, 68, 12, 19, "4", 1},       {62, 94, 12, 19, "1", 1},  {82, 58, 4, 62, "\\bigg|", 1},
                {88, 112, 10, 13, "0", 1}};
    expect(eval, 7, "x=\\left. \\frac{4}{1} \\right|_{0}");
}
END_TEST

/* The tip of a T's top stroke broken off reads as a comma level with
 * the T's top: it is the T's, not a superscript comma. */
START_TEST(serif_pieces) {
    S tip[] = {{0, 72, 22, 28, "T", 1}, {22, 73, 3, 8, ",", 1}, {32, 84, 26, 12, "=", 1}, {64, 82, 20, 18, "x", 1}};
    expect(tip, 4, "T=x");
    /* a comma on the line after it stays */
    S comma[] = {{0, 72, 22, 28, "T", 1}, {24, 96, 4, 10, ",", 1}, {34, 82, 20, 18, "x", 1}};
    expect(comma, 3, "T,x");
}
END_TEST

/* A minus touching an arrow head on its axis is the shaft of a long
 * arrow (TeX builds \\longrightarrow from the two); one apart is not. */
START_TEST(long_arrows) {
    S right[] = {{0, 82, 20, 18, "x", 1}, {26, 89, 16, 2, "-", 1}, {41, 84, 26, 12, "\\rightarrow", 1},
                 {72, 82, 20, 18, "y", 1}};
    expect(right, 4, "x\\longrightarrow y");
    S left[] = {{0, 82, 20, 18, "x", 1}, {26, 84, 26, 12, "\\Leftarrow", 1}, {51, 86, 16, 8, "=", 1},
                {72, 82, 20, 18, "y", 1}};
    expect(left, 4, "x\\Longleftarrow y");
    S apart[] = {{0, 82, 20, 18, "x", 1}, {26, 89, 16, 2, "-", 1}, {48, 84, 26, 12, "\\rightarrow", 1},
                 {80, 82, 20, 18, "y", 1}};
    expect(apart, 4, "x-\\rightarrow y");
}
END_TEST

/* regressions from ground-truth symbols of tools/gen formulas */
START_TEST(fixed_bugs) {
    /* x'': the second prime is beside the first, not its superscript */
    S pp[] = {{0, 72, 22, 28, "f", 1}, {24, 70, 6, 12, "\\prime", 1}, {32, 70, 6, 12, "\\prime", 1}};
    expect(pp, 3, "f^{\\prime\\prime}");
    /* a prime broken across its stroke: two touching pieces, one lower */
    S bp[] = {{0, 82, 20, 18, "x", 1}, {21, 74, 4, 9, "\\prime", 1}, {25, 68, 4, 13, "\\prime", 1}};
    expect(bp, 3, "x^{\\prime}");
    /* a rule right under its content is \underline (was \overline) */
    S ul[] = {{0, 82, 20, 18, "x", 1}, {0, 104, 20, 2, "\\frac", 1}};
    expect(ul, 2, "\\underline{x}");
    /* a rule right over its content is \overline (was a minus sign) */
    S ol[] = {{0, 74, 20, 2, "\\frac", 1}, {0, 82, 20, 18, "x", 1}};
    expect(ol, 2, "\\overline{x}");
    /* ... also between parentheses that stick out past its ends */
    S olp[] = {{0, 70, 10, 40, "(", 1}, {12, 74, 40, 2, "\\frac", 1}, {12, 82, 18, 18, "o", 1},
               {32, 72, 20, 28, "k", 1}, {54, 70, 10, 40, ")", 1}};
    expect(olp, 5, "(\\overline{ok})");
    /* an overlined subscript stays in the subscript */
    S ols[] = {{0, 82, 20, 18, "x", 1}, {22, 90, 14, 1, "\\frac", 1}, {22, 93, 6, 13, "o", 1}, {29, 87, 7, 19, "k", 1}};
    expect(ols, 4, "x_{\\overline{ok}}");
    /* "min" with a limit that starts between its letters */
    S mn[] = {{0, 82, 24, 18, "\\mathrm{m}", 1}, {26, 73, 8, 27, "\\mathrm{i}", 1}, {36, 82, 16, 18, "\\mathrm{n}", 1},
              {14, 104, 12, 19, "k", 1}};
    expect(mn, 4, "\\min_{k}");
    /* a function word in a subscript has the script's size */
    S cs[] = {{0, 82, 20, 18, "x", 1}, {22, 93, 10, 13, "\\mathrm{c}", 1}, {33, 93, 11, 13, "\\mathrm{o}", 1},
              {45, 93, 9, 13, "\\mathrm{s}", 1}};
    expect(cs, 4, "x_{\\cos}");
    /* a wrapped formula: the second line starts at the left margin right
     * under the first (tight gap) */
    S wr[] = {{0, 82, 20, 18, "a", 1}, {30, 88, 26, 8, "+", 1}, {64, 72, 16, 28, "b", 1}, {0, 106, 18, 18, "c", 1}};
    expect_ex(wr, 4, SP_LAYOUT_JOIN_LINES, "a+bc");
    expect(wr, 4, "\\begin{array}{l} a+b \\\\ c \\end{array}");
    /* two lines centred under each other, and two set flush right */
    S ce[] = {{0, 82, 20, 18, "a", 1}, {30, 88, 26, 8, "+", 1}, {64, 72, 16, 28, "b", 1}, {31, 116, 18, 18, "c", 1}};
    expect(ce, 4, "\\begin{array}{c} a+b \\\\ c \\end{array}");
    S fl[] = {{0, 82, 20, 18, "a", 1},   {30, 88, 26, 8, "+", 1},   {64, 72, 16, 28, "b", 1},
              {34, 116, 18, 18, "c", 1}, {54, 106, 26, 28, "d", 1}};
    expect(fl, 5, "\\begin{array}{r} a+b \\\\ cd \\end{array}");
    /* a fraction as wide as the formula is not two lines */
    S fr[] = {{0, 68, 20, 18, "a", 1}, {30, 74, 26, 8, "+", 1}, {64, 58, 16, 28, "b", 1}, {0, 89, 80, 2, "\\frac", 1},
              {30, 96, 16, 18, "c", 1}};
    expect(fr, 5, "\\frac{a+b}{c}");
}
END_TEST

/* Fixes found by laying out the ground-truth symbols of data/gen/real-heldout
 * (scipix-eval labels): one exact-LaTeX case each. */
START_TEST(heldout_fixes) {
    /* an operator inside a subscript (sized from its width, glued between
     * script units): x_{n-1}, not x_{n}-_{1} */
    S sm[] = {{0, 82, 20, 18, "x", 1}, {22, 93, 13, 13, "n", 1}, {37, 98, 16, 2, "-", 1}, {56, 87, 10, 19, "1", 1}};
    expect(sm, 4, "x_{n-1}");
    /* a script-size minus opening a superscript: e^{-i} */
    S sp[] = {{0, 82, 18, 18, "e", 1}, {20, 72, 16, 2, "-", 1}, {38, 64, 5, 13, "i", 1}};
    expect(sp, 3, "e^{-i}");
    /* a fraction whose rule is level with the exponent's minus is in the
     * exponent: e^{-\\frac{a}{b}} */
    S ef[] = {{0, 82, 16, 18, "e", 1},  {18, 78, 12, 2, "-", 1},   {32, 78, 14, 2, "\\frac", 1},
              {34, 66, 10, 11, "a", 1}, {34, 81, 10, 15, "b", 1}};
    expect(ef, 5, "e^{-\\frac{a}{b}}");
    /* a comma on the baseline is punctuation, not a subscript: x,y */
    S cm[] = {{0, 82, 20, 18, "x", 1}, {22, 96, 4, 12, ",", 1}, {30, 82, 20, 26, "y", 1}};
    expect(cm, 3, "x,y");
    /* ... and a comma inside a subscript stays there: k_{m,l} */
    S cs[] = {{0, 72, 20, 28, "k", 1}, {22, 93, 16, 13, "m", 1}, {40, 101, 3, 8, ",", 1}, {46, 87, 6, 19, "l", 1}};
    expect(cs, 4, "k_{m,l}");
    /* a final period after a tall closing delimiter stays on the line */
    S pd[] = {{0, 42, 10, 96, "\\bigg(", 1},  {20, 48, 16, 28, "1", 1}, {14, 89, 30, 2, "\\frac", 1},
              {20, 106, 16, 28, "2", 1},      {50, 42, 10, 96, "\\bigg)", 1}, {64, 96, 4, 4, ".", 1}};
    /* a sized pair that its content fills is what \left … \right sets */
    expect(pd, 6, "\\left( \\frac{1}{2} \\right).");
    /* the first glyph dips below the line (calligraphic Y): the baseline is
     * the median of the first units, so "(" is not a superscript */
    S cy[] = {{0, 72, 28, 34, "\\mathcal{Y}", 1}, {30, 70, 10, 40, "(", 1}, {42, 72, 28, 28, "C", 1},
              {72, 70, 10, 40, ")", 1}};
    expect(cy, 4, "\\mathcal{Y}(C)");
    /* a fraction in a superscript is script size (its parts are
     * scriptscript): N^{\frac{2}{1}}, not N\frac{2}{1} */
    S fs[] = {{0, 72, 30, 28, "N", 1}, {32, 78, 10, 2, "\\frac", 1}, {33, 62, 8, 14, "2", 1}, {33, 81, 8, 14, "1", 1}};
    expect(fs, 4, "N^{\\frac{2}{1}}");
    /* an accent is over what lies under its span: not the comma after it,
     * not the subscript of its letter */
    S va[] = {{2, 72, 16, 6, "\\vec", 1}, {0, 82, 20, 26, "y", 1}, {22, 96, 4, 12, ",", 1}, {30, 82, 20, 18, "x", 1}};
    expect(va, 4, "\\vec{y},x");
    S ba[] = {{0, 66, 12, 2, "\\bar", 1}, {0, 72, 12, 28, "t", 1}, {13, 93, 10, 13, "a", 1}};
    expect(ba, 3, "\\bar{t}_{a}");
    /* a script-size letter level with the previous subscript letter
     * continues the subscript: \Phi_{kl} */
    S zn[] = {{0, 72, 28, 28, "\\Phi", 1}, {30, 86, 12, 19, "k", 1}, {43, 83, 5, 19, "l", 1}};
    expect(zn, 3, "\\Phi_{kl}");
    /* a clearly script-size glyph barely below the line is a subscript */
    S kb[] = {{0, 72, 28, 28, "\\mathfrak{K}", 1}, {30, 82, 14, 27, "\\beta", 1}};
    expect(kb, 2, "\\mathfrak{K}_{\\beta}");
    /* a display fraction (main-size parts) does not set the size of the
     * line it is on: the subscript after it under a radical stays one */
    S df[] = {{0, 20, 120, 110, "\\sqrt", 1}, {30, 89, 30, 2, "\\frac", 1}, {34, 55, 22, 28, "A", 1},
              {34, 97, 22, 28, "B", 1},        {70, 82, 20, 18, "x", 1},      {92, 87, 7, 19, "i", 1}};
    expect(df, 6, "\\sqrt{\\frac{A}{B}x_{i}}");
    /* a lone open brace around two rows is a cases environment; the row
     * under a fraction (0.48 em below its denominator) is not part of it */
    S cs2[] = {{0, 50, 14, 120, "\\Bigg\\{", 1}, {24, 89, 16, 2, "\\frac", 1}, {26, 68, 12, 19, "4", 1},
               {26, 94, 12, 19, "1", 1},          {80, 82, 20, 18, "x", 1},      {26, 132, 16, 28, "2", 1},
               {80, 142, 20, 26, "y", 1}};
    expect(cs2, 7, "\\begin{cases} \\frac{4}{1} & x \\\\ 2 & y \\end{cases}");
    /* ... and a comma level with the brace's middle ends the formula */
    S cs3[8];
    memcpy(cs3, cs2, sizeof cs2);
    cs3[7] = (S){110, 104, 4, 12, ",", 1};
    expect(cs3, 8, "\\begin{cases} \\frac{4}{1} & x \\\\ 2 & y \\end{cases},");
    /* the same brace with half an em of air before its rows is \\left\\{
     * around an array, whose columns are flush left */
    S br[7];
    memcpy(br, cs2, sizeof cs2);
    for (size_t i = 1; i < 7; i++) br[i].x += 20;
    br[6].w = 60; /* a wide y: the right column's cells share their left edge */
    expect(br, 7, "\\left\\{ \\begin{array}{cl} \\frac{4}{1} & x \\\\ 2 & y \\end{array} \\right.");
    /* one glyph taller than the rest (a fraktur v) does not set the size:
     * the parentheses around two rows are still tall enough for a matrix */
    S mv[] = {{0, 52, 16, 24, "\\mathfrak{v}", 1}, {20, 58, 24, 8, "=", 1}, {50, 20, 20, 92, "\\bigg(", 1},
              {80, 28, 16, 28, "1", 1},  {126, 28, 16, 28, "2", 1}, {172, 28, 16, 28, "3", 1}, {218, 28, 16, 28, "4", 1},
              {80, 76, 16, 28, "5", 1},  {126, 76, 16, 28, "6", 1}, {172, 76, 16, 28, "7", 1}, {218, 76, 16, 28, "8", 1},
              {250, 20, 20, 92, "\\bigg)", 1}};
    expect(mv, 12, "\\mathfrak{v}=\\left( \\begin{matrix} 1 & 2 & 3 & 4 \\\\ 5 & 6 & 7 & 8 \\end{matrix} \\right)");
    /* a binomial-like stack of two short rows: its \\bigg parentheses are
     * only 1.7 em tall, and are still a matrix's */
    S bn[] = {{0, 40, 14, 68, "\\bigg(", 1}, {22, 50, 20, 18, "n", 1}, {26, 78, 8, 28, "l", 1},
              {50, 40, 14, 68, "\\bigg)", 1}};
    expect(bn, 4, "\\left( \\begin{matrix} n \\\\ l \\end{matrix} \\right)");
    /* what sits high or low right after an opening \\Big( is its content,
     * never dropped as scripts the delimiter cannot carry */
    S pre[] = {{0, 62, 12, 60, "\\Big(", 1}, {16, 66, 12, 19, "2", 1}, {32, 82, 20, 18, "x", 1},
               {60, 62, 12, 60, "\\Big)", 1}};
    expect(pre, 4, "\\left( 2x \\right)");
}
END_TEST

/* Classifier confusions settled by position (the alternatives of
 * sp_layout_symbol): one case per confusion family. */
static S alt1(int x, int y, int w, int h, const char *l, float p, const char *a, float ap) {
    S s = {x, y, w, h, l, p};
    s.alt[0] = a;
    s.alt_prob[0] = ap;
    return s;
}

START_TEST(context_alternatives) {
    /* a dot on the axis is \cdot, one on the baseline "." */
    S cd[] = {{0, 82, 16, 18, "a", 1}, alt1(22, 88, 4, 4, ".", 0.7f, "\\cdot", 0.3f), {32, 72, 16, 28, "b", 1}};
    expect(cd, 3, "a\\cdot b");
    S pd[] = {{0, 72, 16, 28, "1", 1}, alt1(18, 96, 4, 4, "\\cdot", 0.6f, ".", 0.4f), {24, 72, 16, 28, "5", 1}};
    expect(pd, 3, "1.5");
    /* a "comma" high at the letter's top right is a prime; a low "prime" a comma */
    S pr[] = {{0, 72, 22, 28, "f", 1}, alt1(24, 70, 5, 12, ",", 0.6f, "\\prime", 0.3f)};
    expect(pr, 2, "f^{\\prime}");
    S cm[] = {{0, 82, 20, 18, "x", 1}, alt1(22, 96, 4, 12, "\\prime", 0.5f, ",", 0.4f), {30, 82, 20, 26, "y", 1}};
    expect(cm, 3, "x,y");
    /* a bar that does not reach below the baseline is the letter l */
    S ll[] = {{0, 82, 20, 18, "x", 1}, alt1(24, 72, 5, 28, "|", 0.5f, "\\mathrm{l}", 0.3f)};
    expect(ll, 2, "x\\mathrm{l}");
    /* with no alternative, or an unlikely one, the classifier's class stays */
    S kp[] = {{0, 82, 16, 18, "a", 1}, alt1(22, 88, 4, 4, ".", 0.99f, "\\cdot", 0.005f), {32, 72, 16, 28, "b", 1}};
    expect(kp, 3, "a.b");
    /* a script s the classifier doubts for an asterisk is the asterisk
     * (z^{*}, a_{*}); a sure one stays an s */
    S st[] = {{0, 82, 20, 18, "z", 1}, alt1(22, 70, 11, 11, "s", 0.6f, "\\ast", 0.27f)};
    expect(st, 2, "z^{*}");
    S sb[] = {{0, 82, 20, 18, "a", 1}, alt1(22, 93, 11, 11, "s", 0.6f, "\\ast", 0.2f)};
    expect(sb, 2, "a_{*}");
    S ss[] = {{0, 82, 20, 18, "z", 1}, alt1(22, 70, 11, 11, "s", 0.95f, "\\ast", 0.02f)};
    expect(ss, 2, "z^{s}");
    /* an upright o alone is a 0; one in a word stays */
    S uo[] = {{0, 72, 26, 28, "A", 1}, alt1(28, 93, 13, 13, "\\mathrm{o}", 0.6f, "0", 0.3f)};
    expect(uo, 2, "A_{0}");
    S wo[] = {{0, 82, 20, 18, "x", 1}, {22, 93, 10, 13, "\\mathrm{c}", 1},
              alt1(33, 93, 11, 13, "\\mathrm{o}", 0.6f, "0", 0.3f), {45, 93, 9, 13, "\\mathrm{s}", 1}};
    expect(wo, 4, "x_{\\cos}");
    /* letter case from size and place: a script S read as a small s (which
     * would make it a main-size letter set high) and a capital Z standing
     * among x-height letters read as a small z; a z of x-height stays */
    S cs1[] = {{0, 82, 18, 18, "e", 1}, {20, 72, 16, 2, "-", 1}, alt1(38, 66, 14, 20, "s", 0.55f, "S", 0.4f)};
    expect(cs1, 3, "e^{-S}");
    S cz[] = {{0, 82, 20, 18, "a", 1}, {22, 82, 20, 18, "n", 1}, alt1(44, 72, 20, 28, "z", 0.6f, "Z", 0.35f)};
    expect(cz, 3, "anZ");
    S sz[] = {{0, 82, 20, 18, "a", 1}, {22, 82, 20, 18, "n", 1}, alt1(44, 82, 20, 18, "z", 0.6f, "Z", 0.35f)};
    expect(sz, 3, "anz");
    /* a doubtful e with \\epsilon as its second guess is the epsilon when
     * narrow (two thirds as wide as tall); a round one, or a sure one,
     * stays an e */
    S ne[] = {{0, 72, 16, 28, "A", 1}, alt1(20, 82, 12, 18, "e", 0.55f, "\\epsilon", 0.35f)};
    expect(ne, 2, "A\\epsilon");
    S re[] = {{0, 72, 16, 28, "A", 1}, alt1(20, 82, 17, 18, "e", 0.55f, "\\epsilon", 0.35f)};
    expect(re, 2, "Ae");
    S se[] = {{0, 72, 16, 28, "A", 1}, alt1(20, 82, 12, 18, "e", 0.8f, "\\epsilon", 0.15f)};
    expect(se, 2, "Ae");
    /* a mark hanging from the top of the letter before it is a prime, one
     * below its foot a comma, whichever the classifier preferred; a prime
     * after a subscript glyph, low in the zone, is that glyph's */
    S lp[] = {{0, 72, 26, 28, "Y", 1}, {28, 90, 6, 20, "l", 1}, alt1(35, 90, 4, 8, ",", 0.55f, "\\prime", 0.4f)};
    expect(lp, 3, "Y_{l^{\\prime}}");
    /* the letter need be only a little taller than the mark: the prime of
     * a subscript p at 100 dpi is 5 px to the p's 7 (K_{p^{\prime}}) */
    S kp1[] = {{0, 72, 26, 28, "K", 1}, {28, 92, 12, 14, "p", 1}, alt1(41, 88, 4, 10, ",", 0.55f, "\\prime", 0.4f)};
    expect(kp1, 3, "K_{p^{\\prime}}");
    S ac[] = {{0, 82, 20, 18, "a", 1}, alt1(22, 96, 4, 10, "\\prime", 0.55f, ",", 0.4f), {30, 72, 16, 28, "b", 1}};
    expect(ac, 3, "a,b");
    S sc[] = {{0, 82, 20, 18, "x", 1}, {22, 70, 14, 13, "a", 1}, alt1(37, 80, 3, 7, "\\prime", 0.55f, ",", 0.4f),
              {42, 63, 11, 20, "b", 1}};
    expect(sc, 4, "x^{a,b}");
    /* a letter as tall as the main ones but set wholly higher, top and
     * bottom, is a superscript (a script letter blurred to main size in a
     * cramped denominator), as one set wholly lower is a subscript */
    S rs[] = {{0, 82, 20, 18, "x", 1}, {22, 82, 20, 18, "u", 1}, {44, 74, 16, 18, "a", 1}};
    expect(rs, 3, "xu^{a}");
    /* a slash whose thin tip broke off (read as a prime) is mended, and
     * measured from the mended box it is on the line: 1/x, not 1_{/}x */
    S sl[] = {{0, 72, 16, 28, "1", 1}, {18, 82, 12, 28, "/", 1}, {28, 70, 4, 12, "\\prime", 1},
              {32, 82, 18, 18, "x", 1}};
    expect(sl, 4, "1/x");
    /* a capital Sigma read on a glyph taller than an em is the sum, and
     * takes its limit */
    S sg[] = {{0, 82, 20, 18, "a", 1},  {22, 82, 20, 18, "u", 1},  {44, 82, 20, 18, "v", 1},
              {66, 82, 20, 18, "w", 1}, alt1(90, 58, 36, 56, "\\Sigma", 0.45f, "\\displaystyle\\sum", 0.25f),
              {100, 118, 14, 18, "k", 1}, {130, 82, 20, 18, "x", 1}, {152, 82, 20, 18, "y", 1},
              {174, 82, 20, 18, "z", 1}};
    expect(sg, 9, "auvw\\sum_{k}xyz");
    /* a stroke read "1" between upright letters is an upright l */
    S wl[] = {{0, 72, 24, 28, "\\mathrm{P}", 1}, alt1(26, 72, 6, 28, "1", 0.6f, "\\mathrm{l}", 0.3f)};
    expect(wl, 2, "\\mathrm{Pl}");
    /* the r of a heavy "Tr" read as an x, with the upright r a runner-up */
    S tr[] = {alt1(0, 72, 24, 28, "\\mathbf{T}", 0.7f, "\\mathrm{T}", 0.2f),
              alt1(24, 82, 16, 18, "x", 0.8f, "\\mathrm{r}", 0.02f),
              {46, 82, 20, 18, "a", 1}};
    expect(tr, 3, "\\mathrm{Tr}a");
    /* a "3" two pixels wide and twice as tall is a comma */
    S tc[] = {{0, 82, 20, 18, "x", 1}, {22, 70, 14, 13, "a", 1}, alt1(37, 81, 2, 5, "3", 0.6f, ",", 0.2f),
              {42, 63, 11, 20, "b", 1}};
    expect(tc, 4, "x^{a,b}");
    /* a dagger centred a fifth of an em above the axis is a superscript;
     * one centred on the axis is on the line */
    S dg[] = {{0, 72, 26, 28, "F", 1}, {28, 70, 10, 24, "\\dagger", 1}};
    expect(dg, 2, "F^{\\dagger}");
    S dl[] = {{0, 72, 26, 28, "F", 1}, {30, 74, 10, 32, "\\dagger", 1}};
    expect(dl, 2, "F\\dagger");
}
END_TEST

START_TEST(ellipses_bars_script_minus) {
    /* three level, evenly spaced dots: one \ldots on the baseline ... */
    S low[] = {{0, 72, 16, 28, "1", 1}, {20, 96, 5, 11, ",", 1}, {32, 95, 5, 5, ".", 1},
               {45, 95, 5, 5, ".", 1}, {58, 95, 5, 5, "\\cdot", 1}, {70, 96, 5, 11, ",", 1},
               {82, 82, 20, 18, "n", 1}};
    expect(low, 7, "1,\\ldots,n");
    /* ... even a little above the letters' feet, level with the commas
     * beside it: they share its line */
    S lowc[] = {{0, 72, 16, 28, "1", 1}, {20, 92, 5, 11, ",", 1}, {32, 91, 5, 5, ".", 1},
                {45, 91, 5, 5, ".", 1}, {58, 91, 5, 5, ".", 1}, {70, 92, 5, 11, ",", 1},
                {82, 82, 20, 18, "n", 1}};
    expect(lowc, 7, "1,\\ldots,n");
    /* ... but periods typed in a row, 0.2 em apart, stay periods */
    S periods[] = {{0, 72, 16, 28, "1", 1}, {20, 96, 5, 11, ",", 1}, {32, 95, 5, 5, ".", 1},
                   {40, 95, 5, 5, ".", 1}, {48, 95, 5, 5, ".", 1}, {60, 96, 5, 11, ",", 1},
                   {72, 82, 20, 18, "n", 1}};
    expect(periods, 7, "1,...,n");
    /* ... or \cdots on the axis, whatever the classifier said of each */
    S mid[] = {{0, 82, 20, 18, "a", 1}, {28, 77, 26, 26, "+", 1}, {62, 88, 5, 5, ".", 1},
               {75, 88, 5, 5, ".", 1}, {88, 88, 5, 5, ".", 1}, {100, 77, 26, 26, "+", 1},
               {134, 72, 18, 28, "b", 1}};
    expect(mid, 7, "a+\\cdots+b");
    /* with no letter or digit within 1.5 em, by the operators' axis, or
     * by the commas' tops, over what the classifier said of each dot */
    S ops[] = {{0, 82, 20, 18, "x", 1},   {30, 86, 30, 8, "=", 1},   {70, 82, 20, 18, "y", 1},
               {140, 77, 26, 26, "+", 1}, {174, 88, 5, 5, ".", 1},  {187, 88, 5, 5, ".", 1},
               {200, 88, 5, 5, ".", 1},  {212, 77, 26, 26, "+", 1}};
    expect(ops, 8, "x=y\\quad+\\cdots+");
    S commas[] = {{0, 82, 20, 18, "x", 1},       {30, 86, 30, 8, "=", 1},       {70, 82, 20, 18, "y", 1},
                  {160, 96, 5, 11, ",", 1},   {174, 88, 5, 5, ".", 1},      {187, 88, 5, 5, ".", 1},
                  {200, 88, 5, 5, ".", 1},    {212, 96, 5, 11, ",", 1}};
    expect(commas, 8, "x=y\\qquad,\\cdots,");
    /* with no letter that sits on the line, by the x-height tops of the
     * letters that hang below it (\\gamma), or by parentheses, which are
     * centred on the axis */
    S hang[] = {{0, 82, 18, 28, "\\gamma", 1}, {26, 88, 5, 5, ".", 1}, {39, 88, 5, 5, ".", 1},
                {52, 88, 5, 5, ".", 1},          {64, 82, 18, 28, "\\gamma", 1}};
    expect(hang, 5, "\\gamma\\cdots\\gamma");
    S parens[] = {{0, 70, 12, 40, ")", 1}, {20, 88, 5, 5, ".", 1}, {33, 88, 5, 5, ".", 1},
                  {46, 88, 5, 5, ".", 1},  {58, 70, 12, 40, "(", 1}};
    expect(parens, 5, ")\\cdots(");
    /* below the feet of the line's letters: dots in a subscript, on its
     * axis (0.25 of the script's em over its baseline) */
    S sub[] = {{0, 82, 20, 18, "x", 1}, {22, 95, 13, 19, "\\mu", 1}, {40, 99, 4, 4, ".", 1},
               {48, 99, 4, 4, ".", 1},  {56, 99, 4, 4, ".", 1},         {64, 95, 13, 13, "n", 1}};
    expect(sub, 6, "x_{\\mu\\cdots n}");
    /* two dots are not an ellipsis */
    S two[] = {{0, 82, 20, 18, "a", 1}, {24, 95, 5, 5, ".", 1}, {37, 95, 5, 5, ".", 1}};
    expect(two, 3, "a..");
    /* a short bar right over one letter, narrower than it: \bar */
    S bar[] = {{0, 82, 20, 26, "y", 1}, {4, 74, 12, 2, "-", 1}};
    expect(bar, 2, "\\bar{y}");
    /* ... or as wide as most of it but set in from its left edge (a
     * macron skewed right on an italic; an overline starts at the edge) */
    S skew[] = {{0, 82, 20, 18, "x", 1}, {3, 74, 17, 2, "-", 1}};
    expect(skew, 2, "\\bar{x}");
    S over[] = {{0, 82, 20, 18, "x", 1}, {0, 74, 20, 2, "-", 1}};
    expect(over, 2, "\\overline{x}");
    /* a lone script minus over the subscript is the superscript */
    S minus[] = {{0, 72, 26, 28, "U", 1}, {28, 90, 12, 19, "0", 1}, {32, 77, 19, 2, "-", 1}};
    expect(minus, 3, "U_{0}^{-}");
    /* the minus of an exponent right over the subscript is no overline:
     * the digit it leads is level with it; a \\bar is narrower than its letter */
    S ul[] = {{0, 72, 26, 28, "U", 1}, {28, 90, 12, 19, "4", 1}, {27, 74, 16, 2, "-", 1}, {45, 62, 9, 20, "1", 1}};
    expect(ul, 4, "U_{4}^{-1}");
    /* a hat narrower than its calligraphic capital is its accent, not a
     * line of its own above the formula */
    S hh[] = {{10, 64, 8, 5, "\\hat", 1},           {0, 70, 30, 30, "\\mathcal{H}", 1},
              {34, 82, 20, 18, "x", 1},             {60, 86, 26, 8, "=", 1},
              {100, 64, 8, 5, "\\hat", 1},          {90, 70, 30, 30, "\\mathcal{H}", 1}};
    expect(hh, 6, "\\hat{\\mathcal{H}}x=\\hat{\\mathcal{H}}");
    S barx[] = {{0, 82, 20, 18, "x", 1}, {5, 74, 12, 2, "-", 1}, {22, 66, 14, 14, "\\mu", 1}};
    expect(barx, 3, "\\bar{x}^{\\mu}");
    /* ... nor over a script x-height letter, whose em is a guess larger than
     * the digit's: the minus lies well above it */
    S tn[] = {{0, 72, 26, 28, "T", 1}, {28, 96, 12, 12, "n", 1}, {30, 80, 13, 2, "-", 1}, {45, 72, 8, 13, "1", 1}};
    expect(tn, 4, "T_{n}^{-1}");
    /* a minus above the x-height of its base is in the superscript, even
     * when its width alone makes it look main-size */
    S em[] = {{0, 82, 18, 18, "e", 1}, {20, 78, 20, 2, "\\frac", 1}, {42, 73, 13, 13, "x", 1}};
    expect(em, 3, "e^{-x}");
    /* a function name spelled through a misread letter: the l of log read
     * as 1, the o as a runner-up */
    S log[] = {{0, 72, 8, 28, "1", 0.9f}, {12, 82, 18, 18, "0", 0.5f, {"\\mathrm{o}"}, {0.4f}},
               {34, 82, 18, 26, "\\mathrm{g}", 1}, {60, 82, 20, 18, "x", 1}};
    expect(log, 4, "\\log x");
    /* the "co" of a heavy cos merged into a blob read as \\infty */
    S cos[] = {{0, 82, 30, 18, "\\infty", 0.9f}, {31, 82, 12, 18, "\\mathrm{s}", 1}, {54, 82, 20, 18, "x", 1}};
    expect(cos, 3, "\\cos x");
    /* italic letters spell no function (im2latex types "det" so), unless
     * at least half of them read upright */
    S det[] = {{0, 72, 16, 28, "d", 1}, {18, 82, 16, 18, "\\mathrm{e}", 1}, {36, 76, 10, 24, "t", 1},
               {50, 82, 20, 18, "x", 1}};
    expect(det, 4, "d\\mathrm{e}tx");
    det[0].latex = "\\mathrm{d}";
    expect(det, 4, "\\det x");
    /* an accent over nothing is the classifier's next non-accent reading */
    S arrow[] = {{0, 82, 20, 18, "x", 1}, {26, 86, 30, 10, "\\vec", 0.6f, {"\\rightarrow", "\\hat"}, {0.3f, 0.05f}},
                 {64, 72, 16, 28, "1", 1}};
    expect(arrow, 3, "x\\rightarrow1");
    /* \lim with its limit under it beside a fraction is one line */
    S lim[] = {{0, 72, 8, 28, "\\mathrm{l}", 1},  {10, 72, 8, 28, "\\mathrm{i}", 1},
               {20, 82, 30, 18, "\\mathrm{m}", 1}, {0, 108, 13, 13, "x", 1},
               {15, 112, 20, 6, "\\rightarrow", 1}, {37, 107, 10, 14, "0", 1},
               {60, 55, 20, 28, "\\mathrm{b}", 1}, {56, 89, 28, 2, "\\frac", 1},
               {60, 100, 20, 18, "x", 1}};
    expect(lim, 9, "\\lim_{x\\rightarrow0}\\frac{\\mathrm{b}}{x}");
}
END_TEST

/* A period's glyph is the dot accent's: where it lies decides. */
START_TEST(dot_accents) {
    /* a dot just over a letter is \dot, two level dots \ddot ... */
    S dot[] = {{0, 82, 20, 18, "x", 1}, {10, 72, 5, 5, ".", 1}, {24, 96, 5, 5, ".", 1}};
    expect(dot, 3, "\\dot{x}.");
    S ddot[] = {{0, 72, 26, 28, "X", 1}, {8, 61, 5, 5, "\\cdot", 1}, {17, 61, 5, 5, ".", 1}, {28, 87, 7, 19, "i", 1}};
    expect(ddot, 4, "\\ddot{X}_{i}");
    /* ... a dotless i under its dot is i; a period beside a letter stays */
    S i[] = {{0, 82, 20, 18, "x", 1}, {22, 94, 5, 12, "\\imath", 1}, {22, 87, 5, 4, ".", 1}};
    expect(i, 3, "x_{i}");
    S stop[] = {{0, 82, 20, 18, "x", 1}, {24, 95, 5, 5, ".", 1}};
    expect(stop, 2, "x.");
    /* a dotless j whose dot was lost is a j; under an accent it stays dotless */
    S j[] = {{0, 82, 20, 18, "x", 1}, {24, 82, 10, 26, "\\jmath", 1}};
    expect(j, 2, "xj");
    S hat[] = {{1, 72, 10, 6, "\\hat", 1}, {2, 82, 6, 18, "\\imath", 1}};
    expect(hat, 2, "\\hat{\\imath}");
}
END_TEST

/* Operators sized from their width and short symbols. */
START_TEST(script_operators) {
    /* a script + is barely narrower than a main one: its centre, near the
     * baseline rather than on the axis, makes it the subscript of J */
    S sub[] = {{0, 72, 16, 28, "J", 1}, {20, 86, 20, 20, "+", 1}, {50, 89, 26, 2, "-", 1}, {84, 72, 16, 28, "1", 1}};
    expect(sub, 4, "J_{+}-1");
    S sup[] = {{0, 72, 16, 28, "J", 1}, {20, 56, 20, 20, "+", 1}};
    expect(sup, 2, "J^{+}");
    /* an asterisk is sized by its width too: high up, it is a superscript */
    S star[] = {{0, 82, 20, 18, "\\epsilon", 1}, {22, 76, 12, 12, "*", 1}};
    expect(star, 2, "\\epsilon^{*}");
    /* \infty is x-height tall: after "(" it is on the line, not low */
    S inf[] = {{0, 62, 12, 48, "(", 1}, {14, 82, 32, 18, "\\infty", 1}, {48, 62, 12, 48, ")", 1}};
    expect(inf, 3, "(\\infty)");
}
END_TEST

/* Gaps wider than TeX's own spacing are explicit spaces. */
START_TEST(explicit_spaces) {
    /* x, then a gap of 1.1 em: \quad; tight: nothing */
    S quad[] = {{0, 82, 20, 18, "x", 1}, {22, 96, 5, 11, ",", 1}, {76, 82, 20, 18, "y", 1}};
    expect(quad, 3, "x,\\quad y");
    S tight[] = {{0, 82, 20, 18, "x", 1}, {22, 96, 5, 11, ",", 1}, {35, 82, 20, 18, "y", 1}};
    expect(tight, 3, "x,y");
    /* a third of an em before the final period; x = y spaced as TeX does: nothing */
    S stop[] = {{0, 82, 20, 18, "x", 1}, {36, 95, 5, 5, ".", 1}};
    expect(stop, 2, "x\\ .");
    /* a fifth of an em beyond the bearings is a space, before a period and
     * between letters; a twentieth is not (in im2latex-val a "\\ " between
     * letters measures 0.1-0.35 em, no space under 0.05 but for 1 in 500) */
    S stop2[] = {{0, 82, 20, 18, "x", 1}, {32, 95, 5, 5, ".", 1}};
    expect(stop2, 2, "x\\ .");
    S fifth[] = {{0, 82, 20, 18, "x", 1}, {32, 82, 20, 18, "y", 1}};
    expect(fifth, 2, "x\\ y");
    S near[] = {{0, 82, 20, 18, "x", 1}, {26, 82, 20, 18, "y", 1}};
    expect(near, 2, "xy");
    /* a bar with a relation's air either side is \\mid, a tight one | */
    S mid[] = {{0, 82, 20, 18, "a", 1}, {35, 70, 4, 40, "|", 1}, {54, 72, 16, 28, "b", 1}};
    expect(mid, 3, "a\\mid b");
    S bar[] = {{0, 82, 20, 18, "a", 1}, {24, 70, 4, 40, "|", 1}, {32, 72, 16, 28, "b", 1}};
    expect(bar, 3, "a|b");
    S one_air[] = {{0, 82, 20, 18, "a", 1}, {35, 70, 4, 40, "|", 1}, {43, 72, 16, 28, "b", 1}};
    expect(one_air, 3, "a|b");
    S flush[] = {{0, 82, 20, 18, "x", 1}, {24, 95, 5, 5, ".", 1}};
    expect(flush, 2, "x.");
    S rel[] = {{0, 82, 20, 18, "x", 1}, {34, 84, 26, 12, "=", 1}, {74, 82, 20, 18, "y", 1}};
    expect(rel, 3, "x=y");
    /* a colon is x-height tall, not a small ascender: one a pixel low is
     * still on the line (x:=y) */
    S col[] = {{0, 82, 20, 18, "x", 1}, {24, 84, 5, 17, ":", 1}, {32, 84, 26, 12, "=", 1}, {72, 82, 20, 18, "y", 1}};
    expect(col, 4, "x:=y");
    /* LaTeX's \\frac is a group, an Ord: a period after it sits at the
     * null delimiter space (a tenth of an em of ink gap), a "\\ " a third
     * of an em further (not the half em an Inner atom's thin space needs) */
    S frac_tight[] = {{0, 82, 20, 18, "x", 1}, {24, 84, 26, 12, "=", 1}, {58, 56, 16, 26, "1", 1},
                      {54, 89, 24, 2, "-", 1}, {58, 96, 16, 26, "2", 1}, {82, 95, 5, 5, ".", 1}};
    expect(frac_tight, 6, "x=\\frac{1}{2}.");
    S frac_space[] = {{0, 82, 20, 18, "x", 1}, {24, 84, 26, 12, "=", 1}, {58, 56, 16, 26, "1", 1},
                      {54, 89, 24, 2, "-", 1}, {58, 96, 16, 26, "2", 1}, {94, 95, 5, 5, ".", 1}};
    expect(frac_space, 6, "x=\\frac{1}{2}\\ .");
}
END_TEST

/* A pair of delimiters taller than the glyphs beside them call for (a
 * normal "(" is about 0.9 em of ink) was stretched: \\left( … \\right). */
START_TEST(raised_fences) {
    /* one delimiter of a tall pair read \\right), the other \\Bigg( (the
     * classifier's two readings of one size): they close each other */
    S mixed[] = {{0, 50, 14, 120, "\\Bigg(", 1}, {24, 89, 16, 2, "\\frac", 1}, {26, 68, 12, 19, "4", 1},
                 {26, 94, 12, 19, "1", 1},      {48, 50, 14, 120, "\\right)", 1}};
    expect(mixed, 5, "\\left( \\frac{4}{1} \\right)");
    S tall[] = {{0, 50, 14, 120, "\\left(", 1}, {24, 89, 16, 2, "\\frac", 1}, {26, 68, 12, 19, "4", 1},
                {26, 94, 12, 19, "1", 1},     {48, 50, 14, 120, "\\Big)", 1}};
    expect(tall, 5, "\\left( \\frac{4}{1} \\right)");
    S big[] = {{0, 82, 20, 18, "x", 1},  {24, 66, 12, 50, "(", 1}, {40, 82, 20, 18, "u", 1},
               {64, 82, 20, 18, "v", 1}, {88, 82, 20, 18, "w", 1}, {112, 66, 12, 50, ")", 1}};
    expect(big, 6, "x\\left( uvw \\right)");
    S normal[] = {{0, 82, 20, 18, "x", 1},  {24, 71, 12, 38, "(", 1}, {40, 82, 20, 18, "u", 1},
                  {64, 82, 20, 18, "v", 1}, {88, 82, 20, 18, "w", 1}, {112, 71, 12, 38, ")", 1}};
    expect(normal, 6, "x(uvw)");
    /* normal size, but spaced as one Inner atom: a thin space (0.17 em)
     * between x and "(" and between ")" and y, where plain delimiters sit
     * tight; only when both sides say so */
    S inner[] = {{0, 82, 20, 18, "x", 1},  {31, 71, 12, 38, "(", 1}, {47, 82, 20, 18, "u", 1},
                 {71, 82, 20, 18, "v", 1}, {95, 82, 20, 18, "w", 1}, {119, 71, 12, 38, ")", 1},
                 {142, 82, 20, 18, "y", 1}};
    expect(inner, 7, "x\\left( uvw \\right)y");
    /* (one side's thin space alone is wider than no space: an explicit one) */
    S one_side[] = {{0, 82, 20, 18, "x", 1},  {31, 71, 12, 38, "(", 1}, {47, 82, 20, 18, "u", 1},
                    {71, 82, 20, 18, "v", 1}, {95, 82, 20, 18, "w", 1}, {119, 71, 12, 38, ")", 1},
                    {135, 82, 20, 18, "y", 1}};
    expect(one_side, 7, "x\\ (uvw)y");
    /* normal size, but its superscript raised from the pair's box (its
     * baseline 0.73 of the ")" above its bottom, where a character's
     * sits at 0.62) */
    S raised[] = {{0, 82, 20, 18, "x", 1},  {24, 71, 12, 38, "(", 1}, {40, 82, 20, 18, "u", 1},
                  {64, 82, 20, 18, "v", 1}, {88, 82, 20, 18, "w", 1}, {112, 71, 12, 38, ")", 1},
                  {126, 62, 12, 19, "2", 1}};
    expect(raised, 7, "x\\left( uvw \\right)^{2}");
    S plain_sup[] = {{0, 82, 20, 18, "x", 1},  {24, 71, 12, 38, "(", 1}, {40, 82, 20, 18, "u", 1},
                     {64, 82, 20, 18, "v", 1}, {88, 82, 20, 18, "w", 1}, {112, 71, 12, 38, ")", 1},
                     {126, 67, 12, 19, "2", 1}};
    expect(plain_sup, 7, "x(uvw)^{2}");
    /* a fraction's baseline is not where its ink says: no vote */
    S frac_sup[] = {{0, 82, 20, 18, "x", 1},  {24, 71, 12, 38, "(", 1}, {40, 82, 20, 18, "u", 1},
                    {64, 82, 20, 18, "v", 1}, {88, 82, 20, 18, "w", 1}, {112, 71, 12, 38, ")", 1},
                    {126, 74, 10, 2, "\\frac", 1}, {127, 58, 8, 14, "1", 1}, {127, 78, 8, 14, "2", 1}};
    expect(frac_sup, 9, "x(uvw)^{\\frac{1}{2}}");
    S bars[] = {{0, 71, 4, 38, "|", 1}, {12, 82, 20, 18, "x", 1}, {38, 71, 4, 38, "|", 1}, {46, 62, 12, 19, "2", 1}};
    expect(bars, 4, "\\left| x \\right|^{2}");
    /* a lone tall ")" is no \\right) */
    S lone[] = {{0, 82, 20, 18, "x", 1}, {24, 82, 20, 18, "u", 1}, {48, 82, 20, 18, "v", 1},
                {72, 66, 12, 50, ")", 1}};
    expect(lone, 4, "xuv)");
    /* before a final period a \\right) keeps less air: after this one
     * (normal size beside the region's em, which the pair raises to 51.5
     * px) 0.45 em of ink gap is a space, 0.08 em is not */
    S stop[] = {{0, 82, 20, 18, "x", 1},  {24, 66, 12, 50, "(", 1}, {40, 82, 20, 18, "u", 1},
                {64, 82, 20, 18, "v", 1}, {88, 82, 20, 18, "w", 1}, {112, 66, 12, 50, ")", 1},
                {147, 95, 5, 5, ".", 1}};
    expect(stop, 7, "x\\left( uvw \\right)\\ .");
    S tight[] = {{0, 82, 20, 18, "x", 1},  {24, 66, 12, 50, "(", 1}, {40, 82, 20, 18, "u", 1},
                 {64, 82, 20, 18, "v", 1}, {88, 82, 20, 18, "w", 1}, {112, 66, 12, 50, ")", 1},
                 {128, 95, 5, 5, ".", 1}};
    expect(tight, 7, "x\\left( uvw \\right).");
}
END_TEST

/* The right arc of a broken subscript 0, a small ")" tight against its
 * letter with no "(" before it, is the 0; one with its "(" stays. */
START_TEST(broken_zero) {
    S zero[] = {{0, 60, 26, 40, "E", 1}, {26, 82, 7, 24, ")", 1}, {50, 66, 30, 34, "=", 1}};
    expect(zero, 3, "E_{0}=");
    S paren[] = {{0, 60, 26, 40, "E", 1}, {27, 86, 7, 24, "(", 1}, {35, 88, 10, 18, "1", 1},
                 {46, 86, 7, 24, ")", 1}, {70, 66, 30, 34, "=", 1}};
    expect(paren, 5, "E_{(1)}=");
    /* both arcs apart, the left one read as a 4: one 0 (a 1 before the
     * arc is a 1) */
    S arcs[] = {{0, 60, 26, 40, "E", 1}, {26, 82, 7, 24, "4", 1}, {33, 82, 7, 24, ")", 1}, {58, 66, 30, 34, "=", 1}};
    expect(arcs, 4, "E_{0}=");
    S ten[] = {{0, 60, 26, 40, "E", 1}, {26, 82, 7, 24, "1", 1}, {33, 82, 7, 24, ")", 1}, {58, 66, 30, 34, "=", 1}};
    expect(ten, 4, "E_{10}=");
}
END_TEST

/* A superscript set higher than the prime before it belongs to the primed
 * base: {\\phi'}^{2}; level with it, prime and 2 are one script. */
START_TEST(primed_base) {
    S nested[] = {{0, 24, 32, 72, "\\phi", 1}, {36, 16, 8, 24, "\\prime", 1}, {44, 0, 24, 36, "2", 1},
                  {84, 44, 30, 33, "x", 1}};
    expect(nested, 4, "{\\phi^{\\prime}}^{2}x");
    S level[] = {{0, 16, 32, 72, "\\phi", 1}, {36, 8, 8, 24, "\\prime", 1}, {44, 0, 24, 36, "2", 1},
                 {84, 36, 30, 33, "x", 1}};
    expect(level, 4, "\\phi^{\\prime2}x");
}
END_TEST

/* One word, one font: a lone bold letter tight against upright ones is
 * upright when the classifier had that reading too. */
/* Tensor indices one after the other keep their order, the second on an
 * empty group; stacked scripts, and a superscript moved right of a narrow
 * subscript only by the base's slant, stay stacked; an integral's limits
 * are never indices; scripts before a line's first base hang on an empty
 * group too */
START_TEST(staggered_indices) {
    S up[] = {{0, 72, 26, 28, "U", 1}, {27, 62, 10, 12, "\\nu", 1}, {38, 92, 10, 14, "\\rho", 1}};
    expect(up, 3, "U^{\\nu}{}_{\\rho}");
    S dn[] = {{0, 72, 26, 28, "R", 1}, {27, 92, 11, 12, "\\mu", 1}, {39, 62, 9, 12, "a", 1}};
    expect(dn, 3, "R_{\\mu}{}^{a}");
    S st[] = {{0, 72, 26, 28, "U", 1}, {27, 62, 10, 12, "\\nu", 1}, {27, 92, 10, 14, "\\rho", 1}};
    expect(st, 3, "U_{\\rho}^{\\nu}");
    S sl[] = {{0, 72, 26, 28, "Y", 1}, {25, 92, 4, 12, "j", 1}, {29, 62, 8, 12, "T", 1}};
    expect(sl, 3, "Y_{j}^{T}");
    S in[] = {{0, 60, 14, 50, "\\int", 1}, {6, 100, 7, 12, "0", 1}, {16, 50, 7, 12, "a", 1},
              {26, 80, 14, 18, "x", 1}};
    expect(in, 4, "\\int_{0}^{a}x");
    /* scripts before the line's first base hang on an empty group */
    S pre[] = {{0, 60, 5, 18, "(", 1},         {6, 62, 9, 13, "5", 1},  {16, 60, 5, 18, ")", 1},
               {24, 72, 24, 28, "\\Lambda", 1}, {52, 80, 16, 16, "+", 1}, {72, 82, 16, 18, "x", 1}};
    expect(pre, 6, "{}^{(5)}\\Lambda+x");
    S hyp[] = {{0, 90, 9, 13, "1", 1}, {12, 72, 22, 28, "F", 1}, {36, 90, 9, 13, "1", 1}, {50, 82, 16, 18, "x", 1}};
    expect(hyp, 4, "{}_{1}F_{1}x");
}
END_TEST

START_TEST(word_fonts) {
    S tr[] = {alt1(0, 72, 22, 28, "\\mathbf{T}", 0.6f, "\\mathrm{T}", 0.3f), {22, 82, 14, 18, "\\mathrm{r}", 1},
              {42, 82, 20, 18, "x", 1}};
    expect(tr, 3, "\\mathrm{Tr}x");
    /* a "comma" as wide as it is tall is the final period */
    S stop[] = {{0, 82, 20, 18, "x", 1}, alt1(22, 95, 5, 4, ",", 0.4f, ".", 0.3f)};
    expect(stop, 2, "x.");
    /* the broken-off tip of a thin slash is no prime */
    S slash[] = {{0, 82, 20, 18, "x", 1}, {22, 70, 14, 40, "/", 1}, {36, 66, 4, 10, "\\prime", 1}, {44, 82, 20, 18, "y", 1}};
    expect(slash, 4, "x/y");
    /* ... and the rest, read \big/ without it, is a plain slash once mended
     * to an em's height (im2latex-val 2083: 2B\big/^{\prime}m); a slash of
     * 1.3 em stays \big/ */
    S bigtip[] = {{0, 82, 20, 18, "x", 1}, {22, 78, 12, 32, "\\big/", 1}, {34, 68, 4, 12, "\\prime", 1},
                  {44, 82, 20, 18, "y", 1}};
    expect(bigtip, 4, "x/y");
    S bigger[] = {{0, 82, 20, 18, "x", 1}, {22, 66, 14, 48, "\\big/", 1}, {36, 58, 4, 12, "\\prime", 1},
                  {44, 82, 20, 18, "y", 1}};
    expect(bigger, 4, "x\\big/y");
    /* ... nor is its broken-off foot, below its bottom left corner */
    S foot[] = {{0, 82, 20, 18, "x", 1}, {28, 66, 14, 28, "/", 1}, {22, 94, 8, 16, "\\prime", 1}, {44, 82, 20, 18, "y", 1}};
    expect(foot, 4, "x/y");
    /* a bold word stays bold */
    S bf[] = {alt1(0, 72, 22, 28, "\\mathbf{T}", 0.6f, "\\mathrm{T}", 0.3f), {22, 82, 14, 18, "\\mathbf{r}", 1}};
    expect(bf, 2, "\\mathbf{Tr}");
    /* the scripts of a word's last letter are the word's (TeX drops a
     * subscript lower under a group): \\mathrm{Tr}_{N}, not \\mathrm{T}\\mathrm{r}_{N} */
    S trn[] = {{0, 72, 22, 28, "\\mathrm{T}", 1}, {22, 82, 14, 18, "\\mathrm{r}", 1}, {38, 86, 16, 20, "N", 1}};
    expect(trn, 3, "\\mathrm{Tr}_{N}");
    /* a t is shorter than the ascenders: in "entries" at 100 dpi (its
     * foot a pixel low) it is no subscript of the n */
    S entries[] = {{0, 9, 7, 8, "\\mathrm{e}", 1}, {8, 9, 7, 7, "\\mathrm{n}", 1}, {15, 8, 5, 9, "\\mathrm{t}", 1},
                   {20, 9, 5, 7, "\\mathrm{r}", 1}, {26, 6, 3, 10, "\\mathrm{i}", 1}, {29, 9, 6, 8, "\\mathrm{e}", 1},
                   {35, 9, 6, 8, "\\mathrm{s}", 1}};
    expect(entries, 7, "\\mathrm{entries}");
}
END_TEST

/* Low-resolution subscripts, whose glyphs blur to nearly main size. */
START_TEST(blurred_subscripts) {
    /* a digit a little small whose bottom drops 0.125 em below the line
     * (and its top 0.19 below a capital's): U_{3} at 100 dpi */
    S sunk_digit[] = {{0, 82, 20, 18, "x", 1}, {30, 88, 26, 8, "+", 1}, {64, 72, 20, 28, "J", 1},
                      {86, 80, 16, 25, "3", 1}};
    expect(sunk_digit, 4, "x+J_{3}");
    /* on the line, the same digit is beside it */
    S level_digit[] = {{0, 82, 20, 18, "x", 1}, {30, 88, 26, 8, "+", 1}, {64, 72, 20, 28, "J", 1},
                       {86, 75, 16, 25, "3", 1}};
    expect(level_digit, 4, "x+J3");
    /* an operator as wide as a main one (blur) but centred 0.34 em above
     * the axis: b^{\\pm} at 100 dpi; on the axis it is beside its letter */
    S high_pm[] = {{0, 72, 16, 28, "b", 1}, {18, 65, 23, 23, "\\pm", 1}, {48, 82, 20, 18, "x", 1}};
    expect(high_pm, 3, "b^{\\pm}x");
    /* a letter a little over half the size of the one before, on its
     * baseline: a subscript in a cramped denominator (u_{\\nu}, 100 dpi) */
    S tiny[] = {{0, 82, 20, 18, "u", 1}, {22, 90, 11, 10, "\\nu", 1}, {40, 82, 20, 18, "x", 1}};
    expect(tiny, 3, "u_{\\nu}x");
    /* a plus wider than tall (blur), low: a subscript by its height (R_{+}) */
    S low_plus[] = {{0, 72, 24, 28, "R", 1}, {26, 89, 25, 16, "+", 1}, {56, 82, 20, 18, "x", 1}};
    expect(low_plus, 3, "R_{+}x");
    S axis_pm[] = {{0, 72, 16, 28, "b", 1}, {22, 79, 23, 23, "\\pm", 1}, {52, 82, 20, 18, "x", 1}};
    expect(axis_pm, 3, "b\\pm x");
    /* a c read at main size, its top and bottom both sunk 0.175 em */
    S sunk[] = {{0, 72, 24, 28, "L", 1}, {26, 89, 16, 18, "c", 1}, {50, 82, 20, 18, "x", 1}};
    expect(sunk, 3, "L_{c}x");
    S level[] = {{0, 72, 24, 28, "L", 1}, {26, 82, 16, 18, "c", 1}, {50, 82, 20, 18, "x", 1}};
    expect(level, 3, "Lcx");
    /* a c at 0.86 size, 0.1 em low: the line's first baseline is taken
     * from L and c, the higher of the two */
    S first[] = {{0, 72, 24, 28, "L", 1}, {26, 88, 14, 16, "c", 1}, {48, 86, 30, 8, "=", 1}};
    expect(first, 3, "L_{c}=");
    /* ... but a line never starts with a script: of p and a large
     * superscript 2, the p sets the baseline */
    S lead[] = {{0, 82, 20, 26, "p", 1}, {22, 62, 14, 24, "2", 1}};
    expect(lead, 2, "p^{2}");
    /* a pair of brackets twice the letters' size, read as plain ones,
     * does not set the em: beside them the m is still a script */
    S tall[] = {{0, 72, 24, 28, "R", 1},  {26, 93, 16, 13, "m", 1},  {50, 52, 10, 78, "[", 1},
                {64, 82, 20, 18, "x", 1}, {88, 82, 20, 18, "y", 1}, {112, 52, 10, 78, "]", 1}};
    expect(tall, 6, "R_{m}\\left[ xy \\right]");
}
END_TEST

START_TEST(bad_input) {
    sp_tree *t = sp_tree_new();
    sp_node *root = NULL;
    scipix_error err;
    ck_assert_int_eq(sp_layout_build(t, NULL, 0, &root, NULL, &err), SCIPIX_OK);
    ck_assert_uint_eq(root->u.row.n, 0);
    ck_assert_int_eq(sp_layout_build(NULL, NULL, 0, &root, NULL, &err), SCIPIX_EINVAL);
    /* garbage: zero and negative sizes, unknown classes, NULL classes */
    S g[] = {{0, 0, 0, 0, "x", 1}, {5, 5, -3, -9, "\\nosuchthing", 0.5f}, {1, 1, 1, 1, NULL, 1},
             {-100, 1000000, 5, 5, "\\frac", 2}, {3, 3, 100000, 1, "\\sqrt", -1}};
    sp_tree_reset(t);
    ck_assert_int_eq(sp_layout_build(t, g, 5, &root, NULL, &err), SCIPIX_OK);
    /* deep nesting: a staircase of ever smaller superscripts */
    enum { N = 300 };
    S *st = calloc(N, sizeof *st);
    for (int i = 0; i < N; i++) st[i] = (S){i * 10, 1000 - i * 12, 9, 12, "x", 1};
    sp_tree_reset(t);
    ck_assert_int_eq(sp_layout_build(t, st, N, &root, NULL, &err), SCIPIX_OK);
    sp_buf b;
    sp_buf_init(&b);
    ck_assert_int_eq(sp_latex_emit(root, 1, &b), SCIPIX_OK);
    sp_buf_free(&b);
    /* many symbols at one spot */
    for (int i = 0; i < N; i++) st[i] = (S){10, 10, 20, 20, i % 3 ? "\\frac" : "\\sqrt", 1};
    sp_tree_reset(t);
    ck_assert_int_eq(sp_layout_build(t, st, N, &root, NULL, &err), SCIPIX_OK);
    free(st);
    sp_tree_free(t);
}
END_TEST

int main(void) {
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, row_and_scripts);
    tcase_add_test(tc, fractions_and_radicals);
    tcase_add_test(tc, operators_accents_functions);
    tcase_add_test(tc, fences_and_matrices);
    tcase_add_test(tc, sized_on_purpose);
    tcase_add_test(tc, evaluation_bar);
    tcase_add_test(tc, long_arrows);
    tcase_add_test(tc, serif_pieces);
    tcase_add_test(tc, fixed_bugs);
    tcase_add_test(tc, heldout_fixes);
    tcase_add_test(tc, context_alternatives);
    tcase_add_test(tc, bad_input);
    tcase_add_test(tc, ellipses_bars_script_minus);
    tcase_add_test(tc, dot_accents);
    tcase_add_test(tc, script_operators);
    tcase_add_test(tc, explicit_spaces);
    tcase_add_test(tc, raised_fences);
    tcase_add_test(tc, primed_base);
    tcase_add_test(tc, broken_zero);
    tcase_add_test(tc, word_fonts);
    tcase_add_test(tc, staggered_indices);
    tcase_add_test(tc, blurred_subscripts);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
