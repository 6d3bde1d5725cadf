/*
 * glyph.c — turns a gray glyph crop into the classifier's fixed input.
 *
 * The crop (0 = ink, 255 = paper) is inverted to ink intensity, scaled
 * aspect-preserving so that its longer side spans SP_GLYPH_BOX pixels,
 * centred in an SP_GLYPH_SIZE square, contrast-stretched so that its
 * darkest pixel is full ink, and stored as 8-bit ink (255 = ink).  The
 * absolute size, lost by the scaling, comes back as three scalar features
 * relative to the formula's reference height: log(h/ref), log(w/ref) and
 * log(w/h), clamped.
 *
 * Why this way:
 *  - one function serves training (tools/pack) and inference, so what the
 *    network learns is exactly what it sees; the 8-bit output makes the
 *    packed training file small and the equality exact;
 *  - resampling is area averaging with integer-exact span arithmetic
 *    (the source and destination grids are compared in units of
 *    1/(src*dst)), so it is deterministic, needs no floating-point edge
 *    cases, and treats up- and down-scaling alike;
 *  - contrast stretching makes the input independent of the print's gray
 *    level; the features are logs so that ratios of 1/8 and 8 are equally
 *    far from 1, and clamped so that hairlines do not produce infinities.
 */
#include "classify/glyph.h"

#include "engine/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One destination sample's source span along one axis. */
typedef struct {
    int first;  /* first source index */
    int count;  /* number of source indices */
    int off;    /* offset of its weights in the weight array */
} sp_glyph_span;

/* Build area-average spans from n_src samples to n_dst samples.  Source i
 * covers [i*n_dst, (i+1)*n_dst), destination d covers [d*n_src,
 * (d+1)*n_src) in units of 1/(n_src*n_dst); the weight is the overlap
 * divided by n_src, so each destination's weights sum to 1. */
static int sp_glyph_spans(int n_src, int n_dst, sp_glyph_span **spans_out, float **w_out) {
    sp_glyph_span *spans = malloc((size_t)n_dst * sizeof *spans);
    /* each destination touches at most n_src/n_dst + 2 sources */
    size_t max_w = (size_t)n_dst * ((size_t)n_src / (size_t)n_dst + 2);
    float *w = malloc(max_w * sizeof *w);
    if (!spans || !w) {
        free(spans);
        free(w);
        return SCIPIX_ENOMEM;
    }
    size_t off = 0;
    for (int d = 0; d < n_dst; d++) {
        int64_t lo = (int64_t)d * n_src, hi = (int64_t)(d + 1) * n_src;
        int first = (int)(lo / n_dst);
        int last = (int)((hi - 1) / n_dst);
        if (last >= n_src) last = n_src - 1;
        spans[d].first = first;
        spans[d].count = last - first + 1;
        spans[d].off = (int)off;
        for (int i = first; i <= last; i++) {
            int64_t a = (int64_t)i * n_dst, b = (int64_t)(i + 1) * n_dst;
            int64_t ov = (b < hi ? b : hi) - (a > lo ? a : lo);
            w[off++] = (float)((double)ov / (double)n_src);
        }
    }
    *spans_out = spans;
    *w_out = w;
    return SCIPIX_OK;
}

/* Resample the ink (255 - gray) of src into dst_w x dst_h floats. */
static int sp_glyph_resample_ink(const uint8_t *src, int sw, int sh, int stride,
                                 float *dst, int dw, int dh) {
    sp_glyph_span *hs = NULL, *vs = NULL;
    float *hw = NULL, *vw = NULL, *tmp = NULL;
    int rc = sp_glyph_spans(sw, dw, &hs, &hw);
    if (rc == SCIPIX_OK) rc = sp_glyph_spans(sh, dh, &vs, &vw);
    if (rc == SCIPIX_OK) {
        tmp = malloc((size_t)sh * (size_t)dw * sizeof *tmp);
        if (!tmp) rc = SCIPIX_ENOMEM;
    }
    if (rc == SCIPIX_OK) {
        for (int y = 0; y < sh; y++) {
            const uint8_t *row = src + (size_t)y * (size_t)stride;
            float *t = tmp + (size_t)y * (size_t)dw;
            for (int x = 0; x < dw; x++) {
                const float *w = hw + hs[x].off;
                float acc = 0.0f;
                for (int i = 0; i < hs[x].count; i++)
                    acc += w[i] * (float)(255 - row[hs[x].first + i]);
                t[x] = acc;
            }
        }
        for (int y = 0; y < dh; y++) {
            float *o = dst + (size_t)y * (size_t)dw;
            for (int x = 0; x < dw; x++) o[x] = 0.0f;
            const float *w = vw + vs[y].off;
            for (int i = 0; i < vs[y].count; i++) {
                const float *t = tmp + (size_t)(vs[y].first + i) * (size_t)dw;
                for (int x = 0; x < dw; x++) o[x] += w[i] * t[x];
            }
        }
    }
    free(hs);
    free(vs);
    free(hw);
    free(vw);
    free(tmp);
    return rc;
}

