/* test_emit.c — each emitter on small formulas: MathML elements and
 * attributes, AsciiMath, plain Unicode text with its fallbacks, styled and
 * simplified LaTeX, and the Mathpix JSON shape. */
#include "emit/emit.h"
#include "tree/latex.h"

#include <check.h>
#include "sp_test.h"
#include <jansson.h>
#include <string.h>

enum { LX_STYLED, LX_SIMPLE, MML, AM, TXT, JSON };
static char out[16384];
static const char *conv(const char *src, int fmt) {
    sp_tree *t = sp_tree_new();
    sp_node *root;
    scipix_error err;
    out[0] = 0;
    if (sp_latex_parse(t, src, strlen(src), NULL, &root, &err) == SCIPIX_OK) {
        sp_buf b;
        sp_buf_init(&b);
        sp_mathpix_options o;
        sp_mathpix_options_init(&o);
        o.data = SP_MATHPIX_DATA_MATHML | SP_MATHPIX_DATA_ASCIIMATH | SP_MATHPIX_DATA_LATEX;
        int rc = fmt == LX_STYLED ? sp_latex_emit(root, 1, &b)
                 : fmt == LX_SIMPLE ? sp_latex_emit(root, 0, &b)
                 : fmt == MML ? sp_mathml_emit(root, 0, &b)
                 : fmt == AM ? sp_asciimath_emit(root, &b)
                 : fmt == TXT ? sp_plain_emit(root, &b) : sp_mathpix_emit(root, &o, &b);
        ck_assert_int_eq(rc, SCIPIX_OK);
        snprintf(out, sizeof out, "%s", sp_buf_str(&b));
        sp_buf_free(&b);
    } else snprintf(out, sizeof out, "ERR:%s", err.message);
    sp_tree_free(t);
    return out;
}
#define MATH "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"

START_TEST(latex_forms) {
    ck_assert_str_eq(conv("x_1^{2} + \\alpha x", LX_STYLED), "x_{1}^{2}+\\alpha x");
    ck_assert_str_eq(conv("x_1^{2} + \\alpha x", LX_SIMPLE), "x_1^2+\\alpha x");
    ck_assert_str_eq(conv("{\\rm d} x \\over {\\cal L}", LX_STYLED), "\\frac{{\\mathrm{d}}x}{{\\mathcal{L}}}");
    ck_assert_str_eq(conv("{\\rm d} x \\over {\\cal L}", LX_SIMPLE), "\\frac{\\mathrm{d}x}{\\mathcal{L}}");
    /* a word scripted whole: the font's braces group it */
    ck_assert_str_eq(conv("{\\rm GeV}^2", LX_STYLED), "\\mathrm{GeV}^{2}");
    ck_assert_str_eq(conv("{\\mathrm{Tr}}_N", LX_SIMPLE), "\\mathrm{Tr}_N");
    ck_assert_str_eq(conv("{\\mathrm{T}x}_N", LX_STYLED), "{\\mathrm{T}x}_{N}");
    ck_assert_str_eq(conv("\\mbox{if } x", LX_STYLED), "\\text{if }x");
    ck_assert_str_eq(conv("\\fbox{x}", LX_STYLED), "\\boxed{x}");
    ck_assert_str_eq(conv("f'", LX_SIMPLE), "f'");
    ck_assert_str_eq(conv("\\begin{cases} a & b \\\\ c & d \\end{cases}", LX_STYLED),
                     "\\begin{cases} a & b \\\\ c & d \\end{cases}");
}
END_TEST

