/*
 * test_classify_util.h — helpers shared by the classifier tests: builds a
 * small but complete .spxm model in memory (random weights, 3 classes) so
 * loader and kernel tests do not depend on the trained model, plus file
 * and temp-dir helpers.  Header-only: each test is its own program.
 */
#ifndef SP_TEST_CLASSIFY_UTIL_H
#define SP_TEST_CLASSIFY_UTIL_H

#include "classify/model.h"

#include <check.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    uint8_t *buf;
    size_t size, cap, pos;
    size_t dir_off;
    int n_tensors;
    uint64_t rng;
} tcu_model;

static inline uint32_t tcu_rand(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (uint32_t)((*s * UINT64_C(2685821657736338717)) >> 32);
}

static inline float tcu_frand(uint64_t *s) { return (float)tcu_rand(s) / 4294967296.0f * 2.0f - 1.0f; }

static inline void tcu_put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static inline void tcu_put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static inline void tcu_tensor(tcu_model *m, const char *name, uint32_t dtype, uint32_t ndim, const uint32_t *dims,
                       const void *data, size_t nbytes) {
    uint8_t *e = m->buf + m->dir_off + (size_t)m->n_tensors * SP_MODEL_TENSOR_ENTRY_SIZE;
    memset(e, 0, SP_MODEL_TENSOR_ENTRY_SIZE);
    size_t len = strlen(name);
    memcpy(e, name, len < SP_MODEL_TENSOR_NAME_MAX ? len : SP_MODEL_TENSOR_NAME_MAX - 1);
    tcu_put32(e + 48, dtype);
    tcu_put32(e + 52, ndim);
    for (uint32_t d = 0; d < ndim; d++) tcu_put32(e + 56 + 4 * d, dims[d]);
    tcu_put64(e + 72, m->pos);
    memcpy(m->buf + m->pos, data, nbytes);
    m->pos = (m->pos + nbytes + SP_MODEL_ALIGN - 1) / SP_MODEL_ALIGN * SP_MODEL_ALIGN;
    m->n_tensors++;
}

static inline void tcu_layer(tcu_model *m, const char *prefix, int n_out, int k) {
    int kp = (k + SP_KERNEL_K_ALIGN - 1) / SP_KERNEL_K_ALIGN * SP_KERNEL_K_ALIGN;
    float *w = calloc((size_t)n_out * kp, sizeof *w), *scale = malloc((size_t)n_out * sizeof *scale);
    float *bias = malloc((size_t)n_out * sizeof *bias);
    int8_t *q = calloc((size_t)n_out * kp, 1);
    float fan = 1.0f / sqrtf((float)k);
    for (int o = 0; o < n_out; o++) {
        float amax = 0;
        for (int i = 0; i < k; i++) {
            w[o * kp + i] = tcu_frand(&m->rng) * 1.7f * fan;
            if (fabsf(w[o * kp + i]) > amax) amax = fabsf(w[o * kp + i]);
        }
        scale[o] = amax / 127.0f;
        for (int i = 0; i < k; i++) q[o * kp + i] = (int8_t)lrintf(w[o * kp + i] / scale[o]);
        bias[o] = 0.05f * tcu_frand(&m->rng);
    }
    char name[64];
    uint32_t d2[2] = {(uint32_t)n_out, (uint32_t)kp}, d1[1] = {(uint32_t)n_out};
    snprintf(name, sizeof name, "%s.weight", prefix);
    tcu_tensor(m, name, SP_MODEL_F32, 2, d2, w, (size_t)n_out * kp * 4);
    snprintf(name, sizeof name, "%s.weight_q8", prefix);
    tcu_tensor(m, name, SP_MODEL_I8, 2, d2, q, (size_t)n_out * kp);
    snprintf(name, sizeof name, "%s.scale", prefix);
    tcu_tensor(m, name, SP_MODEL_F32, 1, d1, scale, (size_t)n_out * 4);
    snprintf(name, sizeof name, "%s.bias", prefix);
    tcu_tensor(m, name, SP_MODEL_F32, 1, d1, bias, (size_t)n_out * 4);
    free(w);
    free(scale);
    free(bias);
    free(q);
}

/* Recompute the size field and checksum after editing a buffer. */
static inline void tcu_seal(uint8_t *buf, size_t size) {
    tcu_put64(buf + 8, size);
    tcu_put64(buf + 16, XXH64(buf + SP_MODEL_CHECKSUM_FROM, size - SP_MODEL_CHECKSUM_FROM, 0));
}

/* Optional context tables for tcu_build_model_ctx (NULL members: absent). */
typedef struct {
    const float *params;                   /* [n_params] */
    uint32_t n_params;
    const float *height;                   /* [3][bins] */
    uint32_t bins;
    const float *vnbr;                     /* [3][vnbr_cols] */
    const float *route;                    /* route.params [1] (NULL: absent) */
    int low;                               /* add a second network, low.* */
    const float *params2;                  /* ctx.params2 [SP_CONTEXT_PARAMS2] (NULL: absent) */
    const float *row;                      /* ctx.row [3][row_cols] (NULL: absent) */
    uint32_t row_cols;                     /* the row bins and one for "no neighbour" */
    uint32_t vnbr_cols;                    /* 4 or 9 (0: 4) */
} tcu_context;

/* A valid model: widths 8/8/16, hidden 24, 3 classes (x, \alpha, +),
 * with the context tables of ctx (NULL: none). */
