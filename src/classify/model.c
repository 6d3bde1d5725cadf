/*
 * model.c — opens a .spxm symbol model: mmap, verify, index.
 *
 * Like a ggml/gguf file the model is one mapped region: the loader checks
 * the header, the checksum and every table entry once, then hands out
 * pointers into the mapping, so opening costs one read of the file for the
 * checksum and no copies.  Each kind of damage gets its own status code and
 * a message naming the file and the problem:
 *   missing/unreadable          SCIPIX_EMODEL_OPEN
 *   wrong magic, truncated,
 *   inconsistent tables         SCIPIX_EMODEL_FORMAT
 *   unknown format version      SCIPIX_EMODEL_VERSION
 *   content changed             SCIPIX_EMODEL_CHECKSUM
 * The checksum is verified before any table is parsed, so a parse error
 * means the writer produced a bad file, not that the bytes decayed.
 *
 * The checksum is xxHash64 (libxxhash, used header-only through
 * XXH_INLINE_ALL so the build needs no extra link flag).
 *
 * A file may hold a second network for low resolutions (tensors low.*,
 * cutoff route.params).  It is opened as a model of its own, `low`, that
 * points into the same mapping and shares the classes and context tables;
 * sp_model_for_scale picks between the two for an image.
 */
#include "classify/model.h"

#include "engine/status.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t sp_model_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t sp_model_u64(const uint8_t *p) {
    return (uint64_t)sp_model_u32(p) | (uint64_t)sp_model_u32(p + 4) << 32;
}

/* A tensor directory entry, decoded. */
typedef struct {
    char name[SP_MODEL_TENSOR_NAME_MAX + 1];
    uint32_t dtype, ndim, dims[4];
    uint64_t offset, nbytes;
    const void *data;
} sp_model_tensor;

typedef struct {
    const char *path;
    const uint8_t *base;
    size_t size;
    uint32_t n_tensors;
    sp_model_tensor *tensors;
} sp_model_reader;

static const sp_model_tensor *sp_model_find_tensor(const sp_model_reader *r, const char *name) {
    for (uint32_t i = 0; i < r->n_tensors; i++)
        if (strcmp(r->tensors[i].name, name) == 0) return &r->tensors[i];
    return NULL;
}

/* Look up a tensor and check its type and shape (dims[i] == 0 in want
 * means "any", returned through got). */
static int sp_model_get(const sp_model_reader *r, const char *name, uint32_t dtype, uint32_t ndim,
                        const uint32_t *want, uint32_t *got, const void **data, scipix_error *err) {
    const sp_model_tensor *t = sp_model_find_tensor(r, name);
    if (!t) return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s' lacks tensor '%s'", r->path, name);
    if (t->dtype != dtype || t->ndim != ndim)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT,
                            "model '%s': tensor '%s' has dtype %u ndim %u, expected %u and %u",
                            r->path, name, t->dtype, t->ndim, dtype, ndim);
    for (uint32_t i = 0; i < ndim; i++) {
        if (want[i] && t->dims[i] != want[i])
            return sp_error_set(err, SCIPIX_EMODEL_FORMAT,
                                "model '%s': tensor '%s' dimension %u is %u, expected %u", r->path,
                                name, i, t->dims[i], want[i]);
        if (got) got[i] = t->dims[i];
    }
    *data = t->data;
    return SCIPIX_OK;
}

static int sp_model_all_finite(const float *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) return 0;
    return 1;
}

/* The optional context tables (context.c): ctx.params, ctx.height and
 * ctx.vnbr, all or none, finite, with parameters that keep the scale
 * search bounded; and, needing those, ctx.params2 with the row term
 * (ctx.row) and/or the near/far neighbour patterns (ctx.vnbr [C][9]). */
