/* test_tree.c — the math tree, the symbol and command tables, the LaTeX
 * parser (structure, errors with positions, limits), the builder API, the
 * round trip, and every fuzz regression input in fuzz/regressions/. */
#include "emit/emit.h"
#include "tree/latex.h"

#include <check.h>
#include "sp_test.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sp_latex_command_table_sorted(void);

static char dumpbuf[8192];
/* parse src, return the tree dump (or "ERR:<message>") */
static const char *dump(const char *src) {
    sp_tree *t = sp_tree_new();
    sp_node *root;
    scipix_error err;
    if (sp_latex_parse(t, src, strlen(src), NULL, &root, &err) != SCIPIX_OK) {
        snprintf(dumpbuf, sizeof dumpbuf, "ERR:%s", err.message);
    } else {
        sp_buf b;
        sp_buf_init(&b);
        sp_tree_dump(root, &b);
        snprintf(dumpbuf, sizeof dumpbuf, "%s", sp_buf_str(&b));
        sp_buf_free(&b);
    }
    sp_tree_free(t);
    return dumpbuf;
}

static int roundtrip(const char *src) {
    sp_tree *t = sp_tree_new(), *t2 = sp_tree_new();
    sp_node *a, *b;
    scipix_error err;
    int ok = 0;
    if (sp_latex_parse(t, src, strlen(src), NULL, &a, &err) == SCIPIX_OK) {
        sp_buf s;
        sp_buf_init(&s);
        if (sp_latex_emit(a, 1, &s) == SCIPIX_OK &&
            sp_latex_parse(t2, sp_buf_str(&s), s.len, NULL, &b, &err) == SCIPIX_OK)
            ok = sp_tree_equal(a, b);
        sp_buf_free(&s);
    } else ok = -1;
    sp_tree_free(t);
    sp_tree_free(t2);
    return ok;
}

START_TEST(tables_sorted) {
    size_t n;
    const sp_symbol_info *tab = sp_tree_symbol_table(&n);
    ck_assert_uint_gt(n, 300);
    for (size_t i = 1; i < n; i++) ck_assert_msg(strcmp(tab[i - 1].key, tab[i].key) < 0, "%s", tab[i].key);
    ck_assert(sp_latex_command_table_sorted());
    for (size_t i = 0; i < n; i++) ck_assert_ptr_eq(sp_tree_symbol_find(tab[i].key, strlen(tab[i].key)), &tab[i]);
    ck_assert_ptr_null(sp_tree_symbol_find("\\nosuch", 7));
    /* aliases share the canonical spelling */
    ck_assert_str_eq(sp_tree_symbol_find("\\le", 3)->latex, "\\leq");
    ck_assert_str_eq(sp_tree_symbol_find("\\lbrace", 7)->latex, "\\{");
}
END_TEST

START_TEST(parse_structure) {
    ck_assert_str_eq(dump("x^2"), "(row (scripts (sym \"x\") nil (row (sym \"2\"))))");
    ck_assert_str_eq(dump("\\frac12"), dump("\\frac{1}{2}"));
    ck_assert_str_eq(dump("{a \\over b}"), "(row (row (frac (row (sym \"a\")) (row (sym \"b\")))))");
    ck_assert_str_eq(dump("\\binom{n}{k}"), "(row (frac nobar () (row (sym \"n\")) (row (sym \"k\"))))");
    ck_assert_str_eq(dump("x'"), dump("x^{\\prime}"));
    ck_assert_str_eq(dump("x'^2"), "(row (scripts (sym \"x\") nil (row (sym \"\\\\prime\") (sym \"2\"))))");
    ck_assert_str_eq(dump("{\\bf ab}"), dump("{\\mathbf{ab}}"));
    ck_assert_str_eq(dump("\\mathbf{a}\\mathbf{b}"), dump("\\mathbf{ab}"));
    ck_assert_str_eq(dump("{\\cal A}"), "(row (row (sym \"A\" calligraphic)))");
    ck_assert_str_eq(dump("\\sqrt[3]{x}"), "(row (radical (row (sym \"x\")) (row (sym \"3\"))))");
    ck_assert_str_eq(dump("\\left( x \\right."), "(row (fenced \"(\" \".\" (row (sym \"x\"))))");
    ck_assert_str_eq(dump("\\bigl["), "(row (sym \"[\" size=1/1))");
    ck_assert_str_eq(dump("\\sum\\limits_a"), "(row (scripts limits=1 (sym \"\\\\sum\") (row (sym \"a\")) nil))");
    ck_assert_str_eq(dump("\\hat x"), "(row (underover \\hat accent (row (sym \"x\")) nil (sym \"\\\\hat\")))");
    ck_assert_str_eq(dump("\\stackrel{a}{=}"), "(row (underover \\stackrel (row (sym \"=\")) nil (row (sym \"a\"))))");
    ck_assert_str_eq(dump("\\operatorname{Tr}"), "(row (func \"Tr\"))");
    ck_assert_str_eq(dump("\\not="), "(row (sym \"\\\\neq\"))");
    ck_assert_str_eq(dump("\\textrm { a  b }"), "(row (text \" a b \" upright))");
    ck_assert_str_eq(dump("\\begin{array}{c|c} a & b \\\\ \\hline c & d \\\\ \\end{array}"),
                     "(row (table array \"c|c\" (row (row (row (sym \"a\")) (row (sym \"b\"))) "
                     "(row (row (sym \"c\")) (row (sym \"d\"))))))");
    ck_assert_str_eq(dump("\\displaystyle x"), "(row (style 0 (row (sym \"x\"))))");
    ck_assert_str_eq(dump("\\hspace { - . 2 c m }"), "(row (space \"\\\\hspace{-.2cm}\"))");
    ck_assert_str_eq(dump("x \\label{eq} \\nonumber"), "(row (sym \"x\"))");
    ck_assert_str_eq(dump(""), "(row)");
}
END_TEST

