/*
 * touching.c — splitting glyphs that touch, by asking the classifier.
 *
 * Connected components merge neighbours that share a pixel, which below
 * 150 dpi and with heavy strokes is common ("dt", "2π", the subscript under
 * m, a numerator stuck to its fraction rule).  A merged blob is classified
 * as whatever single glyph it resembles most, usually with low confidence.
 * So, for each candidate of one component (or a stem and its dot) that the
 * classifier is not sure of:
 *   - the cutter (src/segment/cut.c) proposes vertical cuts through the
 *     thinnest columns, and at both ends of the thinnest bridge when it is
 *     a horizontal stroke (the bars of an "=" stuck to a 0), and for wide
 *     blobs pairs of them (three glyphs: "m=0"), on the blob's own ink
 *     (not other glyphs inside its box); a part takes in a lone dot above
 *     it, or a bar stacked on it (i, =);
 *   - a seam (one pixel per row, bending with the gap) is proposed where
 *     two glyphs touch along a bent line that every straight column
 *     crosses (the bowl of a d against a θ): each side is read without
 *     the other's ink (a stem with a lone dot above it), and neither is
 *     cut again;
 *   - a neck across the upper half is proposed as an accent on its letter;
 *     so are the two pieces of a letter grouped with a dot over it as if
 *     it were an i (the \dot over a φ; however sure the classifier is,
 *     when it reads them as a letter but no i or j), and, on any
 *     candidate however sure, a bar a pixel or two thin over a row of
 *     only faint ink (the \bar of a z at 100 dpi, which the classifier
 *     reads as a z), which needs no margin over the whole;
 *   - a corner of the blob, right of a column and above or below a row,
 *     cut off through the thinnest bridge, is proposed as a glyph of its
 *     own: a script stuck to its base's corner (E^2 at 100 dpi), a letter
 *     under the overhang of the one before (the r under the bar of "Tr"),
 *     which no vertical cut separates; the rest is read with the corner
 *     masked white, and neither part is cut again; and both corners at
 *     once, the other looked for in the rest of one (a base with both
 *     scripts stuck, e_{i}^{a});
 *   - a blob with a full-width thin band of ink and ink on both sides is
 *     proposed as a fraction rule plus the pieces around it; so is a blob
 *     with such a band along its top or bottom edge when another glyph
 *     lies beyond that edge (a numerator stuck to its rule, the
 *     denominator apart), if the band reaches past the pieces;
 * all parts go to the classifier (see Cost below), and the best proposal is
 * kept when its parts read better than the whole (a cut whose parts spell
 * part of a function name, c|o|s, needs only to beat it):
 *     (prod p(part))^(1/parts) > p(whole) + SP_TOUCH_MARGIN,  every p(part) >= SP_TOUCH_MIN_PART
 * (less for a cut in two of a whole read below SP_TOUCH_LOST: sp_touch_min_part)
 * (a rule split is judged by its rule: its pieces may still touch, and the
 * next pass cuts them; an edge rule with its pieces).  A part whose box
 * holds a whole bar or dot candidate swallows it (it was read with that
 * ink: the lower bar of an "=").
 * Cut parts leave out slivers of the neighbour (see cut.c).  The margin makes splitting the exception: a glyph
 * with a thin waist (m, w, ∞) has halves that look like nothing in
 * particular.  Parts are examined again, for up to SP_TOUCH_PASSES passes.
 * Three clean-ups follow: a "\\sqrt" with nothing under it is no radical
 * (it is always tried, and takes its next class if no split explains it);
 * a "\\surd" whose vinculum stuck to the radicand gets it back; and a dot
 * left alone above a freed stem is read with it again (the i of "dim").
 *
 * The opposite mistake, a glyph binarization broke in two (the faint top
 * and bottom of a script 0 or \\|), is undone before and after the passes
 * (sp_touch_rejoin): two narrow doubtful neighbours are read as one box.
 * Two parts that are each other's mirror image, read as different classes,
 * are the halves of one symmetric glyph (a broken 0 read "4" and a dotless
 * j): no cut makes them, and a rejoin needs no margin
 * (sp_touch_mirror_halves).  Nor may a cut leave a "prime" on the bottom
 * row of the lower half of what it was cut from (the serif of an i, the
 * foot of an m: sp_touch_misplaced_prime), or two "primes" side by side
 * whose tops are not level (a slash cut down its middle:
 * sp_touch_stepped_primes).  How a network reads half-glyphs is an
 * accident of its training; these rules keep such splits from depending
 * on it.
 *
 * Primes that touch each other (x'' at 100 dpi read as a doubtful small n
 * hanging from its base's top) are cut down to 2 px parts, and the cut
 * kept only if every part reads as a prime or comma.
 *
 * Three exceptions to "unsure": a letter read surely but wider than its
 * sure copies elsewhere in the formula is tried too, for a comma stuck at
 * its foot ("2m,n" at 100 dpi); a glyph of x-height (an \\omega) far taller
 * than the formula's letters, for glyphs stuck together ("dz^{0}"); and,
 * after the passes, a letter read surely that hangs below a neighbour on
 * the line, for a subscript stuck at its foot (\\partial_{i}), by a corner
 * cut or a seam.  Such a split need beat only part of the whole (and the
 * first and last keep the letter).
 *
 * After the context stage, which can move a bracket above a bar by its
 * height, a "[" or "]" 2 px wide with no arms at its ends is read as the
 * bar it is (sp_touching_settle_bars).
 *
 * Cost: only unsure candidates are tried, so a clean formula pays nothing
 * and a heavy one a few dozen extra glyph classifications.  Parts are read
 * in rounds, and a proposal whose parts so far show it cannot win (its
 * unread parts counted as read surely) is given up unread: most cuts of a
 * doubtful blob leave a first part that reads as nothing
 * (sp_touch_read_parts; the result is what reading every part gives).
 */
#include "engine/touching.h"

#include "engine/status.h"
#include "layout/layout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SP_TOUCH_CUTS 7          /* cuts tried per candidate */
#define SP_TOUCH_PASSES 4        /* parts are examined again: rule, then a cut, then two more */
#define SP_TOUCH_TRY_BELOW 0.90f /* candidates the classifier is surer of stay whole */
#define SP_TOUCH_MIN_PART 0.30f  /* each part must be recognized at least this well */
#define SP_TOUCH_LOST 0.15f      /* ... but a whole read below this (sp_touch_min_part) */
#define SP_TOUCH_LOST_PART 0.10f /* ... only this well: the next pass cuts a part again */
#define SP_TOUCH_MARGIN 0.10f    /* and the pair beat the whole by this much */
#define SP_TOUCH_RULE_PARTS 8    /* a fraction stuck to its rule: rule + pieces */
#define SP_TOUCH_PAIR_CUTS 7     /* cuts paired for three-glyph blobs (all: the right two are often not the best) */
#define SP_TOUCH_END_CUTS 2      /* and the ends of a stroke bridging two glyphs (see cut.c) */
#define SP_TOUCH_PAIRED (SP_TOUCH_PAIR_CUTS + SP_TOUCH_END_CUTS)
#define SP_TOUCH_ACCENT_CUTS 2   /* horizontal cuts tried per candidate (an accent on its letter) */
#define SP_TOUCH_THIN_ROWS 2     /* a thin accent: at most this many rows (fewer than min_part, or a gray bar) */
#define SP_TOUCH_ACCENTS (SP_TOUCH_ACCENT_CUTS + SP_TOUCH_THIN_ROWS + 1) /* ... and a grouped dot */
#define SP_TOUCH_COPY_SURE 0.80f /* a copy of a letter elsewhere, read this surely, */
#define SP_TOUCH_SAME_SIZE 0.85f /* at the same size, */
#define SP_TOUCH_NARROWER 0.8f   /* and this much narrower (and 3 px): a comma split off */
#define SP_TOUCH_OVERSIZED 0.5f  /* need beat only this much of the whole (sp_touch_copy_width, _tall_x) */
#define SP_TOUCH_SUNK 0.12f     /* a sure letter hanging this much of its height (and */
#define SP_TOUCH_SUNK_PX 2.0f   /* this many px) below a neighbour on the baseline */
#define SP_TOUCH_SUNK_NEAR 3.0f /* ... within this many reference heights */
#define SP_TOUCH_SUNK_PART 0.5f /* has a glyph read this well cut off its foot (sp_touch_sunk) */
#define SP_TOUCH_FENCE_TALLER 1.15f /* a plain ( [ is this much taller than a digit beside it */
#define SP_TOUCH_PIECE_TALL 0.45f /* a rule split's numerator and denominator: this many glyphs tall */
#define SP_TOUCH_RULE_TOUCH 0.8f /* ... touching the rule along less than this much of it */
#define SP_TOUCH_FAINT 80        /* gray (0 = ink) of the faintest solid ink */
#define SP_TOUCH_GRAY_BAR 140    /* a gray thin bar's darkest pixel is darker than this ... */
#define SP_TOUCH_BAR_CONTRAST 70 /* ... and this much darker than the gap under it */
#define SP_TOUCH_SEAM_CUTS 3     /* seams tried on a candidate read below SP_TOUCH_SEAM_UNSURE */
#define SP_TOUCH_SEAM_UNSURE 0.30f /* (d\theta); one on the others (a blurred θ has a seam too) */
#define SP_TOUCH_CORNER_CUTS 4   /* corner cuts tried per candidate and corner (upper, lower) */
#define SP_TOUCH_CORNERS_EACH 2  /* corner cuts paired (the other in the rest) for both at once */
#define SP_TOUCH_CORNERS_TALL 2.6f /* a base with both scripts: this many reference heights tall at most */
#define SP_TOUCH_CORNERS_SHORTEST 1.3f /* ... and at least (the scripts stand out above and below) */
#define SP_TOUCH_CORNER_SHORT 2  /* the first may fall this many px short of the rest's right edge */
#define SP_TOUCH_THREE_WIDE 1.4f /* blobs this many glyph heights wide may hold three */
#define SP_TOUCH_THREE_BELOW 0.85f /* ... when the classifier is this unsure of them */
#define SP_TOUCH_PRIMES_BELOW 0.7f /* a script-sized n or m read less surely may be primes that touch */
#define SP_TOUCH_PRIMES_SMALL 1.0f /* ... no taller than a glyph of the line */
#define SP_TOUCH_PRIMES_BASE 1.2f  /* ... after a glyph this much taller, from whose top it hangs */
#define SP_TOUCH_HALF_WIDE 0.6f   /* the halves of a broken glyph are this narrow (of their height) */
#define SP_TOUCH_REJOIN_BELOW 0.95f /* and read less surely than this (sp_touch_rejoin) */
#define SP_TOUCH_TALL_X 1.3f     /* an x-height reading this many reference heights tall (and */
#define SP_TOUCH_TALL_X_PX 3      /* this many px taller) is more than one glyph (sp_touch_tall_x) */
#define SP_TOUCH_MIRROR 0.9f      /* halves whose ink is this much mirror-symmetric, */
#define SP_TOUCH_MIRROR_NEAR 0.15f /* split this close to their middle, are one glyph (sp_touch_mirror_halves) */
#define SP_TOUCH_INK 128          /* gray below this is ink */
#define SP_TOUCH_BEYOND 0.5f       /* a denominator this close under its rule (the next line is farther) */
#define SP_TOUCH_BAR_ROWS 64       /* the tallest bracket sp_touch_bare_bracket looks at, px */
#define SP_TOUCH_ARM 1.2f          /* a bracket's end rows hold this much more ink than its stem rows */

/* A radical sign always holds its radicand under the vinculum.  A "\\sqrt"
 * with no other candidate's centre inside its box is a blob of touching
 * glyphs that the classifier took for the one class drawn as a long
 * stroke with a hook; it is tried whatever its probability. */
static int sp_touch_empty_radical(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_symbol_class *c = sp_model_class(ctx->model, cs->scores[i].class_id[0]);
    if (!c || !c->latex || strcmp(c->latex, "\\sqrt")) return 0;
    const sp_box *b = &cs->groups[i].box;
    float x0 = b->x + 0.3f * b->w, x1 = (float)(b->x + b->w), y0 = b->y + 0.15f * b->h, y1 = (float)(b->y + b->h);
    for (size_t k = 0; k < cs->n; k++) {
        const sp_box *o = &cs->groups[k].box;
        if (k == i || o->w == 0) continue;
        float cx = o->x + 0.5f * o->w, cy = o->y + 0.5f * o->h;
        if (cx > x0 && cx < x1 && cy > y0 && cy < y1) return 0;
    }
    return 1;
}

/* Is the class's LaTeX one of names[0 .. n)? */
static int sp_touch_class_in(const sp_touching_ctx *ctx, int class_id, const char *const *names, size_t n) {
    const sp_symbol_class *c = sp_model_class(ctx->model, class_id);
    for (size_t k = 0; c && c->latex && k < n; k++)
        if (!strcmp(c->latex, names[k])) return 1;
    return 0;
}

/* A capital Sigma or Pi and the big operator drawn like it (the layout
 * tells them apart by size): whether the class is one of either family,
 * 1 for the sums, 2 for the products, 0 for neither. */
static int sp_touch_big_family(const sp_touching_ctx *ctx, int class_id) {
    static const char *const sums[] = {"\\Sigma", "\\varSigma", "\\sum", "\\displaystyle\\sum"};
    static const char *const prods[] = {"\\Pi", "\\varPi", "\\prod", "\\displaystyle\\prod"};
    return sp_touch_class_in(ctx, class_id, sums, 4) ? 1 : sp_touch_class_in(ctx, class_id, prods, 4) ? 2 : 0;
}

