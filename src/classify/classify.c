/*
 * classify.c — the forward pass of the symbol network, fp32 and int8.
 *
 * The network (architecture 1 in the model file):
 *   32x32x1 -> conv3x3 c1 + ReLU + maxpool2 -> 16x16xc1
 *           -> conv3x3 c2 + ReLU + maxpool2 -> 8x8xc2
 *           -> conv3x3 c3 + ReLU + maxpool2 -> 4x4xc3
 *   flatten (HWC) ++ 3 shape features -> fc hidden + ReLU -> fc n_classes
 * BatchNorm is folded into the convolutions at export time.
 *
 * Every layer goes through the kernel interface (kernel.h), so the
 * fp32/int8 and AVX2/portable choices are made in one place: im2col + one
 * matrix product, except the int8 first layer, a direct convolution (its
 * 9 taps padded to a 32-wide row wasted most of the product), with
 * quantization and pooling kernels between.  Convolutions run one sample
 * at a time (a sample already gives 1024/256/64 rows, enough to fill the
 * kernels, and the im2col buffer stays in cache), and the int8 ones multiply
 * each distinct patch once (paper repeats); the fully connected layers run
 * over the whole chunk.  Given a cache, an input whose pixels were read
 * before (at another reference height) skips to fc1's remembered output.
 *
 * int8: weights are symmetric per output channel (in the file);
 * activations are quantized per sample and per layer to 0..127 with scale
 * max/127 (they are >= 0 after ReLU; the input is ink 0..1), so zero pads
 * stay exact zeros and the u8*s8 kernels cannot saturate.  The shape
 * features stay fp32 (three multiply-adds per hidden unit): their range
 * differs from the image's and would cost the image its resolution.
 *
 * All work memory is allocated per call: a model is shared read-only and
 * any number of threads may classify at once.
 */
#include "classify/cache.h"
#include "classify/model.h"

#include "engine/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SP_CLASSIFY_CHUNK 64 /* samples per fully connected batch */

typedef struct {
    float *act;      /* current activation map, HWC floats */
    float *conv_out; /* conv output before pooling */
    float *col;      /* im2col rows (fp32) */
    uint8_t *act_q;  /* quantized activation map */
    uint8_t *col_q;  /* im2col rows (int8 path) */
    int32_t *acc;    /* int32 products (the later layers: of distinct patches) */
    int *row_slot;   /* output pixel -> its patch's row in col_q and acc */
    float *fc_in;    /* [chunk][fc1.k_pad] */
    uint8_t *fc_q;   /* [chunk][max k_pad] */
    float *fc_qs;    /* per-row activation scales */
    float *hidden;   /* [chunk][fc2.k_pad] */
    float *fc_out;   /* [chunk][max n_out] */
    float *pre;      /* [chunk][fc1.n_out]: fc1's output before the features */
    int32_t *fc_acc; /* [chunk][max n_out] */
} sp_classify_work;

static void sp_classify_work_free(sp_classify_work *w) {
    free(w->act);
    free(w->conv_out);
    free(w->col);
    free(w->act_q);
    free(w->col_q);
    free(w->acc);
    free(w->row_slot);
    free(w->fc_in);
    free(w->fc_q);
    free(w->fc_qs);
    free(w->hidden);
    free(w->fc_out);
    free(w->pre);
    free(w->fc_acc);
}

/* Work memory for `rows` samples at a time (at most SP_CLASSIFY_CHUNK) in
 * one precision: callers from the touching-glyph search classify a few
 * pieces at a time, and buffers sized for a full chunk of both precisions
 * (a zeroed quarter megabyte) cost them more than the network did. */
