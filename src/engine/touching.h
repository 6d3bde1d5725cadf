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
    sp_class_cache *cache; /* this image's classifications so far (NULL: none) */
    PIX *bin;             /* the ink mask the candidates were cut from */
    const uint8_t *gray;  /* the same image as 8-bit gray, 0 = ink */
    int gray_stride;
    float ref;            /* median candidate height */
    int read_all;         /* read every part of every proposal, none given up early (tests) */
} sp_touching_ctx;

/* Split the candidates that look like touching glyphs (vertical cuts, a
 * fraction rule stuck to its numerator or denominator) where the parts
 * read better than the whole; then give an empty radical its next class
 * and rejoin dots left alone above freed stems.  Parts are appended and
 * joined dots removed, so the order changes: the caller re-sorts.  Returns
 * a SCIPIX_ status. */
int sp_touching_split(const sp_touching_ctx *ctx, sp_candidates *cands, scipix_error *err);

/* After the context stage (which may move a bracket above a bar by its
 * height): a glyph read as "[" or "]" whose ink has no arms takes the bar
 * "|" from its runners-up (see sp_touch_bare_bracket). */
void sp_touching_settle_bars(const sp_touching_ctx *ctx, sp_candidates *cands);

/* Tests: makes the engine's touching split read every part (read_all), so
 * that a test can check that giving proposals up early changes nothing. */
void sp_engine_touch_read_all(scipix_engine *eng, int on);

#endif