/* The width of the class of candidate i where the formula shows it
 * surely read at the same size but narrower, or 0.  The classifier scales
 * its input to a fixed size, so a letter with a script or a comma stuck to
 * it (y_{i}, "m," at 100 dpi) reads as the letter, however sure; the
 * formula's other copies show the letter's own width.  Same size: no
 * taller, and not shorter than SP_TOUCH_SAME_SIZE of it (a script copy is
 * smaller both ways).  Such a candidate is tried, and a split that keeps
 * a part of that class and width need only beat SP_TOUCH_OVERSIZED of
 * the whole (sp_touch_keeps_copy). */
static int sp_touch_copy_width(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_box *b = &cs->groups[i].box;
    int cls = cs->scores[i].class_id[0];
    if (!sp_symbol_class_is_letter(sp_model_class(ctx->model, cls))) return 0;
    for (size_t j = 0; j < cs->n; j++) {
        const sp_box *o = &cs->groups[j].box;
        if (j == i || cs->scores[j].class_id[0] != cls || cs->scores[j].prob[0] < SP_TOUCH_COPY_SURE) continue;
        if (o->h <= b->h && o->h >= SP_TOUCH_SAME_SIZE * b->h && o->w + 3 <= b->w && o->w <= SP_TOUCH_NARROWER * b->w)
            return o->w;
    }
    return 0;
}

static int sp_touch_is(const sp_touching_ctx *ctx, const sp_class_scores *sc, const char *latex);

/* Is candidate i read as a glyph of x-height (an \\omega, an m) but far
 * taller than the formula's letters?  Then it is glyphs that touch, one
 * with an ascender or a script among them ("dz^{0}", "\\epsilon du^{2}"
 * at 100 dpi read as \\omega), which the classifier, scaling its input to
 * a fixed size, may read surely.  Such a candidate is tried however sure,
 * and a split need beat only SP_TOUCH_OVERSIZED of the whole. */
static int sp_touch_tall_x(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_symbol_class *c = sp_model_class(ctx->model, cs->scores[i].class_id[0]);
    float h = (float)cs->groups[i].box.h;
    if (!c || !sp_layout_x_height_class(c->latex) || !strcmp(c->latex, "\\varsigma")) return 0;
    sp_variant v;
    char letter = sp_layout_letter(c->latex, &v);
    if (letter && strchr("cosuvwxz", letter)) return 0; /* a tall one is its capital (\\mathrm{O} read o) */
    return h >= SP_TOUCH_TALL_X * ctx->ref && h >= ctx->ref + SP_TOUCH_TALL_X_PX;
}

/* Is a two-part split the letter of class cls at width copy_w (a pixel
 * either way) and, at its foot, a comma stuck to it ("m," and "p," at 100
 * dpi, 20 im2latex-val formulas)?  Only a comma: the other pieces a sure
 * letter yields ("k" and a "1" off its leg, a "2" and a sliver) are
 * blur, not glyphs. */
static int sp_touch_keeps_copy(const sp_touching_ctx *ctx, const sp_class_scores *ps, const sp_box *pb, size_t n,
                               int cls, int copy_w) {
    if (n != 2) return 0;
    for (size_t j = 0; j < 2; j++) {
        const sp_box *l = &pb[j], *c = &pb[1 - j];
        if (ps[j].class_id[0] != cls || abs(l->w - copy_w) > 1 || !sp_touch_is(ctx, &ps[1 - j], ",")) continue;
        if (2 * c->y >= 2 * l->y + l->h && c->y + c->h >= l->y + l->h - 1) return 1;
    }
    return 0;
}

/* A letter or digit that sits on the baseline: no descender, so its foot
 * is the line's (a round one overshoots it by a pixel). */
static int sp_touch_on_baseline(const sp_touching_ctx *ctx, int class_id) {
    static const char *const greek[] = {"\\partial", "\\alpha",  "\\delta",   "\\epsilon", "\\varepsilon",
                                        "\\iota",    "\\kappa",  "\\lambda",  "\\nu",      "\\pi",
                                        "\\sigma",   "\\tau",    "\\upsilon", "\\omega",   "\\theta",
                                        "\\vartheta", "\\Gamma", "\\Delta",   "\\Theta",   "\\Lambda",
                                        "\\Xi",      "\\Pi",     "\\Sigma",   "\\Phi",     "\\Psi",
                                        "\\Omega"};
    const sp_symbol_class *c = sp_model_class(ctx->model, class_id);
    if (!c || !c->latex) return 0;
    const char *l = c->latex;
    if (l[0] && !l[1]) /* a digit, or a Latin letter without a descender */
        return (l[0] >= '0' && l[0] <= '9') || ((l[0] | 32) >= 'a' && (l[0] | 32) <= 'z' && !strchr("fgjpqyJQ", l[0]));
    return sp_touch_class_in(ctx, class_id, greek, sizeof greek / sizeof greek[0]);
}

/* Does candidate i, read surely as a letter on the baseline, hang below
 * the foot of a sure neighbour on the baseline whose top is level with
 * its own or lower?  Then something is stuck at its foot: a subscript
 * (\\partial_{i} at 100 dpi, the i in the bowl's corner: 120 im2latex-val
 * formulas lost a script of a \\partial), which the classifier, scaling
 * its input to a fixed size, reads as part of the letter.  Such a
 * candidate is tried for a glyph in its lower corner (sp_touch_sunk_split).
 * A subscript of its own is lower at the top too, and a neighbour within
 * SP_TOUCH_SUNK_NEAR reference heights. */
static int sp_touch_sunk(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_box *b = &cs->groups[i].box;
    if (cs->groups[i].ncomp != 1 || cs->scores[i].prob[0] < SP_TOUCH_TRY_BELOW ||
        !sp_touch_on_baseline(ctx, cs->scores[i].class_id[0]))
        return 0;
    float drop = fmaxf(SP_TOUCH_SUNK_PX, SP_TOUCH_SUNK * b->h);
    for (size_t j = 0; j < cs->n; j++) {
        const sp_box *o = &cs->groups[j].box;
        if (j == i || o->w == 0 || cs->scores[j].prob[0] < SP_TOUCH_COPY_SURE ||
            !sp_touch_on_baseline(ctx, cs->scores[j].class_id[0]))
            continue;
        if ((float)-sp_box_x_overlap(b, o) > SP_TOUCH_SUNK_NEAR * ctx->ref || o->h < 0.5f * b->h ||
            5 * (o->y + o->h) < 5 * b->y + 3 * b->h)
            continue; /* a main glyph: half as tall or more, its foot in the lower part of the line */
        if (b->y <= o->y + 0.15f * o->h && (b->y + b->h) - (o->y + o->h) >= drop) return 1;
    }
    return 0;
}

/* The probability a split has to beat: the whole's, or none for a
 * radical with nothing under it.  A display sum read half as a capital
 * Sigma and half as \\sum is sure to be one of them: its family's
 * probabilities add up (at 100 dpi its right end, cut off, reads "]" and
 * ")" better than the unsure whole). */
static float sp_touch_whole_prob(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    if (sp_touch_empty_radical(ctx, cs, i)) return 0.0f;
    const sp_class_scores *sc = &cs->scores[i];
    float p = sc->prob[0];
    int fam = sp_touch_big_family(ctx, sc->class_id[0]);
    for (int k = 1; fam && k < SP_CLASSIFY_TOPK && sc->class_id[k] >= 0; k++)
        if (sp_touch_big_family(ctx, sc->class_id[k]) == fam) p += sc->prob[k];
    return p;
}

/* Is candidate c worth splitting?  One component (or a stem and its dot)
 * the classifier is unsure of, not a rule or a dot, room for two glyphs. */
static int sp_touch_worth_trying(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_symbol_group *g = &cs->groups[i];
    const sp_box *b = &g->box;
    if (g->ncomp > 2) return 0; /* one component, or a stem with its dot */
    if (sp_touch_whole_prob(ctx, cs, i) >= SP_TOUCH_TRY_BELOW && !sp_touch_copy_width(ctx, cs, i) &&
        !sp_touch_tall_x(ctx, cs, i))
        return 0;
    if (b->h < 0.4f * ctx->ref) return 0;
    if (b->w < 4 || b->w < 0.5f * ctx->ref) return 0;
    return 1;
}

/* A bar a pixel thin stuck on its letter (see sp_touch_thin_accent) is
 * looked for on any candidate of one component (or a stem and its dot)
 * at least a script letter tall, however sure the classifier is: it
 * reads a z under its bar as a z. */
static int sp_touch_thin_worth_trying(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_box *b = &cs->groups[i].box;
    return cs->groups[i].ncomp <= 2 && b->h >= 0.4f * ctx->ref && b->w >= 3;
}

/* A class drawn as a stem with a dot over it (i, j in any alphabet). */
static int sp_touch_dotted(const sp_touching_ctx *ctx, int class_id) {
    static const char *const dotted[] = {"i", "j", "\\mathrm{i}", "\\mathrm{j}", "\\mathbf{i}", "\\mathbf{j}"};
    return sp_touch_class_in(ctx, class_id, dotted, sizeof dotted / sizeof dotted[0]);
}

/* A class a stem without its dot reads as: ı, ȷ, and l, I, 1, |. */
static int sp_touch_bare_stem(const sp_touching_ctx *ctx, int class_id) {
    static const char *const stems[] = {"\\imath", "\\jmath", "l", "I", "\\mathrm{l}", "\\mathrm{I}", "1", "|"};
    return sp_touch_class_in(ctx, class_id, stems, sizeof stems / sizeof stems[0]);
}

/* A symbol of two pieces, a dot over a letter, that the classifier reads
 * as a letter with no dot (a β under its \\dot, grouped like an i):
 * the dot can only be an accent, so the pieces are tried apart however
 * sure the classifier is. */
static int sp_touch_stray_dot(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    return cs->groups[i].ncomp == 2 && !sp_touch_dotted(ctx, cs->scores[i].class_id[0]) &&
           sp_symbol_class_is_letter(sp_model_class(ctx->model, cs->scores[i].class_id[0]));
}

/* A plain bracket has arms: its top and bottom rows hold more ink than
 * the rows of its stem.  A glyph read as "[" or "]", at most 2 px wide,
 * neither of whose ends (the darker of its two end rows) holds
 * SP_TOUCH_ARM times the median row's ink is a bar "|", two columns of
 * gray where it straddles a pixel boundary (ink: below the paper, summed
 * over the box and a column either side).  A network trained on low
 * resolutions may take such a bar for a bracket, and the context stage
 * may prefer a bracket at its height.  (Asking only one end to lack an
 * arm, since a neighbour's edge may darken the other, takes more small
 * degraded brackets for bars than it saves bars.)  Returns the "|" class
 * to promote, or -1. */
static int sp_touch_bare_bracket(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    static const char *const brackets[] = {"[", "]"};
    const sp_box *b = &cs->groups[i].box;
    if (b->w > 2 || b->h < 8 || b->h > SP_TOUCH_BAR_ROWS ||
        !sp_touch_class_in(ctx, cs->scores[i].class_id[0], brackets, 2))
        return -1;
    int bar = sp_model_find_class(ctx->model, "|");
    if (bar < 0) return -1; /* (sp_touch_promote leaves a glyph without "|" among its runners-up alone) */
    /* rows are summed over the box and the column on each side, where an
     * arm's antialiased end lies outside the ink's box; the paper is the
     * lightest pixel there */
    int ink[SP_TOUCH_BAR_ROWS], sorted[SP_TOUCH_BAR_ROWS], paper = 0;
    int x0 = b->x > 0 ? b->x - 1 : 0;
    int x1 = b->x + b->w < (int)pixGetWidth(ctx->bin) ? b->x + b->w : b->x + b->w - 1;
    for (int y = 0; y < b->h; y++) {
        const uint8_t *row = ctx->gray + (size_t)(b->y + y) * (size_t)ctx->gray_stride;
        ink[y] = 0;
        for (int x = x0; x <= x1; x++) {
            if (row[x] > paper) paper = row[x];
            ink[y] -= row[x]; /* the paper's part is added below, once known */
        }
    }
    for (int y = 0; y < b->h; y++) sorted[y] = ink[y] += paper * (x1 - x0 + 1);
    for (int a = 1; a < b->h; a++) /* insertion sort: a few dozen rows */
        for (int c = a; c > 0 && sorted[c - 1] > sorted[c]; c--) {
            int t = sorted[c];
            sorted[c] = sorted[c - 1], sorted[c - 1] = t;
        }
    float limit = SP_TOUCH_ARM * (float)sorted[b->h / 2];
    int top = ink[0] > ink[1] ? ink[0] : ink[1], bottom = ink[b->h - 1] > ink[b->h - 2] ? ink[b->h - 1] : ink[b->h - 2];
    return sorted[b->h / 2] > 0 && (float)top < limit && (float)bottom < limit ? bar : -1;
}

/* Vertical cuts: glyphs side by side are about a glyph tall (a big
 * operator or a tall delimiter touching something is left alone). */
static int sp_touch_cut_worth_trying(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_box *b = &cs->groups[i].box;
    return b->h <= 2.0f * ctx->ref && b->w >= 0.6f * ctx->ref;
}

/* Primes that touch: x^{\\prime\\prime} at 100 dpi is two slanted
 * strokes joined at a corner pixel (or grouped as one symbol), which the
 * classifier reads as a small n (and three as an m), unsurely (0.4); too
 * narrow for the cuts above, which look for glyphs of main size.  Such a
 * candidate is cut too, and the cut kept only if every part reads as a
 * prime (SP_TOUCH_PRIME_CUT, sp_touch_prime_part). */