static int sp_classify_work_alloc(const sp_model *m, int rows, sp_precision prec, sp_classify_work *w) {
    memset(w, 0, sizeof *w);
    size_t max_act = SP_GLYPH_PIXELS, max_out = 0, max_col = 0;
    int side = SP_GLYPH_SIZE;
    for (int l = 0; l < SP_MODEL_CONV_LAYERS; l++) {
        size_t out = (size_t)side * side * (size_t)m->conv[l].n_out;
        size_t col = (size_t)side * side * (size_t)m->conv[l].k_pad;
        if (out > max_out) max_out = out;
        if (out > max_act) max_act = out;
        if (col > max_col) max_col = col;
        side /= 2;
    }
    size_t fc_k = (size_t)(m->fc1.k_pad > m->fc2.k_pad ? m->fc1.k_pad : m->fc2.k_pad);
    size_t fc_n = (size_t)(m->fc1.n_out > m->fc2.n_out ? m->fc1.n_out : m->fc2.n_out);
    size_t r = (size_t)rows;
    int q8 = prec == SP_PRECISION_INT8;
    w->act = malloc(max_act * sizeof(float));
    w->fc_in = calloc(r * (size_t)m->fc1.k_pad, sizeof(float));
    w->hidden = calloc(r * (size_t)m->fc2.k_pad, sizeof(float));
    w->fc_out = malloc(r * fc_n * sizeof(float));
    w->pre = malloc(r * (size_t)m->fc1.n_out * sizeof(float));
    int ok = w->act && w->fc_in && w->hidden && w->fc_out && w->pre;
    if (q8) {
        w->act_q = malloc(max_act);
        w->col_q = malloc(max_col);
        w->acc = malloc(max_out * sizeof(int32_t));
        w->row_slot = malloc(SP_GLYPH_PIXELS * sizeof(int));
        w->fc_q = malloc(r * fc_k);
        w->fc_qs = malloc(r * sizeof(float));
        w->fc_acc = malloc(r * fc_n * sizeof(int32_t));
        ok = ok && w->act_q && w->col_q && w->acc && w->row_slot && w->fc_q && w->fc_qs && w->fc_acc;
    } else {
        w->conv_out = malloc(max_out * sizeof(float));
        w->col = malloc(max_col * sizeof(float));
        ok = ok && w->conv_out && w->col;
    }
    if (!ok) {
        sp_classify_work_free(w);
        return SCIPIX_ENOMEM;
    }
    return SCIPIX_OK;
}

/* im2col for a 3x3 "same" convolution over an HWC map (side x side x ch):
 * row (y*side + x) holds the 3x3xch patch in (ky, kx, c) order, zero
 * outside the map and in the padding up to k_pad. */
#define SP_CLASSIFY_IM2COL(T, src, dst, side, ch, k_pad)                                       \
    do {                                                                                       \
        for (int y_ = 0; y_ < (side); y_++)                                                    \
            for (int x_ = 0; x_ < (side); x_++) {                                              \
                T *row_ = (dst) + ((size_t)y_ * (side) + x_) * (size_t)(k_pad);                \
                for (int ky_ = -1; ky_ <= 1; ky_++)                                            \
                    for (int kx_ = -1; kx_ <= 1; kx_++) {                                      \
                        int yy_ = y_ + ky_, xx_ = x_ + kx_;                                    \
                        if (yy_ < 0 || yy_ >= (side) || xx_ < 0 || xx_ >= (side))              \
                            memset(row_, 0, (size_t)(ch) * sizeof(T));                         \
                        else                                                                   \
                            memcpy(row_, (src) + ((size_t)yy_ * (side) + xx_) * (size_t)(ch),  \
                                   (size_t)(ch) * sizeof(T));                                  \
                        row_ += (ch);                                                          \
                    }                                                                          \
                memset(row_, 0, (size_t)((k_pad) - 9 * (ch)) * sizeof(T));                     \
            }                                                                                  \
    } while (0)

static void sp_classify_im2col_f32(const float *src, float *dst, int side, int ch, int k_pad) {
    SP_CLASSIFY_IM2COL(float, src, dst, side, ch, k_pad);
}

/* Later layers: the three taps of one kernel row lie side by side in the
 * HWC map, so away from the left and right edges a row of the kernel is
 * one copy of 3 x ch bytes, not three (the calls cost more than the bytes).
 *
 * Only distinct rows are kept: row (y, x) is written to the next free slot
 * and dropped again when it equals the slot of its left or upper
 * neighbour; map[y * side + x] is the slot that holds it.  Paper around a
 * glyph is one constant activation, so a quarter of the second layer's
 * patches repeat the one beside them, and the product of a repeat is the
 * product already made.  Returns the number of slots. */