static int sp_model_bind_context(const sp_model_reader *r, sp_model *m, scipix_error *err) {
    uint32_t want_p[1] = {SP_CONTEXT_PARAMS}, want_h[2] = {(uint32_t)m->n_classes, 0}, got[2];
    uint32_t want_v[2] = {(uint32_t)m->n_classes, 0}, got_v[2], want_p2[1] = {SP_CONTEXT_PARAMS2};
    uint32_t want_r[2] = {(uint32_t)m->n_classes, 0}, got_r[2] = {0, 0};
    const void *p, *h, *v, *p2 = NULL, *row = NULL;
    int rc = sp_model_get(r, "ctx.params", SP_MODEL_F32, 1, want_p, NULL, &p, err);
    if (!rc) rc = sp_model_get(r, "ctx.height", SP_MODEL_F32, 2, want_h, got, &h, err);
    if (!rc) rc = sp_model_get(r, "ctx.vnbr", SP_MODEL_F32, 2, want_v, got_v, &v, err);
    if (!rc && sp_model_find_tensor(r, "ctx.params2"))
        rc = sp_model_get(r, "ctx.params2", SP_MODEL_F32, 1, want_p2, NULL, &p2, err);
    if (!rc && sp_model_find_tensor(r, "ctx.row"))
        rc = sp_model_get(r, "ctx.row", SP_MODEL_F32, 2, want_r, got_r, &row, err);
    if (rc) return rc;
    sp_context_params c;
    sp_context_params2 c2;
    memcpy(&c, p, sizeof c);
    memset(&c2, 0, sizeof c2);
    if (p2) memcpy(&c2, p2, sizeof c2);
    size_t nh = (size_t)m->n_classes * got[1], nv = (size_t)m->n_classes * got_v[1];
    if (!sp_model_all_finite(p, SP_CONTEXT_PARAMS) || got[1] < 2 || got[1] > 4096 || !(c.bin_width > 0) ||
        !(c.scale_step > 0) || !(c.scale_hi > c.scale_lo) || (c.scale_hi - c.scale_lo) / c.scale_step > 100000 ||
        !(c.sure >= 0 && c.sure <= 1) || !(c.near >= 0 && c.near <= 1) || !(c.gap_pt >= 0) ||
        !sp_model_all_finite(h, nh) || !sp_model_all_finite(v, nv) || (got_v[1] != 4 && got_v[1] != 9))
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': the context tables (ctx.*) are malformed",
                            r->path);
    /* the second set: what it serves must come with it, and it with them */
    if ((p2 == NULL) != (row == NULL && got_v[1] == 4) || (p2 && !sp_model_all_finite(p2, SP_CONTEXT_PARAMS2)) ||
        (row && (got_r[1] < 3 || got_r[1] > 4097 || !(c2.row_bin_width > 0) || !(c2.reach_pt >= 0) ||
                 !(c2.band_pt >= 0) || !(c2.row_margin >= 0) ||
                 !sp_model_all_finite(row, (size_t)m->n_classes * got_r[1]))) ||
        (got_v[1] == 9 && !(c2.near_pt >= 0 && c2.near_pt <= c.gap_pt)))
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT,
                            "model '%s': the context's second tables (ctx.params2, ctx.row, ctx.vnbr) are malformed",
                            r->path);
    m->ctx = c;
    m->ctx2 = c2;
    m->ctx_bins = (int)got[1];
    m->ctx_height = h;
    m->ctx_vnbr = v;
    m->ctx_patterns = (int)got_v[1];
    m->ctx_row = row;
    m->ctx_row_bins = row ? (int)got_r[1] - 1 : 0;
    return SCIPIX_OK;
}

static int sp_model_align_k(int k) {
    return (k + SP_KERNEL_K_ALIGN - 1) / SP_KERNEL_K_ALIGN * SP_KERNEL_K_ALIGN;
}