static int sp_touch_primes_worth_trying(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    static const char *const runs[] = {"n", "m"};
    const sp_box *b = &cs->groups[i].box;
    if (cs->groups[i].ncomp > 2 || cs->scores[i].prob[0] >= SP_TOUCH_PRIMES_BELOW ||
        !sp_touch_class_in(ctx, cs->scores[i].class_id[0], runs, 2) || b->w < 4 || b->h < 3 ||
        b->h >= SP_TOUCH_PRIMES_SMALL * ctx->ref)
        return 0;
    /* and hangs from the top of the glyph before it, as primes do: a
     * script n, m or \\nu read doubtfully sits at its base's foot */
    const sp_box *v = NULL;
    for (size_t j = 0; j < cs->n; j++) {
        const sp_box *o = &cs->groups[j].box;
        if (j == i || o->w == 0 || o->h < SP_TOUCH_PRIMES_BASE * b->h || o->x + o->w > b->x + 1 ||
            o->x + o->w < b->x - ctx->ref / 2 || o->y >= b->y + b->h || o->y + o->h <= b->y)
            continue;
        if (!v || o->x + o->w > v->x + v->w) v = o;
    }
    return v && b->y <= v->y + 0.3f * v->h && b->y + b->h <= v->y + 0.6f * v->h;
}

/* How surely a part of a prime cut is a mark: a stroke that small reads
 * as a prime or a comma, which only its place tells apart (the layout's
 * business); 0 unless the prime has SP_TOUCH_MIN_PART. */
static float sp_touch_prime_part(const sp_touching_ctx *ctx, const sp_class_scores *sc) {
    float prime = 0, comma = 0;
    for (int k = 0; k < SP_CLASSIFY_TOPK && sc->class_id[k] >= 0; k++) {
        const char *l = sp_model_class(ctx->model, sc->class_id[k])->latex;
        if (!strcmp(l, "\\prime")) prime = sc->prob[k];
        else if (!strcmp(l, ",")) comma = sc->prob[k];
    }
    return prime >= SP_TOUCH_MIN_PART ? prime + comma : 0;
}

static int sp_touch_grow(sp_candidates *cs, size_t need, scipix_error *err) {
    if (need <= cs->cap) return SCIPIX_OK;
    size_t cap = cs->cap ? cs->cap : 16;
    while (cap < need) cap *= 2;
    sp_symbol_group *g = realloc(cs->groups, cap * sizeof *g);
    if (g) cs->groups = g;
    sp_glyph *gl = realloc(cs->glyphs, cap * sizeof *gl);
    if (gl) cs->glyphs = gl;
    sp_class_scores *sc = realloc(cs->scores, cap * sizeof *sc);
    if (sc) cs->scores = sc;
    if (!g || !gl || !sc) return sp_error_set(err, SCIPIX_ENOMEM, "cannot grow the candidates to %zu", cap);
    cs->cap = cap;
    return SCIPIX_OK;
}

static int sp_touch_same_box(const sp_box *a, const sp_box *b) {
    return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h;
}

static sp_glyph sp_touch_glyph(const sp_touching_ctx *ctx, const sp_box *b) {
    sp_glyph g;
    g.pixels = ctx->gray + (size_t)b->y * (size_t)ctx->gray_stride + (size_t)b->x;
    g.width = b->w;
    g.height = b->h;
    g.stride = ctx->gray_stride;
    g.ref_height = ctx->ref;
    return g;
}

/* A cut that shaves a dot off the top of a glyph: the dot of a heavy i or
 * j touching its stem, not a glyph of its own (a period sits low). */
static int sp_touch_cut_leaves_a_dot(const sp_touching_ctx *ctx, const sp_box *l, const sp_box *r) {
    for (int k = 0; k < 2; k++) {
        const sp_box *d = k ? r : l, *o = k ? l : r;
        if (d->h < 0.35f * ctx->ref && d->w < 0.35f * ctx->ref && d->y + d->h <= o->y + o->h / 2) return 1;
    }
    return 0;
}

/* Is class_id a prime (\\prime or its ASCII form)? */
static int sp_touch_reads_prime(const sp_touching_ctx *ctx, int class_id) {
    static const char *const primes[] = {"\\prime", "'"};
    return sp_touch_class_in(ctx, class_id, primes, sizeof primes / sizeof primes[0]);
}

/* A part read as a prime, cut off the lower half of a part at least twice
 * its height, with its bottom on that part's bottom row (or the row
 * above): a prime hangs from the top of the line, so this is a foot cut
 * off the glyph (the serif of a script i, the last foot of an m, the tail
 * of a chi), whatever the classifier makes of it.  Networks differ in
 * how they read such feet: the shipped model cuts 4 im2latex-val
 * formulas this way, a fine-tuned one 25.  Commas are left alone: a first
 * version that judged them too (without the bottom-row test) lost 27,
 * commas stuck to the letter before them (\\rho, \\phi, \\pi). */
static int sp_touch_misplaced_prime(const sp_touching_ctx *ctx, int mark_cls, const sp_box *m, const sp_box *o) {
    int bottom = m->y + m->h, o_bottom = o->y + o->h;
    return sp_touch_reads_prime(ctx, mark_cls) && o->h >= 2 * m->h && 2 * m->y >= 2 * o->y + o->h &&
           bottom <= o_bottom && bottom >= o_bottom - 1;
}

/* Two parts side by side, both read as primes, whose tops are not level
 * (more than a third of the blob's height apart): primes side by side
 * hang from one height, so this is a slash cut down its middle, its lower
 * left half and upper right half (a fine-tuned model reads "1/2" as
 * "1^{\\prime\\prime}2" so). */
static int sp_touch_stepped_primes(const sp_touching_ctx *ctx, int l_cls, const sp_box *l, int r_cls, const sp_box *r,
                                   const sp_box *whole) {
    int d = l->y > r->y ? l->y - r->y : r->y - l->y;
    return 3 * d > whole->h && sp_touch_reads_prime(ctx, l_cls) && sp_touch_reads_prime(ctx, r_cls);
}

/* A glyph whose neighbour may be its mirror image: a fence (the "(" and
 * 0 of "(0"), or a dotted i or j ("ij" in a script, whose dots make the
 * pair symmetric). */
static int sp_touch_mirror_neighbour(const sp_touching_ctx *ctx, int class_id) {
    const sp_symbol_class *c = sp_model_class(ctx->model, class_id);
    if (!c || !c->atom) return 1;
    return !strcmp(c->atom, "open") || !strcmp(c->atom, "close") || sp_touch_dotted(ctx, class_id);
}

/* Are parts l and r, side by side and read as different classes, the two
 * halves of one glyph drawn mirror-symmetric (0, o, A, V)?  Their union
 * is narrower than it is tall, split within SP_TOUCH_MIRROR_NEAR of its
 * width from its middle, and SP_TOUCH_MIRROR of its ink (gray below
 * SP_TOUCH_INK) has ink within a pixel of its mirror image.  Then no
 * reading of the halves counts: which half-glyphs a network reads well is
 * an accident of training (fine-tuned models cut a script 0 stuck to its
 * base into "4" and a dotless j, 21-29 im2latex-val formulas).  Glyphs
 * that touch are such a pair only as one glyph twice ("11", "[["), read
 * as one class, or as a pair wider than tall ("00"). */
static int sp_touch_mirror_halves(const sp_touching_ctx *ctx, const sp_box *l, int l_cls, const sp_box *r, int r_cls) {
    if (l_cls == r_cls || sp_touch_mirror_neighbour(ctx, l_cls) || sp_touch_mirror_neighbour(ctx, r_cls)) return 0;
    sp_box u = sp_box_union(l, r);
    int w = u.w, h = u.h;
    float off_middle = fabsf((float)(l->x + l->w - u.x) - 0.5f * (float)w);
    if (w >= h || w < 5 || off_middle > fmaxf(1.0f, SP_TOUCH_MIRROR_NEAR * (float)w)) return 0;
    long ink = 0, mirrored = 0;
    for (int y = 0; y < h; y++) {
        const uint8_t *row = ctx->gray + (size_t)(u.y + y) * (size_t)ctx->gray_stride + (size_t)u.x;
        for (int x = 0; x < w; x++) {
            if (row[x] >= SP_TOUCH_INK) continue;
            int m = w - 1 - x;
            ink++;
            mirrored += row[m] < SP_TOUCH_INK || (m > 0 && row[m - 1] < SP_TOUCH_INK) ||
                        (m + 1 < w && row[m + 1] < SP_TOUCH_INK);
        }
    }
    return ink > 0 && (float)mirrored >= SP_TOUCH_MIRROR * (float)ink;
}

/* Is the class a bar: a minus, a fraction rule, a \\bar or an
 * over/underline (which one, only its place tells)? */
static int sp_touch_bar_class(const sp_touching_ctx *ctx, int class_id) {
    static const char *const bars[] = {"-", "\\frac", "\\bar", "\\overline", "\\underline"};
    return sp_touch_class_in(ctx, class_id, bars, sizeof bars / sizeof bars[0]);
}

/* A bar's reading is shared among its look-alikes (-, \\frac, \\bar, ...)
 * which the layout tells apart by place, so their probabilities add up:
 * the probability of a part that reads as a bar. */
static float sp_touch_bar_family(const sp_touching_ctx *ctx, const sp_class_scores *sc) {
    float p = sc->prob[0];
    if (!sp_touch_bar_class(ctx, sc->class_id[0])) return p;
    for (int k = 1; k < SP_CLASSIFY_TOPK && sc->class_id[k] >= 0; k++)
        if (sp_touch_bar_class(ctx, sc->class_id[k])) p += sc->prob[k];
    return p;
}

/* The probability of a cut's first part: a bar at mid-height of the blob
 * is a minus stuck to what follows it ("-n", "-\\infty" in a script). */
static float sp_touch_leading_bar(const sp_touching_ctx *ctx, const sp_class_scores *sc, const sp_box *part,
                                  const sp_box *whole) {
    float cy = part->y + 0.5f * part->h;
    if (cy < whole->y + 0.3f * whole->h || cy > whole->y + 0.7f * whole->h) return sc->prob[0];
    return sp_touch_bar_family(ctx, sc);
}

/* An accent class, or a dot (a \\dot cut off its letter reads as "." or
 * \\cdot alone: only its place makes it an accent). */
static int sp_touch_accent_class(const sp_touching_ctx *ctx, int class_id) {
    const sp_symbol_class *c = sp_model_class(ctx->model, class_id);
    return c && c->atom && c->latex &&
           (!strcmp(c->atom, "accent") || !strcmp(c->latex, ".") || !strcmp(c->latex, "\\cdot"));
}

/* Pairs no cut may leave: an opening delimiter cut from its closing one
 * ("()" never touch, while a heavy 0 or O cut down its middle reads as
 * exactly that), and a big operator beside a delimiter (TeX sets thin
 * space between them; a Σ whose right serifs were cut off reads as Σ and
 * a ")"). */
static int sp_touch_impossible_pair(const sp_touching_ctx *ctx, int left, int right) {
    const sp_symbol_class *l = sp_model_class(ctx->model, left), *r = sp_model_class(ctx->model, right);
    if (!l || !r || !l->atom || !r->atom) return 0;
    int l_fence = !strcmp(l->atom, "open") || !strcmp(l->atom, "close");
    int r_fence = !strcmp(r->atom, "open") || !strcmp(r->atom, "close");
    return (!strcmp(l->atom, "open") && !strcmp(r->atom, "close")) || (!strcmp(l->atom, "op") && r_fence) ||
           (l_fence && !strcmp(r->atom, "op"));
}

/* A plain parenthesis or bracket reaches from above a digit's top to
 * below the baseline: one no taller than the digit beside it
 * (SP_TOUCH_FENCE_TALLER of its height) is a piece of a glyph, not a
 * fence (an upright G cut into "(" and "3", a 0 into "4" and ")").  Not
 * beside letters: a φ or an f is as tall as a parenthesis. */
static int sp_touch_short_fence(const sp_touching_ctx *ctx, int fence, const sp_box *fb, int other,
                                const sp_box *ob) {
    static const char *const plain[] = {"(", ")", "[", "]"};
    const sp_symbol_class *o = sp_model_class(ctx->model, other);
    if (!o || !o->mathml || strcmp(o->mathml, "mn") || !sp_touch_class_in(ctx, fence, plain, 4)) return 0;
    return (float)fb->h < SP_TOUCH_FENCE_TALLER * (float)ob->h;
}

/* Is the rule pb[0] of a rule split into n boxes a fraction's rule?  A
 * band of its own: the glyphs above and below touch it at some columns,
 * less than SP_TOUCH_RULE_TOUCH of its width, not all along it (the top
 * row of an α under its superscript's foot); and, inside a blob, with a
 * piece at least SP_TOUCH_PIECE_TALL glyphs tall above it and one below:
 * a numerator and a denominator are glyphs, where the crossbar of a t
 * stuck to the bowl of the d before it has only the d's ascender and the
 * t's top above it (dt read "- a u"). */
static int sp_touch_fraction_rule(const sp_touching_ctx *ctx, const sp_box *pb, size_t n, int inside) {
    int above = 0, below = 0;
    for (size_t j = 1; j < n; j++) {
        if (pb[j].y + pb[j].h <= pb[0].y && pb[j].h > above) above = pb[j].h;
        if (pb[j].y >= pb[0].y + pb[0].h && pb[j].h > below) below = pb[j].h;
    }
    float tall = SP_TOUCH_PIECE_TALL * ctx->ref;
    if (inside && ((float)above < tall || (float)below < tall)) return 0;
    const sp_box *r = &pb[0];
    int touch = 0;
    for (int x = r->x; x < r->x + r->w; x++) {
        l_uint32 up = 0, down = 0;
        if (r->y > 0) pixGetPixel(ctx->bin, x, r->y - 1, &up);
        pixGetPixel(ctx->bin, x, r->y + r->h, &down);
        touch += up || down;
    }
    return (float)touch < SP_TOUCH_RULE_TOUCH * (float)r->w;
}