static int sp_classify_im2col_u8_unique(const uint8_t *src, uint8_t *dst, int side, int ch, int k_pad, int *map) {
    size_t tap3 = 3 * (size_t)ch, kp = (size_t)k_pad;
    int slots = 0;
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            uint8_t *start = dst + (size_t)slots * kp, *row = start;
            for (int ky = -1; ky <= 1; ky++, row += tap3) {
                int yy = y + ky;
                if (yy < 0 || yy >= side) {
                    memset(row, 0, tap3);
                } else if (x > 0 && x < side - 1) {
                    memcpy(row, src + ((size_t)yy * side + x - 1) * (size_t)ch, tap3);
                } else {
                    for (int kx = -1; kx <= 1; kx++) {
                        int xx = x + kx;
                        uint8_t *tap = row + (size_t)(kx + 1) * (size_t)ch;
                        if (xx < 0 || xx >= side) memset(tap, 0, (size_t)ch);
                        else memcpy(tap, src + ((size_t)yy * side + xx) * (size_t)ch, (size_t)ch);
                    }
                }
            }
            memset(row, 0, kp - 9 * (size_t)ch);
            int at = y * side + x, same = -1;
            if (x > 0 && !memcmp(start, dst + (size_t)map[at - 1] * kp, kp)) same = map[at - 1];
            else if (y > 0 && !memcmp(start, dst + (size_t)map[at - side] * kp, kp))
                same = map[at - side];
            map[at] = same >= 0 ? same : slots++;
        }
    return slots;
}

/* The convolution stack for one sample; writes the flattened 4x4xc3 map
 * to fc_row. */
static void sp_classify_convs(const sp_model *m, const sp_glyph_input *in, sp_precision prec,
                              const sp_kernel_ops *ops, sp_classify_work *w, float *fc_row) {
    for (int i = 0; i < SP_GLYPH_PIXELS; i++) w->act[i] = (float)in->pixels[i] * (1.0f / 255.0f);
    int side = SP_GLYPH_SIZE, ch = 1;
    for (int l = 0; l < SP_MODEL_CONV_LAYERS; l++) {
        const sp_model_layer *L = &m->conv[l];
        int rows = side * side, n = L->n_out;
        float *dst = l + 1 == SP_MODEL_CONV_LAYERS ? fc_row : w->act;
        if (prec == SP_PRECISION_INT8) {
            float s = ops->quantize_u7(w->act, (size_t)rows * ch, w->act_q);
            const int *row_of = NULL;
            if (ch == 1) {
                ops->conv3x3_u8s8(side, w->act_q, n, L->w_q8, L->k_pad, w->acc);
            } else {
                int slots = sp_classify_im2col_u8_unique(w->act_q, w->col_q, side, ch, L->k_pad, w->row_slot);
                ops->gemm_u8s8(slots, n, L->k_pad, w->col_q, L->k_pad, L->w_q8, L->k_pad, w->acc, n);
                row_of = w->row_slot;
            }
            ops->pool_i32(w->acc, row_of, side, n, s, L->scale, L->bias, dst);
        } else {
            sp_classify_im2col_f32(w->act, w->col, side, ch, L->k_pad);
            ops->gemm_f32(rows, n, L->k_pad, w->col, L->k_pad, L->w, L->k_pad, w->conv_out, n);
            sp_kernel_pool_f32(w->conv_out, side, n, L->bias, dst);
        }
        side /= 2;
        ch = n;
    }
}

/* One fully connected layer over `rows` samples: out = in * W^T + b. */
static void sp_classify_fc(const sp_model_layer *L, const float *in, int rows, sp_precision prec,
                           const sp_kernel_ops *ops, sp_classify_work *w, float *out) {
    int n = L->n_out, kp = L->k_pad;
    if (prec == SP_PRECISION_INT8) {
        for (int r = 0; r < rows; r++)
            w->fc_qs[r] = ops->quantize_u7(in + (size_t)r * kp, (size_t)kp, w->fc_q + (size_t)r * kp);
        ops->gemm_u8s8(rows, n, kp, w->fc_q, kp, L->w_q8, kp, w->fc_acc, n);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < n; c++)
                out[(size_t)r * n + c] =
                    (float)w->fc_acc[(size_t)r * n + c] * (w->fc_qs[r] * L->scale[c]) + L->bias[c];
    } else {
        ops->gemm_f32(rows, n, kp, in, kp, L->w, kp, out, n);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < n; c++) out[(size_t)r * n + c] += L->bias[c];
    }
}

/* The network over n inputs.  With a cache (int8 only), an input whose
 * pixels were seen before takes fc1's output from the hidden memo and
 * skips the convolutions and fc1; only its features are added anew. */
