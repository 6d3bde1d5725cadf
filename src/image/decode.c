/*
 * decode.c — decode a checked image with Leptonica and normalize it to what
 * every later stage expects: one 8-bit gray Pix, dark ink on white paper.
 * Also the adaptive (Otsu) binarization and the ink bounding box.
 *
 * Normalization order matters: palette -> RGB(A) first, then alpha is
 * composited on white (a transparent PNG of black text must not turn into
 * a black square), then gray, then light-on-dark detection on the gray
 * histogram: a formula image is mostly background, so a median below mid
 * grey means a dark background (a dark-mode screenshot) and we invert.
 *
 * Otsu's threshold is computed here from Leptonica's histogram rather than
 * with pixOtsuAdaptiveThreshold, which refuses tiles under 16 px (a lone
 * small symbol is a legitimate input) and whose tiling we do not want for
 * clean rendered math: one global threshold keeps thin strokes intact.
 */
#include "engine/status.h"
#include "image/image.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void sp_image_discard_message(const char *msg) { (void)msg; }

static pthread_once_t sp_image_quiet_once = PTHREAD_ONCE_INIT;

static void sp_image_quiet_init(void) {
    /* Leptonica offers only process-wide switches for its messages.  We set
     * them once; an application that wants Leptonica's diagnostics can set
     * them back after creating its engine. */
    setMsgSeverity(L_SEVERITY_NONE);
    leptSetStderrHandler(sp_image_discard_message);
}

void sp_image_quiet_leptonica(void) { pthread_once(&sp_image_quiet_once, sp_image_quiet_init); }

/* Convert any decoded Pix to 8-bit gray with alpha composited on white. */
static int sp_image_to_gray(PIX *pix, PIX **out, int *had_alpha, scipix_error *err) {
    PIX *p = NULL, *q = NULL;
    *had_alpha = 0;
    if (pixGetColormap(pix)) {
        p = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
    } else {
        p = pixClone(pix);
    }
    if (!p) return sp_error_set(err, SCIPIX_ENOMEM, "cannot convert the image's palette");
    if (pixGetDepth(p) == 32 && pixGetSpp(p) == 4) {
        *had_alpha = 1;
        q = pixAlphaBlendUniform(p, 0xffffff00); /* white */
        pixDestroy(&p);
        if (!q) return sp_error_set(err, SCIPIX_ENOMEM, "cannot composite the alpha channel on white");
        p = q;
    }
    q = pixConvertTo8(p, 0);
    pixDestroy(&p);
    if (!q) return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED, "cannot convert the image to 8-bit gray");
    *out = q;
    return SCIPIX_OK;
}

/* 256-bin histogram of an 8-bit Pix (counts as doubles). */
static int sp_image_histogram(PIX *gray, double hist[256], scipix_error *err) {
    NUMA *na = pixGetGrayHistogram(gray, 1);
    if (!na) return sp_error_set(err, SCIPIX_ENOMEM, "cannot compute the gray histogram");
    for (int i = 0; i < 256; i++) {
        l_float32 v = 0;
        numaGetFValue(na, i, &v);
        hist[i] = v;
    }
    numaDestroy(&na);
    return SCIPIX_OK;
}

int sp_image_decode(const uint8_t *bytes, size_t len, const sp_image_limits *lim, PIX **out,
                    sp_image_info *info_out, scipix_error *err) {
    sp_image_info local;
    sp_image_info *info = info_out ? info_out : &local;
    *out = NULL;
    int rc = sp_image_probe_header(bytes, len, lim, info, err);
    if (rc) return rc;

    PIX *pix = NULL;
    if (info->format == SP_IMAGE_JPEG) {
        /* libjpeg "warnings" are corrupt or missing data that it papered
         * over with grey; Leptonica counts them for us. */
        l_int32 nwarn = 0;
        pix = pixReadMemJpeg(bytes, len, 0, 1, &nwarn, 0);
        if (pix && nwarn > 0) {
            pixDestroy(&pix);
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                                "JPEG data is corrupt (%d decoder warning%s)", nwarn, nwarn == 1 ? "" : "s");
        }
    } else {
        pix = pixReadMem(bytes, len);
    }
    if (!pix)
        return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "%s data is truncated or corrupt (decoding failed)",
                            sp_image_format_name(info->format));
    l_int32 w, h;
    pixGetDimensions(pix, &w, &h, NULL);
    if (w != info->width || h != info->height) {
        /* The decoder disagrees with the header we checked: never trust it. */
        pixDestroy(&pix);
        return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                            "%s decoded to %dx%d but its header says %dx%d", sp_image_format_name(info->format),
                            w, h, info->width, info->height);
    }

    PIX *gray = NULL;
    int had_alpha = 0;
    rc = sp_image_to_gray(pix, &gray, &had_alpha, err);
    pixDestroy(&pix);
    if (rc) return rc;
    if (had_alpha) info->has_alpha = 1;

    double hist[256];
    if ((rc = sp_image_histogram(gray, hist, err))) {
        pixDestroy(&gray);
        return rc;
    }
    double total = (double)w * h, acc = 0;
    int median = 0;
    for (; median < 256; median++) {
        acc += hist[median];
        if (acc * 2 >= total) break;
    }
    info->inverted = 0;
    if (median < 128) {
        pixInvert(gray, gray);
        info->inverted = 1;
    }
    *out = gray;
    return SCIPIX_OK;
}