/* Corners no cut may leave: a big operator's (the serif at the end of a
 * Σ's arm reads as ¬; its limits are set well clear of it), or a corner
 * read as ¬ at all (that is the shape of such a serif, and ¬ is never a
 * script or a letter under an overhang). */
static int sp_touch_impossible_corner(const sp_touching_ctx *ctx, int rest, int corner) {
    const sp_symbol_class *r = sp_model_class(ctx->model, rest), *c = sp_model_class(ctx->model, corner);
    return (r && r->atom && !strcmp(r->atom, "op")) || (c && c->latex && !strcmp(c->latex, "\\neg"));
}

/* The letter a class spells in a function name: "x" or "\\mathrm{x}"
 * give 'x'; an upright l is often read as 1 or |, an o as 0 or \\circ.
 * 0 for anything else. */
static char sp_touch_letter(const char *latex) {
    if (!latex) return 0;
    sp_variant v;
    char c = sp_layout_letter(latex, &v);
    if (c && (v == SP_VAR_NONE || v == SP_VAR_UPRIGHT)) return c;
    if (!strcmp(latex, "1") || !strcmp(latex, "|")) return 'l';
    return (!strcmp(latex, "0") || !strcmp(latex, "\\circ")) ? 'o' : 0;
}

/* The letter each of sc's top classes spells (sp_touch_letter; 0 for
 * none), looked up once per part: a lexicon check tries every name. */
static void sp_touch_part_letters(const sp_touching_ctx *ctx, const sp_class_scores *sc,
                                  char letters[SP_CLASSIFY_TOPK]) {
    for (int k = 0; k < SP_CLASSIFY_TOPK; k++) {
        const sp_symbol_class *cl = sc->class_id[k] >= 0 ? sp_model_class(ctx->model, sc->class_id[k]) : NULL;
        letters[k] = cl ? sp_touch_letter(cl->latex) : 0;
    }
}

/* How well part scores sc (whose classes spell letters[]) spell letter c:
 * the summed probability of the top classes that spell it; *cls gets the
 * likeliest of them. */
static float sp_touch_spells(const sp_class_scores *sc, const char *letters, char c, int *cls) {
    float p = 0;
    *cls = -1;
    for (int k = 0; k < SP_CLASSIFY_TOPK && sc->class_id[k] >= 0; k++) {
        if (letters[k] != c) continue;
        if (*cls < 0) *cls = sc->class_id[k];
        p += sc->prob[k];
    }
    return p;
}

/* The most that sc spells any one letter (an upper bound on
 * sp_touch_spells for every name's letter). */
static float sp_touch_best_spelling(const sp_touching_ctx *ctx, const sp_class_scores *sc) {
    char letters[SP_CLASSIFY_TOPK];
    sp_touch_part_letters(ctx, sc, letters);
    float best = 0;
    int cls;
    for (int k = 0; k < SP_CLASSIFY_TOPK && sc->class_id[k] >= 0; k++) {
        float p = letters[k] ? sp_touch_spells(sc, letters, letters[k], &cls) : 0;
        if (p > best) best = p;
    }
    return best;
}

/* Moves class cls to the front of sc (the letter a lexicon split read). */
static void sp_touch_promote(sp_class_scores *sc, int cls) {
    int k = 0;
    while (k < SP_CLASSIFY_TOPK && sc->class_id[k] != cls) k++;
    if (k == 0 || k == SP_CLASSIFY_TOPK) return;
    int id = sc->class_id[k];
    float p = sc->prob[k];
    memmove(sc->class_id + 1, sc->class_id, (size_t)k * sizeof sc->class_id[0]);
    memmove(sc->prob + 1, sc->prob, (size_t)k * sizeof sc->prob[0]);
    sc->class_id[0] = id, sc->prob[0] = p;
}

/* A cut whose parts spell part of a function name ("c|o|s" of a heavy
 * cos, "l|n"): names are what touching upright letters mostly are in a
 * formula, so such a proposal is scored by how well its parts spell the
 * letters (per part, as below) and needs no margin over the whole.
 * Returns that score (0: spells no name); cls[] gets each part's class. */
static float sp_touch_lexicon(const sp_touching_ctx *ctx, const sp_class_scores *ps, size_t n, int *cls) {
    float best = 0;
    int tmp[4];
    char letters[4][SP_CLASSIFY_TOPK];
    if (n < 2 || n > 4) return 0;
    for (size_t j = 0; j < n; j++) sp_touch_part_letters(ctx, &ps[j], letters[j]);
    for (size_t f = 0; sp_layout_function_name(f); f++) {
        const char *name = sp_layout_function_name(f);
        size_t len = strlen(name);
        for (size_t o = 0; o + n <= len; o++) {
            float score = 1;
            for (size_t j = 0; j < n && score > 0; j++) {
                float p = sp_touch_spells(&ps[j], letters[j], name[o + j], &tmp[j]);
                score = p < SP_TOUCH_MIN_PART ? 0 : score * p;
            }
            score = score > 0 ? powf(score, 1.0f / (float)n) : 0;
            if (score > best) {
                best = score;
                memcpy(cls, tmp, n * sizeof *cls);
            }
        }
    }
    return best;
}

/* Is box a (not yet swallowed: w > 0) wholly inside box b? */
static int sp_touch_inside(const sp_box *a, const sp_box *b) {
    return a->w > 0 && a->x >= b->x && a->y >= b->y && a->x + a->w <= b->x + b->w && a->y + a->h <= b->y + b->h;
}

