/*
 * dataset.h — reading a generated dataset directory (tools/gen/README.md):
 * labels.tsv rows grouped by image, each image decoded to 8-bit gray with
 * its labels checked against its size.  Shared by the tools that walk
 * datasets glyph by glyph (scipix-pack, scipix-classeval), so that they
 * crop the same pixels with the same reference height the engine uses.
 */
#ifndef SP_TOOLS_DATASET_H
#define SP_TOOLS_DATASET_H

#include "classify/classify.h"
#include "scipix.h"

#include <stdint.h>

#define SP_DATASET_MAX_FONTS 16

/* One labels.tsv row; font is an index into the caller's sp_dataset_fonts. */
typedef struct sp_dataset_label {
    char image[256];
    int class_id, x, y, w, h, dpi, font;
} sp_dataset_label;

/* Font names in the order first seen (a 17th and later share the last slot). */
typedef struct sp_dataset_fonts {
    char names[SP_DATASET_MAX_FONTS][64];
    int n;
} sp_dataset_fonts;

/* Which class ids are letters or digits (sp_symbol_class_is_letter): the
 * labels whose median height is the classifier's reference height. */
typedef struct sp_dataset_letters {
    unsigned char *is_letter; /* [n] */
    int n;
} sp_dataset_letters;

/* From an inventory TSV (tools/gen/inventory.tsv: id, mathml, atom columns). */
int sp_dataset_letters_from_inventory(const char *path, sp_dataset_letters *out, scipix_error *err);
/* From a model's class table. */
int sp_dataset_letters_from_model(const sp_model *model, sp_dataset_letters *out, scipix_error *err);
void sp_dataset_letters_free(sp_dataset_letters *l);

/* One image of the dataset with its labels (boxes inside the image). */
typedef struct sp_dataset_image {
    const char *path;      /* the file read */
    const uint8_t *pixels; /* 8-bit gray, row-major, stride == width */
    int width, height;
    double ref_height;     /* sp_segment_reference_height of the labels: the classifier's reference */
} sp_dataset_image;

typedef int (*sp_dataset_image_fn)(void *ctx, const sp_dataset_image *img, const sp_dataset_label *labels,
                                   int n, scipix_error *err);

/* Calls fn for each image of DIR (labels.tsv rows of one image are
 * consecutive), at most `limit` images when limit > 0.  *images (if not
 * NULL) receives the number of images handed to fn.  Stops at the first
 * error, from reading or from fn. */
int sp_dataset_each_image(const char *dir, sp_dataset_fonts *fonts, const sp_dataset_letters *letters, long limit,
                          sp_dataset_image_fn fn, void *ctx, long *images, scipix_error *err);

#endif
