/*
 * cache.h — a memo of classifications for one image (see cache.c).
 */
#ifndef SP_CLASSIFY_CACHE_H
#define SP_CLASSIFY_CACHE_H

#include "classify/classify.h"
#include "classify/glyph.h"

#include <stddef.h>
#include <stdint.h>

uint64_t sp_class_cache_hash(const sp_glyph_input *in);
/* 1 and the remembered scores in *out when in was classified before, else 0. */
int sp_class_cache_get(sp_class_cache *c, const sp_glyph_input *in, uint64_t hash, sp_class_scores *out);
/* Remember in's scores (silently not, once max_entries are held). */
void sp_class_cache_put(sp_class_cache *c, const sp_glyph_input *in, uint64_t hash, const sp_class_scores *scores);

/* The hidden-layer memo, keyed by in's pixels alone (its features are not
 * read): 1 and the n remembered floats in out, else 0. */
uint64_t sp_class_cache_pixels_hash(const sp_glyph_input *in);
int sp_class_cache_hidden_get(sp_class_cache *c, const sp_glyph_input *in, uint64_t hash, float *out, size_t n);
/* Lookups of the hidden memo that found an answer; pixel inputs held. */
void sp_class_cache_hidden_stats(const sp_class_cache *c, size_t *hits, size_t *entries);
/* Remember n floats for in's pixels; n must be the same on every call. */
void sp_class_cache_hidden_put(sp_class_cache *c, const sp_glyph_input *in, uint64_t hash, const float *v, size_t n);

#endif
