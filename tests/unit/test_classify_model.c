/* test_classify_model.c — the .spxm loader: a valid file opens; missing,
 * truncated, corrupt, wrong-magic, wrong-version and checksum-mismatched
 * files fail with their own status codes; the committed model reproduces
 * PyTorch's logits on the reference inputs stored at training time. */
#include "test_classify_util.h"

#include "engine/status.h"
#include "tree/tree.h"

#include <check.h>
#include "sp_test.h"
#include <math.h>

static char tmpdir[512];
static char path[600];
static uint8_t *good;
static size_t good_size;

static void setup(void) {
    tcu_tempdir(tmpdir, sizeof tmpdir);
    snprintf(path, sizeof path, "%s/model.spxm", tmpdir);
    good = tcu_build_model(&good_size);
}

static void teardown(void) {
    unlink(path);
    rmdir(tmpdir);
    free(good);
}

/* Open buf[0..size) written to the temp file; returns the status. */
static int open_bytes(const uint8_t *buf, size_t size, scipix_error *err) {
    tcu_write(path, buf, size);
    sp_model *m = NULL;
    int rc = sp_model_open(path, &m, err);
    if (rc == SCIPIX_OK) {
        ck_assert_ptr_nonnull(m);
        sp_model_close(m);
    } else {
        ck_assert_ptr_null(m);
        ck_assert_int_eq(err->code, rc);
    }
    return rc;
}

START_TEST(valid_model_opens) {
    tcu_write(path, good, good_size);
    scipix_error err;
    sp_model *m;
    ck_assert_int_eq(sp_model_open(path, &m, &err), SCIPIX_OK);
    ck_assert_int_eq(sp_model_class_count(m), 3);
    ck_assert_str_eq(sp_model_class(m, 1)->latex, "\\alpha");
    ck_assert_str_eq(sp_model_class(m, 1)->unicode, "\xce\xb1");
    ck_assert_str_eq(sp_model_class(m, 2)->mathml, "mo");
    ck_assert_str_eq(sp_model_class(m, 2)->atom, "bin");
    ck_assert_ptr_null(sp_model_class(m, 3));
    ck_assert_ptr_null(sp_model_class(m, -1));
    ck_assert_int_eq(sp_model_find_class(m, "+"), 2);
    ck_assert_int_eq(sp_model_find_class(m, "\\beta"), -1);
    ck_assert_int_eq(m->conv[1].n_out, 8);
    ck_assert_int_eq(m->fc2.n_out, 3);
    ck_assert_int_eq(m->n_ref, 0);
    sp_model_close(m);
}
END_TEST

START_TEST(letters_are_ordinary_mi_mn) {
    sp_symbol_class x = {"x", "x", "mi", "ord"}, two = {"2", "2", "mn", "ord"}, plus = {"+", "+", "mo", "bin"},
                    sum = {"\\sum", "", "mo", "op"}, dot = {"\\dot", "", "mi", "accent"};
    ck_assert(sp_symbol_class_is_letter(&x));
    ck_assert(sp_symbol_class_is_letter(&two));
    ck_assert(!sp_symbol_class_is_letter(&plus));
    ck_assert(!sp_symbol_class_is_letter(&sum));
    ck_assert(!sp_symbol_class_is_letter(&dot));
    ck_assert(!sp_symbol_class_is_letter(NULL));
}
END_TEST

START_TEST(missing_file) {
    scipix_error err;
    sp_model *m = (sp_model *)&err;
    snprintf(path, sizeof path, "%s/does-not-exist.spxm", tmpdir);
    ck_assert_int_eq(sp_model_open(path, &m, &err), SCIPIX_EMODEL_OPEN);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(err.message, "does-not-exist.spxm"));
}
END_TEST

