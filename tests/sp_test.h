/*
 * sp_test.h — the one piece every Check test program shares: run a suite
 * and turn its result into the process exit status that CTest reads.
 */
#ifndef SP_TEST_H
#define SP_TEST_H

#include <check.h>

/* Runs every test case of s, prints Check's summary, frees the runner.
 * Returns 0 when all passed, 1 otherwise (use as main's return value). */
static inline int sp_test_run(Suite *s) {
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif
