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

#endif
