/*
 * test_image.c — safe image input.  Every fixture is written here with
 * Leptonica (every format, bit depth and colour type we accept) and then
 * damaged on purpose: truncated, bytes flipped, headers patched to claim
 * huge sizes (with the PNG CRC fixed so that only the limit can refuse it),
 * plus non-images: zero bytes, text, random bytes, a PDF.  Each bad input
 * must give its own error code, never a crash; each good one must decode to
 * the right size and pixel values after compositing and inversion.
 */
#include "engine/status.h"
#include "image/image.h"

#include <check.h>
#include "sp_test.h"
#include <stdlib.h>
#include <string.h>

#define W 60
#define H 40

/* Base image: white, a black block (ink), a mid-grey block. */
static PIX *make_gray(void) {
    PIX *p = pixCreate(W, H, 8);
    pixSetAllArbitrary(p, 255);
    for (int y = 10; y < 20; y++)
        for (int x = 10; x < 30; x++) pixSetPixel(p, x, y, 0);
    for (int y = 25; y < 35; y++)
        for (int x = 35; x < 50; x++) pixSetPixel(p, x, y, 128);
    return p;
}

static uint8_t *encode(PIX *p, int fmt, size_t *n) {
    l_uint8 *d = NULL;
    ck_assert_msg(pixWriteMem(&d, n, p, fmt) == 0, "cannot write format %d", fmt);
    return d;
}

static sp_image_limits default_limits(void) {
    sp_image_limits lim;
    sp_image_limits_from_config(NULL, &lim);
    return lim;
}

static int decode(const uint8_t *d, size_t n, PIX **out, sp_image_info *info, scipix_error *err) {
    sp_image_limits lim = default_limits();
    return sp_image_decode(d, n, &lim, out, info, err);
}

static int px(PIX *p, int x, int y) {
    l_uint32 v = 0;
    pixGetPixel(p, x, y, &v);
    return (int)v;
}

/* Decode and check size and the three reference pixels within tol. */
static void check_good(const uint8_t *d, size_t n, int tol, int expect_mid, const char *what) {
    PIX *g = NULL;
    sp_image_info info;
    scipix_error err = {0};
    int rc = decode(d, n, &g, &info, &err);
    ck_assert_msg(rc == SCIPIX_OK, "%s: %s (%s)", what, err.message, scipix_status_name(rc));
    ck_assert_int_eq(pixGetDepth(g), 8);
    ck_assert_int_eq(pixGetWidth(g), W);
    ck_assert_int_eq(pixGetHeight(g), H);
    ck_assert_msg(abs(px(g, 2, 2) - 255) <= tol, "%s: background %d", what, px(g, 2, 2));
    ck_assert_msg(abs(px(g, 20, 15) - 0) <= tol, "%s: ink %d", what, px(g, 20, 15));
    if (expect_mid >= 0)
        ck_assert_msg(abs(px(g, 42, 30) - expect_mid) <= tol, "%s: grey %d", what, px(g, 42, 30));
    ck_assert_int_eq(info.inverted, 0);
    pixDestroy(&g);
}

static void check_bad(const uint8_t *d, size_t n, const sp_image_limits *lim, int code, const char *what) {
    PIX *g = NULL;
    scipix_error err = {0};
    sp_image_limits def = default_limits();
    int rc = sp_image_decode(d, n, lim ? lim : &def, &g, NULL, &err);
    ck_assert_msg(rc == code, "%s: expected %s, got %s: %s", what, scipix_status_name(code),
                  scipix_status_name(rc), err.message);
    ck_assert_int_eq(err.code, code);
    ck_assert_msg(strlen(err.message) > 0, "%s: empty message", what);
    ck_assert_ptr_null(g);
}

/* ---- good inputs ----------------------------------------------------------- */

