/*
 * mathpix.c — the Mathpix v3 result shape as JSON, built with jansson:
 *   {"text": "\\( x^2 \\)", "latex_styled": "x^{2}", "confidence": 1.0,
 *    "confidence_rate": 1.0,
 *    "data": [{"type": "mathml", "value": "<math …>"}, …]}
 * "text" holds the simplified LaTeX between configurable delimiters (inline
 * \( \) by default); "latex_styled" is the canonical styled LaTeX; "data" is
 * present only when some format was asked for.  jansson does the escaping,
 * so any Unicode in the tree comes out as valid JSON.
 */
#include "emit/emit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void sp_mathpix_options_init(sp_mathpix_options *o) {
    o->open_delim = "\\(";
    o->close_delim = "\\)";
    o->data = 0;
    o->confidence = 1.0;
    o->pretty = 0;
}

static int sp_mp_add_data(json_t *arr, const char *type, const sp_buf *v) {
    json_t *item = json_pack("{s:s, s:s}", "type", type, "value", v->data ? v->data : "");
    if (!item) return SCIPIX_ENOMEM;
    if (json_array_append_new(arr, item)) return SCIPIX_ENOMEM;
    return SCIPIX_OK;
}

int sp_mathpix_emit(const sp_node *root, const sp_mathpix_options *o, sp_buf *out) {
    sp_mathpix_options def;
    if (!o) {
        sp_mathpix_options_init(&def);
        o = &def;
    }
    if (!root || !out) return SCIPIX_EINVAL;
    sp_buf simple, styled, tmp;
    sp_buf_init(&simple);
    sp_buf_init(&styled);
    sp_buf_init(&tmp);
    json_t *obj = NULL, *data = NULL;
    int rc = sp_latex_emit(root, 0, &simple);
    if (!rc) rc = sp_latex_emit(root, 1, &styled);
    if (rc) goto done;
    sp_buf_puts(&tmp, o->open_delim ? o->open_delim : "");
    sp_buf_putc(&tmp, ' ');
    sp_buf_puts(&tmp, sp_buf_str(&simple));
    sp_buf_putc(&tmp, ' ');
    sp_buf_puts(&tmp, o->close_delim ? o->close_delim : "");
    rc = SCIPIX_ENOMEM;
    if (tmp.oom) goto done;
    obj = json_object();
    if (!obj) goto done;
    if (json_object_set_new(obj, "text", json_string(sp_buf_str(&tmp))) ||
        json_object_set_new(obj, "latex_styled", json_string(sp_buf_str(&styled))) ||
        json_object_set_new(obj, "confidence", json_real(o->confidence)) ||
        json_object_set_new(obj, "confidence_rate", json_real(o->confidence)))
        goto done;
    if (o->data) {
        data = json_array();
        if (!data) goto done;
        if (o->data & SP_MATHPIX_DATA_MATHML) {
            sp_buf_clear(&tmp);
            if ((rc = sp_mathml_emit(root, 0, &tmp)) || (rc = sp_mp_add_data(data, "mathml", &tmp))) goto done;
        }
        if (o->data & SP_MATHPIX_DATA_ASCIIMATH) {
            sp_buf_clear(&tmp);
            if ((rc = sp_asciimath_emit(root, &tmp)) || (rc = sp_mp_add_data(data, "asciimath", &tmp))) goto done;
        }
        if (o->data & SP_MATHPIX_DATA_LATEX) {
            if ((rc = sp_mp_add_data(data, "latex", &simple))) goto done;
        }
        rc = SCIPIX_ENOMEM;
        if (json_object_set_new(obj, "data", data)) {
            data = NULL;
            goto done;
        }
        data = NULL;
    }
    {
        char *s = json_dumps(obj, (o->pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
        if (!s) goto done;
        sp_buf_puts(out, s);
        free(s);
    }
    rc = out->oom ? SCIPIX_ENOMEM : SCIPIX_OK;
done:
    json_decref(data);
    json_decref(obj);
    sp_buf_free(&simple);
    sp_buf_free(&styled);
    sp_buf_free(&tmp);
    return rc;
}