START_TEST(truncated_files) {
    scipix_error err;
    ck_assert_int_eq(open_bytes(good, 0, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_int_eq(open_bytes(good, 3, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_int_eq(open_bytes(good, 40, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_int_eq(open_bytes(good, good_size / 2, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.message, "truncated"));
    ck_assert_int_eq(open_bytes(good, good_size - 1, &err), SCIPIX_EMODEL_FORMAT);
}
END_TEST

START_TEST(wrong_magic) {
    scipix_error err;
    good[0] = 'G';
    ck_assert_int_eq(open_bytes(good, good_size, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.message, "magic"));
    const char text[] = "this is a text file, not a model\n";
    ck_assert_int_eq(open_bytes((const uint8_t *)text, sizeof text - 1, &err), SCIPIX_EMODEL_FORMAT);
}
END_TEST

START_TEST(wrong_version) {
    scipix_error err;
    good[4] = 2;
    ck_assert_int_eq(open_bytes(good, good_size, &err), SCIPIX_EMODEL_VERSION);
    ck_assert_ptr_nonnull(strstr(err.message, "version 2"));
}
END_TEST

START_TEST(checksum_mismatch) {
    scipix_error err;
    good[good_size - 200] ^= 0x10; /* a weight bit */
    ck_assert_int_eq(open_bytes(good, good_size, &err), SCIPIX_EMODEL_CHECKSUM);
    good[good_size - 200] ^= 0x10;
    good[33] ^= 1; /* the class count, in the checksummed part of the header */
    ck_assert_int_eq(open_bytes(good, good_size, &err), SCIPIX_EMODEL_CHECKSUM);
    good[33] ^= 1;
    ck_assert_int_eq(open_bytes(good, good_size, &err), SCIPIX_OK);
}
END_TEST

START_TEST(corrupt_tables) {
    /* damage the structure, then re-seal so only the parser can notice */
    scipix_error err;
    uint8_t *b = malloc(good_size);
    size_t dir = 0;
    for (int i = 0; i < 8; i++) dir |= (size_t)good[56 + i] << (8 * i);

    memcpy(b, good, good_size); /* tensor offset past the end */
    tcu_put64(b + dir + 72, (uint64_t)good_size + 64);
    tcu_seal(b, good_size);
    ck_assert_int_eq(open_bytes(b, good_size, &err), SCIPIX_EMODEL_FORMAT);

    memcpy(b, good, good_size); /* misaligned tensor */
    tcu_put64(b + dir + 72, 65);
    tcu_seal(b, good_size);
    ck_assert_int_eq(open_bytes(b, good_size, &err), SCIPIX_EMODEL_FORMAT);

    memcpy(b, good, good_size); /* a required tensor renamed */
    b[dir] = 'X';
    tcu_seal(b, good_size);
    ck_assert_int_eq(open_bytes(b, good_size, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.message, "conv1.weight"));

    memcpy(b, good, good_size); /* class table claims more bytes than the file has */
    tcu_put64(b + 64, good_size);
    tcu_seal(b, good_size);
    ck_assert_int_eq(open_bytes(b, good_size, &err), SCIPIX_EMODEL_FORMAT);

    memcpy(b, good, good_size); /* more classes than the table holds */
    tcu_put32(b + 32, 50);
    tcu_seal(b, good_size);
    ck_assert_int_eq(open_bytes(b, good_size, &err), SCIPIX_EMODEL_FORMAT);

    memcpy(b, good, good_size); /* unknown architecture */
    tcu_put32(b + 28, 7);
    tcu_seal(b, good_size);
    ck_assert_int_eq(open_bytes(b, good_size, &err), SCIPIX_EMODEL_FORMAT);

    memcpy(b, good, good_size); /* wrong tensor shape */
    tcu_put32(b + dir + 56, 9);
    tcu_seal(b, good_size);
    ck_assert_int_eq(open_bytes(b, good_size, &err), SCIPIX_EMODEL_FORMAT);
    free(b);
}
END_TEST

START_TEST(bad_arguments) {
    scipix_error err;
    sp_model *m;
    ck_assert_int_eq(sp_model_open(NULL, &m, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_model_open(path, NULL, &err), SCIPIX_EINVAL);
    ck_assert_int_eq(sp_model_class_count(NULL), 0);
    sp_model_close(NULL);
}
END_TEST

/* A model with a second network for low resolutions: both open from one
 * file, share the classes, compute different logits, and the scale picks
 * between them. */
START_TEST(low_network_is_chosen_by_scale) {
    const float below = 1.25f;
    tcu_context ctx = {.route = &below, .low = 1};
    size_t size;
    uint8_t *buf = tcu_build_model_ctx(&size, &ctx);
    tcu_write(path, buf, size);
    free(buf);
    scipix_error err;
    sp_model *m;
    ck_assert_int_eq(sp_model_open(path, &m, &err), SCIPIX_OK);
    ck_assert(sp_model_has_low(m));
    const sp_model *low = sp_model_for_scale(m, 1.1f);
    ck_assert_ptr_nonnull(low);
    ck_assert_ptr_ne(low, m);
    ck_assert_ptr_eq(sp_model_for_scale(m, 1.3f), m);
    ck_assert_ptr_eq(sp_model_for_scale(m, 0.0f), m); /* no estimate: the main network */
    ck_assert_ptr_eq(sp_model_for_scale(low, 1.1f), low);
    ck_assert(!sp_model_has_low(low));
    ck_assert_str_eq(sp_model_class(low, 1)->latex, "\\alpha");
    sp_glyph_input in;
    for (int i = 0; i < SP_GLYPH_PIXELS; i++) in.pixels[i] = (uint8_t)(i * 37 % 256);
    in.features[0] = 0.1f, in.features[1] = -0.2f, in.features[2] = 0.3f;
    float a[3], b[3];
    ck_assert_int_eq(sp_classify_inputs(m, &in, 1, SP_PRECISION_FP32, NULL, a, &err), SCIPIX_OK);
    ck_assert_int_eq(sp_classify_inputs(low, &in, 1, SP_PRECISION_FP32, NULL, b, &err), SCIPIX_OK);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    sp_model_close(m);

    /* without route.params the low.* tensors are ignored */
    ctx.route = NULL;
    buf = tcu_build_model_ctx(&size, &ctx);
    tcu_write(path, buf, size);
    free(buf);
    ck_assert_int_eq(sp_model_open(path, &m, &err), SCIPIX_OK);
    ck_assert(!sp_model_has_low(m));
    ck_assert_ptr_eq(sp_model_for_scale(m, 1.1f), m);
    sp_model_close(m);
}
END_TEST

START_TEST(malformed_route_is_refused) {
    const float bad[] = {-1.0f, 0.0f, NAN, INFINITY, 1000.0f};
    scipix_error err;
    size_t size;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tcu_context ctx = {.route = &bad[i], .low = 1};
        uint8_t *buf = tcu_build_model_ctx(&size, &ctx);
        ck_assert_int_eq(open_bytes(buf, size, &err), SCIPIX_EMODEL_FORMAT);
        ck_assert_ptr_nonnull(strstr(err.message, "route.params"));
        free(buf);
    }
    /* a cutoff with no second network */
    const float below = 1.25f;
    tcu_context ctx = {.route = &below};
    uint8_t *buf = tcu_build_model_ctx(&size, &ctx);
    ck_assert_int_eq(open_bytes(buf, size, &err), SCIPIX_EMODEL_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.message, "low.conv1.weight"));
    free(buf);
}
END_TEST

/* The committed model against the logits PyTorch computed at training. */
START_TEST(committed_model_matches_pytorch) {
    scipix_error err;
    sp_model *m = tcu_open_committed_model();
    ck_assert_int_gt(m->n_ref, 0);
    int nc = m->n_classes;
    sp_glyph_input *in = calloc((size_t)m->n_ref, sizeof *in);
    float *logits = malloc((size_t)m->n_ref * nc * sizeof *logits);
    for (int i = 0; i < m->n_ref; i++) {
        memcpy(in[i].pixels, m->ref_pixels + (size_t)i * SP_GLYPH_PIXELS, SP_GLYPH_PIXELS);
        memcpy(in[i].features, m->ref_features + (size_t)i * SP_GLYPH_FEATURES, sizeof in[i].features);
    }
    const sp_kernel_ops *ops[2] = {sp_kernel_portable(), sp_kernel_avx2()};
    for (int k = 0; k < 2; k++) {
        if (!ops[k]) continue;
        ck_assert_int_eq(sp_classify_inputs(m, in, (size_t)m->n_ref, SP_PRECISION_FP32, ops[k], logits, &err),
                         SCIPIX_OK);
        for (int i = 0; i < m->n_ref; i++) {
            const float *want = m->ref_logits + (size_t)i * nc, *got = logits + (size_t)i * nc;
            int a_want = 0, a_got = 0;
            for (int c = 0; c < nc; c++) {
                ck_assert_msg(fabsf(got[c] - want[c]) <= 2e-3f + 1e-4f * fabsf(want[c]),
                              "%s: sample %d class %d: C %g vs PyTorch %g", ops[k]->name, i, c,
                              (double)got[c], (double)want[c]);
                if (want[c] > want[a_want]) a_want = c;
                if (got[c] > got[a_got]) a_got = c;
            }
            ck_assert_int_eq(a_got, a_want);
        }
    }
    /* int8 keeps the decisions */
    ck_assert_int_eq(sp_classify_inputs(m, in, (size_t)m->n_ref, SP_PRECISION_INT8, NULL, logits, &err), SCIPIX_OK);
    int agree = 0;
    for (int i = 0; i < m->n_ref; i++) {
        const float *want = m->ref_logits + (size_t)i * nc, *got = logits + (size_t)i * nc;
        int a_want = 0, a_got = 0;
        for (int c = 0; c < nc; c++) {
            if (want[c] > want[a_want]) a_want = c;
            if (got[c] > got[a_got]) a_got = c;
        }
        agree += a_want == a_got;
    }
    ck_assert_int_ge(agree, m->n_ref - 1);
    free(in);
    free(logits);
    sp_model_close(m);
}
END_TEST

/* The committed model carries its low-resolution network, with a cutoff
 * between 80 dpi (1.1 pixels per point) and the 100-110 dpi of im2latex
 * renders (1.39 and up), which the main network reads better. */
START_TEST(committed_model_has_low_network) {
    sp_model *m = tcu_open_committed_model();
    ck_assert(sp_model_has_low(m));
    ck_assert(m->low_below_scale > 1.15f && m->low_below_scale < 1.35f);
    ck_assert_ptr_eq(sp_model_for_scale(m, 1.45f), m);
    ck_assert_ptr_eq(sp_model_for_scale(m, 1.1f), m->low);
    ck_assert_int_eq(m->low->fc2.n_out, m->n_classes);
    sp_model_close(m);
}
END_TEST

/* Every relation, binary operator and punctuation mark the committed model
 * can read is in the tree's symbol table with the same atom: the layout
 * spaces atoms by it, and an unknown symbol spaces as an ordinary letter
 * (a \\twoheadrightarrow set like a letter made its gaps look like
 * explicit spaces). */
START_TEST(committed_model_atoms_known) {
    sp_model *m = tcu_open_committed_model();
    static const struct { const char *name; int atom; } kinds[] = {
        {"rel", SP_ATOM_REL}, {"bin", SP_ATOM_BIN}, {"punct", SP_ATOM_PUNCT}};
    int checked = 0;
    for (int c = 0; c < m->n_classes; c++) {
        const sp_symbol_class *k = sp_model_class(m, c);
        for (size_t j = 0; j < sizeof kinds / sizeof kinds[0]; j++) {
            if (!k->atom || strcmp(k->atom, kinds[j].name)) continue;
            const sp_symbol_info *info = sp_tree_symbol_find(k->latex, strlen(k->latex));
            ck_assert_msg(info != NULL, "class %d %s is not in the symbol table", c, k->latex);
            ck_assert_msg(info->atom == kinds[j].atom, "class %d %s: atom %d, model says %s", c, k->latex,
                          info->atom, k->atom);
            checked++;
        }
    }
    ck_assert_int_gt(checked, 100);
    sp_model_close(m);
}
END_TEST

int main(void) {
    Suite *s = suite_create("classify_model");
    TCase *tc = tcase_create("loader");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, valid_model_opens);
    tcase_add_test(tc, letters_are_ordinary_mi_mn);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, truncated_files);
    tcase_add_test(tc, wrong_magic);
    tcase_add_test(tc, wrong_version);
    tcase_add_test(tc, checksum_mismatch);
    tcase_add_test(tc, corrupt_tables);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, low_network_is_chosen_by_scale);
    tcase_add_test(tc, malformed_route_is_refused);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("reference");
    tcase_add_test(tr, committed_model_matches_pytorch);
    tcase_add_test(tr, committed_model_atoms_known);
    tcase_add_test(tr, committed_model_has_low_network);
    tcase_set_timeout(tr, 60);
    suite_add_tcase(s, tr);
    return sp_test_run(s);
}