static int sp_classify_network(const sp_model *m, const sp_glyph_input *inputs, size_t n, sp_precision prec,
                               const sp_kernel_ops *ops, sp_class_cache *cache, float *logits,
                               scipix_error *err) {
    if (!m || (n && (!inputs || !logits)))
        return sp_error_set(err, SCIPIX_EINVAL, "sp_classify_inputs: NULL argument");
    if (prec != SP_PRECISION_FP32 && prec != SP_PRECISION_INT8)
        return sp_error_set(err, SCIPIX_EINVAL, "sp_classify_inputs: unknown precision %d", (int)prec);
    if (!ops) ops = sp_kernel_best();
    if (n == 0) return SCIPIX_OK;
    if (prec != SP_PRECISION_INT8) cache = NULL; /* an fp32 row's sums may depend on its batch */
    sp_classify_work w;
    int chunk = n < SP_CLASSIFY_CHUNK ? (int)n : SP_CLASSIFY_CHUNK;
    if (sp_classify_work_alloc(m, chunk, prec, &w) != SCIPIX_OK)
        return sp_error_set(err, SCIPIX_ENOMEM, "sp_classify_inputs: out of memory");
    int hid = m->fc1.n_out, nf = m->n_features;
    for (size_t base = 0; base < n; base += SP_CLASSIFY_CHUNK) {
        int rows = (int)(n - base < SP_CLASSIFY_CHUNK ? n - base : SP_CLASSIFY_CHUNK), k = 0;
        int run[SP_CLASSIFY_CHUNK];       /* the rows the convolutions and fc1 run on */
        uint64_t hash[SP_CLASSIFY_CHUNK]; /* their pixels' hashes */
        for (int r = 0; r < rows; r++) {
            const sp_glyph_input *in = &inputs[base + r];
            if (cache) {
                hash[k] = sp_class_cache_pixels_hash(in);
                if (sp_class_cache_hidden_get(cache, in, hash[k], w.pre + (size_t)r * hid, (size_t)hid)) continue;
            }
            sp_classify_convs(m, in, prec, ops, &w, w.fc_in + (size_t)k * m->fc1.k_pad);
            run[k++] = r;
        }
        sp_classify_fc(&m->fc1, w.fc_in, k, prec, ops, &w, w.fc_out);
        for (int q = 0; q < k; q++) {
            memcpy(w.pre + (size_t)run[q] * hid, w.fc_out + (size_t)q * hid, (size_t)hid * sizeof *w.pre);
            if (cache) sp_class_cache_hidden_put(cache, &inputs[base + run[q]], hash[q], w.fc_out + (size_t)q * hid,
                                                 (size_t)hid);
        }
        /* + fp32 shape features, ReLU, into the zero-padded hidden rows */
        for (int r = 0; r < rows; r++) {
            const float *f = inputs[base + r].features;
            float *h = w.hidden + (size_t)r * m->fc2.k_pad;
            const float *o = w.pre + (size_t)r * hid;
            for (int j = 0; j < hid; j++) {
                float v = o[j];
                for (int q = 0; q < nf; q++) v += m->fc1_feat[(size_t)j * nf + q] * f[q];
                h[j] = v > 0.0f ? v : 0.0f;
            }
        }
        sp_classify_fc(&m->fc2, w.hidden, rows, prec, ops, &w, logits + base * (size_t)m->n_classes);
    }
    sp_classify_work_free(&w);
    return SCIPIX_OK;
}

int sp_classify_inputs(const sp_model *m, const sp_glyph_input *inputs, size_t n, sp_precision prec,
                       const sp_kernel_ops *ops, float *logits, scipix_error *err) {
    return sp_classify_network(m, inputs, n, prec, ops, NULL, logits, err);
}

/* Softmax probabilities of the best classes.  The exponentials are float
 * (the logits are; a double exp of each of hundreds of classes was a
 * twentieth of recognition time), summed in double. */