int sp_glyph_resample(const uint8_t *src, int src_w, int src_h, int src_stride,
                      uint8_t *dst, int dst_w, int dst_h, scipix_error *err) {
    if (!src || !dst || src_w < 1 || src_h < 1 || src_stride < src_w || dst_w < 1 || dst_h < 1)
        return sp_error_set(err, SCIPIX_EINVAL, "sp_glyph_resample: bad arguments (%dx%d -> %dx%d)",
                            src_w, src_h, dst_w, dst_h);
    float *ink = malloc((size_t)dst_w * (size_t)dst_h * sizeof *ink);
    if (!ink) return sp_error_set(err, SCIPIX_ENOMEM, "sp_glyph_resample: out of memory");
    int rc = sp_glyph_resample_ink(src, src_w, src_h, src_stride, ink, dst_w, dst_h);
    if (rc != SCIPIX_OK) {
        free(ink);
        return sp_error_set(err, rc, "sp_glyph_resample: out of memory");
    }
    for (size_t i = 0; i < (size_t)dst_w * (size_t)dst_h; i++) {
        float g = 255.0f - ink[i];
        dst[i] = (uint8_t)(g <= 0.0f ? 0 : g >= 255.0f ? 255 : (int)(g + 0.5f));
    }
    free(ink);
    return SCIPIX_OK;
}

static float sp_glyph_clamp_feature(double v) {
    if (v > SP_GLYPH_FEATURE_CLAMP) return SP_GLYPH_FEATURE_CLAMP;
    if (v < -SP_GLYPH_FEATURE_CLAMP) return -SP_GLYPH_FEATURE_CLAMP;
    return (float)v;
}

int sp_glyph_normalize(const sp_glyph *g, sp_glyph_input *out, scipix_error *err) {
    if (!g || !out) return sp_error_set(err, SCIPIX_EINVAL, "sp_glyph_normalize: NULL argument");
    if (!g->pixels || g->width < 1 || g->height < 1 || g->stride < g->width)
        return sp_error_set(err, SCIPIX_EINVAL, "glyph has a bad crop (%dx%d, stride %d)", g->width,
                            g->height, g->stride);
    if (!(g->ref_height > 0.0f) || !isfinite(g->ref_height))
        return sp_error_set(err, SCIPIX_EINVAL, "glyph has a bad reference height (%g)",
                            (double)g->ref_height);

    int w = g->width, h = g->height;
    int longer = w > h ? w : h;
    /* target size: longer side -> SP_GLYPH_BOX, rounded, at least 1 */
    int tw = (int)(((int64_t)w * SP_GLYPH_BOX * 2 + longer) / (2 * (int64_t)longer));
    int th = (int)(((int64_t)h * SP_GLYPH_BOX * 2 + longer) / (2 * (int64_t)longer));
    if (tw < 1) tw = 1;
    if (th < 1) th = 1;

    float ink[SP_GLYPH_BOX * SP_GLYPH_BOX];
    if (sp_glyph_resample_ink(g->pixels, w, h, g->stride, ink, tw, th) != SCIPIX_OK)
        return sp_error_set(err, SCIPIX_ENOMEM, "sp_glyph_normalize: out of memory");

    float peak = 0.0f;
    for (int i = 0; i < tw * th; i++)
        if (ink[i] > peak) peak = ink[i];
    float gain = peak > 0.5f ? 255.0f / peak : 0.0f; /* blank crop: all paper */

    memset(out->pixels, 0, sizeof out->pixels);
    int ox = (SP_GLYPH_SIZE - tw) / 2, oy = (SP_GLYPH_SIZE - th) / 2;
    for (int y = 0; y < th; y++) {
        uint8_t *o = out->pixels + (size_t)(oy + y) * SP_GLYPH_SIZE + ox;
        const float *s = ink + (size_t)y * (size_t)tw;
        for (int x = 0; x < tw; x++) {
            float v = s[x] * gain;
            o[x] = (uint8_t)(v <= 0.0f ? 0 : v >= 255.0f ? 255 : (int)(v + 0.5f));
        }
    }

    double ref = (double)g->ref_height;
    out->features[0] = sp_glyph_clamp_feature(log((double)h / ref));
    out->features[1] = sp_glyph_clamp_feature(log((double)w / ref));
    out->features[2] = sp_glyph_clamp_feature(log((double)w / (double)h));
    return SCIPIX_OK;
}
