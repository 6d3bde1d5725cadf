/*
 * cache.c — memos of one image's classifications, keyed by the input.
 *
 * The touching-glyph search (src/engine/touching.c) reads one image's
 * candidates and their cut pieces again and again: a candidate that no cut
 * explained in one pass is cut the same way in the next, and different
 * proposals share pieces.  About a fifth of an image's classifications
 * were of an input already classified, and classification is nearly all
 * of recognition time.  The network is deterministic and answers one
 * input the same however it is batched, so a remembered answer is the
 * answer.  Two memos:
 *   - scores: the whole normalized input (sp_glyph_input: the 32x32
 *     pixels and the shape features) -> the top classes;
 *   - hidden: the pixels alone -> the hidden layer before the shape
 *     features are added (the convolutions and fc1 see only pixels).  The
 *     engine's second reading at the letters' reference height, and pieces
 *     read against another reference, change only the features: about one
 *     network run in seven had pixels seen before.  The classifier keeps
 *     to this memo only where a row's result cannot depend on its batch
 *     (int8: integer products, per-row scales).
 *
 * Each memo is one table: open addressing over xxHash3 with linear
 * probing, kept at most half full, the key compared in full on a hash
 * match, so a collision can cost a lookup but never a wrong answer.  It
 * grows by doubling up to max_entries; past that, new inputs are simply
 * not remembered.  One cache belongs to one image's recognition on one
 * thread: no locks.
 */
#include "classify/cache.h"

#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* One table of fixed-size keys and values.  Entry i lies at
 * data + i * stride: the 64-bit hash, the key, the value. */
typedef struct {
    unsigned char *data;
    size_t key_size, value_size, stride;
    size_t n, cap, max_entries;
    uint32_t *slots; /* entry index + 1; 0 = empty */
    size_t n_slots;  /* a power of two, >= 2 * cap */
    size_t hits, misses;
} sp_memo;

struct sp_class_cache {
    sp_memo scores; /* sp_glyph_input -> sp_class_scores */
    sp_memo hidden; /* pixels -> floats; the value size is set by the first put (0 until then) */
};

/* Entries are 8-byte aligned: the hash is read with memcpy, but the
 * values hold floats. */
static void sp_memo_set_value_size(sp_memo *t, size_t value_size) {
    t->value_size = value_size;
    t->stride = (sizeof(uint64_t) + t->key_size + value_size + 7) & ~(size_t)7;
}

static void sp_memo_init(sp_memo *t, size_t key_size, size_t value_size, size_t max_entries) {
    memset(t, 0, sizeof *t);
    t->key_size = key_size;
    t->max_entries = max_entries;
    sp_memo_set_value_size(t, value_size);
}

static void sp_memo_free(sp_memo *t) {
    free(t->data);
    free(t->slots);
}

static unsigned char *sp_memo_entry(const sp_memo *t, size_t i) { return t->data + i * t->stride; }

/* The slot that holds key's entry, or the empty slot where it would go. */
static size_t sp_memo_find(const sp_memo *t, const void *key, uint64_t h) {
    size_t mask = t->n_slots - 1;
    for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) {
        uint32_t e = t->slots[s];
        if (!e) return s;
        const unsigned char *en = sp_memo_entry(t, e - 1);
        uint64_t eh;
        memcpy(&eh, en, sizeof eh);
        if (eh == h && memcmp(en + sizeof eh, key, t->key_size) == 0) return s;
    }
}

/* The remembered value of key, or NULL. */
static const void *sp_memo_get(sp_memo *t, const void *key, uint64_t h) {
    if (t->n_slots) {
        uint32_t e = t->slots[sp_memo_find(t, key, h)];
        if (e) {
            t->hits++;
            return sp_memo_entry(t, e - 1) + sizeof(uint64_t) + t->key_size;
        }
    }
    t->misses++;
    return NULL;
}

