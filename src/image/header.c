/*
 * header.c — identify an encoded image and read its dimensions from the
 * header alone, so that every limit is checked before a decoder allocates
 * anything sized by untrusted data.
 *
 * Why not just Leptonica's pixReadHeaderMem?  For BMP and GIF it "cheats"
 * and decodes the whole image (an allocation sized by the header, the very
 * thing we must check first); for GIF the frames giflib slurps may be larger
 * than the logical screen; and for truncated PNG and JPEG libpng/libjpeg
 * print to stderr and JPEG even returns a grey-filled "success".  So for
 * PNG, JPEG, GIF and BMP we walk the container structure here — chunk
 * lengths and CRCs, marker segments, GIF blocks — which is cheap, bounded by
 * len, and catches truncation quietly with a message saying where.  This is
 * not a decoder: no pixel data is interpreted.  TIFF, PNM and WebP headers
 * are read with Leptonica's header-only readers (libtiff / libwebp), which do
 * not allocate rasters.
 */
#include "image/image.h"
#include "engine/status.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

const char *sp_image_format_name(sp_image_format fmt) {
    switch (fmt) {
    case SP_IMAGE_PNG: return "png";
    case SP_IMAGE_JPEG: return "jpeg";
    case SP_IMAGE_TIFF: return "tiff";
    case SP_IMAGE_BMP: return "bmp";
    case SP_IMAGE_PNM: return "pnm";
    case SP_IMAGE_GIF: return "gif";
    case SP_IMAGE_WEBP: return "webp";
    default: return "unknown";
    }
}

void sp_image_limits_from_config(const scipix_config *cfg, sp_image_limits *lim) {
    lim->max_bytes = 20u * 1000u * 1000u;
    lim->max_dimension = 8192;
    lim->max_pixels = 40000000u;
    if (!cfg) return;
    if (cfg->max_bytes) lim->max_bytes = cfg->max_bytes;
    if (cfg->max_dimension) lim->max_dimension = cfg->max_dimension;
    if (cfg->max_pixels) lim->max_pixels = cfg->max_pixels;
}

static uint32_t sp_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static uint32_t sp_be16(const uint8_t *p) { return ((uint32_t)p[0] << 8) | p[1]; }
static uint32_t sp_le16(const uint8_t *p) { return ((uint32_t)p[1] << 8) | p[0]; }
static uint32_t sp_le32(const uint8_t *p) {
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

/* Check width x height (as read from a header) against the limits. */
static int sp_image_check_dims(const char *what, uint64_t w, uint64_t h, const sp_image_limits *lim,
                               scipix_error *err) {
    if (w == 0 || h == 0)
        return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "%s header gives an empty image (%llux%llu)",
                            what, (unsigned long long)w, (unsigned long long)h);
    if (w > lim->max_dimension || h > lim->max_dimension)
        return sp_error_set(err, SCIPIX_ELIMIT_DIMENSION,
                            "%s is %llux%llu pixels; the limit is %u pixels in width or height", what,
                            (unsigned long long)w, (unsigned long long)h, lim->max_dimension);
    if (w * h > lim->max_pixels)
        return sp_error_set(err, SCIPIX_ELIMIT_PIXELS,
                            "%s is %llux%llu = %llu pixels; the limit is %llu pixels", what,
                            (unsigned long long)w, (unsigned long long)h,
                            (unsigned long long)(w * h), (unsigned long long)lim->max_pixels);
    return SCIPIX_OK;
}

/* ---- PNG: chunk walk with CRC check -------------------------------------- */