/* Bind layer `prefix` with k inputs; n_out 0 means "read it from the file". */
static int sp_model_bind_layer(const sp_model_reader *r, const char *prefix, int k, int n_out,
                               sp_model_layer *layer, scipix_error *err) {
    char name[SP_MODEL_TENSOR_NAME_MAX + 16];
    uint32_t want[2] = {(uint32_t)n_out, (uint32_t)sp_model_align_k(k)}, got[2];
    const void *p;
    int rc;
    snprintf(name, sizeof name, "%s.weight", prefix);
    if ((rc = sp_model_get(r, name, SP_MODEL_F32, 2, want, got, &p, err))) return rc;
    if (got[0] < 1 || got[0] > 65536)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': layer %s has %u outputs",
                            r->path, prefix, got[0]);
    layer->w = p;
    layer->n_out = (int)got[0];
    layer->k = k;
    layer->k_pad = (int)got[1];
    want[0] = got[0];
    snprintf(name, sizeof name, "%s.weight_q8", prefix);
    if ((rc = sp_model_get(r, name, SP_MODEL_I8, 2, want, NULL, &p, err))) return rc;
    layer->w_q8 = p;
    snprintf(name, sizeof name, "%s.scale", prefix);
    if ((rc = sp_model_get(r, name, SP_MODEL_F32, 1, want, NULL, &p, err))) return rc;
    layer->scale = p;
    snprintf(name, sizeof name, "%s.bias", prefix);
    if ((rc = sp_model_get(r, name, SP_MODEL_F32, 1, want, NULL, &p, err))) return rc;
    layer->bias = p;
    /* the int8 kernels require weights in -127..127 (kernel.h) */
    for (size_t i = 0; i < (size_t)layer->n_out * (size_t)layer->k_pad; i++)
        if (layer->w_q8[i] == -128)
            return sp_error_set(err, SCIPIX_EMODEL_FORMAT,
                                "model '%s': layer %s has int8 weight -128 (range is -127..127)",
                                r->path, prefix);
    return SCIPIX_OK;
}

/* Bind a network's layers: the tensors named `prefix` + conv1 ... fc2
 * (m->n_classes must already be set: fc2 has one output per class). */
static int sp_model_bind_network(const sp_model_reader *r, const char *prefix, sp_model *m, scipix_error *err) {
    char name[SP_MODEL_TENSOR_NAME_MAX];
    int in_ch = 1, side = SP_GLYPH_SIZE, rc = SCIPIX_OK;
    for (int l = 0; l < SP_MODEL_CONV_LAYERS && rc == SCIPIX_OK; l++) {
        snprintf(name, sizeof name, "%sconv%d", prefix, l + 1);
        rc = sp_model_bind_layer(r, name, 9 * in_ch, 0, &m->conv[l], err);
        in_ch = m->conv[l].n_out;
        side /= 2;
    }
    snprintf(name, sizeof name, "%sfc1", prefix);
    if (rc == SCIPIX_OK) rc = sp_model_bind_layer(r, name, side * side * in_ch, 0, &m->fc1, err);
    if (rc == SCIPIX_OK) {
        uint32_t want[2] = {(uint32_t)m->fc1.n_out, SP_GLYPH_FEATURES};
        const void *p;
        snprintf(name, sizeof name, "%sfc1.feat_weight", prefix);
        rc = sp_model_get(r, name, SP_MODEL_F32, 2, want, NULL, &p, err);
        m->fc1_feat = p;
    }
    snprintf(name, sizeof name, "%sfc2", prefix);
    if (rc == SCIPIX_OK) rc = sp_model_bind_layer(r, name, m->fc1.n_out, m->n_classes, &m->fc2, err);
    return rc;
}

/* The optional low-resolution network (low.*) and its cutoff
 * (route.params: pixels per point, in (0, 100)). */
static int sp_model_bind_low(const sp_model_reader *r, sp_model *m, scipix_error *err) {
    uint32_t want[1] = {1};
    const void *p;
    int rc = sp_model_get(r, "route.params", SP_MODEL_F32, 1, want, NULL, &p, err);
    if (rc) return rc;
    float below;
    memcpy(&below, p, sizeof below);
    if (!(below > 0.0f && below < 100.0f))
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': route.params holds %g pixels per point",
                            r->path, (double)below);
    sp_model *low = calloc(1, sizeof *low);
    if (!low) return sp_error_set(err, SCIPIX_ENOMEM, "model '%s': out of memory", r->path);
    *low = *m; /* classes, sizes and context tables are shared */
    low->n_ref = 0;
    low->ref_pixels = NULL, low->ref_features = NULL, low->ref_logits = NULL;
    low->low = NULL;
    low->is_low = 1;
    m->low = low; /* freed with m, even if binding fails */
    m->low_below_scale = below;
    return sp_model_bind_network(r, "low.", low, err);
}

