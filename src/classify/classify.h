/*
 * classify.h — the symbol classifier: a trained model file, loaded by mmap,
 * that maps a cut-out glyph to one of the symbol classes it knows.
 *
 * This is the contract between the stages that cut glyphs out of an image
 * (segment, engine) and the classifier.  The caller hands over glyphs as
 * 8-bit gray crops (0 = black ink, 255 = white paper, as Leptonica stores
 * gray) plus the formula's reference height; the classifier does its own
 * size normalization, so training data and inference share one code path
 * (sp_glyph_normalize in glyph.c).
 *
 * A model is immutable once open: many threads may classify with one model
 * at once.
 */
#ifndef SP_CLASSIFY_H
#define SP_CLASSIFY_H

#include "scipix.h"

#include <stddef.h>
#include <stdint.h>

/* What the classifier knows about one class (stored in the model file). */
typedef struct sp_symbol_class {
    const char *latex;   /* canonical LaTeX, e.g. "\\alpha", "\\mathbb{R}", "\\Big(" */
    const char *unicode; /* UTF-8 text, e.g. "α" */
    const char *mathml;  /* MathML element: "mi", "mn" or "mo" */
    const char *atom;    /* TeX atom kind: ord, op, bin, rel, open, close, punct, accent, radical, ... */
} sp_symbol_class;

typedef struct sp_model sp_model;

/* Open a model file (mmap).  Fails with SCIPIX_EMODEL_OPEN, _FORMAT,
 * _VERSION or _CHECKSUM and a message naming the problem. */
int sp_model_open(const char *path, sp_model **out, scipix_error *err);
void sp_model_close(sp_model *model);

int sp_model_class_count(const sp_model *model);
const sp_symbol_class *sp_model_class(const sp_model *model, int class_id);
/* Whether a class is a letter or digit of any alphabet (MathML mi/mn, TeX
 * ord): the symbols whose median height is the classifier's reference. */
int sp_symbol_class_is_letter(const sp_symbol_class *c);
/* Class id of a canonical LaTeX string, or -1. */
int sp_model_find_class(const sp_model *model, const char *latex);

/* One glyph to classify: a gray crop of the image, tightly around the
 * symbol's ink (neighbours' ink that falls inside the box stays). */
typedef struct sp_glyph {
    const uint8_t *pixels; /* row-major 8-bit gray, 0 = ink */
    int width, height;     /* crop size in pixels, both >= 1 */
    int stride;            /* bytes between rows */
    float ref_height;      /* the formula's reference height, pixels (> 0): see sp_segment_reference_height */
} sp_glyph;

#define SP_CLASSIFY_TOPK 5

typedef struct sp_class_scores {
    int class_id[SP_CLASSIFY_TOPK]; /* best first */
    float prob[SP_CLASSIFY_TOPK];   /* softmax probabilities */
} sp_class_scores;

typedef enum sp_precision { SP_PRECISION_FP32 = 0, SP_PRECISION_INT8 = 1 } sp_precision;

/* Classify n glyphs in one batch; out[i] receives glyph i's top classes. */
int sp_classify_batch(const sp_model *model, const sp_glyph *glyphs, size_t n,
                      sp_precision precision, sp_class_scores *out, scipix_error *err);

/* Where a glyph lies in its image, pixels (the context stage's input). */
typedef struct sp_glyph_place {
    int x, y, w, h;
} sp_glyph_place;

/* A model may carry a second network trained for images of few pixels per
 * point (80-90 dpi screenshots), where glyphs are a handful of pixels
 * high and look unlike their larger renders.  sp_model_for_scale picks the
 * network to read one image with: the low-resolution one when the model
 * has it and the image's scale (pixels per point, as sp_classify_context
 * estimates it from a first reading; 0 = unknown) is below the model's
 * cutoff, else the model itself.  Both share the classes and the context
 * tables, so class ids mean the same in either. */
int sp_model_has_low(const sp_model *model);
const sp_model *sp_model_for_scale(const sp_model *model, float scale);

/* Whether the model carries the context stage's tables (ctx.*). */
int sp_model_has_context(const sp_model *model);

/* The context stage (context.c): re-ranks each glyph's top candidates, in
 * place, by its height in points and whether other glyphs lie directly
 * above or below it, with the image's scale estimated from the glyphs read
 * surely.  places[i] is the box of the glyph scores[i] was computed for;
 * all glyphs of one image (formula) go in one call.  A model without
 * context tables, or an image with no glyph read surely, leaves the scores
 * as they are.  *scale (if not NULL) receives the estimated pixels per
 * point, 0 when none.  Fails with SCIPIX_EINVAL (NULL, a box under 1 px)
 * or SCIPIX_ENOMEM. */
int sp_classify_context(const sp_model *model, const sp_glyph_place *places, size_t n, sp_class_scores *scores,
                        float *scale, scipix_error *err);

/* A memo of one image's classifications (src/classify/cache.c): a glyph
 * whose normalized input was classified before gets the same answer
 * without running the network again.  Not thread-safe: one per image. */
typedef struct sp_class_cache sp_class_cache;

#define SP_CLASS_CACHE_DEFAULT_ENTRIES 4096 /* ~12 MB at most (hundreds of KB for a formula) */

/* NULL when out of memory.  Holds up to max_entries inputs. */
sp_class_cache *sp_class_cache_new(size_t max_entries);
void sp_class_cache_free(sp_class_cache *cache);
/* Lookups that found an answer, lookups that did not, inputs held. */
void sp_class_cache_stats(const sp_class_cache *cache, size_t *hits, size_t *misses, size_t *entries);

/* sp_classify_batch through a cache (NULL: none); same answers. */
int sp_classify_batch_cached(const sp_model *model, const sp_glyph *glyphs, size_t n, sp_precision precision,
                             sp_class_cache *cache, sp_class_scores *out, scipix_error *err);

#endif
