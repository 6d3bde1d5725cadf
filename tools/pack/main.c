/*
 * scipix-pack — turns generated dataset directories into one packed file
 * of normalized glyphs for training (tools/train/train.py reads it with
 * numpy).
 *
 *   scipix-pack [--augment N] [--seed S] [--limit IMAGES] [--inventory TSV]
 *               OUT.spxp DATASET_DIR...
 *
 * For every labelled symbol (DATASET_DIR/labels.tsv: image, class_id, x, y,
 * w, h, font, dpi) it crops the gray image at the label box, takes as
 * reference height the median height of that image's letters and digits
 * (sp_segment_reference_height; the inventory, tools/gen/inventory.tsv by
 * default, says which classes those are; the engine computes the same from
 * its first reading), and normalizes the crop with
 * sp_glyph_normalize — the same function inference uses, so training sees
 * exactly the bytes the classifier will see.
 *
 * --augment N adds N variants per symbol, made from the real crop by the
 * same code path: the box shifted by up to one pixel per side (segmenters
 * disagree by a pixel, and neighbours' ink may enter), the crop resampled
 * to a lower resolution (down to 60 dpi, so 80 dpi scans are inside the
 * training range), stroke weight changed by an ink gamma, and the
 * reference height jittered by up to 10%.
 *
 * Output format (little-endian), read by train.py:
 *   header 32 bytes: "SPXP", u32 version (1), u32 count, u32 input side
 *                    (32), u32 features (3), u32 record size, 8 bytes zero
 *   count records:   u8 pixels[32*32], f32 features[3], i32 class,
 *                    u16 dpi, u8 font (0 = first font name seen, ...),
 *                    u8 flags (1 = augmented)
 */
#include "classify/glyph.h"
#include "common/dataset.h"
#include "engine/status.h"

#include <leptonica/allheaders.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SP_PACK_VERSION 1u

typedef struct {
    FILE *out;
    uint32_t count;
    int augment;
    uint64_t rng;
    sp_dataset_fonts fonts;
    sp_dataset_letters letters;
} sp_pack_state;

static uint32_t sp_pack_rand(sp_pack_state *st) { /* xorshift64* */
    st->rng ^= st->rng >> 12;
    st->rng ^= st->rng << 25;
    st->rng ^= st->rng >> 27;
    return (uint32_t)((st->rng * UINT64_C(2685821657736338717)) >> 32);
}

static double sp_pack_uniform(sp_pack_state *st, double lo, double hi) {
    return lo + (hi - lo) * (sp_pack_rand(st) / 4294967296.0);
}

static int sp_pack_write(sp_pack_state *st, const sp_glyph_input *in, int class_id, int dpi, int font,
                         int flags) {
    uint8_t rec[SP_GLYPH_PIXELS + 4 * SP_GLYPH_FEATURES + 8];
    memcpy(rec, in->pixels, SP_GLYPH_PIXELS);
    memcpy(rec + SP_GLYPH_PIXELS, in->features, sizeof in->features);
    uint8_t *t = rec + SP_GLYPH_PIXELS + sizeof in->features;
    int32_t c = class_id;
    uint16_t d = (uint16_t)dpi;
    memcpy(t, &c, 4);
    memcpy(t + 4, &d, 2);
    t[6] = (uint8_t)font;
    t[7] = (uint8_t)flags;
    if (fwrite(rec, sizeof rec, 1, st->out) != 1) return SCIPIX_EIO;
    st->count++;
    return SCIPIX_OK;
}

/* One augmented variant of a label (see the file comment). */
static int sp_pack_variant(sp_pack_state *st, const uint8_t *img, int iw, int ih,
                           const sp_dataset_label *lb, double ref, sp_glyph_input *out,
                           scipix_error *err) {
    int x0 = lb->x + (int)(sp_pack_rand(st) % 3) - 1, y0 = lb->y + (int)(sp_pack_rand(st) % 3) - 1;
    int x1 = lb->x + lb->w + (int)(sp_pack_rand(st) % 3) - 1;
    int y1 = lb->y + lb->h + (int)(sp_pack_rand(st) % 3) - 1;
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > iw) x1 = iw;
    if (y1 > ih) y1 = ih;
    if (x1 <= x0 || y1 <= y0) { x0 = lb->x; y0 = lb->y; x1 = lb->x + lb->w; y1 = lb->y + lb->h; }
    int w = x1 - x0, h = y1 - y0;
    double f = 1.0;
    if (lb->dpi > 60 && sp_pack_rand(st) % 4 != 0) /* 3 in 4 variants go to a lower resolution */
        f = sp_pack_uniform(st, 60.0, (double)lb->dpi) / lb->dpi;
    int dw = (int)lround(w * f), dh = (int)lround(h * f);
    if (dw < 1) dw = 1;
    if (dh < 1) dh = 1;
    uint8_t *buf = malloc((size_t)dw * (size_t)dh);
    if (!buf) return sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
    int rc = sp_glyph_resample(img + (size_t)y0 * iw + x0, w, h, iw, buf, dw, dh, err);
    if (rc == SCIPIX_OK) {
        double gamma = sp_pack_uniform(st, 0.6, 1.6);
        uint8_t lut[256];
        for (int v = 0; v < 256; v++)
            lut[v] = (uint8_t)lround(255.0 - 255.0 * pow((255 - v) / 255.0, gamma));
        for (size_t i = 0; i < (size_t)dw * dh; i++) buf[i] = lut[buf[i]];
        sp_glyph g = {buf, dw, dh, dw, (float)(ref * f * sp_pack_uniform(st, 0.9, 1.1))};
        rc = sp_glyph_normalize(&g, out, err);
    }
    free(buf);
    return rc;
}