static int sp_model_parse(sp_model *m, const char *path, scipix_error *err) {
    const uint8_t *b = m->map;
    size_t size = m->size;
    uint32_t header_size = sp_model_u32(b + 24), arch = sp_model_u32(b + 28);
    uint32_t n_classes = sp_model_u32(b + 32), n_tensors = sp_model_u32(b + 36);
    uint32_t input_size = sp_model_u32(b + 40), n_features = sp_model_u32(b + 44);
    uint64_t class_off = sp_model_u64(b + 48), dir_off = sp_model_u64(b + 56);

    if (header_size != SP_MODEL_HEADER_SIZE)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': header size %u, expected %u",
                            path, header_size, SP_MODEL_HEADER_SIZE);
    if (arch != SP_MODEL_ARCH_CNN3)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': unknown architecture %u", path, arch);
    if (input_size != SP_GLYPH_SIZE || n_features != SP_GLYPH_FEATURES)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT,
                            "model '%s' expects %ux%u inputs with %u features; this build makes "
                            "%dx%d with %d",
                            path, input_size, input_size, n_features, SP_GLYPH_SIZE, SP_GLYPH_SIZE,
                            SP_GLYPH_FEATURES);
    if (n_classes < 1 || n_classes > 100000 || n_tensors < 1 || n_tensors > 4096)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': implausible counts (%u classes, %u tensors)",
                            path, n_classes, n_tensors);

    /* class table */
    if (class_off < SP_MODEL_HEADER_SIZE || class_off > size || size - class_off < 8)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': class table offset %llu out of range",
                            path, (unsigned long long)class_off);
    uint64_t class_len = sp_model_u64(b + class_off);
    if (class_len > size - class_off - 8)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': class table runs past the end", path);
    const char *s = (const char *)b + class_off + 8, *end = s + class_len;
    m->classes = calloc(n_classes, sizeof *m->classes);
    if (!m->classes) return sp_error_set(err, SCIPIX_ENOMEM, "model '%s': out of memory", path);
    m->n_classes = (int)n_classes;
    for (uint32_t c = 0; c < n_classes; c++) {
        const char **fields[4] = {&m->classes[c].latex, &m->classes[c].unicode,
                                  &m->classes[c].mathml, &m->classes[c].atom};
        for (int f = 0; f < 4; f++) {
            const char *nul = memchr(s, 0, (size_t)(end - s));
            if (!nul)
                return sp_error_set(err, SCIPIX_EMODEL_FORMAT,
                                    "model '%s': class table ends inside class %u", path, c);
            *fields[f] = s;
            s = nul + 1;
        }
        if (!m->classes[c].latex[0])
            return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': class %u has empty LaTeX", path, c);
    }

    /* tensor directory */
    if (dir_off < SP_MODEL_HEADER_SIZE || dir_off > size ||
        (size - dir_off) / SP_MODEL_TENSOR_ENTRY_SIZE < n_tensors)
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': tensor directory out of range", path);
    sp_model_reader r = {path, b, size, n_tensors, calloc(n_tensors, sizeof(sp_model_tensor))};
    if (!r.tensors) return sp_error_set(err, SCIPIX_ENOMEM, "model '%s': out of memory", path);
    int rc = SCIPIX_OK;
    for (uint32_t i = 0; i < n_tensors && rc == SCIPIX_OK; i++) {
        const uint8_t *e = b + dir_off + (uint64_t)i * SP_MODEL_TENSOR_ENTRY_SIZE;
        sp_model_tensor *t = &r.tensors[i];
        memcpy(t->name, e, SP_MODEL_TENSOR_NAME_MAX);
        t->name[SP_MODEL_TENSOR_NAME_MAX] = 0;
        t->dtype = sp_model_u32(e + 48);
        t->ndim = sp_model_u32(e + 52);
        for (int d = 0; d < 4; d++) t->dims[d] = sp_model_u32(e + 56 + 4 * d);
        t->offset = sp_model_u64(e + 72);
        uint64_t elem = t->dtype == SP_MODEL_F32 ? 4 : 1;
        if (t->dtype > SP_MODEL_U8 || t->ndim < 1 || t->ndim > 4) {
            rc = sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': tensor '%s' has bad dtype/ndim",
                              path, t->name);
            break;
        }
        uint64_t count = 1;
        for (uint32_t d = 0; d < t->ndim; d++) {
            if (t->dims[d] == 0 || t->dims[d] > (1u << 24) || count > (UINT64_C(1) << 40)) {
                rc = sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': tensor '%s' has bad dimensions",
                                  path, t->name);
                break;
            }
            count *= t->dims[d];
        }
        if (rc) break;
        t->nbytes = count * elem;
        if (t->offset % SP_MODEL_ALIGN || t->offset < SP_MODEL_HEADER_SIZE || t->offset > size ||
            t->nbytes > size - t->offset) {
            rc = sp_error_set(err, SCIPIX_EMODEL_FORMAT,
                              "model '%s': tensor '%s' at offset %llu (%llu bytes) is misaligned or "
                              "past the end",
                              path, t->name, (unsigned long long)t->offset,
                              (unsigned long long)t->nbytes);
            break;
        }
        t->data = b + t->offset;
    }

    if (rc == SCIPIX_OK) rc = sp_model_bind_network(&r, "", m, err);
    m->input_size = (int)input_size;
    m->n_features = (int)n_features;

    /* optional reference vectors */
    if (rc == SCIPIX_OK && sp_model_find_tensor(&r, "ref.pixels")) {
        uint32_t want_p[2] = {0, input_size * input_size}, got[2];
        uint32_t want_f[2], want_l[2];
        const void *p;
        rc = sp_model_get(&r, "ref.pixels", SP_MODEL_U8, 2, want_p, got, &p, err);
        if (rc == SCIPIX_OK) {
            m->n_ref = (int)got[0];
            m->ref_pixels = p;
            want_f[0] = want_l[0] = got[0];
            want_f[1] = n_features;
            want_l[1] = n_classes;
            rc = sp_model_get(&r, "ref.features", SP_MODEL_F32, 2, want_f, NULL, &p, err);
            m->ref_features = p;
        }
        if (rc == SCIPIX_OK) {
            rc = sp_model_get(&r, "ref.logits", SP_MODEL_F32, 2, want_l, NULL, &p, err);
            m->ref_logits = p;
        }
    }
    if (rc == SCIPIX_OK && sp_model_find_tensor(&r, "ctx.params")) rc = sp_model_bind_context(&r, m, err);
    if (rc == SCIPIX_OK && !sp_model_find_tensor(&r, "ctx.params") &&
        (sp_model_find_tensor(&r, "ctx.params2") || sp_model_find_tensor(&r, "ctx.row")))
        rc = sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s': ctx.params2 or ctx.row without the context tables",
                          path);
    if (rc == SCIPIX_OK && sp_model_find_tensor(&r, "route.params")) rc = sp_model_bind_low(&r, m, err);
    free(r.tensors);
    return rc;
}

