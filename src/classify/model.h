/*
 * model.h — inside the classifier: the .spxm file layout, the opened
 * model, and the tensor-level entry points used by the tools, the bench
 * and the tests (other stages use classify.h only).
 *
 * File layout (all little-endian; docs/model-format.md is the full spec):
 *
 *   header (64 bytes)  magic "SPXM", version, file size, xxHash64 of
 *                      bytes [24, file size), architecture, counts and
 *                      the offsets of the two tables below
 *   class table        u64 byte length, then per class four
 *                      NUL-terminated UTF-8 strings: latex, unicode,
 *                      mathml, atom
 *   tensor directory   n_tensors entries of 80 bytes: name[48] (NUL
 *                      padded), dtype, ndim, dims[4], u64 offset
 *   tensor data        each tensor at a 64-byte aligned offset
 */
#ifndef SP_CLASSIFY_MODEL_H
#define SP_CLASSIFY_MODEL_H

#include "classify/classify.h"
#include "classify/glyph.h"
#include "classify/kernel.h"

#include <stddef.h>
#include <stdint.h>

#define SP_MODEL_MAGIC "SPXM"
#define SP_MODEL_VERSION 1u
#define SP_MODEL_HEADER_SIZE 64u
#define SP_MODEL_CHECKSUM_FROM 24u /* the checksum covers [24, file size) */
#define SP_MODEL_TENSOR_ENTRY_SIZE 80u
#define SP_MODEL_TENSOR_NAME_MAX 48u
#define SP_MODEL_ALIGN 64u
#define SP_MODEL_ARCH_CNN3 1u /* 3 x (conv3x3 + ReLU + maxpool2), fc + ReLU, fc */
#define SP_MODEL_CONV_LAYERS 3

/* The context stage's scalars (tensor ctx.params, in this order). */
typedef struct sp_context_params {
    float bin0, bin_width;     /* height bin b covers ln(h/s) in [bin0 + b w, bin0 + (b+1) w) */
    float alpha, beta;         /* weights of the height and neighbour terms */
    float gap_pt;              /* a neighbour above/below is at most this far, points */
    float sure;                /* glyphs read at least this surely set the scale */
    float scale_lo, scale_hi, scale_step; /* ln(pixels per point) searched */
    float floor;               /* least ln density one glyph adds to the scale search */
    float near;                /* only candidates with p >= near * p(top) may move up */
} sp_context_params;
#define SP_CONTEXT_PARAMS 11

/* The context stage's second set of scalars (tensor ctx.params2, in this
 * order), for the row term and the near/far neighbour patterns. */
typedef struct sp_context_params2 {
    float row_bin0, row_bin_width; /* row bin b covers offsets in [bin0 + b w, bin0 + (b+1) w), points */
    float gamma;                   /* weight of the row term */
    float reach_pt;                /* a row neighbour is at most this far to the side, points */
    float band_pt;                 /* and within this far above or below the glyph, points */
    float near_pt;                 /* with 9 patterns: a neighbour above/below this close is "near" */
    float row_margin;              /* row ln densities within this of the candidates' best count as equal */
} sp_context_params2;
#define SP_CONTEXT_PARAMS2 7

typedef enum sp_model_dtype {
    SP_MODEL_F32 = 0,
    SP_MODEL_I8 = 1,
    SP_MODEL_U8 = 2,
} sp_model_dtype;

/* One layer computing y = W x + b over k inputs, n_out outputs.  Weights
 * rows are k_pad long (k rounded up to SP_KERNEL_K_ALIGN, zero padded);
 * w_q8[o][i] * scale[o] approximates w[o][i]. */
typedef struct sp_model_layer {
    int n_out, k, k_pad;
    const float *w;     /* [n_out][k_pad] */
    const int8_t *w_q8; /* [n_out][k_pad] */
    const float *scale; /* [n_out] */
    const float *bias;  /* [n_out] */
} sp_model_layer;

struct sp_model {
    void *map;   /* the mmapped file */
    size_t size; /* its size */
    int n_classes;
    sp_symbol_class *classes; /* points into the class table */
    int input_size, n_features;
    sp_model_layer conv[SP_MODEL_CONV_LAYERS]; /* conv k = 9 * input channels, HWC order */
    sp_model_layer fc1;                        /* k = flattened conv output (HWC order) */
    const float *fc1_feat;                     /* [fc1.n_out][n_features], fp32 always */
    sp_model_layer fc2;                        /* n_out = n_classes */
    /* optional reference vectors written at training time (n_ref may be 0) */
    int n_ref;
    const uint8_t *ref_pixels; /* [n_ref][input_size^2] */
    const float *ref_features; /* [n_ref][n_features] */
    const float *ref_logits;   /* [n_ref][n_classes], PyTorch's fp32 logits */
    /* optional context tables (context.c, written by tools/train/context.py);
     * ctx_height NULL when the file has none */
    const float *ctx_height;   /* [n_classes][ctx_bins] ln density of ln(height in points) */
    const float *ctx_vnbr;     /* [n_classes][ctx_patterns] ln P(neighbour pattern) */
    int ctx_bins;
    int ctx_patterns;          /* 4: above/below or not; 9: none, near or far, each (ctx.params2) */
    sp_context_params ctx;
    /* optional row term: ctx_row NULL when the file has none */
    const float *ctx_row; /* [n_classes][ctx_row_bins + 1] ln P(row offset bin); the last: no neighbour */
    int ctx_row_bins;
    sp_context_params2 ctx2; /* zero when the file has no ctx.params2 */
    /* optional second network for images of few pixels per point (tensors
     * low.*, cutoff in route.params): a model of its own that shares this
     * one's mapping, classes and context tables.  NULL when the file has
     * none; see sp_model_for_scale. */
    struct sp_model *low;
    float low_below_scale; /* images under this many pixels per point are read with `low` */
    int is_low;            /* this is a parent's `low`: the mapping and classes are the parent's */
};

/* Multiply-adds of one forward pass (for the bench and docs). */
long sp_model_macs(const sp_model *model);

/* Logits for n normalized inputs: logits[i*n_classes + c].  ops NULL picks
 * sp_kernel_best(). */
int sp_classify_inputs(const sp_model *model, const sp_glyph_input *inputs, size_t n,
                       sp_precision precision, const sp_kernel_ops *ops, float *logits,
                       scipix_error *err);

/* sp_classify_batch with an explicit kernel choice (NULL: best). */
int sp_classify_batch_ops(const sp_model *model, const sp_glyph *glyphs, size_t n,
                          sp_precision precision, const sp_kernel_ops *ops,
                          sp_class_scores *out, scipix_error *err);

/* Softmax of one logit row into top-k scores. */
void sp_classify_topk(const float *logits, int n_classes, sp_class_scores *out);

/* facing.c: when a glyph's two best readings are one delimiter and its
 * mirror image (\left[ and \right]), let the glyph's pixels choose which
 * way it faces; any other scores are left as they are. */
void sp_classify_facing(const sp_model *model, const sp_glyph *glyph, sp_class_scores *scores);

#endif
