/*
 * image.h — safe image input: from untrusted encoded bytes to one 8-bit gray
 * Leptonica Pix with dark ink on white paper, and from there to a binary
 * ink mask.
 *
 * Input is hostile until proven otherwise.  sp_image_decode therefore works
 * in three steps, each able to refuse the input with a distinct code:
 *   1. identify the format from the first bytes (sp_image_sniff);
 *   2. read the width and height from the header only, and check the byte,
 *      dimension and pixel limits BEFORE any decoder allocates a raster;
 *      for PNG, GIF and JPEG the container structure (chunks, blocks,
 *      segments) is walked first so that truncation is caught here,
 *      quietly, instead of inside libpng/libjpeg (which print to stderr
 *      and may return a half-grey image);
 *   3. decode with Leptonica and normalize: composite alpha on white,
 *      convert to 8-bit gray, invert light-on-dark images.
 * Leptonica is the only decoder; this module only reads headers.
 */
#ifndef SP_IMAGE_H
#define SP_IMAGE_H

#include "scipix.h"

#include <allheaders.h>
#include <stddef.h>
#include <stdint.h>

/* Resource limits checked before decoding. */
typedef struct sp_image_limits {
    size_t max_bytes;
    uint32_t max_dimension;
    uint64_t max_pixels;
} sp_image_limits;

/* The formats we accept (a subset of Leptonica's IFF_* values). */
typedef enum sp_image_format {
    SP_IMAGE_UNKNOWN = 0,
    SP_IMAGE_PNG,
    SP_IMAGE_JPEG,
    SP_IMAGE_TIFF,
    SP_IMAGE_BMP,
    SP_IMAGE_PNM,
    SP_IMAGE_GIF,
    SP_IMAGE_WEBP
} sp_image_format;

/* What is known about an input after sp_image_decode (or, for width,
 * height and format only, after sp_image_probe_header). */
typedef struct sp_image_info {
    sp_image_format format;
    int width, height;
    int bits_per_sample;    /* as stored: 1, 2, 4, 8 or 16 */
    int samples_per_pixel;  /* 1 gray/palette, 2 gray+alpha, 3 RGB, 4 RGBA */
    int has_colormap;
    int has_alpha;          /* the decoded image carried an alpha channel */
    int inverted;           /* light ink on a dark background was inverted */
} sp_image_info;

/* Name of a format: "png", "jpeg", ... ("unknown"). */
const char *sp_image_format_name(sp_image_format fmt);

/* Limits from a public config (zero fields fall back to the defaults). */
void sp_image_limits_from_config(const scipix_config *cfg, sp_image_limits *lim);

/* Make Leptonica quiet: it reports through a process-wide stderr handler
 * (leptSetStderrHandler) and severity (setMsgSeverity), which Leptonica
 * offers only as globals.  Installed once, thread-safely (pthread_once),
 * from engine creation and probing; idempotent. */
void sp_image_quiet_leptonica(void);

/* Steps 1 and 2: format and header dimensions, all limits checked.  Reads
 * nothing beyond len and allocates nothing sized by the header. */
int sp_image_probe_header(const uint8_t *bytes, size_t len, const sp_image_limits *lim,
                          sp_image_info *info, scipix_error *err);

/* Steps 1-3: decode to 8-bit gray, ink dark on white.  *out is owned by the
 * caller (pixDestroy).  info may be NULL. */
int sp_image_decode(const uint8_t *bytes, size_t len, const sp_image_limits *lim,
                    PIX **out, sp_image_info *info, scipix_error *err);

/* Global threshold of an 8-bit gray image from Otsu's classes (placed 70%
 * of the way from the ink mean to the paper mean, see decode.c): pixels
 * with value < *thresh are ink.  Returns SCIPIX_EIMAGE_BLANK when the image has too little
 * contrast to hold any ink (max - min below 32 grey levels). */
int sp_image_otsu_threshold(PIX *gray, int *thresh, scipix_error *err);

/* 8-bit gray -> 1-bit ink mask (1 = ink) with the Otsu threshold.  Returns
 * SCIPIX_EIMAGE_BLANK when there is no ink. */
int sp_image_binarize(PIX *gray, PIX **out, scipix_error *err);

/* Bounding box of the ink of a binary image (x, y, w, h); SCIPIX_EIMAGE_BLANK
 * when there is none. */
int sp_image_ink_box(PIX *bin, int *x, int *y, int *w, int *h, scipix_error *err);

/* Copy of an 8-bit Pix as plain row-major bytes (stride == width), since
 * Leptonica stores pixels in 32-bit words in native byte order.  The caller
 * frees *out with free(). */
int sp_image_gray_bytes(PIX *gray, uint8_t **out, scipix_error *err);

#endif
