/*
 * touching.h — recognition-driven splitting of touching glyphs (see
 * touching.c).
 */
#ifndef SP_ENGINE_TOUCHING_H
#define SP_ENGINE_TOUCHING_H

#include "classify/classify.h"
#include "segment/segment.h"

/* The symbol candidates of one image with their glyph crops and class
 * scores, kept in step (index i of each is one candidate).  The arrays are
 * heap-allocated; sp_touching_split may grow them. */
typedef struct sp_candidates {
    sp_symbol_group *groups;
    sp_glyph *glyphs;
    sp_class_scores *scores;
    size_t n, cap;
} sp_candidates;

/* What a split needs from the image and the model. */
typedef struct sp_touching_ctx {
    const sp_model *model;
    sp_precision precision;
    PIX *bin;             /* the ink mask the candidates were cut from */
    const uint8_t *gray;  /* the same image as 8-bit gray, 0 = ink */
    int gray_stride;
    float ref;            /* median candidate height */
} sp_touching_ctx;

/* Try cutting every single-component candidate that looks like more than
 * one glyph; keep a cut when recognition of the two parts beats that of the
 * whole.  Parts are examined again (three glyphs in a row).  New candidates
 * are appended; the caller re-sorts.  Returns a SCIPIX_ status. */
int sp_touching_split(const sp_touching_ctx *ctx, sp_candidates *cands, scipix_error *err);

#endif
