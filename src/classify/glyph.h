/*
 * glyph.h — size normalization of a cut-out glyph into the classifier's
 * fixed input (see glyph.c for how and why).
 *
 * Shared by inference (classify.c) and by the training-data packer
 * (tools/pack), so that the network sees exactly the same bytes in training
 * and in use.
 */
#ifndef SP_CLASSIFY_GLYPH_H
#define SP_CLASSIFY_GLYPH_H

#include "classify/classify.h"

#include <stdint.h>

#define SP_GLYPH_SIZE 32                 /* input is SP_GLYPH_SIZE x SP_GLYPH_SIZE */
#define SP_GLYPH_PIXELS (SP_GLYPH_SIZE * SP_GLYPH_SIZE)
#define SP_GLYPH_BOX 28                  /* the glyph's longer side fills this many pixels */
#define SP_GLYPH_FEATURES 3              /* log(h/ref), log(w/ref), log(w/h) */
#define SP_GLYPH_FEATURE_CLAMP 6.0f      /* features are clamped to +-this */

/* The classifier's input for one glyph: ink intensity 0..255 (255 = full
 * ink), row-major, glyph centred; plus the scalar shape features. */
typedef struct sp_glyph_input {
    uint8_t pixels[SP_GLYPH_PIXELS];
    float features[SP_GLYPH_FEATURES];
} sp_glyph_input;

/* Normalize one glyph.  Fails with SCIPIX_EINVAL on a bad glyph (NULL
 * pixels, non-positive size, stride < width, ref_height <= 0 or NaN). */
int sp_glyph_normalize(const sp_glyph *glyph, sp_glyph_input *out, scipix_error *err);

/* Area-average resample of a gray image (any direction, any factor) into
 * dst (dst_w x dst_h, row-major, stride dst_w).  Used by normalization and
 * by the packer's low-resolution augmentation.  Returns SCIPIX_OK,
 * SCIPIX_EINVAL or SCIPIX_ENOMEM. */
int sp_glyph_resample(const uint8_t *src, int src_w, int src_h, int src_stride,
                      uint8_t *dst, int dst_w, int dst_h, scipix_error *err);

#endif