START_TEST(mathml) {
    ck_assert_str_eq(conv("12.5", MML), MATH "<mn>12.5</mn></math>");
    ck_assert_str_eq(conv("\\mathrm{diag}", MML), MATH "<mi mathvariant=\"normal\">diag</mi></math>");
    ck_assert_str_eq(conv("\\Gamma<", MML), MATH "<mi mathvariant=\"normal\">Γ</mi><mo>&lt;</mo></math>");
    ck_assert_str_eq(conv("\\sqrt[3]{x}", MML), MATH "<mroot><mi>x</mi><mn>3</mn></mroot></math>");
    ck_assert_str_eq(conv("\\hat{x}", MML), MATH "<mover accent=\"true\"><mi>x</mi><mo stretchy=\"false\">^</mo></mover></math>");
    ck_assert_str_eq(conv("\\left( x \\right.", MML),
                     MATH "<mrow><mo fence=\"true\" stretchy=\"true\" symmetric=\"true\" form=\"prefix\">(</mo><mi>x</mi></mrow></math>");
    ck_assert_str_eq(conv("\\sin x", MML), MATH "<mi>sin</mi><mo>&#x2061;</mo><mi>x</mi></math>");
    ck_assert_str_eq(conv("\\lim_{n}", MML), MATH "<munder><mo movablelimits=\"true\" form=\"prefix\">lim</mo><mi>n</mi></munder></math>");
    ck_assert_str_eq(conv("\\int_0^1", MML), MATH "<msubsup><mo>∫</mo><mn>0</mn><mn>1</mn></msubsup></math>");
    ck_assert_str_eq(conv("\\binom{n}{k}", MML),
                     MATH "<mrow><mo minsize=\"2.047em\" maxsize=\"2.047em\">(</mo><mfrac linethickness=\"0\"><mi>n</mi><mi>k</mi></mfrac>"
                          "<mo minsize=\"2.047em\" maxsize=\"2.047em\">)</mo></mrow></math>");
    ck_assert_str_eq(conv("\\begin{array}{l|r} a & b \\end{array}", MML),
                     MATH "<mtable columnalign=\"left right\" columnlines=\"solid\"><mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd></mtr></mtable></math>");
    ck_assert_str_eq(conv("\\text{a<b}", MML), MATH "<mtext>a&lt;b</mtext></math>");
    ck_assert_str_eq(conv("\\overbrace{ab}^{n}", MML),
                     MATH "<mover><mover><mrow><mi>a</mi><mi>b</mi></mrow><mo stretchy=\"true\">⏞</mo></mover><mi>n</mi></mover></math>");
}
END_TEST

START_TEST(asciimath_and_text) {
    ck_assert_str_eq(conv("\\sum_{i=1}^{n} \\alpha_i", AM), "sum_(i = 1)^n alpha_i");
    ck_assert_str_eq(conv("\\sqrt{x} \\leq \\infty", AM), "sqrt (x) <= oo");
    ck_assert_str_eq(conv("\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}", AM), "((a, b), (c, d))");
    ck_assert_str_eq(conv("\\mathbb{R}", AM), "bbb(R)");
    ck_assert_str_eq(conv("x^2 y_1 \\sqrt{2}", TXT), "x²y₁√2");
    ck_assert_str_eq(conv("x^{q}", TXT), "x^q");
    ck_assert_str_eq(conv("\\frac{1}{2} + \\frac{a+b}{c}", TXT), "½ + (a + b)/c");
    ck_assert_str_eq(conv("\\hat{x} \\sqrt[3]{y}", TXT), "x̂∛y");
    ck_assert_str_eq(conv("\\mathcal{L} \\mathfrak{g}", TXT), "ℒ𝔤");
    ck_assert_str_eq(conv("\\left( a, b \\right)", TXT), "(a, b)");
}
END_TEST

START_TEST(mathpix_json) {
    json_error_t je;
    json_t *j = json_loads(conv("x^2", JSON), 0, &je);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "text")), "\\( x^2 \\)");
    ck_assert_str_eq(json_string_value(json_object_get(j, "latex_styled")), "x^{2}");
    ck_assert(json_real_value(json_object_get(j, "confidence")) == 1.0);
    json_t *data = json_object_get(j, "data");
    ck_assert_uint_eq(json_array_size(data), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(data, 0), "type")), "mathml");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_array_get(data, 0), "value")), "<msup>"));
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(data, 1), "value")), "x^2");
    json_decref(j);
}
END_TEST

int main(void) {
    Suite *s = suite_create("emit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, latex_forms);
    tcase_add_test(tc, mathml);
    tcase_add_test(tc, asciimath_and_text);
    tcase_add_test(tc, mathpix_json);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