int sp_model_open(const char *path, sp_model **out, scipix_error *err) {
    if (!path || !out) return sp_error_set(err, SCIPIX_EINVAL, "sp_model_open: NULL argument");
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sp_error_set(err, SCIPIX_EMODEL_OPEN, "cannot open model '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        close(fd);
        return sp_error_set(err, SCIPIX_EMODEL_OPEN, "model '%s' is not a readable regular file%s%s",
                            path, e ? ": " : "", e ? strerror(e) : "");
    }
    size_t size = (size_t)st.st_size;
    if (size < 4) {
        close(fd);
        return sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s' is truncated (%zu bytes)", path, size);
    }
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    int map_errno = errno;
    close(fd);
    if (map == MAP_FAILED)
        return sp_error_set(err, SCIPIX_EMODEL_OPEN, "cannot map model '%s': %s", path, strerror(map_errno));
    const uint8_t *b = map;
    int rc;
    if (memcmp(b, SP_MODEL_MAGIC, 4) != 0) {
        rc = sp_error_set(err, SCIPIX_EMODEL_FORMAT, "'%s' is not a scipix model (bad magic)", path);
    } else if (size < SP_MODEL_HEADER_SIZE) {
        rc = sp_error_set(err, SCIPIX_EMODEL_FORMAT, "model '%s' is truncated (%zu bytes, header is %u)",
                          path, size, SP_MODEL_HEADER_SIZE);
    } else if (sp_model_u32(b + 4) != SP_MODEL_VERSION) {
        rc = sp_error_set(err, SCIPIX_EMODEL_VERSION,
                          "model '%s' has format version %u; this build reads version %u", path,
                          sp_model_u32(b + 4), SP_MODEL_VERSION);
    } else if (sp_model_u64(b + 8) != (uint64_t)size) {
        rc = sp_error_set(err, SCIPIX_EMODEL_FORMAT,
                          "model '%s' is truncated or padded: header says %llu bytes, file has %zu",
                          path, (unsigned long long)sp_model_u64(b + 8), size);
    } else if (XXH64(b + SP_MODEL_CHECKSUM_FROM, size - SP_MODEL_CHECKSUM_FROM, 0) != sp_model_u64(b + 16)) {
        rc = sp_error_set(err, SCIPIX_EMODEL_CHECKSUM,
                          "model '%s' is corrupt: xxHash64 checksum does not match its content", path);
    } else {
        sp_model *m = calloc(1, sizeof *m);
        if (!m) {
            munmap(map, size);
            return sp_error_set(err, SCIPIX_ENOMEM, "model '%s': out of memory", path);
        }
        m->map = map;
        m->size = size;
        rc = sp_model_parse(m, path, err);
        if (rc == SCIPIX_OK) {
            *out = m;
            return SCIPIX_OK;
        }
        sp_model_close(m);
        return rc;
    }
    munmap(map, size);
    return rc;
}