static inline uint8_t *tcu_build_model_ctx(size_t *size_out, const tcu_context *ctx) {
    tcu_model m;
    memset(&m, 0, sizeof m);
    m.cap = 1 << 20;
    m.buf = calloc(1, m.cap);
    m.rng = 0x1234567887654321ull;
    static const char table[] = "x\0x\0mi\0ord\0\\alpha\0\xce\xb1\0mi\0ord\0+\0+\0mo\0bin";
    size_t tlen = sizeof table; /* includes the final NUL */
    tcu_put64(m.buf + 64, tlen);
    memcpy(m.buf + 72, table, tlen);
    m.dir_off = (72 + tlen + 63) / 64 * 64;
    m.pos = m.dir_off + 64 * SP_MODEL_TENSOR_ENTRY_SIZE; /* room for 64 entries */
    for (int net = 0; net < (ctx && ctx->low ? 2 : 1); net++) {
        const char *pre = net ? "low." : "";
        char name[32];
        int widths[3] = {8, 8, 16}, in_ch = 1;
        for (int l = 0; l < 3; l++) {
            snprintf(name, sizeof name, "%sconv%d", pre, l + 1);
            tcu_layer(&m, name, widths[l], 9 * in_ch);
            in_ch = widths[l];
        }
        snprintf(name, sizeof name, "%sfc1", pre);
        tcu_layer(&m, name, 24, 16 * in_ch);
        float feat[24 * 3];
        for (int i = 0; i < 24 * 3; i++) feat[i] = 0.3f * tcu_frand(&m.rng);
        uint32_t fd[2] = {24, 3};
        snprintf(name, sizeof name, "%sfc1.feat_weight", pre);
        tcu_tensor(&m, name, SP_MODEL_F32, 2, fd, feat, sizeof feat);
        snprintf(name, sizeof name, "%sfc2", pre);
        tcu_layer(&m, name, 3, 24);
    }
    if (ctx && ctx->route) {
        uint32_t dr[1] = {1};
        tcu_tensor(&m, "route.params", SP_MODEL_F32, 1, dr, ctx->route, sizeof(float));
    }
    if (ctx && ctx->params) {
        uint32_t dp[1] = {ctx->n_params};
        tcu_tensor(&m, "ctx.params", SP_MODEL_F32, 1, dp, ctx->params, ctx->n_params * sizeof(float));
    }
    if (ctx && ctx->height) {
        uint32_t dh[2] = {3, ctx->bins};
        tcu_tensor(&m, "ctx.height", SP_MODEL_F32, 2, dh, ctx->height, 3 * ctx->bins * sizeof(float));
    }
    if (ctx && ctx->vnbr) {
        uint32_t dv[2] = {3, ctx->vnbr_cols ? ctx->vnbr_cols : 4};
        tcu_tensor(&m, "ctx.vnbr", SP_MODEL_F32, 2, dv, ctx->vnbr, 3 * dv[1] * sizeof(float));
    }
    if (ctx && ctx->params2) {
        uint32_t dp[1] = {SP_CONTEXT_PARAMS2};
        tcu_tensor(&m, "ctx.params2", SP_MODEL_F32, 1, dp, ctx->params2, sizeof(float) * SP_CONTEXT_PARAMS2);
    }
    if (ctx && ctx->row) {
        uint32_t dr[2] = {3, ctx->row_cols};
        tcu_tensor(&m, "ctx.row", SP_MODEL_F32, 2, dr, ctx->row, 3 * ctx->row_cols * sizeof(float));
    }
    memcpy(m.buf, SP_MODEL_MAGIC, 4);
    tcu_put32(m.buf + 4, SP_MODEL_VERSION);
    tcu_put32(m.buf + 24, SP_MODEL_HEADER_SIZE);
    tcu_put32(m.buf + 28, SP_MODEL_ARCH_CNN3);
    tcu_put32(m.buf + 32, 3);
    tcu_put32(m.buf + 36, (uint32_t)m.n_tensors);
    tcu_put32(m.buf + 40, SP_GLYPH_SIZE);
    tcu_put32(m.buf + 44, SP_GLYPH_FEATURES);
    tcu_put64(m.buf + 48, 64);
    tcu_put64(m.buf + 56, m.dir_off);
    tcu_seal(m.buf, m.pos);
    *size_out = m.pos;
    return m.buf;
}

static inline uint8_t *tcu_build_model(size_t *size_out) { return tcu_build_model_ctx(size_out, NULL); }

/* The committed model, models/symbols.spxm under $SCIPIX_SOURCE_DIR. */
static inline sp_model *tcu_open_committed_model(void) {
    const char *src = getenv("SCIPIX_SOURCE_DIR");
    char mpath[1024];
    snprintf(mpath, sizeof mpath, "%s/models/symbols.spxm", src ? src : ".");
    scipix_error err;
    sp_model *m = NULL;
    ck_assert_msg(sp_model_open(mpath, &m, &err) == SCIPIX_OK, "%s", err.message);
    return m;
}

static inline void tcu_write(const char *path, const void *buf, size_t size) {
    FILE *fp = fopen(path, "wb");
    if (!fp) abort();
    if (size && fwrite(buf, size, 1, fp) != 1) abort();
    fclose(fp);
}

/* A fresh temp directory (caller removes the files it made, then it). */
static inline void tcu_tempdir(char *out, size_t cap) {
    const char *base = getenv("TMPDIR");
    snprintf(out, cap, "%s/scipix-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(out)) abort();
}

/* Random glyph-like inputs: blobs of ink on paper. */
static inline void tcu_random_inputs(sp_glyph_input *in, size_t n, uint64_t seed) {
    uint64_t s = seed | 1;
    for (size_t i = 0; i < n; i++) {
        for (int p = 0; p < SP_GLYPH_PIXELS; p++) {
            uint32_t r = tcu_rand(&s);
            in[i].pixels[p] = (uint8_t)((r % 3) ? 0 : r >> 24);
        }
        for (int f = 0; f < SP_GLYPH_FEATURES; f++) in[i].features[f] = tcu_frand(&s);
    }
}

#endif