START_TEST(parse_errors) {
    ck_assert_str_eq(dump("\\frac{a}"), "ERR:at 8: missing argument for \\frac");
    ck_assert_str_eq(dump("a}"), "ERR:at 1: unbalanced '}' (expected end of input)");
    ck_assert_str_eq(dump("{a"), "ERR:at 2: missing '}' for the '{' opened at 0");
    ck_assert_str_eq(dump("a & b"), "ERR:at 2: stray '&' outside a table (expected end of input)");
    ck_assert_str_eq(dump("\\foo"), "ERR:at 0: unknown command \\foo");
    ck_assert_str_eq(dump("x^a^b"), "ERR:at 3: double superscript");
    ck_assert_str_eq(dump("x_a_b"), "ERR:at 3: double subscript");
    ck_assert_str_eq(dump("\\left( x"), "ERR:at 0: \\left without a matching \\right");
    ck_assert_str_eq(dump("x \\right)"), "ERR:at 2: \\right without a matching \\left");
    ck_assert_str_eq(dump("\\begin{matrix} a \\end{array}"), "ERR:at 17: \\begin{matrix} ended by \\end{array}");
    ck_assert_str_eq(dump("\\begin{picture} \\end{picture}"), "ERR:at 0: unsupported environment 'picture'");
    ck_assert_str_eq(dump("\\sqrt"), "ERR:at 5: missing argument for \\sqrt");
    ck_assert_str_eq(dump("a\x01"), "ERR:at 1: invalid character (byte 0x01)");
    ck_assert_str_eq(dump("\xff"), "ERR:at 0: invalid character (byte 0xFF)");
    scipix_error err;
    sp_tree *t = sp_tree_new();
    sp_node *root;
    ck_assert_int_eq(sp_latex_parse(t, "\\frac{a}", 8, NULL, &root, &err), SCIPIX_EPARSE);
    ck_assert_int_eq(err.code, SCIPIX_EPARSE);
    ck_assert_uint_eq(sp_latex_error_pos(&err), 8);
    ck_assert_ptr_null(root);
    /* limits: depth and length */
    char *deep = malloc(20001);
    memset(deep, '{', 10000);
    memset(deep + 10000, '}', 10000);
    sp_tree_reset(t);
    ck_assert_int_eq(sp_latex_parse(t, deep, 20000, NULL, &root, &err), SCIPIX_EPARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "nesting deeper than"));
    sp_latex_options o;
    sp_latex_options_init(&o);
    o.max_len = 100;
    sp_tree_reset(t);
    ck_assert_int_eq(sp_latex_parse(t, deep, 200, &o, &root, &err), SCIPIX_EPARSE);
    ck_assert_ptr_nonnull(strstr(err.message, "longer than"));
    free(deep);
    sp_tree_free(t);
}
END_TEST

