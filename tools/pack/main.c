/*
 * scipix-pack — turns generated dataset directories into one packed file
 * of normalized glyphs for training (tools/train/train.py reads it with
 * numpy).
 *
 *   scipix-pack [--augment N] [--seed S] [--limit IMAGES] OUT.spxp DATASET_DIR...
 *
 * For every labelled symbol (DATASET_DIR/labels.tsv: image, class_id, x, y,
 * w, h, font, dpi) it crops the gray image at the label box, takes as
 * reference height the median label height of that image (what the engine
 * computes from its segmented symbols), and normalizes the crop with
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
#include "engine/status.h"

#include <leptonica/allheaders.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SP_PACK_VERSION 1u
#define SP_PACK_MAX_FONTS 16

typedef struct {
    char image[256];
    int class_id, x, y, w, h, dpi, font;
} sp_pack_label;

typedef struct {
    FILE *out;
    uint32_t count;
    int augment;
    uint64_t rng;
    char fonts[SP_PACK_MAX_FONTS][64];
    int n_fonts;
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

static int sp_pack_font_id(sp_pack_state *st, const char *name) {
    for (int i = 0; i < st->n_fonts; i++)
        if (strcmp(st->fonts[i], name) == 0) return i;
    if (st->n_fonts == SP_PACK_MAX_FONTS) return SP_PACK_MAX_FONTS - 1;
    snprintf(st->fonts[st->n_fonts], sizeof st->fonts[0], "%s", name);
    return st->n_fonts++;
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

static int sp_pack_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One augmented variant of a label (see the file comment). */
static int sp_pack_variant(sp_pack_state *st, const uint8_t *img, int iw, int ih,
                           const sp_pack_label *lb, double ref, sp_glyph_input *out,
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

/* All labels of one image. */
static int sp_pack_image(sp_pack_state *st, const char *dir, const sp_pack_label *labels, int n,
                         scipix_error *err) {
    char path[1024];
    const char *name = labels[0].image;
    const char *cands[3] = {"%s/%s", "%s/images/%s", "%s/images/%s.png"};
    PIX *pix = NULL;
    for (int i = 0; i < 3 && !pix; i++) {
        snprintf(path, sizeof path, cands[i], dir, name);
        FILE *fp = fopen(path, "rb");
        if (fp) {
            fclose(fp);
            pix = pixRead(path);
        }
    }
    if (!pix) return sp_error_set(err, SCIPIX_EIO, "cannot read image '%s' of %s", name, dir);
    PIX *gray = pixConvertTo8(pix, 0);
    pixDestroy(&pix);
    if (!gray) return sp_error_set(err, SCIPIX_EIMAGE_FORMAT, "cannot convert '%s' to gray", path);
    int iw = (int)pixGetWidth(gray), ih = (int)pixGetHeight(gray);
    uint8_t *img = malloc((size_t)iw * (size_t)ih);
    double *heights = malloc((size_t)n * sizeof *heights);
    if (!img || !heights) {
        pixDestroy(&gray);
        free(img);
        free(heights);
        return sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
    }
    l_uint32 *data = pixGetData(gray);
    int wpl = pixGetWpl(gray);
    for (int y = 0; y < ih; y++)
        for (int x = 0; x < iw; x++) img[(size_t)y * iw + x] = (uint8_t)GET_DATA_BYTE(data + y * wpl, x);
    pixDestroy(&gray);

    for (int i = 0; i < n; i++) heights[i] = labels[i].h;
    qsort(heights, (size_t)n, sizeof *heights, sp_pack_cmp_double);
    double ref = n % 2 ? heights[n / 2] : 0.5 * (heights[n / 2 - 1] + heights[n / 2]);

    int rc = SCIPIX_OK;
    for (int i = 0; i < n && rc == SCIPIX_OK; i++) {
        const sp_pack_label *lb = &labels[i];
        if (lb->w < 1 || lb->h < 1 || lb->x < 0 || lb->y < 0 || lb->x + lb->w > iw || lb->y + lb->h > ih) {
            rc = sp_error_set(err, SCIPIX_EINVAL, "%s: label box %d,%d %dx%d outside the %dx%d image",
                              path, lb->x, lb->y, lb->w, lb->h, iw, ih);
            break;
        }
        sp_glyph g = {img + (size_t)lb->y * iw + lb->x, lb->w, lb->h, iw, (float)ref};
        sp_glyph_input in;
        rc = sp_glyph_normalize(&g, &in, err);
        if (rc == SCIPIX_OK && sp_pack_write(st, &in, lb->class_id, lb->dpi, lb->font, 0))
            rc = sp_error_set(err, SCIPIX_EIO, "write failed: %s", strerror(errno));
        for (int a = 0; a < st->augment && rc == SCIPIX_OK; a++) {
            rc = sp_pack_variant(st, img, iw, ih, lb, ref, &in, err);
            if (rc == SCIPIX_OK && sp_pack_write(st, &in, lb->class_id, lb->dpi, lb->font, 1))
                rc = sp_error_set(err, SCIPIX_EIO, "write failed: %s", strerror(errno));
        }
    }
    free(img);
    free(heights);
    return rc;
}

/* Column index of `name` in a tab-separated header, or -1. */
static int sp_pack_column(char *header, const char *name) {
    int col = 0;
    char *save = NULL, *copy = strdup(header);
    if (!copy) return -1;
    for (char *tok = strtok_r(copy, "\t\r\n", &save); tok; tok = strtok_r(NULL, "\t\r\n", &save), col++)
        if (strcmp(tok, name) == 0) {
            free(copy);
            return col;
        }
    free(copy);
    return -1;
}

static int sp_pack_dataset(sp_pack_state *st, const char *dir, long limit, scipix_error *err) {
    char path[1024];
    snprintf(path, sizeof path, "%s/labels.tsv", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) return sp_error_set(err, SCIPIX_EIO, "cannot open %s: %s", path, strerror(errno));
    char line[4096];
    if (!fgets(line, sizeof line, fp)) {
        fclose(fp);
        return sp_error_set(err, SCIPIX_EIO, "%s is empty", path);
    }
    const char *names[8] = {"image", "class_id", "x", "y", "w", "h", "font", "dpi"};
    int cols[8];
    for (int i = 0; i < 8; i++)
        if ((cols[i] = sp_pack_column(line, names[i])) < 0) {
            fclose(fp);
            return sp_error_set(err, SCIPIX_EINVAL, "%s: header lacks column '%s'", path, names[i]);
        }
    size_t cap = 256, n = 0;
    sp_pack_label *labels = malloc(cap * sizeof *labels);
    int rc = labels ? SCIPIX_OK : sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
    long images = 0, lineno = 1;
    while (rc == SCIPIX_OK) {
        int eof = !fgets(line, sizeof line, fp);
        sp_pack_label lb;
        memset(&lb, 0, sizeof lb);
        if (!eof) {
            lineno++;
            char *fields[16], *save = NULL;
            int nf = 0;
            for (char *tok = strtok_r(line, "\t\r\n", &save); tok && nf < 16; tok = strtok_r(NULL, "\t\r\n", &save))
                fields[nf++] = tok;
            if (nf == 0) continue;
            int maxc = 0;
            for (int i = 0; i < 8; i++)
                if (cols[i] > maxc) maxc = cols[i];
            if (nf <= maxc) {
                rc = sp_error_set(err, SCIPIX_EINVAL, "%s:%ld: %d fields, expected %d", path, lineno, nf, maxc + 1);
                break;
            }
            snprintf(lb.image, sizeof lb.image, "%s", fields[cols[0]]);
            lb.class_id = atoi(fields[cols[1]]);
            lb.x = atoi(fields[cols[2]]);
            lb.y = atoi(fields[cols[3]]);
            lb.w = atoi(fields[cols[4]]);
            lb.h = atoi(fields[cols[5]]);
            lb.font = sp_pack_font_id(st, fields[cols[6]]);
            lb.dpi = atoi(fields[cols[7]]);
        }
        /* flush the previous image when the image name changes */
        if (n && (eof || strcmp(lb.image, labels[0].image) != 0)) {
            rc = sp_pack_image(st, dir, labels, (int)n, err);
            n = 0;
            if (++images == limit) break;
        }
        if (eof || rc) break;
        if (n == cap) {
            sp_pack_label *bigger = realloc(labels, 2 * cap * sizeof *labels);
            if (!bigger) {
                rc = sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
                break;
            }
            labels = bigger;
            cap *= 2;
        }
        labels[n++] = lb;
    }
    free(labels);
    fclose(fp);
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
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--augment") == 0 && i + 1 < argc) {
            st.augment = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            st.rng ^= strtoull(argv[++i], NULL, 10) * 0xbf58476d1ce4e5b9ull;
        } else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            limit = atol(argv[++i]);
        } else {
            fprintf(stderr, "scipix-pack: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: scipix-pack [--augment N] [--seed S] [--limit IMAGES] OUT.spxp DATASET_DIR...\n");
        return 2;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    const char *out_path = argv[i++];
    char tmp_path[1024];
    snprintf(tmp_path, sizeof tmp_path, "%s.tmp", out_path);
    st.out = fopen(tmp_path, "wb");
    if (!st.out || sp_pack_header(st.out, 0)) {
        fprintf(stderr, "scipix-pack: cannot write %s: %s\n", tmp_path, strerror(errno));
        return 1;
    }
    scipix_error err;
    sp_error_clear(&err);
    int rc = SCIPIX_OK;
    for (; i < argc && rc == SCIPIX_OK; i++) rc = sp_pack_dataset(&st, argv[i], limit, &err);
    if (rc == SCIPIX_OK && sp_pack_header(st.out, st.count))
        rc = sp_error_set(&err, SCIPIX_EIO, "cannot write header: %s", strerror(errno));
    if (fclose(st.out) != 0 && rc == SCIPIX_OK)
        rc = sp_error_set(&err, SCIPIX_EIO, "cannot close %s: %s", tmp_path, strerror(errno));
    if (rc == SCIPIX_OK && rename(tmp_path, out_path) != 0)
        rc = sp_error_set(&err, SCIPIX_EIO, "cannot rename to %s: %s", out_path, strerror(errno));
    if (rc != SCIPIX_OK) {
        remove(tmp_path);
        fprintf(stderr, "scipix-pack: %s (%s)\n", err.message, scipix_status_name(rc));
        return 1;
    }
    fprintf(stderr, "scipix-pack: wrote %u glyphs to %s (fonts:", st.count, out_path);
    for (int f = 0; f < st.n_fonts; f++) fprintf(stderr, " %d=%s", f, st.fonts[f]);
    fprintf(stderr, ")\n");
    return 0;
}
