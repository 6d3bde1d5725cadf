/*
 * fuzz_latex.c — libFuzzer target for the LaTeX parser and every emitter.
 *
 * Each input is parsed; when it parses, every emitter runs on the tree and
 * the styled LaTeX must parse back to an equal tree (the round-trip
 * guarantee), so the fuzzer hunts crashes, hangs, leaks (ASan) and
 * round-trip breaks at once.  One tree arena is reused across inputs.
 * Build: cmake -DSCIPIX_FUZZ=ON with CC=clang; run: make fuzz.
 *
 * The tree, parser and emitter sources are compiled into this file (a unity
 * build) so that they get libFuzzer's coverage instrumentation: the build
 * instruments only the target's own sources, not libscipix.
 */
#include "tree/tree.c"
#include "tree/symbols.c"
#include "tree/latex.c"
#include "emit/latex_out.c"
#include "emit/mathml.c"
#include "emit/asciimath.c"
#include "emit/plain.c"
#include "emit/mathpix.c"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static sp_tree *t, *t2; /* libFuzzer has no per-run context: created once */
    if (!t) t = sp_tree_new();
    if (!t2) t2 = sp_tree_new();
    if (!t || !t2) return 0;
    sp_tree_reset(t);
    scipix_error err;
    sp_node *root;
    if (sp_latex_parse(t, (const char *)data, size, NULL, &root, &err) != SCIPIX_OK) return 0;
    sp_buf b;
    sp_buf_init(&b);
    sp_mathml_emit(root, 1, &b);
    sp_buf_clear(&b);
    sp_asciimath_emit(root, &b);
    sp_buf_clear(&b);
    sp_plain_emit(root, &b);
    sp_buf_clear(&b);
    sp_latex_emit(root, 0, &b);
    sp_buf_clear(&b);
    sp_mathpix_emit(root, NULL, &b);
    sp_buf_clear(&b);
    if (sp_latex_emit(root, 1, &b) == SCIPIX_OK) {
        sp_node *again;
        sp_tree_reset(t2);
        if (sp_latex_parse(t2, b.data ? b.data : "", b.len, NULL, &again, &err) != SCIPIX_OK) {
            fprintf(stderr, "round trip: styled LaTeX does not parse: %s\n%s\n", err.message, sp_buf_str(&b));
            abort();
        }
        if (!sp_tree_equal(root, again)) {
            fprintf(stderr, "round trip: different tree\n%s\n", sp_buf_str(&b));
            abort();
        }
    }
    sp_buf_free(&b);
    return 0;
}
