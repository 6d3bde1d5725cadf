/*
 * cache.c — a memo of classifications, keyed by the classifier's input.
 *
 * The touching-glyph search (src/engine/touching.c) reads one image's
 * candidates and their cut pieces again and again: a candidate that no cut
 * explained in one pass is cut the same way in the next, and different
 * proposals share pieces.  About a fifth of an image's classifications
 * were of an input already classified, and classification is nearly all
 * of recognition time.  The network is deterministic and answers one
 * input the same however it is batched, so a remembered answer is the
 * answer.
 *
 * The key is the whole normalized input (sp_glyph_input: the 32x32 pixels
 * and the shape features), compared in full on a hash match, so a hash
 * collision can cost a lookup but never a wrong class.  The table is open
 * addressing over xxHash64 with linear probing, kept at most half full, and
 * grows by doubling up to max_entries; past that, new inputs are simply
 * not remembered.  One cache belongs to one image's recognition on one
 * thread: no locks.
 */
#include "classify/cache.h"

#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

typedef struct sp_class_cache_entry {
    uint64_t hash;
    sp_glyph_input key;
    sp_class_scores scores;
} sp_class_cache_entry;

struct sp_class_cache {
    sp_class_cache_entry *entries; /* in insertion order */
    size_t n, cap, max_entries;
    uint32_t *slots;               /* entry index + 1; 0 = empty */
    size_t n_slots;                /* a power of two, >= 2 * cap */
    size_t hits, misses;
};

sp_class_cache *sp_class_cache_new(size_t max_entries) {
    sp_class_cache *c = calloc(1, sizeof *c);
    if (c) c->max_entries = max_entries;
    return c;
}

void sp_class_cache_free(sp_class_cache *c) {
    if (!c) return;
    free(c->entries);
    free(c->slots);
    free(c);
}

uint64_t sp_class_cache_hash(const sp_glyph_input *in) { return XXH3_64bits(in, sizeof *in); }

/* The slot that holds in's entry, or the empty slot where it would go. */
static size_t sp_class_cache_find(const sp_class_cache *c, const sp_glyph_input *in, uint64_t h) {
    size_t mask = c->n_slots - 1;
    for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
        uint32_t e = c->slots[s];
        if (!e) return s;
        const sp_class_cache_entry *en = &c->entries[e - 1];
        if (en->hash == h && memcmp(&en->key, in, sizeof *in) == 0) return s;
    }
}

int sp_class_cache_get(sp_class_cache *c, const sp_glyph_input *in, uint64_t h, sp_class_scores *out) {
    if (c->n_slots) {
        uint32_t e = c->slots[sp_class_cache_find(c, in, h)];
        if (e) {
            *out = c->entries[e - 1].scores;
            c->hits++;
            return 1;
        }
    }
    c->misses++;
    return 0;
}

/* Double the entry array and rebuild the slot table for it. */
static int sp_class_cache_grow(sp_class_cache *c) {
    size_t cap = c->cap ? 2 * c->cap : 64;
    if (cap > c->max_entries) cap = c->max_entries;
    if (cap <= c->cap) return 0;
    sp_class_cache_entry *en = realloc(c->entries, cap * sizeof *en);
    if (!en) return 0;
    c->entries = en;
    size_t n_slots = 1;
    while (n_slots < 2 * cap) n_slots *= 2;
    uint32_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots) return 0;
    free(c->slots);
    c->slots = slots;
    c->n_slots = n_slots;
    c->cap = cap;
    for (size_t i = 0; i < c->n; i++)
        c->slots[sp_class_cache_find(c, &c->entries[i].key, c->entries[i].hash)] = (uint32_t)(i + 1);
    return 1;
}

void sp_class_cache_put(sp_class_cache *c, const sp_glyph_input *in, uint64_t h, const sp_class_scores *scores) {
    if (c->n == c->cap && !sp_class_cache_grow(c)) return; /* full, or out of memory: not remembered */
    size_t s = sp_class_cache_find(c, in, h);
    if (c->slots[s]) return; /* already there */
    sp_class_cache_entry *en = &c->entries[c->n];
    en->hash = h;
    en->key = *in;
    en->scores = *scores;
    c->slots[s] = (uint32_t)(++c->n);
}

void sp_class_cache_stats(const sp_class_cache *c, size_t *hits, size_t *misses, size_t *entries) {
    if (hits) *hits = c ? c->hits : 0;
    if (misses) *misses = c ? c->misses : 0;
    if (entries) *entries = c ? c->n : 0;
}