void sp_model_close(sp_model *m) {
    if (!m) return;
    sp_model_close(m->low);
    if (!m->is_low) {
        if (m->map) munmap(m->map, m->size);
        free(m->classes);
    }
    free(m);
}

int sp_model_has_low(const sp_model *m) { return m && m->low != NULL; }

const sp_model *sp_model_for_scale(const sp_model *m, float scale) {
    return m && m->low && scale > 0.0f && scale < m->low_below_scale ? m->low : m;
}

int sp_model_class_count(const sp_model *m) { return m ? m->n_classes : 0; }

const sp_symbol_class *sp_model_class(const sp_model *m, int class_id) {
    if (!m || class_id < 0 || class_id >= m->n_classes) return NULL;
    return &m->classes[class_id];
}

int sp_symbol_class_is_letter(const sp_symbol_class *c) {
    return c && c->mathml && c->atom && (!strcmp(c->mathml, "mi") || !strcmp(c->mathml, "mn")) &&
           !strcmp(c->atom, "ord");
}

int sp_model_find_class(const sp_model *m, const char *latex) {
    if (!m || !latex) return -1;
    for (int c = 0; c < m->n_classes; c++)
        if (strcmp(m->classes[c].latex, latex) == 0) return c;
    return -1;
}

long sp_model_macs(const sp_model *m) {
    long macs = 0;
    int side = SP_GLYPH_SIZE;
    for (int l = 0; l < SP_MODEL_CONV_LAYERS; l++) {
        macs += (long)side * side * m->conv[l].n_out * m->conv[l].k;
        side /= 2;
    }
    macs += (long)m->fc1.n_out * (m->fc1.k + m->n_features);
    macs += (long)m->fc2.n_out * m->fc2.k;
    return macs;
}