void sp_classify_topk(const float *logits, int n_classes, sp_class_scores *out) {
    for (int t = 0; t < SP_CLASSIFY_TOPK; t++) {
        out->class_id[t] = -1;
        out->prob[t] = 0.0f;
    }
    float mx = -INFINITY;
    for (int c = 0; c < n_classes; c++)
        if (logits[c] > mx) mx = logits[c];
    double sum = 0.0;
    for (int c = 0; c < n_classes; c++) sum += (double)expf(logits[c] - mx);
    for (int c = 0; c < n_classes; c++) {
        float v = logits[c];
        int t = SP_CLASSIFY_TOPK;
        while (t > 0 && (out->class_id[t - 1] < 0 || v > logits[out->class_id[t - 1]])) t--;
        if (t >= SP_CLASSIFY_TOPK) continue;
        memmove(&out->class_id[t + 1], &out->class_id[t],
                (SP_CLASSIFY_TOPK - 1 - t) * sizeof out->class_id[0]);
        out->class_id[t] = c;
    }
    for (int t = 0; t < SP_CLASSIFY_TOPK; t++)
        if (out->class_id[t] >= 0)
            out->prob[t] = (float)((double)expf(logits[out->class_id[t]] - mx) / sum);
}

/* The batch entry points: normalize a chunk of glyphs, answer from the
 * cache what it holds, run the network on the rest (compacted to the
 * chunk's front) and remember their answers. */
static int sp_classify_run(const sp_model *m, const sp_glyph *glyphs, size_t n, sp_precision prec,
                           const sp_kernel_ops *ops, sp_class_cache *cache, sp_class_scores *out,
                           scipix_error *err) {
    if (!m || (n && (!glyphs || !out)))
        return sp_error_set(err, SCIPIX_EINVAL, "sp_classify_batch: NULL argument");
    size_t chunk = n < SP_CLASSIFY_CHUNK ? n : SP_CLASSIFY_CHUNK;
    if (chunk == 0) return SCIPIX_OK;
    sp_glyph_input *in = malloc(chunk * sizeof *in);
    float *logits = malloc(chunk * (size_t)m->n_classes * sizeof *logits);
    size_t miss[SP_CLASSIFY_CHUNK];   /* glyph index of each input the network runs on */
    uint64_t hash[SP_CLASSIFY_CHUNK];
    if (!in || !logits) {
        free(in);
        free(logits);
        return sp_error_set(err, SCIPIX_ENOMEM, "sp_classify_batch: out of memory");
    }
    int rc = SCIPIX_OK;
    for (size_t base = 0; base < n && rc == SCIPIX_OK; base += chunk) {
        size_t rows = n - base < chunk ? n - base : chunk, k = 0;
        for (size_t r = 0; r < rows && rc == SCIPIX_OK; r++) {
            rc = sp_glyph_normalize(&glyphs[base + r], &in[k], err);
            if (rc != SCIPIX_OK && err) {
                char msg[sizeof err->message];
                snprintf(msg, sizeof msg, "%s", err->message);
                sp_error_set(err, rc, "glyph %zu: %s", base + r, msg);
            }
            if (rc != SCIPIX_OK) break;
            if (cache) {
                hash[k] = sp_class_cache_hash(&in[k]);
                if (sp_class_cache_get(cache, &in[k], hash[k], &out[base + r])) {
                    sp_classify_facing(m, &glyphs[base + r], &out[base + r]);
                    continue;
                }
            }
            miss[k++] = base + r;
        }
        if (rc == SCIPIX_OK && k) rc = sp_classify_network(m, in, k, prec, ops, cache, logits, err);
        for (size_t r = 0; r < k && rc == SCIPIX_OK; r++) {
            sp_classify_topk(logits + r * (size_t)m->n_classes, m->n_classes, &out[miss[r]]);
            if (cache) sp_class_cache_put(cache, &in[r], hash[r], &out[miss[r]]);
            sp_classify_facing(m, &glyphs[miss[r]], &out[miss[r]]);
        }
    }
    free(in);
    free(logits);
    return rc;
}

int sp_classify_batch_ops(const sp_model *m, const sp_glyph *glyphs, size_t n, sp_precision prec,
                          const sp_kernel_ops *ops, sp_class_scores *out, scipix_error *err) {
    return sp_classify_run(m, glyphs, n, prec, ops, NULL, out, err);
}

int sp_classify_batch(const sp_model *m, const sp_glyph *glyphs, size_t n, sp_precision prec,
                      sp_class_scores *out, scipix_error *err) {
    return sp_classify_run(m, glyphs, n, prec, NULL, NULL, out, err);
}

int sp_classify_batch_cached(const sp_model *m, const sp_glyph *glyphs, size_t n, sp_precision prec,
                             sp_class_cache *cache, sp_class_scores *out, scipix_error *err) {
    return sp_classify_run(m, glyphs, n, prec, NULL, cache, out, err);
}
