/*
 * status.c — names and default messages of the scipix status codes, the
 * version string, and scipix_error helpers used by every stage.
 *
 * Every stage reports failure the same way: return a negative scipix_status
 * and, when the caller passed a scipix_error, fill it with a message naming
 * the specific problem (sp_error_set).  Keeping the table here, in one
 * place, keeps codes and texts from drifting apart.
 */
#include "engine/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int code;
    const char *name;
    const char *message;
} sp_status_entry;

static const sp_status_entry sp_status_table[] = {
    {SCIPIX_OK, "SCIPIX_OK", "success"},
    {SCIPIX_EINVAL, "SCIPIX_EINVAL", "invalid argument"},
    {SCIPIX_ENOMEM, "SCIPIX_ENOMEM", "out of memory"},
    {SCIPIX_EIO, "SCIPIX_EIO", "input/output error"},
    {SCIPIX_EINTERNAL, "SCIPIX_EINTERNAL", "internal error"},
    {SCIPIX_ETIMEOUT, "SCIPIX_ETIMEOUT", "time limit reached"},
    {SCIPIX_EIMAGE_EMPTY, "SCIPIX_EIMAGE_EMPTY", "input is empty"},
    {SCIPIX_EIMAGE_FORMAT, "SCIPIX_EIMAGE_FORMAT", "input is not a recognized image format"},
    {SCIPIX_EIMAGE_UNSUPPORTED, "SCIPIX_EIMAGE_UNSUPPORTED", "input format is not supported as an image"},
    {SCIPIX_EIMAGE_CORRUPT, "SCIPIX_EIMAGE_CORRUPT", "image data is truncated or corrupt"},
    {SCIPIX_ELIMIT_BYTES, "SCIPIX_ELIMIT_BYTES", "input is larger than the byte limit"},
    {SCIPIX_ELIMIT_DIMENSION, "SCIPIX_ELIMIT_DIMENSION", "image width or height is over the limit"},
    {SCIPIX_ELIMIT_PIXELS, "SCIPIX_ELIMIT_PIXELS", "image has more pixels than the limit"},
    {SCIPIX_EIMAGE_BLANK, "SCIPIX_EIMAGE_BLANK", "image holds no ink"},
    {SCIPIX_EMODEL_OPEN, "SCIPIX_EMODEL_OPEN", "model file could not be opened"},
    {SCIPIX_EMODEL_FORMAT, "SCIPIX_EMODEL_FORMAT", "model file is malformed or truncated"},
    {SCIPIX_EMODEL_VERSION, "SCIPIX_EMODEL_VERSION", "model file version is not supported"},
    {SCIPIX_EMODEL_CHECKSUM, "SCIPIX_EMODEL_CHECKSUM", "model file checksum mismatch"},
    {SCIPIX_EPARSE, "SCIPIX_EPARSE", "LaTeX could not be parsed"},
};

static const sp_status_entry *sp_status_find(int code) {
    for (size_t i = 0; i < sizeof sp_status_table / sizeof sp_status_table[0]; i++)
        if (sp_status_table[i].code == code) return &sp_status_table[i];
    return NULL;
}

const char *scipix_status_name(int code) {
    const sp_status_entry *e = sp_status_find(code);
    return e ? e->name : "SCIPIX_EUNKNOWN";
}

const char *scipix_strerror(int code) {
    const sp_status_entry *e = sp_status_find(code);
    return e ? e->message : "unknown error";
}

const char *scipix_version(void) { return SP_VERSION_STRING; }

int sp_error_set(scipix_error *err, int code, const char *fmt, ...) {
    if (err) {
        err->code = code;
        if (fmt) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err->message, sizeof err->message, fmt, ap);
            va_end(ap);
        } else {
            snprintf(err->message, sizeof err->message, "%s", scipix_strerror(code));
        }
    }
    return code;
}

void sp_error_clear(scipix_error *err) {
    if (err) {
        err->code = SCIPIX_OK;
        err->message[0] = '\0';
    }
}