/* Do boxes a and b share a pixel? */
static int sp_touch_boxes_meet(const sp_box *a, const sp_box *b) {
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* A proposal: candidate `owner` read as parts boxes[first .. first+n).
 * A rule split (rule = SP_TOUCH_RULE or SP_TOUCH_EDGE_RULE) lists the rule
 * first. */
enum {
    SP_TOUCH_CUT = 0,
    SP_TOUCH_RULE = 1,
    SP_TOUCH_EDGE_RULE = 2,
    SP_TOUCH_ACCENT = 3,
    SP_TOUCH_CORNER = 4,
    SP_TOUCH_SEAM = 5,
    SP_TOUCH_THIN_ACCENT = 6,
    SP_TOUCH_DOT_ACCENT = 7,
    SP_TOUCH_PRIME_CUT = 8,
    SP_TOUCH_CORNERS = 9 /* a base, the glyph in its upper corner and the one in its lower */
};
typedef struct sp_touch_proposal {
    size_t owner, first, n;
    int rule;
    int thick; /* a cut through a thick bridge (sp_cut.thick): no part of it may be a dot */
} sp_touch_proposal;

/* Does sc read as a mark made of dots: . , : ; or \\cdot? */
static int sp_touch_dotted_mark(const sp_touching_ctx *ctx, const sp_class_scores *sc) {
    static const char *const marks[] = {".", ",", ":", ";", "\\cdot"};
    return sp_touch_class_in(ctx, sc->class_id[0], marks, sizeof marks / sizeof marks[0]);
}

/* Does the rule split an accent off its letter (the accent first)? */
static int sp_touch_accent_rule(int rule) {
    return rule == SP_TOUCH_ACCENT || rule == SP_TOUCH_THIN_ACCENT || rule == SP_TOUCH_DOT_ACCENT;
}

/* How much of the bar a proposal must clear (the whole's reading plus
 * SP_TOUCH_MARGIN) its rule lets it off, for evidence the classifier's
 * reading does not weigh.  An edge rule (a thin band reaching past the
 * glyph on it, a glyph centred beyond it) need not beat the whole at all,
 * however sure of a "4" the classifier was with the rule stuck under it;
 * nor need a dot the whole's reading does not explain, unless the letter
 * under it (parts[1]) reads as a bare stem: an i after all.  A bar a pixel
 * thin over a faint row is weaker evidence: it must beat the whole, but
 * by no margin; so must primes cut apart (the whole is a doubtful n). */
static float sp_touch_let_off(const sp_touching_ctx *ctx, int rule, const sp_class_scores *parts, float whole) {
    switch (rule) {
    case SP_TOUCH_EDGE_RULE:
        return whole;
    case SP_TOUCH_DOT_ACCENT:
        return sp_touch_dotted(ctx, parts[1].class_id[0]) || sp_touch_bare_stem(ctx, parts[1].class_id[0]) ? 0 : whole;
    case SP_TOUCH_THIN_ACCENT:
    case SP_TOUCH_PRIME_CUT:
        return SP_TOUCH_MARGIN;
    default:
        return 0;
    }
}

/* Are the pieces of rule split pr (all but its rule) digits read with
 * some certainty?  Then a short rule between them is a fraction's, a
 * \\frac{1}{2} stuck together in an exponent: its rule, a few pixels
 * wide, is shared among the bar classes (see sp_touch_bar_family). */
static int sp_touch_digit_pieces(const sp_touching_ctx *ctx, const sp_touch_proposal *pr, const sp_class_scores *ps) {
    for (size_t j = pr->first + 1; j < pr->first + pr->n; j++) {
        const sp_symbol_class *c = sp_model_class(ctx->model, ps[j].class_id[0]);
        if (!c || !c->latex || c->latex[0] < '0' || c->latex[0] > '9' || c->latex[1] || ps[j].prob[0] < 0.5f) return 0;
    }
    return pr->n >= 3;
}

/* Is candidate c tall enough to be a fraction stuck to its rule? */
static int sp_touch_rule_worth_trying(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_box *b = &cs->groups[i].box;
    return b->h >= ctx->ref && b->w >= 0.5f * ctx->ref;
}

/* Is there another candidate, a glyph (not a flat bar), right below
 * (below = 1) or above candidate i, within SP_TOUCH_BEYOND ref, under or over it by at
 * least half its own width and centred within it (the base of x^\perp,
 * left of the \perp, is no denominator)?  Then a rule along that edge of i may be
 * a fraction rule with the numerator stuck to it and the denominator
 * apart (or the other way round). */
static int sp_touch_glyph_beyond(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i, int below) {
    const sp_box *b = &cs->groups[i].box;
    for (size_t k = 0; k < cs->n; k++) {
        const sp_box *c = &cs->groups[k].box;
        if (k == i || c->w == 0 || c->h * 2 <= c->w) continue;
        int gap = below ? c->y - (b->y + b->h) : b->y - (c->y + c->h);
        if (gap < 0 || gap > SP_TOUCH_BEYOND * ctx->ref) continue;
        float cx = c->x + 0.5f * c->w;
        if (sp_box_x_overlap(c, b) * 2 >= c->w && cx > b->x && cx < b->x + b->w) return 1;
    }
    return 0;
}

/* The edges along which a rule split of candidate i may find its rule
 * (see sp_segment_rule_split); 0 if i is too small to hold a rule. */
static int sp_touch_rule_edges(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    const sp_box *b = &cs->groups[i].box;
    if (cs->groups[i].ncomp > 2 || b->h < 0.6f * ctx->ref || b->w < 0.5f * ctx->ref) return 0;
    return (sp_touch_glyph_beyond(ctx, cs, i, 0) ? SP_RULE_EDGE_TOP : 0) |
           (sp_touch_glyph_beyond(ctx, cs, i, 1) ? SP_RULE_EDGE_BOTTOM : 0);
}

static int sp_touch_is_dot(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i);
static int sp_touch_dot_over(const sp_touching_ctx *ctx, const sp_box *stem, const sp_box *dot);

/* The box of a stem read with the dot over it (sp_touch_dot_over): from
 * the dot's top to the stem's bottom. */
static sp_box sp_touch_stem_with_dot(const sp_box *stem, const sp_box *dot) {
    int x0 = stem->x < dot->x ? stem->x : dot->x;
    int x1 = stem->x + stem->w > dot->x + dot->w ? stem->x + stem->w : dot->x + dot->w;
    return (sp_box){x0, dot->y, x1 - x0, stem->y + stem->h - dot->y};
}

/* A cut part that is a stem with a lone dot right above it (the i of "ij"
 * whose stem touched the j) is read with its dot: the box grows to take it
 * in, and the dot is swallowed if the cut is kept.  Returns the dot's
 * candidate, SIZE_MAX for none; the candidate skip is not taken. */
static size_t sp_touch_take_dot(const sp_touching_ctx *ctx, const sp_candidates *cs, sp_box *part, size_t skip) {
    if (part->w > 0.9f * part->h || part->h < 0.5f * ctx->ref) return SIZE_MAX;
    for (size_t d = 0; d < cs->n; d++) {
        const sp_box *o = &cs->groups[d].box;
        if (d == skip || o->w == 0 || !sp_touch_is_dot(ctx, cs, d) || !sp_touch_dot_over(ctx, part, o)) continue;
        *part = sp_touch_stem_with_dot(part, o);
        return d;
    }
    return SIZE_MAX;
}

/* Both parts of a cut take their dots; a dot over both (the cut leaves
 * each part a sliver of the other) is the one's whose middle is nearer,
 * and the other may take another: the i and the j of a stuck "ij" each
 * keep their own (the right part with both dots read as a k). */
static void sp_touch_take_dots(const sp_touching_ctx *ctx, const sp_candidates *cs, sp_box *left, sp_box *right) {
    sp_box l0 = *left, r0 = *right;
    size_t dl = sp_touch_take_dot(ctx, cs, left, SIZE_MAX), dr = sp_touch_take_dot(ctx, cs, right, SIZE_MAX);
    if (dl == SIZE_MAX || dl != dr) return;
    const sp_box *o = &cs->groups[dl].box;
    float cx = o->x + 0.5f * o->w;
    if (fabsf(cx - (l0.x + 0.5f * l0.w)) <= fabsf(cx - (r0.x + 0.5f * r0.w))) {
        *right = r0;
        sp_touch_take_dot(ctx, cs, right, dl);
    } else {
        *left = l0;
        sp_touch_take_dot(ctx, cs, left, dl);
    }
}

/* A cut part that is a bar with another bar right under or over it, as
 * wide (the upper bar of an "=" that touched the i before it) is read with
 * it: the box grows to take it in, and the other bar is swallowed if the
 * cut is kept. */
static void sp_touch_take_bar(const sp_touching_ctx *ctx, const sp_candidates *cs, sp_box *part) {
    if (part->h * 3 > part->w || part->h > 0.3f * ctx->ref + 1) return;
    for (size_t k = 0; k < cs->n; k++) {
        const sp_box *o = &cs->groups[k].box;
        if (o->w == 0 || o->h * 3 > o->w || o->h > 0.3f * ctx->ref + 1) continue;
        int wmin = o->w < part->w ? o->w : part->w;
        int gap = o->y > part->y ? o->y - (part->y + part->h) : part->y - (o->y + o->h);
        if (sp_box_x_overlap(o, part) * 10 < wmin * 8 || gap < 0 || gap > 0.6f * ctx->ref ||
            abs(o->w - part->w) * 3 > wmin)
            continue;
        *part = sp_box_union(part, o);
        return;
    }
}

/* The darkest gray of row y across box b. */
static int sp_touch_row_darkest(const sp_touching_ctx *ctx, const sp_box *b, int y) {
    const uint8_t *row = ctx->gray + (size_t)y * (size_t)ctx->gray_stride + (size_t)b->x;
    int m = 255;
    for (int x = 0; x < b->w; x++)
        if (row[x] < m) m = row[x];
    return m;
}

/* Is the top of box b a bar `rows` thin stuck on its letter: solid ink
 * in those rows, and only faint ink in the row under them?  A bar a pixel
 * thin touches its letter through the antialiased edge of the gap between
 * them, while a serif or the top of a bowl is joined by solid ink, and the
 * faint rim of a neighbour's dots (the lower edge of a \\ddot over an a)
 * holds no solid ink at all.  At 100 dpi a bar may itself be gray (its
 * darkest 100-130): it counts when the gap row is SP_TOUCH_BAR_CONTRAST
 * lighter still (the \\bar over a γ), and only such a bar is tried as
 * thick as the smallest part (gray_only). */
static int sp_touch_thin_accent(const sp_touching_ctx *ctx, const sp_box *b, int rows, int gray_only) {
    if (rows < 1 || rows >= b->h) return 0;
    int gap = sp_touch_row_darkest(ctx, b, b->y + rows), bar = 255;
    for (int y = b->y; y < b->y + rows; y++) {
        int m = sp_touch_row_darkest(ctx, b, y);
        if (m < bar) bar = m;
    }
    if (gap < SP_TOUCH_FAINT) return 0;
    if (bar < SP_TOUCH_FAINT) return !gray_only;
    if (bar >= SP_TOUCH_GRAY_BAR || gap - bar < SP_TOUCH_BAR_CONTRAST) return 0;
    /* a gray bar is a bar: half the box wide and 3 px or more (not the
     * top of an l's stem over its lighter antialiased rows) */
    int wide = 0;
    const uint8_t *row = ctx->gray + (size_t)b->y * (size_t)ctx->gray_stride + (size_t)b->x;
    for (int y = 0; y < rows; y++, row += ctx->gray_stride) {
        int k = 0;
        for (int x = 0; x < b->w; x++) k += row[x] < SP_TOUCH_GRAY_BAR;
        if (k > wide) wide = k;
    }
    return wide >= 3 && 2 * wide >= b->w;
}

/* Ink a part is read without: a box of it (w = 0: none; the corner that a
 * corner cut's other part took), and with a seam cut, the seam's other
 * side. */
typedef struct sp_touch_mask {
    sp_box box, box2; /* box2: the second corner of a two-corner split's base */
    const sp_seam_cut *seam;
    int left; /* the part is the seam's left side */
} sp_touch_mask;

static int sp_touch_same_mask(const sp_touch_mask *a, const sp_touch_mask *b) {
    return sp_touch_same_box(&a->box, &b->box) && sp_touch_same_box(&a->box2, &b->box2) && a->seam == b->seam &&
           a->left == b->left;
}

/* Glyph g of box b read with mask's pixels left white: a copy in *copy,
 * which the caller frees. */
static int sp_touch_masked(sp_glyph *g, const sp_box *b, const sp_touch_mask *mask, uint8_t **copy,
                           scipix_error *err) {
    uint8_t *px = malloc((size_t)b->w * (size_t)b->h);
    if (!px) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate a %dx%d glyph", b->w, b->h);
    const sp_seam_cut *seam = mask->seam;
    for (int y = 0; y < b->h; y++) {
        uint8_t *row = px + (size_t)y * (size_t)b->w;
        memcpy(row, g->pixels + (size_t)y * (size_t)g->stride, (size_t)b->w);
        int iy = b->y + y;
        if (seam && iy >= seam->top && iy < seam->top + seam->h)
            for (int x = 0; x < b->w; x++)
                if ((b->x + x < seam->x[iy - seam->top]) != mask->left) row[x] = 255;
        for (int k = 0; k < 2; k++) {
            const sp_box *m = k ? &mask->box2 : &mask->box;
            if (iy < m->y || iy >= m->y + m->h) continue;
            for (int x = 0; x < b->w; x++) {
                int ix = b->x + x;
                if (ix >= m->x && ix < m->x + m->w) row[x] = 255;
            }
        }
    }
    *copy = px;
    g->pixels = px;
    g->stride = b->w;
    return SCIPIX_OK;
}

/* Is a corner or seam split of a sunk candidate (sp_touch_sunk) the
 * letter it was read as, still sure, and a letter or digit in its lower
 * corner or right of the seam?  (The corner cutter finds the stuck i of
 * \\partial_{i} only now and then; a seam along the bowl does.) */
static int sp_touch_sunk_split(const sp_touching_ctx *ctx, const sp_touch_proposal *pr, const sp_class_scores *ps,
                               int cls) {
    if ((pr->rule != SP_TOUCH_CORNER && pr->rule != SP_TOUCH_SEAM) || pr->n != 2) return 0;
    const sp_class_scores *rest = &ps[pr->first], *corner = &ps[pr->first + 1];
    return rest->class_id[0] == cls && rest->prob[0] >= SP_TOUCH_COPY_SURE &&
           sp_symbol_class_is_letter(sp_model_class(ctx->model, corner->class_id[0])) &&
           corner->prob[0] >= SP_TOUCH_SUNK_PART;
}

/* How well part j of proposal pr reads, as the proposal is judged: a
 * cut's leading bar, an accent and a rule between digits count their bar
 * family, a prime cut's part its mark. */
static float sp_touch_part_prob(const sp_touching_ctx *ctx, const sp_candidates *cs, const sp_touch_proposal *pr,
                                size_t j, const sp_class_scores *ps, const sp_box *boxes) {
    float p = ps[j].prob[0];
    if (pr->rule == SP_TOUCH_CUT && j == pr->first)
        p = sp_touch_leading_bar(ctx, &ps[j], &boxes[j], &cs->groups[pr->owner].box);
    if (sp_touch_accent_rule(pr->rule) && j == pr->first) p = sp_touch_bar_family(ctx, &ps[j]);
    if (pr->rule == SP_TOUCH_PRIME_CUT) p = sp_touch_prime_part(ctx, &ps[j]);
    if (pr->rule == SP_TOUCH_RULE && j == pr->first && sp_touch_digit_pieces(ctx, pr, ps))
        p = sp_touch_bar_family(ctx, &ps[j]);
    return p;
}

/* How well each part of proposal pr must read: SP_TOUCH_MIN_PART, or,
 * for a cut in two of a whole that reads as nothing (three glyphs and a
 * script in one blob: "\\exp\\{" at 100 dpi), less: the cut leaves a part of
 * two glyphs, which reads poorly until the next pass cuts it.  (Three-part
 * cuts and seams are held to the full bar: letting them off too cost a
 * tenth more time for four formulas in 3000.) */
static float sp_touch_min_part(const sp_touch_proposal *pr, float whole) {
    int cut_in_two = (pr->rule == SP_TOUCH_CUT && pr->n == 2) || pr->rule == SP_TOUCH_CORNER;
    return cut_in_two && whole < SP_TOUCH_LOST ? SP_TOUCH_LOST_PART : SP_TOUCH_MIN_PART;
}

/* Is proposal pr given up on the parts read so far (read[j - lo] == 2)?
 * Its unread parts are counted as read surely, so a proposal given up
 * could never have beaten `bar` (what the candidate's proposals must beat,
 * see sp_touch_pass) by its parts' readings, nor, a cut, spelled a name
 * well enough: reading its other parts would be wasted.  Rule splits and dot accents, let off by more
 * than their parts show, are never given up early. */
static int sp_touch_hopeless(const sp_touching_ctx *ctx, const sp_candidates *cs, const sp_touch_proposal *pr,
                             const sp_class_scores *ps, const sp_box *boxes, const unsigned char *read, size_t lo,
                             float whole, float bar) {
    if (pr->rule == SP_TOUCH_RULE || pr->rule == SP_TOUCH_EDGE_RULE || pr->rule == SP_TOUCH_DOT_ACCENT) return 0;
    int lexical = pr->rule == SP_TOUCH_CUT && pr->n >= 2 && pr->n <= 4;
    float score = 1, spelled = 1;
    for (size_t j = pr->first; j < pr->first + pr->n; j++) {
        if (read[j - lo] != 2) continue;
        float p = sp_touch_part_prob(ctx, cs, pr, j, ps, boxes);
        score = p < sp_touch_min_part(pr, whole) ? 0 : score * p;
        if (lexical) {
            float s = sp_touch_best_spelling(ctx, &ps[j]);
            spelled = s < SP_TOUCH_MIN_PART ? 0 : spelled * s;
        }
    }
    /* the most sp_touch_let_off gives these rules */
    float let_off = pr->rule == SP_TOUCH_THIN_ACCENT || pr->rule == SP_TOUCH_PRIME_CUT ? SP_TOUCH_MARGIN : 0;
    if (score > 0 && powf(score, 1.0f / (float)pr->n) + let_off > bar) return 0;
    float lex = spelled > 0 ? powf(spelled, 1.0f / (float)pr->n) : 0;
    return !(lexical && lex > whole && lex + SP_TOUCH_MARGIN > bar);
}

/* Reads the parts of one candidate's proposals props[0..np) in rounds:
 * each round, the first unread part of every proposal not yet given up
 * (sp_touch_hopeless against the candidate's `whole` reading and `bar`,
 * taken as the proposals are judged: earlier splits of the pass change
 * them), in one batch; a box proposed twice (same[j] != j) is read once.
 * Most cuts of a blob the classifier doubts leave a first part that reads
 * as nothing, and the rest of that proposal is never read.  Sets
 * given_up[b] for the proposals dropped, ps[j] for every part of the
 * others. */
static int sp_touch_read_parts(const sp_touching_ctx *ctx, const sp_candidates *cs, const sp_touch_proposal *props,
                               size_t np, float whole, float bar, const sp_box *boxes, const sp_touch_mask *masks,
                               const size_t *same, sp_glyph *glyphs, uint8_t **scratch, sp_class_scores *ps,
                               unsigned char *given_up, scipix_error *err) {
    size_t lo = props[0].first, hi = lo; /* the candidate's boxes */
    for (size_t b = 0; b < np; b++)
        if (props[b].first + props[b].n > hi) hi = props[b].first + props[b].n;
    size_t nbox = hi - lo;
    unsigned char *state = calloc(nbox, 1); /* per box: 0 unread, 1 in this round's batch, 2 read */
    size_t *batch = malloc(nbox * sizeof *batch);
    sp_class_scores *got = malloc(nbox * sizeof *got);
    int rc = SCIPIX_OK;
    if (!state || !batch || !got) {
        rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split parts", nbox);
        goto done;
    }
    for (;;) {
        size_t nbatch = 0;
        for (size_t b = 0; b < np; b++) {
            if (given_up[b]) continue;
            if (!ctx->read_all && sp_touch_hopeless(ctx, cs, &props[b], ps, boxes, state, lo, whole, bar)) {
                given_up[b] = 1;
                continue;
            }
            /* a three-part cut's outer parts first: they are its cuts'
             * parts, read for the two-part proposals anyway */
            for (size_t q = 0; q < props[b].n; q++) {
                size_t j = props[b].first + (props[b].n == 3 && q ? 3 - q : q);
                if (state[j - lo] == 2) continue;
                if (state[same[j] - lo] == 0) state[same[j] - lo] = 1, batch[nbatch++] = same[j];
                break;
            }
        }
        if (nbatch == 0) break;
        for (size_t q = 0; q < nbatch && !rc; q++) {
            size_t u = batch[q];
            glyphs[q] = sp_touch_glyph(ctx, &boxes[u]);
            if (masks[u].box.w > 0 || masks[u].box2.w > 0 || masks[u].seam)
                rc = sp_touch_masked(&glyphs[q], &boxes[u], &masks[u], &scratch[u], err);
        }
        if (rc || (rc = sp_classify_batch_cached(ctx->model, glyphs, nbatch, ctx->precision, ctx->cache, got, err)))
            goto done;
        for (size_t q = 0; q < nbatch; q++) ps[batch[q]] = got[q], state[batch[q] - lo] = 2;
        for (size_t j = lo; j < hi; j++)
            if (state[j - lo] != 2 && state[same[j] - lo] == 2) ps[j] = ps[same[j]], state[j - lo] = 2;
    }
done:
    free(state);
    free(batch);
    free(got);
    return rc;
}

/* One pass over the candidates listed in todo[0..ntodo): the parts of the
 * ones it splits are listed in *next (allocated here, NULL if none) for the
 * next pass. */
static int sp_touch_pass(const sp_touching_ctx *ctx, sp_candidates *cs, const size_t *todo, size_t ntodo,
                         int sunk_pass, size_t **next, size_t *nnext, scipix_error *err) {
    *nnext = 0;
    *next = NULL;
    int min_part = (int)(0.2f * ctx->ref + 0.5f);
    if (min_part < 2) min_part = 2;
    int min_corner = (int)(0.45f * ctx->ref + 0.5f); /* a glyph in a corner: script size at least */
    if (min_corner < min_part) min_corner = min_part;
    /* per candidate, once: bit 0 unsure (cuts, a rule inside), bits 1-2
     * the edges a rule may lie along (sp_touch_rule_edges scans all
     * candidates: not twice), bit 3 a thin accent may be on it, bit 4
     * a dot over it is not its own, bit 5 the sunk pass, bit 6 primes
     * may touch in it */
    unsigned char *mode = malloc(ntodo ? ntodo : 1);
    if (!mode) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split trials", ntodo);
    size_t ntry = 0, nprimes = 0;
    for (size_t t = 0; t < ntodo; t++) {
        mode[t] = (unsigned char)(sunk_pass ? 1 << 5
                                            : sp_touch_worth_trying(ctx, cs, todo[t]) |
                                                  sp_touch_rule_edges(ctx, cs, todo[t]) << 1 |
                                                  sp_touch_thin_worth_trying(ctx, cs, todo[t]) << 3 |
                                                  sp_touch_stray_dot(ctx, cs, todo[t]) << 4 |
                                                  sp_touch_primes_worth_trying(ctx, cs, todo[t]) << 6);
        ntry += mode[t] != 0;
        nprimes += (mode[t] >> 6) & 1;
    }
    if (ntry == 0) {
        free(mode);
        return SCIPIX_OK;
    }
    /* per candidate: SP_TOUCH_CUTS cuts, SP_TOUCH_END_CUTS stroke ends,
     * SP_TOUCH_SEAM_CUTS seams, SP_TOUCH_ACCENTS and twice
     * SP_TOUCH_CORNER_CUTS more of 2 parts, pairs of the first
     * SP_TOUCH_PAIR_CUTS cuts and the ends (3 parts), one rule split;
     * and where primes may touch, as many cuts and pairs again */
    size_t npairs = SP_TOUCH_PAIRED * (SP_TOUCH_PAIRED - 1) / 2,
           ncuts = SP_TOUCH_CUTS + SP_TOUCH_END_CUTS + SP_TOUCH_SEAM_CUTS;
    size_t nprime_cuts = SP_TOUCH_CUTS + SP_TOUCH_END_CUTS;
    size_t ncorners2 = 2 * SP_TOUCH_CORNERS_EACH * SP_TOUCH_CORNERS_EACH; /* either corner first */
    size_t max_props = ntry * (ncuts + SP_TOUCH_ACCENTS + 2 * SP_TOUCH_CORNER_CUTS + ncorners2 + npairs + 1) +
                       nprimes * (nprime_cuts + npairs),
           max_boxes = ntry * (2 * ncuts + 2 * SP_TOUCH_ACCENTS + 4 * SP_TOUCH_CORNER_CUTS + 3 * ncorners2 +
                               3 * npairs + SP_TOUCH_RULE_PARTS) +
                       nprimes * (2 * nprime_cuts + 3 * npairs);
    sp_touch_proposal *props = malloc(max_props * sizeof *props);
    sp_box *boxes = malloc(max_boxes * sizeof *boxes);
    sp_touch_mask *masks = calloc(max_boxes, sizeof *masks); /* per box: ink to leave out */
    sp_seam_cut *seams = malloc(ntry * SP_TOUCH_SEAM_CUTS * sizeof *seams);
    sp_glyph *glyphs = malloc(max_boxes * sizeof *glyphs);
    uint8_t **scratch = calloc(max_boxes, sizeof *scratch);
    sp_class_scores *ps = malloc(max_boxes * sizeof *ps);
    /* per box: the first box of its candidate with the same box and mask
     * (itself if none); per proposal: given up before all its parts were
     * read (sp_touch_read_parts) */
    size_t *same = malloc(max_boxes * sizeof *same);
    unsigned char *given_up = calloc(max_props ? max_props : 1, 1);
    int rc = SCIPIX_OK;
    if (!props || !boxes || !masks || !seams || !glyphs || !scratch || !ps || !same || !given_up) {
        rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split trials", ntry);
        goto done;
    }
    size_t np = 0, nb = 0, nseams = 0;
    for (size_t t = 0; t < ntodo; t++) {
        size_t i = todo[t], nb0 = nb;
        int unsure = mode[t] & 1, edges = (mode[t] >> 1) & 3, thin = (mode[t] >> 3) & 1, stray = (mode[t] >> 4) & 1,
            sunk = (mode[t] >> 5) & 1, primes = (mode[t] >> 6) & 1;
        if (!mode[t]) continue;
        const sp_box *gb = &cs->groups[i].box;
        sp_cut cuts[SP_TOUCH_CUTS + SP_TOUCH_END_CUTS];
        size_t k = 0, ends = 0;
        int cuttable = unsure && sp_touch_cut_worth_trying(ctx, cs, i); /* vertical and corner cuts */
        if (cuttable)
            k = sp_segment_cut_candidates(ctx->bin, &cs->groups[i].box, min_part, cuts, SP_TOUCH_CUTS, &ends);
        for (size_t j = 0; j < k; j++) {
            sp_touch_take_dots(ctx, cs, &cuts[j].left, &cuts[j].right);
            sp_touch_take_bar(ctx, cs, &cuts[j].left);
            sp_touch_take_bar(ctx, cs, &cuts[j].right);
            props[np++] = (sp_touch_proposal){i, nb, 2, SP_TOUCH_CUT, cuts[j].thick};
            boxes[nb++] = cuts[j].left;
            boxes[nb++] = cuts[j].right;
        }
        /* an accent stuck on its letter: a neck across the upper half; and
         * a bar a pixel or two thin whose gap to its letter is only faint
         * ink (the \\bar of a z at 100 dpi) */
        sp_cut hc[SP_TOUCH_ACCENT_CUTS];
        size_t kh = unsure ? sp_segment_accent_cuts(ctx->bin, gb, min_part, hc, SP_TOUCH_ACCENT_CUTS) : 0;
        for (size_t j = 0; j < kh; j++) {
            props[np++] = (sp_touch_proposal){i, nb, 2, SP_TOUCH_ACCENT, 0};
            boxes[nb++] = hc[j].left;
            boxes[nb++] = hc[j].right;
        }
        /* a dot accent grouped with its letter as if it were an i's dot
         * (the \\dot over a φ): the two pieces apart */
        sp_box dot_part, stem_part;
        if ((unsure || stray) && cs->groups[i].ncomp == 2 &&
            sp_segment_stacked_parts(ctx->bin, gb, &dot_part, &stem_part)) {
            props[np++] = (sp_touch_proposal){i, nb, 2, stray ? SP_TOUCH_DOT_ACCENT : SP_TOUCH_ACCENT, 0};
            boxes[nb++] = dot_part;
            boxes[nb++] = stem_part;
        }
        for (int r = 1; thin && r <= min_part && r <= SP_TOUCH_THIN_ROWS; r++) {
            sp_cut tc;
            if (!sp_touch_thin_accent(ctx, gb, r, r == min_part) || !sp_segment_top_cut(ctx->bin, gb, r, &tc)) continue;
            props[np++] = (sp_touch_proposal){i, nb, 2, SP_TOUCH_THIN_ACCENT, 0};
            boxes[nb++] = tc.left;
            boxes[nb++] = tc.right;
        }
        /* two glyphs touching along a bent line: a seam between them, each
         * side read without the other's ink */
        size_t nseam = sp_touch_whole_prob(ctx, cs, i) < SP_TOUCH_SEAM_UNSURE ? SP_TOUCH_SEAM_CUTS : 1;
        size_t ks = cuttable || sunk ? sp_segment_seam_cuts(ctx->bin, gb, min_part, seams + nseams, nseam) : 0;
        for (size_t j = 0; j < ks; j++, nseams++) {
            /* the stem of an i stuck to the "=" after it (\\sum_{i=1} at
             * 100 dpi) is read with its dot, which the seam's rows miss */
            sp_touch_take_dots(ctx, cs, &seams[nseams].left, &seams[nseams].right);
            props[np++] = (sp_touch_proposal){i, nb, 2, SP_TOUCH_SEAM, 0};
            masks[nb] = (sp_touch_mask){{0, 0, 0, 0}, {0, 0, 0, 0}, &seams[nseams], 1};
            boxes[nb++] = seams[nseams].left;
            masks[nb] = (sp_touch_mask){{0, 0, 0, 0}, {0, 0, 0, 0}, &seams[nseams], 0};
            boxes[nb++] = seams[nseams].right;
        }
        /* a glyph in the corner of another: a script stuck at its base's
         * corner, a letter under an overhang (the r of "Tr").  The rest's
         * box covers part of the corner: it is read with the corner masked */
        for (int upper = cuttable; (cuttable || sunk) && upper >= 0; upper--) { /* a sunk letter: its lower only */
            sp_corner_cut cc[SP_TOUCH_CORNER_CUTS];
            size_t kc = sp_segment_corner_cuts(ctx->bin, gb, min_corner, upper, cc, SP_TOUCH_CORNER_CUTS);
            for (size_t j = 0; j < kc; j++) {
                props[np++] = (sp_touch_proposal){i, nb, 2, SP_TOUCH_CORNER, 0};
                masks[nb].box = cc[j].mask;
                boxes[nb++] = cc[j].rest;
                boxes[nb++] = cc[j].corner;
            }
        }
        /* both corners at once: a base with both its scripts stuck
         * (e_{i}^{a} at 100 dpi), which neither corner alone leaves
         * readable: the other corner is looked for in the rest of one,
         * without the ink that one took */
        int scripted = unsure && gb->h >= SP_TOUCH_CORNERS_SHORTEST * ctx->ref &&
                       gb->h <= SP_TOUCH_CORNERS_TALL * ctx->ref && gb->w >= 0.6f * ctx->ref;
        for (int first = 1; scripted && first >= 0; first--) {
            sp_corner_cut ones[SP_TOUCH_CORNERS_EACH];
            size_t k1 = sp_segment_corner_cuts_masked(ctx->bin, gb, NULL, min_corner, first, SP_TOUCH_CORNER_SHORT,
                                                      ones, SP_TOUCH_CORNERS_EACH);
            for (size_t u = 0; u < k1; u++) {
                const sp_corner_cut *one = &ones[u];
                sp_corner_cut other[SP_TOUCH_CORNERS_EACH];
                size_t ko = sp_segment_corner_cuts_masked(ctx->bin, &one->rest, &one->mask, min_corner, !first, 0,
                                                          other, SP_TOUCH_CORNERS_EACH);
                for (size_t l = 0; l < ko; l++) {
                    const sp_corner_cut *up = first ? one : &other[l], *lo = first ? &other[l] : one;
                    if (up->corner.y + up->corner.h > lo->corner.y) continue; /* stacked, the upper above */
                    props[np++] = (sp_touch_proposal){i, nb, 3, SP_TOUCH_CORNERS, 0};
                    masks[nb].box = one->mask, masks[nb].box2 = other[l].mask;
                    boxes[nb++] = other[l].rest;
                    boxes[nb++] = up->corner;
                    boxes[nb++] = lo->corner;
                }
            }
        }
        /* three glyphs in one wide blob ("cab", "ds" and an exponent): two
         * cuts at once, since no single cut leaves two readable parts */
        int three = gb->w >= SP_TOUCH_THREE_WIDE * ctx->ref && sp_touch_whole_prob(ctx, cs, i) < SP_TOUCH_THREE_BELOW;
        /* paired: the best cuts and the stroke ends ("m=0": m | = | 0) */
        sp_cut pc[SP_TOUCH_PAIRED];
        sp_cut_middle mids[SP_TOUCH_PAIRED * SP_TOUCH_PAIRED];
        size_t nm = 0;
        if (three) {
            size_t kp = k - ends < SP_TOUCH_PAIR_CUTS ? k - ends : SP_TOUCH_PAIR_CUTS;
            memcpy(pc, cuts, kp * sizeof *pc);
            memcpy(pc + kp, cuts + (k - ends), ends * sizeof *pc);
            nm = sp_segment_cut_middles(ctx->bin, gb, pc, kp + ends, min_part, mids, npairs);
        }
        for (size_t m = 0; m < nm; m++) {
            int thick = pc[mids[m].left].thick || pc[mids[m].right].thick;
            props[np++] = (sp_touch_proposal){i, nb, 3, SP_TOUCH_CUT, thick};
            boxes[nb++] = pc[mids[m].left].left;
            boxes[nb++] = mids[m].box;
            boxes[nb++] = pc[mids[m].right].right;
        }
        /* primes that touch (sp_touch_primes_worth_trying): cuts down to
         * 2 px parts, two of them for a doubtful m */
        sp_cut prime_cuts[SP_TOUCH_CUTS + SP_TOUCH_END_CUTS];
        size_t kpr = 0, pends = 0;
        if (primes) kpr = sp_segment_cut_candidates(ctx->bin, gb, 2, prime_cuts, SP_TOUCH_CUTS, &pends);
        for (size_t j = 0; j < kpr; j++) {
            props[np++] = (sp_touch_proposal){i, nb, 2, SP_TOUCH_PRIME_CUT, 0};
            boxes[nb++] = prime_cuts[j].left;
            boxes[nb++] = prime_cuts[j].right;
        }
        size_t npm = primes && sp_touch_is(ctx, &cs->scores[i], "m")
                         ? sp_segment_cut_middles(ctx->bin, gb, prime_cuts, kpr, 2, mids, npairs)
                         : 0;
        for (size_t m = 0; m < npm; m++) {
            props[np++] = (sp_touch_proposal){i, nb, 3, SP_TOUCH_PRIME_CUT, 0};
            boxes[nb++] = prime_cuts[mids[m].left].left;
            boxes[nb++] = mids[m].box;
            boxes[nb++] = prime_cuts[mids[m].right].right;
        }
        /* a rule inside: tall blobs only (an arrow's shaft is a band with
         * ink above and below); a rule along an edge: wherever a glyph
         * lies beyond that edge */
        int inside = unsure && sp_touch_rule_worth_trying(ctx, cs, i);
        if (inside || edges) {
            sp_box *rb = boxes + nb;
            size_t r = sp_segment_rule_split(ctx->bin, &cs->groups[i].box, edges, rb, SP_TOUCH_RULE_PARTS);
            /* a rule along an edge has no glyph on its other side: its
             * pieces are judged with it */
            int edge = r && (rb[0].y == cs->groups[i].box.y ||
                             rb[0].y + rb[0].h == cs->groups[i].box.y + cs->groups[i].box.h);
            if (r && (edge || inside)) {
                props[np++] = (sp_touch_proposal){i, nb, r, edge ? SP_TOUCH_EDGE_RULE : SP_TOUCH_RULE, 0};
                nb += r;
            }
        }
        for (size_t j = nb0; j < nb; j++) {
            same[j] = j;
            for (size_t q = nb0; q < j && same[j] == j; q++)
                if (same[q] == q && sp_touch_same_box(&boxes[q], &boxes[j]) && sp_touch_same_mask(&masks[q], &masks[j]))
                    same[j] = q;
        }
    }
    if (np == 0) goto done;
    if (!(*next = malloc(nb * sizeof **next))) {
        rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split parts", nb);
        goto done;
    }
    /* the best proposal of each candidate (a candidate's are adjacent) */
    for (size_t a = 0; a < np;) {
        size_t i = props[a].owner, b = a, best = np, nown = 0;
        float whole = sp_touch_whole_prob(ctx, cs, i);
        int copy_w = sp_touch_copy_width(ctx, cs, i), whole_cls = cs->scores[i].class_id[0];
        /* what a proposal must beat: the whole plus the margin, or only part
         * of the whole for "m,", a tall x-height reading and in the sunk pass */
        int tall_x = sp_touch_tall_x(ctx, cs, i);
        float best_score = (copy_w || sunk_pass || tall_x ? SP_TOUCH_OVERSIZED * whole : whole) + SP_TOUCH_MARGIN;
        /* its parts are read only now: a split before may lower its bar
         * (a copy of its letter cut off a wider blob) */
        while (a + nown < np && props[a + nown].owner == i) nown++;
        if ((rc = sp_touch_read_parts(ctx, cs, props + a, nown, whole, best_score, boxes, masks, same, glyphs, scratch,
                                      ps, given_up + a, err)))
            goto done;
        int best_lex = 0, lex_cls[4];
        for (; b < np && props[b].owner == i; b++) {
            if (given_up[b]) continue;
            if (props[b].rule == SP_TOUCH_CUT) {
                int cls[4];
                float lex = sp_touch_lexicon(ctx, ps + props[b].first, props[b].n, cls);
                if (lex > whole && lex + SP_TOUCH_MARGIN > best_score) {
                    best_score = lex + SP_TOUCH_MARGIN, best = b, best_lex = 1;
                    memcpy(lex_cls, cls, props[b].n * sizeof *cls);
                    continue;
                }
            }
            float score = 1;
            int accent = sp_touch_accent_rule(props[b].rule);
            /* a rule split is judged by the rule alone: its pieces may
             * still be touching glyphs that the next pass cuts */
            size_t judged = props[b].rule == SP_TOUCH_RULE ? 1 : props[b].n;
            for (size_t j = props[b].first; j < props[b].first + judged; j++) {
                float p = sp_touch_part_prob(ctx, cs, &props[b], j, ps, boxes);
                if (p < sp_touch_min_part(&props[b], whole)) score = 0;
                score *= p;
            }
            /* the rule of a rule split must read as a bar, and an inside
             * rule have a glyph above it and below it */
            if ((props[b].rule == SP_TOUCH_RULE || props[b].rule == SP_TOUCH_EDGE_RULE) &&
                (!sp_touch_bar_class(ctx, ps[props[b].first].class_id[0]) ||
                 !sp_touch_fraction_rule(ctx, &boxes[props[b].first], props[b].n, props[b].rule == SP_TOUCH_RULE)))
                score = 0;
            /* the upper part of a horizontal cut must read as an accent
             * (a bar: the \\bar of a z merged with its top stroke), the
             * lower as a letter (not the rest of a tall parenthesis) */
            if (accent &&
                (!(sp_touch_accent_class(ctx, ps[props[b].first].class_id[0]) ||
                   sp_touch_bar_class(ctx, ps[props[b].first].class_id[0])) ||
                 !sp_symbol_class_is_letter(sp_model_class(ctx->model, ps[props[b].first + 1].class_id[0]))))
                score = 0;
            int cornered = props[b].rule == SP_TOUCH_CORNER || props[b].rule == SP_TOUCH_CORNERS;
            for (size_t j = 1; cornered && j < props[b].n; j++)
                if (sp_touch_impossible_corner(ctx, ps[props[b].first].class_id[0], ps[props[b].first + j].class_id[0]))
                    score = 0;
            /* a thick bridge cut through leaves slivers that read as dots
             * (the serif of an F, the tip of a c): a dot is not what it
             * separates */
            for (size_t j = props[b].first; props[b].thick && j < props[b].first + props[b].n; j++)
                if (sp_touch_dotted_mark(ctx, &ps[j])) score = 0;
            int sided = props[b].rule == SP_TOUCH_CUT || props[b].rule == SP_TOUCH_CORNER ||
                        props[b].rule == SP_TOUCH_SEAM; /* parts left to right */
            for (size_t j = props[b].first; sided && j + 1 < props[b].first + props[b].n; j++)
                if (sp_touch_cut_leaves_a_dot(ctx, &boxes[j], &boxes[j + 1]) ||
                    sp_touch_misplaced_prime(ctx, ps[j].class_id[0], &boxes[j], &boxes[j + 1]) ||
                    sp_touch_misplaced_prime(ctx, ps[j + 1].class_id[0], &boxes[j + 1], &boxes[j]) ||
                    sp_touch_stepped_primes(ctx, ps[j].class_id[0], &boxes[j], ps[j + 1].class_id[0], &boxes[j + 1],
                                            &cs->groups[i].box) ||
                    sp_touch_impossible_pair(ctx, ps[j].class_id[0], ps[j + 1].class_id[0]) ||
                    sp_touch_short_fence(ctx, ps[j].class_id[0], &boxes[j], ps[j + 1].class_id[0], &boxes[j + 1]) ||
                    sp_touch_short_fence(ctx, ps[j + 1].class_id[0], &boxes[j + 1], ps[j].class_id[0], &boxes[j]) ||
                    (props[b].rule != SP_TOUCH_CORNER && /* cut or seam: halves side by side */
                     sp_touch_mirror_halves(ctx, &boxes[j], ps[j].class_id[0], &boxes[j + 1], ps[j + 1].class_id[0])))
                    score = 0;
            /* per part (geometric mean), so that two- and three-part
             * proposals and the whole compare as "how well is each glyph
             * read" (token BLEU on heavy-heldout 0.605 -> 0.614) */
            score = powf(score, 1.0f / (float)judged);
            if (score > 0) score += sp_touch_let_off(ctx, props[b].rule, &ps[props[b].first], whole);
            int oversized = tall_x ||
                            (copy_w && sp_touch_keeps_copy(ctx, &ps[props[b].first], &boxes[props[b].first],
                                                           props[b].n, whole_cls, copy_w)) ||
                            (sunk_pass && sp_touch_sunk_split(ctx, &props[b], ps, whole_cls));
            /* only "m,", a sunk letter and a tall x-height reading beat
             * less (best_score starts at part of the whole) */
            if (score <= whole + SP_TOUCH_MARGIN && !oversized) continue;
            if (score > best_score) best_score = score, best = b, best_lex = 0;
        }
        a = b;
        if (best == np) continue;
        const sp_touch_proposal *pr = &props[best];
        if ((rc = sp_touch_grow(cs, cs->n + pr->n - 1, err))) goto done;
        size_t n_before = cs->n;
        for (size_t j = 0; j < pr->n; j++) {
            size_t slot = j == 0 ? i : cs->n++;
            size_t src = pr->first + j;
            cs->groups[slot] = (sp_symbol_group){boxes[src], 1};
            cs->glyphs[slot] = sp_touch_glyph(ctx, &boxes[src]); /* its box (a masked copy dies with the pass) */
            cs->scores[slot] = ps[src];
            if (best_lex) sp_touch_promote(&cs->scores[slot], lex_cls[j]);
            if (pr->rule == SP_TOUCH_PRIME_CUT)
                sp_touch_promote(&cs->scores[slot], sp_model_find_class(ctx->model, "\\prime"));
            /* a dot cut off the top of its letter is the \\dot accent */
            if (sp_touch_accent_rule(pr->rule) && j == 0 &&
                (sp_touch_is(ctx, &cs->scores[slot], ".") || sp_touch_is(ctx, &cs->scores[slot], "\\cdot")))
                sp_touch_promote(&cs->scores[slot], sp_model_find_class(ctx->model, "\\dot"));
            /* a corner or seam cut's parts are not cut again where each
             * part's box still holds the other's ink in the image the cuts
             * are made on; a part whose box clears the other's is (the
             * superscript in the corner of "d\\Omega^{2}", the d and the
             * \\Omega still stuck) */
            if (pr->rule == SP_TOUCH_CORNERS) continue; /* each box holds or meets another's ink */
            if ((pr->rule != SP_TOUCH_CORNER && pr->rule != SP_TOUCH_SEAM) ||
                !sp_touch_boxes_meet(&boxes[pr->first + j], &boxes[pr->first + 1 - j]))
                (*next)[(*nnext)++] = slot;
        }
        /* a part's box may hold a whole other candidate that is a piece of
         * a multi-part symbol, a bar or a dot (the lower bar of an "="
         * whose upper bar touched the i before it): the part was read with
         * that ink in it, so the piece is swallowed */
        for (size_t j = 0; j < pr->n; j++)
            for (size_t k = 0; k < n_before; k++) {
                const sp_box *o = &cs->groups[k].box;
                if (k != i && (o->h * 2 <= o->w || sp_segment_is_dot(o, ctx->ref)) &&
                    sp_touch_inside(o, &boxes[pr->first + j]))
                    cs->groups[k].box.w = 0;
            }
    }
done:
    for (size_t j = 0; scratch && j < max_boxes; j++) free(scratch[j]);
    free(scratch);
    free(mode);
    free(props);
    free(boxes);
    free(masks);
    free(seams);
    free(glyphs);
    free(ps);
    free(same);
    free(given_up);
    return rc;
}

/* ---- a radical sign without its vinculum ---------------------------------
 * Heavy strokes join a radical's vinculum to the radicand's top ("√2" with
 * the 2 stuck under the bar), and the hook alone is read as \\surd.  So:
 * a \\surd whose top meets the top of the candidate right after it gets
 * that candidate cut along its top edge (the rule split); the hook and the
 * bar are read again as one radical, the rest as the radicand, and the
 * trial is kept when the radical reads as \\sqrt and the pieces well. */

#define SP_TOUCH_SURD_PARTS 6

static int sp_touch_is(const sp_touching_ctx *ctx, const sp_class_scores *sc, const char *latex) {
    const sp_symbol_class *c = sp_model_class(ctx->model, sc->class_id[0]);
    return c && c->latex && !strcmp(c->latex, latex);
}

/* The candidate whose top meets the right end of surd s, or cs->n. */
static size_t sp_touch_vinculum_owner(const sp_candidates *cs, size_t s) {
    const sp_box *h = &cs->groups[s].box;
    size_t best = cs->n;
    for (size_t k = 0; k < cs->n; k++) {
        const sp_box *o = &cs->groups[k].box;
        if (k == s || o->w == 0 || abs(o->y - h->y) > 2 || o->x < h->x + h->w - 3 || o->x > h->x + h->w + 2) continue;
        if (best == cs->n || o->x < cs->groups[best].box.x) best = k;
    }
    return best;
}

static int sp_touch_surds(const sp_touching_ctx *ctx, sp_candidates *cs, scipix_error *err) {
    int rc = SCIPIX_OK;
    size_t n = cs->n;
    for (size_t s = 0; s < n && rc == SCIPIX_OK; s++) {
        if (!sp_touch_is(ctx, &cs->scores[s], "\\surd")) continue;
        size_t v = sp_touch_vinculum_owner(cs, s);
        if (v == cs->n) continue;
        sp_box parts[SP_TOUCH_SURD_PARTS];
        size_t r = sp_segment_rule_split(ctx->bin, &cs->groups[v].box, SP_RULE_EDGE_TOP | SP_RULE_VINCULUM,
                                         parts, SP_TOUCH_SURD_PARTS);
        if (r < 2 || parts[0].y != cs->groups[v].box.y) continue;
        /* the radical: hook and bar */
        const sp_box *h = &cs->groups[s].box;
        int x1 = parts[0].x + parts[0].w, y1 = h->y + h->h;
        parts[0] = (sp_box){h->x, h->y, x1 - h->x, y1 - h->y};
        sp_glyph gl[SP_TOUCH_SURD_PARTS];
        sp_class_scores sc[SP_TOUCH_SURD_PARTS];
        for (size_t j = 0; j < r; j++) gl[j] = sp_touch_glyph(ctx, &parts[j]);
        if ((rc = sp_classify_batch_cached(ctx->model, gl, r, ctx->precision, ctx->cache, sc, err))) break;
        int ok = sp_touch_is(ctx, &sc[0], "\\sqrt") && sc[0].prob[0] >= 0.5f;
        for (size_t j = 1; j < r && ok; j++) ok = sc[j].prob[0] >= SP_TOUCH_MIN_PART;
        if (!ok) continue;
        if ((rc = sp_touch_grow(cs, cs->n + r - 2, err))) break;
        cs->groups[s] = (sp_symbol_group){parts[0], 2};
        cs->glyphs[s] = gl[0], cs->scores[s] = sc[0];
        for (size_t j = 1; j < r; j++) {
            size_t slot = j == 1 ? v : cs->n++;
            cs->groups[slot] = (sp_symbol_group){parts[j], 1};
            cs->glyphs[slot] = gl[j], cs->scores[slot] = sc[j];
        }
    }
    return rc;
}

/* ---- dots left alone ------------------------------------------------------
 * The dot of an i or j is grouped with its stem by the segmenter, unless the
 * stem was part of a merged component then (the "i" of a heavy "dim" touches
 * the d).  Once a cut has freed the stem, the dot still stands alone and is
 * read as \\cdot.  So: a narrow single-component candidate with a lone dot
 * right above it is read again with the dot; the pair is kept when it reads
 * better than the stem alone, or reads as an i or j at all (a stem read as
 * "1" with a dot over it is an i). */

static int sp_touch_is_dot(const sp_touching_ctx *ctx, const sp_candidates *cs, size_t i) {
    return cs->groups[i].ncomp == 1 && sp_segment_is_dot(&cs->groups[i].box, ctx->ref);
}

static int sp_touch_dot_over(const sp_touching_ctx *ctx, const sp_box *stem, const sp_box *dot) {
    float cx = dot->x + 0.5f * dot->w;
    int bottom = dot->y + dot->h;
    return cx >= stem->x - 1 && cx <= stem->x + stem->w + 1 && bottom <= stem->y + stem->h / 3 &&
           stem->y - bottom <= 0.5f * ctx->ref;
}

/* Scratch for the passes that join two candidates into one (a dot back on
 * its stem, the two halves of a broken glyph): trial k joins first[k]
 * and second[k] into box[k], read as sc[k]; dead marks the candidates
 * that a join took in, dropped at the end by sp_touch_drop_dead. */
typedef struct sp_touch_joins {
    size_t *first, *second;
    unsigned char *dead;
    sp_glyph *gl;
    sp_class_scores *sc;
    sp_box *box;
} sp_touch_joins;

static void sp_touch_joins_free(sp_touch_joins *J) {
    free(J->first), free(J->second), free(J->dead), free(J->gl), free(J->sc), free(J->box);
}

static int sp_touch_joins_alloc(sp_touch_joins *J, size_t n, const char *what, scipix_error *err) {
    J->first = malloc(n * sizeof *J->first), J->second = malloc(n * sizeof *J->second);
    J->dead = calloc(n, 1);
    J->gl = malloc(n * sizeof *J->gl);
    J->sc = malloc(n * sizeof *J->sc);
    J->box = malloc(n * sizeof *J->box);
    if (J->first && J->second && J->dead && J->gl && J->sc && J->box) return SCIPIX_OK;
    sp_touch_joins_free(J);
    return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu %s trials", n, what);
}

/* Drop the candidates marked dead, keeping the others in order. */
static void sp_touch_drop_dead(sp_candidates *cs, const unsigned char *dead) {
    size_t w = 0;
    for (size_t i = 0; i < cs->n; i++) {
        if (dead[i]) continue;
        cs->groups[w] = cs->groups[i], cs->glyphs[w] = cs->glyphs[i], cs->scores[w] = cs->scores[i];
        w++;
    }
    cs->n = w;
}

static int sp_touch_redot(const sp_touching_ctx *ctx, sp_candidates *cs, scipix_error *err) {
    size_t n = cs->n;
    sp_touch_joins J;
    int rc = sp_touch_joins_alloc(&J, n, "dot", err);
    if (rc) return rc;
    size_t *stem = J.first, *dot = J.second;
    unsigned char *dead = J.dead;
    sp_glyph *gl = J.gl;
    sp_class_scores *sc = J.sc;
    sp_box *box = J.box;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const sp_box *b = &cs->groups[i].box;
        if (cs->groups[i].ncomp != 1 || b->w > 0.9f * b->h || b->h < 0.5f * ctx->ref) continue;
        for (size_t d = 0; d < n; d++) {
            /* (a dot an accent split read as \\dot stays the accent) */
            if (d == i || dead[d] || !sp_touch_is_dot(ctx, cs, d) || !sp_touch_dot_over(ctx, b, &cs->groups[d].box) ||
                sp_touch_is(ctx, &cs->scores[d], "\\dot"))
                continue;
            box[k] = sp_touch_stem_with_dot(b, &cs->groups[d].box);
            gl[k] = sp_touch_glyph(ctx, &box[k]);
            stem[k] = i, dot[k] = d;
            dead[d] = 1; /* claimed; released below if the pair reads worse */
            k++;
            break;
        }
    }
    if (k == 0) goto done;
    if ((rc = sp_classify_batch_cached(ctx->model, gl, k, ctx->precision, ctx->cache, sc, err))) goto done;
    for (size_t j = 0; j < k; j++) {
        size_t i = stem[j];
        if (sc[j].prob[0] <= cs->scores[i].prob[0] && !sp_touch_dotted(ctx, sc[j].class_id[0])) {
            dead[dot[j]] = 0;
            continue;
        }
        cs->groups[i] = (sp_symbol_group){box[j], 2};
        cs->glyphs[i] = gl[j];
        cs->scores[i] = sc[j];
    }
    sp_touch_drop_dead(cs, dead); /* the dots that joined a stem */
done:
    sp_touch_joins_free(&J);
    return rc;
}

