/*
 * status.h — internal helpers for reporting errors (see status.c).
 */
#ifndef SP_ENGINE_STATUS_H
#define SP_ENGINE_STATUS_H

#include "scipix.h"

#define SP_STR2(x) #x
#define SP_STR(x) SP_STR2(x)
#define SP_VERSION_STRING \
    SP_STR(SCIPIX_VERSION_MAJOR) "." SP_STR(SCIPIX_VERSION_MINOR) "." SP_STR(SCIPIX_VERSION_PATCH)

/* Fill err (if not NULL) with code and a printf-style message; NULL fmt uses
 * the default message.  Returns code so callers can `return sp_error_set(...)`. */
int sp_error_set(scipix_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sp_error_clear(scipix_error *err);

#endif