int sp_image_otsu_threshold(PIX *gray, int *thresh, scipix_error *err) {
    if (!gray || pixGetDepth(gray) != 8 || pixGetColormap(gray))
        return sp_error_set(err, SCIPIX_EINVAL, "Otsu threshold needs an 8-bit gray image");
    double hist[256];
    int rc = sp_image_histogram(gray, hist, err);
    if (rc) return rc;
    int lo = 0, hi = 255;
    while (lo < 256 && hist[lo] == 0) lo++;
    while (hi >= 0 && hist[hi] == 0) hi--;
    if (lo > hi || hi - lo < 32)
        return sp_error_set(err, SCIPIX_EIMAGE_BLANK, "image holds no ink (gray levels span %d..%d)", lo < 256 ? lo : 0, hi >= 0 ? hi : 0);
    double total = 0, sum = 0;
    for (int i = 0; i < 256; i++) total += hist[i], sum += i * hist[i];
    double w0 = 0, sum0 = 0, best = -1, ink = lo, paper = hi;
    for (int t = 0; t < 255; t++) {
        w0 += hist[t];
        sum0 += t * hist[t];
        double w1 = total - w0;
        if (w0 == 0 || w1 == 0) continue;
        double m0 = sum0 / w0, m1 = (sum - sum0) / w1;
        double between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if (between > best) best = between, ink = m0, paper = m1;
    }
    /* Otsu's split separates the two classes; the cut itself goes 70% of
     * the way from the ink mean to the paper mean, because anti-aliased
     * renders join strokes through mid-grey pixels (the waist of a W, the
     * tail of an a) that a cut at Otsu's midpoint would break apart. */
    int t = (int)(ink + 0.7 * (paper - ink) + 0.5);
    if (t <= lo) t = lo + 1;
    if (t > hi) t = hi;
    *thresh = t;
    return SCIPIX_OK;
}

int sp_image_binarize(PIX *gray, PIX **out, scipix_error *err) {
    *out = NULL;
    int thresh, rc = sp_image_otsu_threshold(gray, &thresh, err);
    if (rc) return rc;
    PIX *bin = pixThresholdToBinary(gray, thresh);
    if (!bin) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate the binary image");
    l_int32 empty = 1;
    pixZero(bin, &empty);
    if (empty) {
        pixDestroy(&bin);
        return sp_error_set(err, SCIPIX_EIMAGE_BLANK, "image holds no ink");
    }
    *out = bin;
    return SCIPIX_OK;
}

int sp_image_ink_box(PIX *bin, int *x, int *y, int *w, int *h, scipix_error *err) {
    if (!bin || pixGetDepth(bin) != 1) return sp_error_set(err, SCIPIX_EINVAL, "ink box needs a 1-bit image");
    BOX *box = NULL;
    if (pixClipToForeground(bin, NULL, &box) || !box)
        return sp_error_set(err, SCIPIX_EIMAGE_BLANK, "image holds no ink");
    l_int32 bx, by, bw, bh;
    boxGetGeometry(box, &bx, &by, &bw, &bh);
    boxDestroy(&box);
    *x = bx, *y = by, *w = bw, *h = bh;
    return SCIPIX_OK;
}

int sp_image_gray_bytes(PIX *gray, uint8_t **out, scipix_error *err) {
    *out = NULL;
    if (!gray || pixGetDepth(gray) != 8) return sp_error_set(err, SCIPIX_EINVAL, "gray bytes need an 8-bit image");
    l_int32 w, h;
    pixGetDimensions(gray, &w, &h, NULL);
    uint8_t *buf = malloc((size_t)w * (size_t)h);
    if (!buf) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %dx%d gray bytes", w, h);
    l_uint32 *data = pixGetData(gray);
    l_int32 wpl = pixGetWpl(gray);
    for (l_int32 y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        uint8_t *row = buf + (size_t)y * w;
        for (l_int32 x = 0; x < w; x++) row[x] = (uint8_t)GET_DATA_BYTE(line, x);
    }
    *out = buf;
    return SCIPIX_OK;
}