/* The halves of a glyph that binarization broke apart: below 150 dpi the
 * thin top and bottom strokes of a script 0 fade under the threshold, and
 * its two arcs come out as two narrow components side by side, read as
 * "4" and "\\jmath", or ")" and nothing.  Two such neighbours, as tall as
 * each other and a pixel or two apart, that the classifier doubts, are
 * read again as one box of gray (which still holds the faint strokes);
 * they become one glyph when that reads better than either by a margin. */
static int sp_touch_rejoin(const sp_touching_ctx *ctx, sp_candidates *cs, scipix_error *err) {
    size_t n = cs->n;
    sp_touch_joins J;
    int rc = sp_touch_joins_alloc(&J, n, "rejoin", err);
    if (rc) return rc;
    size_t *left = J.first, *right = J.second;
    unsigned char *dead = J.dead;
    sp_glyph *gl = J.gl;
    sp_class_scores *sc = J.sc;
    sp_box *box = J.box;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const sp_box *a = &cs->groups[i].box;
        if (dead[i] || cs->groups[i].ncomp != 1 || a->w > SP_TOUCH_HALF_WIDE * a->h ||
            cs->scores[i].prob[0] >= SP_TOUCH_REJOIN_BELOW)
            continue;
        size_t best = n;
        for (size_t j = 0; j < n; j++) {
            const sp_box *c = &cs->groups[j].box;
            if (j == i || c->x <= a->x) continue;
            if (best == n || c->x < cs->groups[best].box.x) best = j;
        }
        if (best == n || dead[best]) continue;
        const sp_box *c = &cs->groups[best].box;
        int gap = -sp_box_x_overlap(a, c), top = a->y > c->y ? a->y : c->y;
        int bottom = a->y + a->h < c->y + c->h ? a->y + a->h : c->y + c->h;
        int lo = a->h < c->h ? a->h : c->h, hi = a->h > c->h ? a->h : c->h;
        if (cs->groups[best].ncomp != 1 || c->w > SP_TOUCH_HALF_WIDE * c->h || gap < 0 || gap > 2 ||
            bottom - top < 0.8f * hi || lo < 0.8f * hi || cs->scores[best].prob[0] >= SP_TOUCH_REJOIN_BELOW)
            continue;
        box[k] = sp_box_union(a, c);
        if (box[k].w > box[k].h) continue; /* a glyph's shape, not a pair's */
        gl[k] = sp_touch_glyph(ctx, &box[k]);
        left[k] = i, right[k] = best;
        dead[i] = dead[best] = 1; /* claimed; released below if the pair reads worse */
        k++;
    }
    if (k == 0) goto done;
    if ((rc = sp_classify_batch_cached(ctx->model, gl, k, ctx->precision, ctx->cache, sc, err))) goto done;
    for (size_t j = 0; j < k; j++) {
        size_t i = left[j], r = right[j];
        float parts = cs->scores[i].prob[0] > cs->scores[r].prob[0] ? cs->scores[i].prob[0] : cs->scores[r].prob[0];
        /* mirror-image halves are one glyph however well each reads */
        if (sc[j].prob[0] < parts + SP_TOUCH_MARGIN &&
            !sp_touch_mirror_halves(ctx, &cs->groups[i].box, cs->scores[i].class_id[0], &cs->groups[r].box,
                                    cs->scores[r].class_id[0])) {
            dead[i] = dead[r] = 0;
            continue;
        }
        cs->groups[i] = (sp_symbol_group){box[j], 1};
        cs->glyphs[i] = gl[j];
        cs->scores[i] = sc[j];
        dead[i] = 0;
    }
    sp_touch_drop_dead(cs, dead); /* the right halves that joined their left */
