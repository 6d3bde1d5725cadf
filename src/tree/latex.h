/*
 * latex.h — the LaTeX math parser: LaTeX source → math tree (tree.h).
 *
 * It accepts the im2latex vocabulary (math mode, plain-TeX switches such as
 * {\bf …} and {a \over b}, the AMS environments) and refuses everything else
 * with SCIPIX_EPARSE and a message that names the byte position.  It never
 * crashes, never loops, and its memory is bounded by the input length and
 * nesting-depth limits in sp_latex_options.
 */
#ifndef SP_TREE_LATEX_H
#define SP_TREE_LATEX_H

#include "tree/tree.h"

typedef struct sp_latex_options {
    size_t max_len;   /* longest input accepted, bytes (default 64 KiB) */
    int max_depth;    /* deepest nesting of groups/arguments (default 200) */
} sp_latex_options;

void sp_latex_options_init(sp_latex_options *o);

/* Parses src[0..len) (need not be NUL-terminated) into nodes allocated in t.
 * On success *out is a ROW, t->root is set, and SCIPIX_OK is returned.  On
 * failure returns SCIPIX_EPARSE (or SCIPIX_ENOMEM) and fills err with
 * "at N: message", N the byte offset where the problem was found; *out is
 * NULL and t may hold garbage nodes (sp_tree_reset it).  opts may be NULL. */
int sp_latex_parse(sp_tree *t, const char *src, size_t len, const sp_latex_options *opts,
                   sp_node **out, scipix_error *err);

/* Byte offset of the last parse error (for callers that want to underline). */
size_t sp_latex_error_pos(const scipix_error *err);

#endif
