/* test_status.c — status names, messages and the version string. */
#include "engine/status.h"

#include <check.h>
#include "sp_test.h"
#include <string.h>

START_TEST(names_and_messages) {
    ck_assert_str_eq(scipix_status_name(SCIPIX_ELIMIT_PIXELS), "SCIPIX_ELIMIT_PIXELS");
    ck_assert_str_eq(scipix_status_name(12345), "SCIPIX_EUNKNOWN");
    ck_assert_str_eq(scipix_strerror(SCIPIX_OK), "success");
    scipix_error err;
    ck_assert_int_eq(sp_error_set(&err, SCIPIX_EIO, "cannot read %s", "x.png"), SCIPIX_EIO);
    ck_assert_int_eq(err.code, SCIPIX_EIO);
    ck_assert_str_eq(err.message, "cannot read x.png");
    ck_assert_int_eq(sp_error_set(NULL, SCIPIX_EINVAL, NULL), SCIPIX_EINVAL);
}
END_TEST

START_TEST(version_string) {
    ck_assert_str_eq(scipix_version(), "0.1.0");
}
END_TEST

int main(void) {
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, names_and_messages);
    tcase_add_test(tc, version_string);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