START_TEST(round_trips) {
    const char *cases[] = {
        "x^2", "\\frac{a}{b}", "{a \\atop b}", "a \\atop b", "\\binom{n}{k}", "{n \\choose k}",
        "\\left( \\frac{1}{2} \\right)", "\\bigl( x \\bigr)", "\\mathbf{ab}^2", "{\\bf a}b",
        "\\mathrm{\\tiny x}", "\\displaystyle x \\textstyle y", "\\sum\\limits_{i}^{n} x_i",
        "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}", "\\begin{array}{l|r} a & b \\\\ \\hline \\end{array}",
        "\\textrm{a {\\it b} c}", "\\not{p}", "\\not\\in", "x \\\\ [a]", "\\overbrace{ab}^{c}", "\\d x",
        "\\operatorname*{argmax}_x", "\\kern-.2em x", "\\hspace{1cm}", "\\sqrt[n]{x}", "x''", "{}^2 x",
        "\\o \\l \\ae", "ø", "\\phantom{x}\\boxed{y}\\mathrel{z}", "\\text{\\{ 50\\% \\}}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(roundtrip(cases[i]) == 1, "round trip failed for %s", cases[i]);
}
END_TEST

START_TEST(builder_api) {
    /* what the recognition stage does: build a tree without LaTeX */
    sp_tree *t = sp_tree_new();
    sp_node *row = sp_tree_row(t), *num = sp_tree_row(t), *den = sp_tree_row(t), *sup = sp_tree_row(t);
    ck_assert_int_eq(sp_tree_row_append(t, num, sp_tree_symbol(t, "\\alpha", SP_VAR_NONE)), SCIPIX_OK);
    ck_assert_int_eq(sp_tree_row_append(t, den, sp_tree_symbol(t, "2", SP_VAR_NONE)), SCIPIX_OK);
    ck_assert_int_eq(sp_tree_row_append(t, sup, sp_tree_symbol(t, "n", SP_VAR_NONE)), SCIPIX_OK);
    sp_node *x = sp_tree_symbol_raw(t, "x", "x", SP_SYM_IDENT, SP_VAR_BOLD, SP_ATOM_ORD, 0);
    ck_assert_int_eq(sp_tree_row_append(t, row, sp_tree_frac(t, num, den, 1)), SCIPIX_OK);
    ck_assert_int_eq(sp_tree_row_append(t, row, sp_tree_scripts(t, x, NULL, sup, SP_LIMITS_AUTO)), SCIPIX_OK);
    sp_node *body = sp_tree_row(t);
    sp_tree_row_append(t, body, sp_tree_symbol_raw(t, "y", "y", SP_SYM_IDENT, SP_VAR_NONE, SP_ATOM_ORD, 0));
    sp_node *f = sp_tree_fenced(t, "\\langle", "|", body);
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_null(sp_tree_fenced(t, "x", ")", body)); /* not a delimiter */
    sp_tree_row_append(t, row, f);
    ck_assert_int_eq(sp_tree_row_append(t, row, NULL), SCIPIX_EINVAL);
    sp_buf b;
    sp_buf_init(&b);
    ck_assert_int_eq(sp_latex_emit(row, 1, &b), SCIPIX_OK);
    ck_assert_str_eq(sp_buf_str(&b), "\\frac{\\alpha}{2}\\mathbf{x}^{n}\\left\\langle y \\right|");
    /* and the LaTeX of a built tree parses back to the same tree */
    sp_tree *t2 = sp_tree_new();
    sp_node *again;
    scipix_error err;
    ck_assert_int_eq(sp_latex_parse(t2, b.data, b.len, NULL, &again, &err), SCIPIX_OK);
    ck_assert(sp_tree_equal(row, again));
    ck_assert_uint_eq(sp_tree_count(row), sp_tree_count(again));
    sp_buf_free(&b);
    sp_tree_free(t2);
    /* the arena can be reused */
    sp_tree_reset(t);
    ck_assert_ptr_null(t->root);
    ck_assert_ptr_nonnull(sp_tree_row(t));
    sp_tree_free(t);
}
END_TEST

START_TEST(fuzz_regressions) {
    const char *srcdir = getenv("SCIPIX_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/fuzz/regressions", srcdir ? srcdir : ".");
    DIR *d = opendir(path);
    ck_assert_msg(d != NULL, "cannot open %s", path);
    struct dirent *e;
    int files = 0;
    sp_tree *t = sp_tree_new();
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char fp[8192];
        snprintf(fp, sizeof fp, "%s/%s", path, e->d_name);
        FILE *f = fopen(fp, "rb");
        ck_assert_ptr_nonnull(f);
        char buf[65536];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        sp_node *root;
        scipix_error err;
        sp_tree_reset(t);
        if (sp_latex_parse(t, buf, n, NULL, &root, &err) == SCIPIX_OK) {
            sp_buf b;
            sp_buf_init(&b);
            ck_assert_int_eq(sp_mathml_emit(root, 1, &b), SCIPIX_OK);
            sp_buf_clear(&b);
            ck_assert_int_eq(sp_plain_emit(root, &b), SCIPIX_OK);
            sp_buf_clear(&b);
            ck_assert_int_eq(sp_asciimath_emit(root, &b), SCIPIX_OK);
            sp_buf_clear(&b);
            ck_assert_int_eq(sp_latex_emit(root, 1, &b), SCIPIX_OK);
            sp_tree *t2 = sp_tree_new();
            sp_node *again;
            ck_assert_msg(sp_latex_parse(t2, b.data, b.len, NULL, &again, &err) == SCIPIX_OK, "%s: %s", e->d_name,
                          err.message);
            ck_assert_msg(sp_tree_equal(root, again), "%s: round trip differs", e->d_name);
            sp_tree_free(t2);
            sp_buf_free(&b);
        }
        files++;
    }
    closedir(d);
    sp_tree_free(t);
    ck_assert_int_gt(files, 0);
}
END_TEST

int main(void) {
    Suite *s = suite_create("tree");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, tables_sorted);
    tcase_add_test(tc, parse_structure);
    tcase_add_test(tc, parse_errors);
    tcase_add_test(tc, round_trips);
    tcase_add_test(tc, builder_api);
    tcase_add_test(tc, fuzz_regressions);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