START_TEST(gray8_every_format) {
    sp_image_quiet_leptonica();
    PIX *p = make_gray();
    struct { int fmt; int tol; const char *name; } f[] = {
        {IFF_PNG, 0, "png"},           {IFF_TIFF, 0, "tiff"},   {IFF_TIFF_LZW, 0, "tiff-lzw"},
        {IFF_TIFF_ZIP, 0, "tiff-zip"}, {IFF_BMP, 0, "bmp"},     {IFF_PNM, 0, "pgm"},
        {IFF_GIF, 0, "gif"},           {IFF_JFIF_JPEG, 12, "jpeg"}, {IFF_WEBP, 12, "webp"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        size_t n;
        uint8_t *d = encode(p, f[i].fmt, &n);
        check_good(d, n, f[i].tol, 128, f[i].name);
        free(d);
    }
    pixDestroy(&p);
}
END_TEST

START_TEST(rgb_every_format) {
    PIX *g = make_gray();
    PIX *p = pixConvertTo32(g);
    struct { int fmt; int tol; const char *name; } f[] = {
        {IFF_PNG, 1, "png-rgb"}, {IFF_TIFF, 1, "tiff-rgb"},     {IFF_BMP, 1, "bmp-rgb"},
        {IFF_PNM, 1, "ppm"},     {IFF_JFIF_JPEG, 12, "jpeg-rgb"}, {IFF_WEBP, 12, "webp-rgb"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        size_t n;
        uint8_t *d = encode(p, f[i].fmt, &n);
        check_good(d, n, f[i].tol, 128, f[i].name);
        free(d);
    }
    pixDestroy(&p);
    pixDestroy(&g);
}
END_TEST

START_TEST(one_bit_formats) {
    PIX *g = make_gray();
    PIX *b = pixThresholdToBinary(g, 64); /* the grey block becomes paper */
    struct { int fmt; const char *name; } f[] = {
        {IFF_PNG, "png-1"}, {IFF_TIFF_G4, "tiff-g4"}, {IFF_TIFF_G3, "tiff-g3"},
        {IFF_BMP, "bmp-1"}, {IFF_PNM, "pbm"},         {IFF_TIFF_PACKBITS, "tiff-packbits"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        size_t n;
        uint8_t *d = encode(b, f[i].fmt, &n);
        check_good(d, n, 0, 255, f[i].name);
        free(d);
    }
    pixDestroy(&b);
    pixDestroy(&g);
}
END_TEST

START_TEST(sixteen_bit) {
    PIX *g = make_gray();
    PIX *p16 = pixConvert8To16(g, 8);
    size_t n;
    uint8_t *d = encode(p16, IFF_PNG, &n);
    check_good(d, n, 0, 128, "png-16");
    free(d);
    d = encode(p16, IFF_TIFF, &n);
    check_good(d, n, 0, 128, "tiff-16");
    free(d);
    pixDestroy(&p16);
    pixDestroy(&g);
}
END_TEST

START_TEST(palette) {
    PIX *p = pixCreate(W, H, 8);
    PIXCMAP *cmap = pixcmapCreate(8);
    pixcmapAddColor(cmap, 255, 255, 255); /* 0: paper */
    pixcmapAddColor(cmap, 0, 0, 0);       /* 1: ink */
    pixcmapAddColor(cmap, 200, 40, 20);   /* 2: a red: luminance ~ 85 */
    pixSetColormap(p, cmap);
    for (int y = 10; y < 20; y++)
        for (int x = 10; x < 30; x++) pixSetPixel(p, x, y, 1);
    for (int y = 25; y < 35; y++)
        for (int x = 35; x < 50; x++) pixSetPixel(p, x, y, 2);
    int fmts[] = {IFF_PNG, IFF_GIF, IFF_BMP, IFF_TIFF};
    for (size_t i = 0; i < 4; i++) {
        size_t n;
        uint8_t *d = encode(p, fmts[i], &n);
        check_good(d, n, 3, 85, "palette");
        free(d);
    }
    pixDestroy(&p);
}
END_TEST

/* RGBA: ink is black and opaque; the "grey" block is black at alpha 128; a
 * black block with alpha 0 must vanish into white paper. */
static PIX *make_rgba(void) {
    PIX *p = pixCreate(W, H, 32);
    pixSetSpp(p, 4);
    l_uint32 paper, ink, half, hidden;
    composeRGBAPixel(255, 255, 255, 255, &paper);
    composeRGBAPixel(0, 0, 0, 255, &ink);
    composeRGBAPixel(0, 0, 0, 128, &half);
    composeRGBAPixel(0, 0, 0, 0, &hidden);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            l_uint32 v = hidden; /* transparent black everywhere else */
            if (x >= 10 && x < 30 && y >= 10 && y < 20) v = ink;
            if (x >= 35 && x < 50 && y >= 25 && y < 35) v = half;
            if (x < 5) v = paper;
            pixSetPixel(p, x, y, v);
        }
    return p;
}

START_TEST(alpha_composited_on_white) {
    PIX *p = make_rgba();
    struct { int fmt; int tol; const char *name; } f[] = {
        {IFF_PNG, 1, "png-rgba"}, {IFF_WEBP, 14, "webp-rgba"}, {IFF_TIFF, 1, "tiff-rgba"}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        size_t n;
        uint8_t *d = encode(p, f[i].fmt, &n);
        PIX *g = NULL;
        sp_image_info info;
        scipix_error err;
        int rc = decode(d, n, &g, &info, &err);
        ck_assert_msg(rc == SCIPIX_OK, "%s: %s", f[i].name, err.message);
        ck_assert_msg(info.has_alpha, "%s: alpha not seen", f[i].name);
        ck_assert_msg(abs(px(g, 2, 2) - 255) <= f[i].tol, "%s: paper %d", f[i].name, px(g, 2, 2));
        ck_assert_msg(abs(px(g, 55, 5) - 255) <= f[i].tol, "%s: transparent ink %d", f[i].name, px(g, 55, 5));
        ck_assert_msg(abs(px(g, 20, 15) - 0) <= f[i].tol, "%s: ink %d", f[i].name, px(g, 20, 15));
        ck_assert_msg(abs(px(g, 42, 30) - 127) <= f[i].tol + 2, "%s: half %d", f[i].name, px(g, 42, 30));
        ck_assert_int_eq(info.inverted, 0);
        pixDestroy(&g);
        free(d);
    }
    pixDestroy(&p);
}
END_TEST

START_TEST(dark_mode_inverted) {
    PIX *g = make_gray();
    PIX *inv = pixInvert(NULL, g);
    int fmts[] = {IFF_PNG, IFF_JFIF_JPEG};
    for (int i = 0; i < 2; i++) {
        size_t n;
        uint8_t *d = encode(inv, fmts[i], &n);
        PIX *out = NULL;
        sp_image_info info;
        scipix_error err;
        ck_assert_int_eq(decode(d, n, &out, &info, &err), SCIPIX_OK);
        ck_assert_int_eq(info.inverted, 1);
        int tol = fmts[i] == IFF_PNG ? 0 : 12;
        ck_assert_int_le(abs(px(out, 2, 2) - 255), tol);
        ck_assert_int_le(abs(px(out, 20, 15) - 0), tol);
        ck_assert_int_le(abs(px(out, 42, 30) - 128), tol);
        pixDestroy(&out);
        free(d);
    }
    pixDestroy(&inv);
    pixDestroy(&g);
}
END_TEST

START_TEST(binarize_and_ink_box) {
    PIX *g = make_gray();
    int t = 0;
    ck_assert_int_eq(sp_image_otsu_threshold(g, &t, NULL), SCIPIX_OK);
    ck_assert_int_gt(t, 0);
    ck_assert_int_le(t, 255);
    PIX *b = NULL;
    ck_assert_int_eq(sp_image_binarize(g, &b, NULL), SCIPIX_OK);
    ck_assert_int_eq(pixGetDepth(b), 1);
    l_uint32 v;
    pixGetPixel(b, 20, 15, &v);
    ck_assert_int_eq(v, 1);
    pixGetPixel(b, 2, 2, &v);
    ck_assert_int_eq(v, 0);
    int x, y, w, h;
    ck_assert_int_eq(sp_image_ink_box(b, &x, &y, &w, &h, NULL), SCIPIX_OK);
    ck_assert_int_eq(x, 10);
    ck_assert_int_eq(y, 10);
    /* the mid-grey block is ink or paper depending on Otsu; both boxes are fine */
    ck_assert(w == 20 || w == 40);
    ck_assert(h == 10 || h == 25);
    pixDestroy(&b);

    uint8_t *bytes = NULL;
    ck_assert_int_eq(sp_image_gray_bytes(g, &bytes, NULL), SCIPIX_OK);
    ck_assert_int_eq(bytes[15 * W + 20], 0);
    ck_assert_int_eq(bytes[2 * W + 2], 255);
    ck_assert_int_eq(bytes[30 * W + 42], 128);
    free(bytes);

    /* a tiny image: Otsu must not need 16-pixel tiles */
    PIX *tiny = pixCreate(3, 3, 8);
    pixSetAllArbitrary(tiny, 255);
    pixSetPixel(tiny, 1, 1, 0);
    ck_assert_int_eq(sp_image_binarize(tiny, &b, NULL), SCIPIX_OK);
    pixDestroy(&b);
    pixDestroy(&tiny);

    /* blank: no contrast */
    PIX *blank = pixCreate(30, 30, 8);
    pixSetAllArbitrary(blank, 250);
    scipix_error err;
    ck_assert_int_eq(sp_image_binarize(blank, &b, &err), SCIPIX_EIMAGE_BLANK);
    ck_assert_ptr_null(b);
    pixDestroy(&blank);
    pixDestroy(&g);
}
END_TEST

/* ---- bad inputs ------------------------------------------------------------ */

START_TEST(zero_bytes) {
    uint8_t one = 0;
    check_bad(&one, 0, NULL, SCIPIX_EIMAGE_EMPTY, "zero bytes");
    check_bad(NULL, 0, NULL, SCIPIX_EIMAGE_EMPTY, "NULL, zero bytes");
}
END_TEST

START_TEST(text_file) {
    const char *t = "\\frac{a}{b} is not an image\nsecond line\n";
    check_bad((const uint8_t *)t, strlen(t), NULL, SCIPIX_EIMAGE_FORMAT, "text");
    check_bad((const uint8_t *)"P", 1, NULL, SCIPIX_EIMAGE_FORMAT, "one byte of text");
}
END_TEST

START_TEST(random_bytes) {
    uint8_t buf[4096];
    uint32_t s = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        s = s * 1103515245u + 12345u;
        buf[i] = (uint8_t)(s >> 16);
    }
    buf[0] = 0x00, buf[1] = 0x9c; /* make sure no magic number starts it */
    check_bad(buf, sizeof buf, NULL, SCIPIX_EIMAGE_FORMAT, "random bytes");
    for (size_t n = 1; n < 40; n++) check_bad(buf, n, NULL, SCIPIX_EIMAGE_FORMAT, "short random bytes");
}
END_TEST

START_TEST(pdf_as_image) {
    const char *pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";
    check_bad((const uint8_t *)pdf, strlen(pdf), NULL, SCIPIX_EIMAGE_UNSUPPORTED, "pdf");
    const char *ps = "%!PS-Adobe-3.0\nshowpage\n";
    check_bad((const uint8_t *)ps, strlen(ps), NULL, SCIPIX_EIMAGE_UNSUPPORTED, "postscript");
    const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>";
    check_bad((const uint8_t *)svg, strlen(svg), NULL, SCIPIX_EIMAGE_UNSUPPORTED, "svg");
}
END_TEST

START_TEST(truncated_every_format) {
    PIX *g = make_gray();
    PIX *rgb = pixConvertTo32(g);
    struct { PIX *p; int fmt; const char *name; } f[] = {
        {g, IFF_PNG, "png"},     {g, IFF_JFIF_JPEG, "jpeg"}, {rgb, IFF_JFIF_JPEG, "jpeg-rgb"},
        {g, IFF_TIFF, "tiff"},   {g, IFF_TIFF_ZIP, "tiff-zip"}, {g, IFF_BMP, "bmp"},
        {g, IFF_PNM, "pgm"},     {g, IFF_GIF, "gif"},      {rgb, IFF_WEBP, "webp"},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        size_t n;
        uint8_t *d = encode(f[i].p, f[i].fmt, &n);
        /* several cut points: inside the header, in the middle, one byte short */
        size_t cuts[] = {4, 11, 20, n / 3, n / 2, n - 1};
        for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
            if (cuts[k] >= n) continue;
            /* libtiff leaves a padding byte after the last directory */
            if (cuts[k] == n - 1 && f[i].fmt != IFF_PNG && f[i].fmt != IFF_JFIF_JPEG && f[i].fmt != IFF_GIF)
                continue;
            PIX *out = NULL;
            scipix_error err = {0};
            int rc = decode(d, cuts[k], &out, NULL, &err);
            /* a very short prefix may no longer be recognizable at all */
            ck_assert_msg(rc == SCIPIX_EIMAGE_CORRUPT || (cuts[k] < 12 && rc == SCIPIX_EIMAGE_FORMAT),
                          "%s cut at %zu/%zu: got %s (%s)", f[i].name, cuts[k], n, scipix_status_name(rc),
                          err.message);
            ck_assert_ptr_null(out);
        }
        free(d);
    }
    pixDestroy(&rgb);
    pixDestroy(&g);
}
END_TEST