static uint32_t sp_crc32(const uint32_t table[256], uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static int sp_image_png_header(const uint8_t *b, size_t len, sp_image_info *info, scipix_error *err) {
    uint32_t table[256]; /* per call: no hidden global, 256 iterations is nothing */
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    size_t pos = 8;
    int seen_ihdr = 0, seen_idat = 0;
    while (1) {
        if (len - pos < 12)
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                                "PNG is truncated: data ends at byte %zu before the IEND chunk", len);
        uint32_t clen = sp_be32(b + pos);
        const uint8_t *type = b + pos + 4;
        char tname[5];
        for (int i = 0; i < 4; i++) tname[i] = isalpha(type[i]) ? (char)type[i] : '?';
        tname[4] = '\0';
        if (clen > 0x7fffffffu)
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "PNG chunk at byte %zu has an invalid length",
                                pos);
        if ((uint64_t)clen + 12 > len - pos)
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                                "PNG is truncated: chunk %s at byte %zu needs %u bytes, %zu remain", tname,
                                pos, clen + 12, len - pos);
        uint32_t want = sp_be32(b + pos + 8 + clen);
        if (sp_crc32(table, 0, type, (size_t)clen + 4) != want)
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                                "PNG is corrupt: chunk %s at byte %zu fails its CRC check", tname, pos);
        if (!seen_ihdr) {
            if (memcmp(type, "IHDR", 4) != 0 || clen != 13)
                return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "PNG is corrupt: first chunk is not IHDR");
            const uint8_t *h = b + pos + 8;
            info->width = (int)(sp_be32(h) > INT_MAX ? INT_MAX : sp_be32(h));
            info->height = (int)(sp_be32(h + 4) > INT_MAX ? INT_MAX : sp_be32(h + 4));
            info->bits_per_sample = h[8];
            int ct = h[9];
            info->samples_per_pixel = ct == 2 ? 3 : ct == 4 ? 2 : ct == 6 ? 4 : 1;
            info->has_colormap = ct == 3;
            info->has_alpha = ct == 4 || ct == 6;
            seen_ihdr = 1;
        } else if (!memcmp(type, "IDAT", 4)) {
            seen_idat = 1;
        } else if (!memcmp(type, "tRNS", 4)) {
            info->has_alpha = 1;
        } else if (!memcmp(type, "IEND", 4)) {
            if (!seen_idat)
                return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "PNG is corrupt: no IDAT (pixel data) chunk");
            return SCIPIX_OK;
        }
        pos += (size_t)clen + 12;
    }
}

/* ---- JPEG: marker segment walk ------------------------------------------- */

static int sp_image_jpeg_header(const uint8_t *b, size_t len, sp_image_info *info, scipix_error *err) {
    size_t pos = 2;
    int seen_sof = 0;
    while (pos < len) {
        if (b[pos] != 0xff)
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "JPEG is corrupt: no marker at byte %zu", pos);
        while (pos < len && b[pos] == 0xff) pos++; /* fill bytes */
        if (pos >= len) break;
        uint8_t m = b[pos++];
        if (m == 0xd9) { /* EOI */
            if (!seen_sof)
                return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "JPEG is corrupt: no frame header (SOF)");
            return SCIPIX_OK;
        }
        if ((m >= 0xd0 && m <= 0xd7) || m == 0x01) continue; /* standalone markers */
        if (len - pos < 2) break;
        size_t seglen = sp_be16(b + pos);
        if (seglen < 2)
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "JPEG is corrupt: bad segment length at byte %zu",
                                pos);
        if (seglen > len - pos) break;
        if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
            if (seglen < 8)
                return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "JPEG is corrupt: short frame header");
            if (!seen_sof) {
                info->bits_per_sample = b[pos + 2];
                info->height = (int)sp_be16(b + pos + 3);
                info->width = (int)sp_be16(b + pos + 5);
                info->samples_per_pixel = b[pos + 7];
                if (info->height == 0)
                    return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED,
                                        "JPEG gives its height later (DNL marker); not supported");
            }
            seen_sof = 1;
        }
        pos += seglen;
        if (m == 0xda) { /* SOS: entropy-coded data runs to the next real marker */
            if (!seen_sof)
                return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "JPEG is corrupt: scan before frame header");
            while (pos + 1 < len) {
                if (b[pos] == 0xff && b[pos + 1] != 0 && !(b[pos + 1] >= 0xd0 && b[pos + 1] <= 0xd7) &&
                    b[pos + 1] != 0xff)
                    break;
                pos++;
            }
            if (pos + 1 >= len) break;
        }
    }
    return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                        "JPEG is truncated: data ends at byte %zu before the end-of-image marker", len);
}

/* ---- GIF: block walk (every frame is checked: giflib slurps them all) ---- */

static int sp_gif_skip_subblocks(const uint8_t *b, size_t len, size_t *pos) {
    while (*pos < len) {
        uint8_t n = b[(*pos)++];
        if (n == 0) return 0;
        if (n > len - *pos) return -1;
        *pos += n;
    }
    return -1;
}