/* Double the entry array and rebuild the slot table for it. */
static int sp_memo_grow(sp_memo *t) {
    size_t cap = t->cap ? 2 * t->cap : 64;
    if (cap > t->max_entries) cap = t->max_entries;
    if (cap <= t->cap) return 0;
    unsigned char *data = realloc(t->data, cap * t->stride);
    if (!data) return 0;
    t->data = data;
    size_t n_slots = 1;
    while (n_slots < 2 * cap) n_slots *= 2;
    uint32_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots) return 0;
    free(t->slots);
    t->slots = slots;
    t->n_slots = n_slots;
    t->cap = cap;
    for (size_t i = 0; i < t->n; i++) {
        const unsigned char *en = sp_memo_entry(t, i);
        uint64_t h;
        memcpy(&h, en, sizeof h);
        t->slots[sp_memo_find(t, en + sizeof h, h)] = (uint32_t)(i + 1);
    }
    return 1;
}

static void sp_memo_put(sp_memo *t, const void *key, uint64_t h, const void *value) {
    if (t->n == t->cap && !sp_memo_grow(t)) return; /* full, or out of memory: not remembered */
    size_t s = sp_memo_find(t, key, h);
    if (t->slots[s]) return; /* already there */
    unsigned char *en = sp_memo_entry(t, t->n);
    memcpy(en, &h, sizeof h);
    memcpy(en + sizeof h, key, t->key_size);
    memcpy(en + sizeof h + t->key_size, value, t->value_size);
    t->slots[s] = (uint32_t)(++t->n);
}

sp_class_cache *sp_class_cache_new(size_t max_entries) {
    sp_class_cache *c = malloc(sizeof *c);
    if (!c) return NULL;
    sp_memo_init(&c->scores, sizeof(sp_glyph_input), sizeof(sp_class_scores), max_entries);
    sp_memo_init(&c->hidden, SP_GLYPH_PIXELS, 0, max_entries);
    return c;
}

void sp_class_cache_free(sp_class_cache *c) {
    if (!c) return;
    sp_memo_free(&c->scores);
    sp_memo_free(&c->hidden);
    free(c);
}

uint64_t sp_class_cache_hash(const sp_glyph_input *in) { return XXH3_64bits(in, sizeof *in); }

int sp_class_cache_get(sp_class_cache *c, const sp_glyph_input *in, uint64_t h, sp_class_scores *out) {
    const void *v = sp_memo_get(&c->scores, in, h);
    if (v) memcpy(out, v, sizeof *out);
    return v != NULL;
}

void sp_class_cache_put(sp_class_cache *c, const sp_glyph_input *in, uint64_t h, const sp_class_scores *scores) {
    sp_memo_put(&c->scores, in, h, scores);
}

uint64_t sp_class_cache_pixels_hash(const sp_glyph_input *in) { return XXH3_64bits(in->pixels, SP_GLYPH_PIXELS); }

int sp_class_cache_hidden_get(sp_class_cache *c, const sp_glyph_input *in, uint64_t h, float *out, size_t n) {
    if (c->hidden.value_size != n * sizeof *out) return 0;
    const void *v = sp_memo_get(&c->hidden, in->pixels, h);
    if (v) memcpy(out, v, n * sizeof *out);
    return v != NULL;
}

void sp_class_cache_hidden_put(sp_class_cache *c, const sp_glyph_input *in, uint64_t h, const float *v, size_t n) {
    if (!c->hidden.value_size) sp_memo_set_value_size(&c->hidden, n * sizeof *v);
    if (c->hidden.value_size != n * sizeof *v) return; /* another network's width: not remembered */
    sp_memo_put(&c->hidden, in->pixels, h, v);
}

void sp_class_cache_stats(const sp_class_cache *c, size_t *hits, size_t *misses, size_t *entries) {
    if (hits) *hits = c ? c->scores.hits : 0;
    if (misses) *misses = c ? c->scores.misses : 0;
    if (entries) *entries = c ? c->scores.n : 0;
}

void sp_class_cache_hidden_stats(const sp_class_cache *c, size_t *hits, size_t *entries) {
    if (hits) *hits = c ? c->hidden.hits : 0;
    if (entries) *entries = c ? c->hidden.n : 0;
}