START_TEST(flipped_bytes) {
    PIX *g = make_gray();
    size_t n;
    /* PNG: a flipped byte inside IDAT fails the chunk CRC */
    uint8_t *d = encode(g, IFF_PNG, &n);
    d[n - 20] ^= 0x5a;
    check_bad(d, n, NULL, SCIPIX_EIMAGE_CORRUPT, "png flipped byte");
    free(d);
    /* JPEG: a marker planted inside the entropy-coded data */
    d = encode(g, IFF_JFIF_JPEG, &n);
    d[n - 40] = 0xff, d[n - 39] = 0xd9;
    check_bad(d, n, NULL, SCIPIX_EIMAGE_CORRUPT, "jpeg early EOI");
    free(d);
    /* JPEG: a damaged segment length in the header */
    d = encode(g, IFF_JFIF_JPEG, &n);
    d[4] = 0xff, d[5] = 0xf0;
    check_bad(d, n, NULL, SCIPIX_EIMAGE_CORRUPT, "jpeg bad segment length");
    free(d);
    /* GIF: an unknown block tag after the header */
    d = encode(g, IFF_GIF, &n);
    size_t pos = 13 + ((d[10] & 0x80) ? (3u << ((d[10] & 7) + 1)) : 0);
    d[pos] = 0x99;
    check_bad(d, n, NULL, SCIPIX_EIMAGE_CORRUPT, "gif bad block");
    free(d);
    /* Every single-byte flip of a small PNG and GIF: never a crash */
    PIX *small = pixCreate(8, 8, 8);
    pixSetAllArbitrary(small, 255);
    pixSetPixel(small, 3, 3, 0);
    int fmts[] = {IFF_PNG, IFF_GIF, IFF_BMP, IFF_PNM, IFF_TIFF, IFF_JFIF_JPEG, IFF_WEBP};
    for (int f = 0; f < 7; f++) {
        d = encode(small, fmts[f], &n);
        for (size_t i = 0; i < n; i++) {
            d[i] ^= 0xff;
            PIX *out = NULL;
            int rc = decode(d, n, &out, NULL, NULL);
            if (rc == SCIPIX_OK) {
                ck_assert_int_eq(pixGetDepth(out), 8);
                pixDestroy(&out);
            } else {
                ck_assert_ptr_null(out);
                ck_assert_int_lt(rc, 0);
            }
            d[i] ^= 0xff;
        }
        free(d);
    }
    pixDestroy(&small);
    pixDestroy(&g);
}
END_TEST

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint32_t crc32_ref(const uint8_t *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

/* Patch a PNG's IHDR to claim w x h and fix the CRC. */
static void png_patch_size(uint8_t *d, uint32_t w, uint32_t h) {
    put_be32(d + 16, w);
    put_be32(d + 20, h);
    put_be32(d + 29, crc32_ref(d + 12, 17));
}

START_TEST(huge_header_png) {
    PIX *g = make_gray();
    size_t n;
    uint8_t *d = encode(g, IFF_PNG, &n);
    png_patch_size(d, 100000, 100000);
    check_bad(d, n, NULL, SCIPIX_ELIMIT_DIMENSION, "png 100000x100000");
    png_patch_size(d, 0x7fffffffu, 1);
    check_bad(d, n, NULL, SCIPIX_ELIMIT_DIMENSION, "png 2^31x1");
    png_patch_size(d, 8000, 8000);
    check_bad(d, n, NULL, SCIPIX_ELIMIT_PIXELS, "png 8000x8000");
    /* within the limits but not what the data holds: the decoder fails */
    png_patch_size(d, 4000, 4000);
    check_bad(d, n, NULL, SCIPIX_EIMAGE_CORRUPT, "png 4000x4000 lie");
    free(d);
    pixDestroy(&g);
}
END_TEST

START_TEST(huge_header_other_formats) {
    PIX *g = make_gray();
    size_t n;
    /* JPEG: patch SOF0 */
    uint8_t *d = encode(g, IFF_JFIF_JPEG, &n);
    size_t i = 2;
    while (i + 9 < n && !(d[i] == 0xff && d[i + 1] == 0xc0)) i++;
    ck_assert_uint_lt(i + 9, n);
    d[i + 5] = 0xea, d[i + 6] = 0x60; /* height 60000 */
    d[i + 7] = 0xea, d[i + 8] = 0x60; /* width 60000 */
    check_bad(d, n, NULL, SCIPIX_ELIMIT_DIMENSION, "jpeg 60000x60000");
    free(d);
    /* GIF: logical screen and frame */
    d = encode(g, IFF_GIF, &n);
    d[6] = 0x60, d[7] = 0xea, d[8] = 0x60, d[9] = 0xea;
    check_bad(d, n, NULL, SCIPIX_ELIMIT_DIMENSION, "gif screen 60000x60000");
    free(d);
    /* BMP */
    d = encode(g, IFF_BMP, &n);
    d[18] = 0, d[19] = 0, d[20] = 1, d[21] = 0; /* width 65536 */
    check_bad(d, n, NULL, SCIPIX_ELIMIT_DIMENSION, "bmp width 65536");
    d[18] = 0x40, d[19] = 0x1f, d[20] = 0, d[21] = 0; /* 8000 */
    d[22] = 0x40, d[23] = 0x1f, d[24] = 0, d[25] = 0; /* 8000 */
    check_bad(d, n, NULL, SCIPIX_ELIMIT_PIXELS, "bmp 8000x8000");
    free(d);
    /* PNM: a text header */
    const char *pgm = "P5\n9000 10\n255\n";
    check_bad((const uint8_t *)pgm, strlen(pgm), NULL, SCIPIX_ELIMIT_DIMENSION, "pgm 9000x10");
    pixDestroy(&g);
}
END_TEST

START_TEST(configurable_limits) {
    PIX *g = make_gray();
    size_t n;
    uint8_t *d = encode(g, IFF_PNG, &n);
    sp_image_limits lim = default_limits();
    lim.max_bytes = n - 1;
    check_bad(d, n, &lim, SCIPIX_ELIMIT_BYTES, "bytes");
    lim = default_limits();
    lim.max_dimension = W - 1;
    check_bad(d, n, &lim, SCIPIX_ELIMIT_DIMENSION, "dimension");
    lim = default_limits();
    lim.max_pixels = (uint64_t)W * H - 1;
    check_bad(d, n, &lim, SCIPIX_ELIMIT_PIXELS, "pixels");
    lim.max_pixels = (uint64_t)W * H;
    PIX *out = NULL;
    ck_assert_int_eq(sp_image_decode(d, n, &lim, &out, NULL, NULL), SCIPIX_OK);
    pixDestroy(&out);
    /* limits from a public config */
    scipix_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.max_dimension = 100;
    sp_image_limits_from_config(&cfg, &lim);
    ck_assert_uint_eq(lim.max_dimension, 100);
    ck_assert_uint_eq(lim.max_bytes, 20000000u);
    free(d);
    pixDestroy(&g);
}
END_TEST

START_TEST(committed_fixtures) {
    /* tests/fixtures: the same checks on files from disk, if present */
    const char *src = getenv("SCIPIX_SOURCE_DIR");
    if (!src) return;
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/truncated.png", src);
    size_t n = 0;
    l_uint8 *d = l_binaryRead(path, &n);
    if (!d) return;
    check_bad(d, n, NULL, SCIPIX_EIMAGE_CORRUPT, "fixtures/truncated.png");
    free(d);
}
END_TEST

int main(void) {
    sp_image_quiet_leptonica();
    Suite *s = suite_create("image");
    TCase *good = tcase_create("good");
    tcase_add_test(good, gray8_every_format);
    tcase_add_test(good, rgb_every_format);
    tcase_add_test(good, one_bit_formats);
    tcase_add_test(good, sixteen_bit);
    tcase_add_test(good, palette);
    tcase_add_test(good, alpha_composited_on_white);
    tcase_add_test(good, dark_mode_inverted);
    tcase_add_test(good, binarize_and_ink_box);
    suite_add_tcase(s, good);
    TCase *bad = tcase_create("bad");
    tcase_set_timeout(bad, 120);
    tcase_add_test(bad, zero_bytes);
    tcase_add_test(bad, text_file);
    tcase_add_test(bad, random_bytes);
    tcase_add_test(bad, pdf_as_image);
    tcase_add_test(bad, truncated_every_format);
    tcase_add_test(bad, flipped_bytes);
    tcase_add_test(bad, huge_header_png);
    tcase_add_test(bad, huge_header_other_formats);
    tcase_add_test(bad, configurable_limits);
    tcase_add_test(bad, committed_fixtures);
    suite_add_tcase(s, bad);
    return sp_test_run(s);
}