static int sp_image_gif_header(const uint8_t *b, size_t len, const sp_image_limits *lim,
                               sp_image_info *info, scipix_error *err) {
    if (len < 13) return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "GIF is truncated inside its header");
    info->width = (int)sp_le16(b + 6);
    info->height = (int)sp_le16(b + 8);
    info->bits_per_sample = 8;
    info->samples_per_pixel = 1;
    info->has_colormap = 1;
    size_t pos = 13;
    if (b[10] & 0x80) pos += (size_t)3 << ((b[10] & 7) + 1);
    uint64_t total = 0;
    int frames = 0;
    while (pos < len) {
        uint8_t tag = b[pos++];
        if (tag == 0x3b) { /* trailer */
            if (!frames) return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "GIF holds no image");
            return SCIPIX_OK;
        } else if (tag == 0x21) { /* extension: label + sub-blocks */
            if (pos >= len) break;
            pos++;
            if (sp_gif_skip_subblocks(b, len, &pos)) break;
        } else if (tag == 0x2c) { /* image descriptor */
            if (len - pos < 10) break;
            uint32_t fw = sp_le16(b + pos + 4), fh = sp_le16(b + pos + 6);
            uint8_t packed = b[pos + 8];
            int rc = sp_image_check_dims("GIF frame", fw, fh, lim, err);
            if (rc) return rc;
            total += (uint64_t)fw * fh;
            if (total > lim->max_pixels)
                return sp_error_set(err, SCIPIX_ELIMIT_PIXELS,
                                    "GIF frames hold %llu pixels in all; the limit is %llu pixels",
                                    (unsigned long long)total, (unsigned long long)lim->max_pixels);
            if (!frames && (fw > (uint32_t)info->width || fh > (uint32_t)info->height)) {
                /* giflib sizes the first frame's raster by its own descriptor */
                if (fw > (uint32_t)info->width) info->width = (int)fw;
                if (fh > (uint32_t)info->height) info->height = (int)fh;
            }
            frames++;
            pos += 9;
            if (packed & 0x80) pos += (size_t)3 << ((packed & 7) + 1);
            if (pos >= len) break;
            pos++; /* LZW minimum code size */
            if (sp_gif_skip_subblocks(b, len, &pos)) break;
        } else {
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "GIF is corrupt: unknown block 0x%02x at byte %zu",
                                tag, pos - 1);
        }
    }
    return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                        "GIF is truncated: data ends at byte %zu before the trailer", len);
}

/* ---- BMP: fixed header ---------------------------------------------------- */

static int sp_image_bmp_header(const uint8_t *b, size_t len, sp_image_info *info, scipix_error *err) {
    if (len < 26) return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "BMP is truncated inside its header");
    uint32_t hsize = sp_le32(b + 14), offset = sp_le32(b + 10);
    int64_t w, h;
    if (hsize == 12) { /* OS/2 BITMAPCOREHEADER */
        w = sp_le16(b + 18);
        h = sp_le16(b + 20);
        info->bits_per_sample = (int)sp_le16(b + 24);
    } else {
        if (hsize < 40 || len < 14 + 40)
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "BMP is truncated or has an unknown info header");
        w = (int32_t)sp_le32(b + 18);
        h = (int32_t)sp_le32(b + 22);
        info->bits_per_sample = (int)sp_le16(b + 28);
    }
    if (h < 0) h = -h; /* top-down rows */
    if (w < 0) return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "BMP header gives a negative width");
    info->width = (int)(w > INT_MAX ? INT_MAX : w);
    info->height = (int)(h > INT_MAX ? INT_MAX : h);
    info->samples_per_pixel = info->bits_per_sample >= 24 ? 3 : 1;
    info->has_colormap = info->bits_per_sample <= 8;
    if (offset >= len)
        return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                            "BMP is truncated: pixel data should start at byte %u, data ends at %zu", offset,
                            len);
    return SCIPIX_OK;
}

/* ---- identification ----------------------------------------------------------- */

static int sp_looks_like_text(const uint8_t *b, size_t len) {
    size_t n = len < 512 ? len : 512;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = b[i];
        if (c >= 0x80) continue; /* UTF-8 */
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') return 0;
        if (c == 0x7f) return 0;
    }
    return 1;
}

