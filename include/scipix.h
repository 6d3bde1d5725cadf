/*
 * scipix.h — the public API of scipix, an OCR engine for printed math.
 *
 * One header, opaque handles, integer status codes with messages (libuv
 * style).  There is no hidden global state: everything lives in a
 * scipix_engine, which is immutable after creation and may be shared by
 * any number of threads calling scipix_recognize() at once.
 *
 *   scipix_config cfg;
 *   scipix_config_init(&cfg);
 *   cfg.model_path = "models/symbols.spxm";
 *   scipix_engine *eng;
 *   scipix_error err;
 *   if (scipix_engine_new(&cfg, &eng, &err) != SCIPIX_OK) { puts(err.message); ... }
 *   scipix_result *res;
 *   if (scipix_recognize(eng, bytes, len, &res, &err) == SCIPIX_OK) {
 *       puts(scipix_result_latex(res));
 *       scipix_result_free(res);
 *   }
 *   scipix_engine_free(eng);
 */
#ifndef SCIPIX_H
#define SCIPIX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCIPIX_VERSION_MAJOR 0
#define SCIPIX_VERSION_MINOR 1
#define SCIPIX_VERSION_PATCH 0

/* Status codes.  0 is success; every failure is a distinct negative code
 * with a stable name (scipix_status_name) and a default message
 * (scipix_strerror).  Functions that can fail also fill a scipix_error with a
 * message naming the specific problem. */
typedef enum scipix_status {
    SCIPIX_OK = 0,
    SCIPIX_EINVAL = -1,            /* invalid argument from the caller */
    SCIPIX_ENOMEM = -2,            /* out of memory */
    SCIPIX_EIO = -3,               /* a file could not be read */
    SCIPIX_EINTERNAL = -4,         /* a bug: an invariant did not hold */
    SCIPIX_ETIMEOUT = -5,          /* the time limit was reached */

    SCIPIX_EIMAGE_EMPTY = -20,     /* zero bytes of input */
    SCIPIX_EIMAGE_FORMAT = -21,    /* not an image format we know (text, random bytes) */
    SCIPIX_EIMAGE_UNSUPPORTED = -22, /* a known non-image (PDF, ...) or unsupported variant */
    SCIPIX_EIMAGE_CORRUPT = -23,   /* truncated or corrupt image data */
    SCIPIX_ELIMIT_BYTES = -24,     /* input larger than max_bytes */
    SCIPIX_ELIMIT_DIMENSION = -25, /* width or height larger than max_dimension */
    SCIPIX_ELIMIT_PIXELS = -26,    /* width*height larger than max_pixels */
    SCIPIX_EIMAGE_BLANK = -27,     /* the image holds no ink */

    SCIPIX_EMODEL_OPEN = -40,      /* model file missing or unreadable */
    SCIPIX_EMODEL_FORMAT = -41,    /* not a scipix model, truncated or malformed */
    SCIPIX_EMODEL_VERSION = -42,   /* a model format version this build cannot read */
    SCIPIX_EMODEL_CHECKSUM = -43,  /* the model's checksum does not match its content */

    SCIPIX_EPARSE = -60            /* LaTeX input could not be parsed */
} scipix_status;

/* A filled-in error: the code and a message naming the specific problem. */
typedef struct scipix_error {
    int code;
    char message[256];
} scipix_error;

const char *scipix_status_name(int code); /* "SCIPIX_ELIMIT_PIXELS" */
const char *scipix_strerror(int code);    /* "image has too many pixels" */

/* Version of the library, "MAJOR.MINOR.PATCH". */
const char *scipix_version(void);

/* Engine configuration.  Always start from scipix_config_init(), which sets
 * the safe defaults below, then override fields. */
typedef struct scipix_config {
    const char *model_path;  /* symbol model file; NULL: SCIPIX_MODEL env, then the built-in path */
    size_t max_bytes;        /* encoded input size limit (default 20 MB) */
    uint32_t max_dimension;  /* width or height limit in pixels (default 8192) */
    uint64_t max_pixels;     /* width*height limit (default 40 000 000) */
    uint32_t timeout_ms;     /* per-image recognition time limit, 0 = none (default 10000) */
    int threads;             /* worker threads of scipix_recognize_batch (default 1) */
    int use_int8;            /* 1: int8 weights (default), 0: fp32 */
} scipix_config;

void scipix_config_init(scipix_config *cfg);

typedef struct scipix_engine scipix_engine;
typedef struct scipix_result scipix_result;

int scipix_engine_new(const scipix_config *cfg, scipix_engine **out, scipix_error *err);
void scipix_engine_free(scipix_engine *eng);

/* Recognize one encoded image (PNG, JPEG, TIFF, BMP, PNM, GIF, WebP). */
int scipix_recognize(scipix_engine *eng, const void *bytes, size_t len,
                     scipix_result **out, scipix_error *err);

/* One encoded image of a batch. */
typedef struct scipix_input {
    const void *bytes;
    size_t len;
} scipix_input;

/* Recognize n images on the engine's worker threads (config.threads).
 * results[i] receives input i's result (NULL when it failed) and, when
 * errors is not NULL, errors[i] its status and message.  One failing input
 * does not stop the others.  Returns SCIPIX_OK when every input succeeded,
 * otherwise the code of the first failing input in input order (or
 * SCIPIX_EINVAL / SCIPIX_ENOMEM for the call itself). */
int scipix_recognize_batch(scipix_engine *eng, const scipix_input *inputs, size_t n,
                           scipix_result **results, scipix_error *errors);

/* One recognized symbol.  Boxes are in pixels of the input image. */
typedef struct scipix_symbol {
    const char *latex;     /* e.g. "\\alpha" */
    const char *unicode;   /* UTF-8, e.g. "α" */
    float confidence;      /* 0..1 */
    int x, y, w, h;
} scipix_symbol;

const char *scipix_result_latex(const scipix_result *res);
float scipix_result_confidence(const scipix_result *res);
size_t scipix_result_symbol_count(const scipix_result *res);
const scipix_symbol *scipix_result_symbol(const scipix_result *res, size_t i);
void scipix_result_free(scipix_result *res);

/* What scipix_image_probe learns about an input without any model: it
 * applies the config's limits and decodes exactly as scipix_recognize does
 * (so every input error is reported the same way), then stops. */
typedef struct scipix_image_info {
    uint32_t width, height;
    const char *format;    /* "png", "jpeg", "tiff", "bmp", "pnm", "gif", "webp" */
    int bits_per_sample;   /* as stored: 1, 2, 4, 8 or 16 */
    int samples_per_pixel; /* 1 gray/palette, 2 gray+alpha, 3 RGB, 4 RGBA */
    int has_alpha;         /* transparent pixels were composited on white */
    int inverted;          /* light-on-dark input was inverted */
} scipix_image_info;

/* cfg may be NULL (defaults). */
int scipix_image_probe(const scipix_config *cfg, const void *bytes, size_t len,
                       scipix_image_info *out, scipix_error *err);

#ifdef __cplusplus
}
#endif
#endif /* SCIPIX_H */