/* All labels of one image (an sp_dataset_each_image callback). */
static int sp_pack_image(void *ctx, const sp_dataset_image *img, const sp_dataset_label *labels, int n,
                         scipix_error *err) {
    sp_pack_state *st = ctx;
    int rc = SCIPIX_OK;
    for (int i = 0; i < n && rc == SCIPIX_OK; i++) {
        const sp_dataset_label *lb = &labels[i];
        sp_glyph g = {img->pixels + (size_t)lb->y * img->width + lb->x, lb->w, lb->h, img->width,
                      (float)img->ref_height};
        sp_glyph_input in;
        rc = sp_glyph_normalize(&g, &in, err);
        if (rc == SCIPIX_OK && sp_pack_write(st, &in, lb->class_id, lb->dpi, lb->font, 0))
            rc = sp_error_set(err, SCIPIX_EIO, "write failed: %s", strerror(errno));
        for (int a = 0; a < st->augment && rc == SCIPIX_OK; a++) {
            rc = sp_pack_variant(st, img->pixels, img->width, img->height, lb, img->ref_height, &in, err);
            if (rc == SCIPIX_OK && sp_pack_write(st, &in, lb->class_id, lb->dpi, lb->font, 1))
                rc = sp_error_set(err, SCIPIX_EIO, "write failed: %s", strerror(errno));
        }
    }
    return rc;
}

static int sp_pack_dataset(sp_pack_state *st, const char *dir, long limit, scipix_error *err) {
    long images = 0;
    int rc = sp_dataset_each_image(dir, &st->fonts, &st->letters, limit, sp_pack_image, st, &images, err);
    if (rc == SCIPIX_OK) fprintf(stderr, "scipix-pack: %s: %ld images\n", dir, images);
    return rc;
}

static int sp_pack_header(FILE *out, uint32_t count) {
    uint32_t h[8] = {0, SP_PACK_VERSION, count, SP_GLYPH_SIZE, SP_GLYPH_FEATURES,
                     SP_GLYPH_PIXELS + 4 * SP_GLYPH_FEATURES + 8, 0, 0};
    memcpy(&h[0], "SPXP", 4);
    return fseek(out, 0, SEEK_SET) == 0 && fwrite(h, sizeof h, 1, out) == 1 ? 0 : -1;
}

int main(int argc, char **argv) {
    sp_pack_state st;
    memset(&st, 0, sizeof st);
    st.rng = 0x9e3779b97f4a7c15ull;
    long limit = -1;
    const char *inventory = "tools/gen/inventory.tsv";
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--augment") == 0 && i + 1 < argc) {
            st.augment = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            st.rng ^= strtoull(argv[++i], NULL, 10) * 0xbf58476d1ce4e5b9ull;
        } else if (strcmp(argv[i], "--inventory") == 0 && i + 1 < argc) {
            inventory = argv[++i];
        } else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            limit = atol(argv[++i]);
        } else {
            fprintf(stderr, "scipix-pack: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: scipix-pack [--augment N] [--seed S] [--limit IMAGES] [--inventory TSV] "
                        "OUT.spxp DATASET_DIR...\n");
        return 2;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    scipix_error err;
    sp_error_clear(&err);
    if (sp_dataset_letters_from_inventory(inventory, &st.letters, &err) != SCIPIX_OK) {
        fprintf(stderr, "scipix-pack: %s\n", err.message);
        return 1;
    }
    const char *out_path = argv[i++];
    char tmp_path[1024];
    snprintf(tmp_path, sizeof tmp_path, "%s.tmp", out_path);
    st.out = fopen(tmp_path, "wb");
    if (!st.out || sp_pack_header(st.out, 0)) {
        fprintf(stderr, "scipix-pack: cannot write %s: %s\n", tmp_path, strerror(errno));
        sp_dataset_letters_free(&st.letters);
        return 1;
    }
    int rc = SCIPIX_OK;
    for (; i < argc && rc == SCIPIX_OK; i++) rc = sp_pack_dataset(&st, argv[i], limit, &err);
    if (rc == SCIPIX_OK && sp_pack_header(st.out, st.count))
        rc = sp_error_set(&err, SCIPIX_EIO, "cannot write header: %s", strerror(errno));
    if (fclose(st.out) != 0 && rc == SCIPIX_OK)
        rc = sp_error_set(&err, SCIPIX_EIO, "cannot close %s: %s", tmp_path, strerror(errno));
    if (rc == SCIPIX_OK && rename(tmp_path, out_path) != 0)
        rc = sp_error_set(&err, SCIPIX_EIO, "cannot rename to %s: %s", out_path, strerror(errno));
    sp_dataset_letters_free(&st.letters);
    if (rc != SCIPIX_OK) {
        remove(tmp_path);
        fprintf(stderr, "scipix-pack: %s (%s)\n", err.message, scipix_status_name(rc));
        return 1;
    }
    fprintf(stderr, "scipix-pack: wrote %u glyphs to %s (fonts:", st.count, out_path);
    for (int f = 0; f < st.fonts.n; f++) fprintf(stderr, " %d=%s", f, st.fonts.names[f]);
    fprintf(stderr, ")\n");
    return 0;
}