int sp_image_probe_header(const uint8_t *b, size_t len, const sp_image_limits *lim, sp_image_info *info,
                          scipix_error *err) {
    memset(info, 0, sizeof *info);
    if (!b && len) return sp_error_set(err, SCIPIX_EINVAL, "image bytes are NULL");
    if (len == 0) return sp_error_set(err, SCIPIX_EIMAGE_EMPTY, "input is empty (0 bytes)");
    if (len > lim->max_bytes)
        return sp_error_set(err, SCIPIX_ELIMIT_BYTES, "input is %zu bytes; the limit is %zu bytes", len,
                            lim->max_bytes);

    /* Leptonica's sniffer reads a fixed number of leading bytes regardless of
     * length: give it a zero-padded copy. */
    uint8_t head[16] = {0};
    memcpy(head, b, len < sizeof head ? len : sizeof head);
    if (len >= 4 && !memcmp(b, "%PDF", 4))
        return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED, "input is a PDF document, not an image");
    if (len >= 2 && !memcmp(b, "%!", 2))
        return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED, "input is a PostScript document, not an image");
    if (len >= 12 && !memcmp(b + 4, "ftyp", 4))
        return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED,
                            "input is an ISO media file (HEIF/AVIF/MP4), which is not supported");
    l_int32 iff = IFF_UNKNOWN;
    findFileFormatBuffer(head, &iff);
    int rc;
    switch (iff) {
    case IFF_PNG:
        info->format = SP_IMAGE_PNG;
        if ((rc = sp_image_png_header(b, len, info, err))) return rc;
        break;
    case IFF_JFIF_JPEG:
        info->format = SP_IMAGE_JPEG;
        if ((rc = sp_image_jpeg_header(b, len, info, err))) return rc;
        break;
    case IFF_GIF:
        info->format = SP_IMAGE_GIF;
        if ((rc = sp_image_gif_header(b, len, lim, info, err))) return rc;
        break;
    case IFF_BMP:
        info->format = SP_IMAGE_BMP;
        if ((rc = sp_image_bmp_header(b, len, info, err))) return rc;
        break;
    case IFF_TIFF: case IFF_TIFF_PACKBITS: case IFF_TIFF_RLE: case IFF_TIFF_G3: case IFF_TIFF_G4:
    case IFF_TIFF_LZW: case IFF_TIFF_ZIP: case IFF_TIFF_JPEG: {
        info->format = SP_IMAGE_TIFF;
        l_int32 w, h, bps, spp, res, cmap, fmt;
        if (len < 8 || readHeaderMemTiff(b, len, 0, &w, &h, &bps, &spp, &res, &cmap, &fmt))
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT,
                                "TIFF is truncated or corrupt: its first directory cannot be read");
        info->width = w, info->height = h, info->bits_per_sample = bps;
        info->samples_per_pixel = spp, info->has_colormap = cmap, info->has_alpha = spp == 4 || spp == 2;
        break;
    }
    case IFF_PNM: {
        info->format = SP_IMAGE_PNM;
        l_int32 w, h, d, type, bps, spp;
        if (readHeaderMemPnm(b, len, &w, &h, &d, &type, &bps, &spp))
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "PNM header is truncated or corrupt");
        info->width = w, info->height = h, info->bits_per_sample = bps;
        info->samples_per_pixel = spp, info->has_alpha = spp == 4 || spp == 2;
        break;
    }
    case IFF_WEBP: {
        info->format = SP_IMAGE_WEBP;
        l_int32 w, h, spp;
        if (len < 30 || readHeaderMemWebP(b, len, &w, &h, &spp))
            return sp_error_set(err, SCIPIX_EIMAGE_CORRUPT, "WebP header is truncated or corrupt");
        info->width = w, info->height = h, info->bits_per_sample = 8;
        info->samples_per_pixel = spp, info->has_alpha = spp == 4;
        break;
    }
    case IFF_JP2:
        return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED, "JPEG 2000 images are not supported");
    case IFF_SPIX:
        return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED,
                            "Leptonica's serialized pix format is not accepted as input");
    case IFF_PS:
        return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED, "input is a PostScript document, not an image");
    case IFF_LPDF:
        return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED, "input is a PDF document, not an image");
    default: {
        const char *t = (const char *)head;
        if (len >= 5 && (!strncmp(t, "<svg", 4) || !strncmp(t, "<?xml", 5)))
            return sp_error_set(err, SCIPIX_EIMAGE_UNSUPPORTED,
                                "input is SVG/XML (vector graphics), not a raster image");
        if (sp_looks_like_text(b, len))
            return sp_error_set(err, SCIPIX_EIMAGE_FORMAT, "input is text, not an image");
        return sp_error_set(err, SCIPIX_EIMAGE_FORMAT,
                            "input is not a recognized image format (first bytes %02x %02x %02x %02x)",
                            head[0], head[1], head[2], head[3]);
    }
    }
    char what[32];
    snprintf(what, sizeof what, "%s image", sp_image_format_name(info->format));
    for (char *p = what; *p && *p != ' '; p++) *p = (char)toupper((unsigned char)*p);
    return sp_image_check_dims(what, (uint64_t)(info->width < 0 ? 0 : info->width),
                               (uint64_t)(info->height < 0 ? 0 : info->height), lim, err);
}