done:
    sp_touch_joins_free(&J);
    return rc;
}

int sp_touching_split(const sp_touching_ctx *ctx, sp_candidates *cands, scipix_error *err) {
    if (!ctx || !cands || !ctx->model || !ctx->bin || !ctx->gray || ctx->ref <= 0)
        return sp_error_set(err, SCIPIX_EINVAL, "touching-glyph split: bad arguments");
    if (cands->n == 0) return SCIPIX_OK;
    int rc = sp_touch_rejoin(ctx, cands, err);
    if (rc) return rc;
    size_t ntodo = cands->n;
    size_t *todo = malloc(ntodo * sizeof *todo);
    if (!todo) return sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split trials", ntodo);
    for (size_t i = 0; i < ntodo; i++) todo[i] = i;
    for (int pass = 0; pass < SP_TOUCH_PASSES && ntodo && !rc; pass++) {
        size_t *next = NULL, nnext = 0;
        rc = sp_touch_pass(ctx, cands, todo, ntodo, 0, &next, &nnext, err);
        free(todo);
        todo = next, ntodo = nnext;
    }
    free(todo);
    /* then the sure letters that hang below the line, once the glyphs
     * beside them are apart (sp_touch_sunk) */
    todo = rc ? NULL : malloc(cands->n * sizeof *todo);
    if (!rc && !todo) rc = sp_error_set(err, SCIPIX_ENOMEM, "cannot allocate %zu split trials", cands->n);
    ntodo = 0;
    for (size_t i = 0; todo && i < cands->n; i++)
        if (cands->groups[i].box.w && sp_touch_sunk(ctx, cands, i)) todo[ntodo++] = i;
    if (ntodo) {
        size_t *next = NULL, nnext = 0;
        rc = sp_touch_pass(ctx, cands, todo, ntodo, 1, &next, &nnext, err);
        free(next);
    }
    free(todo);
    /* candidates swallowed by a part (box.w == 0) go */
    size_t w = 0;
    for (size_t i = 0; i < cands->n; i++) {
        if (cands->groups[i].box.w == 0) continue;
        cands->groups[w] = cands->groups[i], cands->glyphs[w] = cands->glyphs[i], cands->scores[w] = cands->scores[i];
        w++;
    }
    cands->n = w;
    /* an empty radical that no cut explained: its next-best class */
    for (size_t i = 0; i < cands->n && !rc; i++) {
        if (!sp_touch_empty_radical(ctx, cands, i)) continue;
        sp_class_scores *sc = &cands->scores[i];
        memmove(sc->class_id, sc->class_id + 1, (SP_CLASSIFY_TOPK - 1) * sizeof sc->class_id[0]);
        memmove(sc->prob, sc->prob + 1, (SP_CLASSIFY_TOPK - 1) * sizeof sc->prob[0]);
        sc->class_id[SP_CLASSIFY_TOPK - 1] = -1;
        sc->prob[SP_CLASSIFY_TOPK - 1] = 0;
    }
    if (!rc) rc = sp_touch_rejoin(ctx, cands, err);
    if (!rc) rc = sp_touch_surds(ctx, cands, err);
    if (!rc) rc = sp_touch_redot(ctx, cands, err);
    return rc;
}

void sp_touching_settle_bars(const sp_touching_ctx *ctx, sp_candidates *cands) {
    for (size_t i = 0; i < cands->n; i++) {
        int bar = sp_touch_bare_bracket(ctx, cands, i);
        if (bar >= 0) sp_touch_promote(&cands->scores[i], bar);
    }
}
