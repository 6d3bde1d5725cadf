/*
 * dataset.c — walks a generated dataset directory image by image (see
 * dataset.h).  labels.tsv is read by column name, not position, so the
 * generator may add columns; an image is decoded once for all its labels.
 */
#include "dataset.h"

#include "classify/classify.h"
#include "engine/status.h"
#include "segment/segment.h"

#include <leptonica/allheaders.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sp_dataset_font_id(sp_dataset_fonts *f, const char *name) {
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->names[i], name) == 0) return i;
    if (f->n == SP_DATASET_MAX_FONTS) return SP_DATASET_MAX_FONTS - 1;
    snprintf(f->names[f->n], sizeof f->names[0], "%.63s", name);
    return f->n++;
}

/* Column index of `name` in a tab-separated header, or -1. */
static int sp_dataset_column(const char *header, const char *name) {
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

static int sp_dataset_letters_alloc(sp_dataset_letters *out, int n, scipix_error *err) {
    out->n = n;
    out->is_letter = calloc(n > 0 ? (size_t)n : 1, 1);
    return out->is_letter ? SCIPIX_OK : sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
}

int sp_dataset_letters_from_model(const sp_model *model, sp_dataset_letters *out, scipix_error *err) {
    int n = sp_model_class_count(model), rc = sp_dataset_letters_alloc(out, n, err);
    for (int c = 0; c < n && rc == SCIPIX_OK; c++) out->is_letter[c] = (unsigned char)sp_symbol_class_is_letter(sp_model_class(model, c));
    return rc;
}

int sp_dataset_letters_from_inventory(const char *path, sp_dataset_letters *out, scipix_error *err) {
    char line[4096];
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "r");
    if (!fp) return sp_error_set(err, SCIPIX_EIO, "cannot open %s: %s", path, strerror(errno));
    int rc = SCIPIX_OK, cid = -1, cmathml = -1, catom = -1;
    if (!fgets(line, sizeof line, fp) || (cid = sp_dataset_column(line, "id")) < 0 ||
        (cmathml = sp_dataset_column(line, "mathml")) < 0 || (catom = sp_dataset_column(line, "atom")) < 0)
        rc = sp_error_set(err, SCIPIX_EINVAL, "%s: header lacks id, mathml or atom", path);
    if (rc == SCIPIX_OK) rc = sp_dataset_letters_alloc(out, 0, err);
    while (rc == SCIPIX_OK && fgets(line, sizeof line, fp)) {
        /* split on tabs keeping empty fields (the unicode column may be empty) */
        char *fields[16];
        int nf = 0;
        for (char *p = line; nf < 16;) {
            fields[nf++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = 0;
            p = tab + 1;
        }
        for (int f = 0; f < nf; f++) fields[f][strcspn(fields[f], "\r\n")] = 0;
        if (nf <= cid || nf <= cmathml || nf <= catom) continue;
        int id = atoi(fields[cid]);
        if (id < 0 || id > 100000) {
            rc = sp_error_set(err, SCIPIX_EINVAL, "%s: class id %d out of range", path, id);
            break;
        }
        if (id >= out->n) {
            unsigned char *bigger = realloc(out->is_letter, (size_t)id + 1);
            if (!bigger) {
                rc = sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
                break;
            }
            memset(bigger + out->n, 0, (size_t)(id + 1 - out->n));
            out->is_letter = bigger;
            out->n = id + 1;
        }
        sp_symbol_class c = {"", "", fields[cmathml], fields[catom]};
        out->is_letter[id] = (unsigned char)sp_symbol_class_is_letter(&c);
    }
    fclose(fp);
    if (rc != SCIPIX_OK) sp_dataset_letters_free(out);
    return rc;
}

void sp_dataset_letters_free(sp_dataset_letters *l) {
    free(l->is_letter);
    l->is_letter = NULL;
    l->n = 0;
}

/* Decodes the image of labels[0..n), checks the boxes, hands it to fn. */
static int sp_dataset_image_run(const char *dir, const sp_dataset_letters *letters, const sp_dataset_label *labels,
                                int n, sp_dataset_image_fn fn, void *ctx, scipix_error *err) {
    char path[1024];
    const char *cands[3] = {"%s/%s", "%s/images/%s", "%s/images/%s.png"};
    PIX *pix = NULL;
    for (int i = 0; i < 3 && !pix; i++) {
        snprintf(path, sizeof path, cands[i], dir, labels[0].image);
        FILE *fp = fopen(path, "rb");
        if (fp) {
            fclose(fp);
            pix = pixRead(path);
        }
    }
    if (!pix) return sp_error_set(err, SCIPIX_EIO, "cannot read image '%s' of %s", labels[0].image, dir);
    PIX *gray = pixConvertTo8(pix, 0);
    pixDestroy(&pix);
    if (!gray) return sp_error_set(err, SCIPIX_EIMAGE_FORMAT, "cannot convert '%s' to gray", path);
    int iw = (int)pixGetWidth(gray), ih = (int)pixGetHeight(gray);
    uint8_t *img = malloc((size_t)iw * (size_t)ih);
    sp_box *boxes = malloc((size_t)n * sizeof *boxes);
    unsigned char *is_letter = calloc((size_t)n, 1);
    int rc = img && boxes && is_letter ? SCIPIX_OK : sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
    if (rc == SCIPIX_OK) {
        l_uint32 *data = pixGetData(gray);
        int wpl = pixGetWpl(gray);
        for (int y = 0; y < ih; y++)
            for (int x = 0; x < iw; x++) img[(size_t)y * iw + x] = (uint8_t)GET_DATA_BYTE(data + y * wpl, x);
        for (int i = 0; i < n && rc == SCIPIX_OK; i++) {
            const sp_dataset_label *lb = &labels[i];
            if (lb->w < 1 || lb->h < 1 || lb->x < 0 || lb->y < 0 || lb->x + lb->w > iw || lb->y + lb->h > ih)
                rc = sp_error_set(err, SCIPIX_EINVAL, "%s: label box %d,%d %dx%d outside the %dx%d image", path,
                                  lb->x, lb->y, lb->w, lb->h, iw, ih);
            boxes[i] = (sp_box){lb->x, lb->y, lb->w, lb->h};
            is_letter[i] = letters && lb->class_id >= 0 && lb->class_id < letters->n && letters->is_letter[lb->class_id];
        }
    }
    if (rc == SCIPIX_OK) {
        /* the engine's reference height, computed the same way */
        sp_dataset_image view = {path, img, iw, ih, sp_segment_reference_height(boxes, is_letter, (size_t)n)};
        rc = fn(ctx, &view, labels, n, err);
    }
    pixDestroy(&gray);
    free(img);
    free(boxes);
    free(is_letter);
    return rc;
}

int sp_dataset_each_image(const char *dir, sp_dataset_fonts *fonts, const sp_dataset_letters *letters, long limit,
                          sp_dataset_image_fn fn, void *ctx, long *images_out, scipix_error *err) {
    char path[1024], line[4096];
    snprintf(path, sizeof path, "%s/labels.tsv", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) return sp_error_set(err, SCIPIX_EIO, "cannot open %s: %s", path, strerror(errno));
    if (!fgets(line, sizeof line, fp)) {
        fclose(fp);
        return sp_error_set(err, SCIPIX_EIO, "%s is empty", path);
    }
    const char *names[8] = {"image", "class_id", "x", "y", "w", "h", "font", "dpi"};
    int cols[8], maxc = 0;
    for (int i = 0; i < 8; i++) {
        if ((cols[i] = sp_dataset_column(line, names[i])) < 0) {
            fclose(fp);
            return sp_error_set(err, SCIPIX_EINVAL, "%s: header lacks column '%s'", path, names[i]);
        }
        if (cols[i] > maxc) maxc = cols[i];
    }
    size_t cap = 256, n = 0;
    sp_dataset_label *labels = malloc(cap * sizeof *labels);
    int rc = labels ? SCIPIX_OK : sp_error_set(err, SCIPIX_ENOMEM, "out of memory");
    long images = 0, lineno = 1;
    while (rc == SCIPIX_OK) {
        int eof = !fgets(line, sizeof line, fp);
        sp_dataset_label lb;
        memset(&lb, 0, sizeof lb);
        if (!eof) {
            lineno++;
            char *fields[16], *save = NULL;
            int nf = 0;
            for (char *tok = strtok_r(line, "\t\r\n", &save); tok && nf < 16; tok = strtok_r(NULL, "\t\r\n", &save))
                fields[nf++] = tok;
            if (nf == 0) continue;
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
            lb.font = sp_dataset_font_id(fonts, fields[cols[6]]);
            lb.dpi = atoi(fields[cols[7]]);
        }
        /* hand over the previous image when the image name changes */
        if (n && (eof || strcmp(lb.image, labels[0].image) != 0)) {
            rc = sp_dataset_image_run(dir, letters, labels, (int)n, fn, ctx, err);
            n = 0;
            if (rc == SCIPIX_OK && ++images == limit) break;
        }
        if (eof || rc) break;
        if (n == cap) {
            sp_dataset_label *bigger = realloc(labels, 2 * cap * sizeof *labels);
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
    if (images_out) *images_out = images;
    return rc;
}
