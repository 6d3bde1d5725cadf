/*
 * facing.c — which way a tall delimiter faces, read from its pixels.
 *
 * The network sees a glyph scaled so that its longer side fills the input
 * square.  A stretched delimiter (\left[ over a matrix, a \Bigg\rceil) is
 * twenty or more times as tall as it is wide, so it arrives as a bar one
 * or two pixels wide, and the network cannot tell [ from ]: on held-out
 * renders it reads such glyphs about half the time as their own mirror
 * image, with the two probabilities near 0.5 each.
 *
 * The crop itself still shows the way: every opening delimiter has its
 * middle at its left edge ([, the ceiling and floor stems, the bulge of
 * (, the cusp of {, the vertex of an angle bracket), every closing one at
 * its right.  So when the network's two best readings of a glyph are
 * mirror images of each other (the same size and shape, one opening and
 * one closing), the ink centroid of the glyph's middle rows decides
 * between them.  Nothing else is touched; glyphs too narrow to show a side
 * (under SP_FACING_MIN_WIDTH pixels) or too squat to have lost it
 * (aspect under SP_FACING_MIN_ASPECT: the network sees those whole and
 * reads them well) keep the network's order.
 */
#include "classify/model.h"

#include <string.h>

#define SP_FACING_MIN_WIDTH 3      /* pixels: narrower shows no side */
#define SP_FACING_MIN_ASPECT 8.0f  /* height / width below which the network sees the side itself */
#define SP_FACING_SIDE 0.38f       /* middle centroid within this share of the width from an edge */

/* The size prefixes a delimiter class may carry, longest first so that
 * \bigg matches before \big; \left and \right are each other's mirror. */
static const char *const sp_facing_sizes[] = {"\\left", "\\right", "\\bigg", "\\Bigg", "\\big", "\\Big", ""};

/* Opening shapes and, at the same index, their closing mirrors. */
static const char *const sp_facing_open[] = {"(", "[", "\\{", "\\langle", "\\lfloor", "\\lceil"};
static const char *const sp_facing_close[] = {")", "]", "\\}", "\\rangle", "\\rfloor", "\\rceil"};
#define SP_FACING_SHAPES (sizeof sp_facing_open / sizeof sp_facing_open[0])

/* Split a class's LaTeX into size prefix (index into sp_facing_sizes, with
 * \left and \right folded into one) and shape; returns +1 for an opening
 * delimiter, -1 for a closing one, 0 for anything else. */
static int sp_facing_parse(const char *latex, int *size, int *shape) {
    for (int s = 0; s < (int)(sizeof sp_facing_sizes / sizeof sp_facing_sizes[0]); s++) {
        size_t len = strlen(sp_facing_sizes[s]);
        if (strncmp(latex, sp_facing_sizes[s], len) != 0) continue;
        const char *rest = latex + len;
        for (int k = 0; k < (int)SP_FACING_SHAPES; k++) {
            int side = strcmp(rest, sp_facing_open[k]) == 0 ? 1 : strcmp(rest, sp_facing_close[k]) == 0 ? -1 : 0;
            if (!side) continue;
            *size = s == 1 ? 0 : s; /* \right folds onto \left */
            *shape = k;
            return side;
        }
    }
    return 0;
}

/* +1 when the glyph's middle rows lie at its left edge (an opening
 * delimiter), -1 at its right edge, 0 when the crop does not say. */
static int sp_facing_of_pixels(const sp_glyph *g) {
    if (g->width < SP_FACING_MIN_WIDTH || (float)g->height < SP_FACING_MIN_ASPECT * (float)g->width) return 0;
    int y0 = g->height * 2 / 5, y1 = g->height * 3 / 5;
    double mass = 0.0, moment = 0.0;
    for (int y = y0; y < y1; y++) {
        const uint8_t *row = g->pixels + (size_t)y * (size_t)g->stride;
        for (int x = 0; x < g->width; x++) {
            double ink = 255.0 - row[x];
            mass += ink;
            moment += ink * (x + 0.5);
        }
    }
    if (mass <= 0.0) return 0;
    double at = moment / mass / g->width; /* 0 = left edge, 1 = right edge */
    if (at < SP_FACING_SIDE) return 1;
    if (at > 1.0 - SP_FACING_SIDE) return -1;
    return 0;
}

void sp_classify_facing(const sp_model *m, const sp_glyph *g, sp_class_scores *s) {
    if (s->class_id[0] < 0 || s->class_id[1] < 0) return;
    int size0, shape0, size1, shape1;
    int side0 = sp_facing_parse(m->classes[s->class_id[0]].latex, &size0, &shape0);
    if (!side0) return;
    int side1 = sp_facing_parse(m->classes[s->class_id[1]].latex, &size1, &shape1);
    if (side1 != -side0 || size1 != size0 || shape1 != shape0) return;
    int side = sp_facing_of_pixels(g);
    if (!side) return;
    /* The pixels rule the mirror out: the winner takes its probability, and
     * it moves to the end of the list with none left, so that the context
     * stage, which weighs only near-misses, cannot bring it back by height. */
    int winner = side == side0 ? 0 : 1, loser = 1 - winner;
    int loser_id = s->class_id[loser];
    s->class_id[0] = s->class_id[winner];
    s->prob[0] += s->prob[1];
    for (int t = 1; t < SP_CLASSIFY_TOPK - 1; t++) {
        s->class_id[t] = s->class_id[t + 1];
        s->prob[t] = s->prob[t + 1];
    }
    s->class_id[SP_CLASSIFY_TOPK - 1] = loser_id;
    s->prob[SP_CLASSIFY_TOPK - 1] = 0.0f;
}
