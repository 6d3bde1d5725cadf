/*
 * cmd_ocr.c — `scipix ocr`: recognize image files, print LaTeX or JSON.
 *
 *   scipix ocr [--format latex|json] [--jsonl] [--threads N] [--model PATH]
 *              [--timeout-ms N] [--max-bytes N] [--max-dimension N]
 *              [--max-pixels N] FILE...        ("-" reads stdin)
 *
 * One engine is shared by N worker threads (it is immutable); workers take
 * the next input from a counter, and the main thread prints results strictly
 * in input order as they become ready, so output order never depends on
 * timing.  A failed input yields an error line (stderr in latex mode, an
 * error object in JSON modes) and the others still run; the exit status is
 * 1 if any input failed.
 */
#include "cli/cli.h"
#include "cli/input.h"
#include "scipix.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum { SP_OUT_LATEX, SP_OUT_JSON, SP_OUT_JSONL } sp_out_mode;

typedef struct sp_ocr_job {
    const char *file;
    scipix_result *res;
    scipix_error err;
    int rc;
    double ms;
    int done;
} sp_ocr_job;

typedef struct sp_ocr_run {
    scipix_engine *eng;
    size_t max_bytes;
    sp_ocr_job *jobs;
    size_t njobs, next;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} sp_ocr_run;

static double sp_ocr_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sp_ocr_do(sp_ocr_run *run, sp_ocr_job *job) {
    uint8_t *buf = NULL;
    size_t len = 0;
    job->rc = sp_cli_read_input(job->file, run->max_bytes, &buf, &len, &job->err);
    if (job->rc == SCIPIX_OK) {
        double t0 = sp_ocr_now_ms();
        job->rc = scipix_recognize(run->eng, buf, len, &job->res, &job->err);
        job->ms = sp_ocr_now_ms() - t0;
    }
    free(buf);
}

static void *sp_ocr_worker(void *arg) {
    sp_ocr_run *run = arg;
    for (;;) {
        pthread_mutex_lock(&run->mu);
        size_t i = run->next < run->njobs ? run->next++ : run->njobs;
        pthread_mutex_unlock(&run->mu);
        if (i >= run->njobs) return NULL;
        sp_ocr_do(run, &run->jobs[i]);
        pthread_mutex_lock(&run->mu);
        run->jobs[i].done = 1;
        pthread_cond_broadcast(&run->cv);
        pthread_mutex_unlock(&run->mu);
    }
}

static json_t *sp_ocr_error_json(const char *file, int rc, const char *msg) {
    return json_pack("{s:s, s:{s:s, s:s}}", "file", file, "error", "id", scipix_status_name(rc), "message",
                     msg);
}

static json_t *sp_ocr_job_json(const sp_ocr_job *job, int with_symbols) {
    if (job->rc != SCIPIX_OK) return sp_ocr_error_json(job->file, job->rc, job->err.message);
    json_t *o = json_pack("{s:s, s:s, s:f, s:f}", "file", job->file, "latex_styled",
                          scipix_result_latex(job->res), "confidence",
                          round(scipix_result_confidence(job->res) * 1e4) / 1e4, "ms", round(job->ms * 10) / 10);
    if (o && with_symbols) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < scipix_result_symbol_count(job->res); i++) {
            const scipix_symbol *s = scipix_result_symbol(job->res, i);
            json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:[i,i,i,i]}", "latex", s->latex, "unicode",
                                                 s->unicode, "confidence", round(s->confidence * 1e4) / 1e4,
                                                 "box", s->x, s->y, s->w, s->h));
        }
        if (arr) json_object_set_new(o, "symbols", arr);
    }
    return o;
}

static void sp_ocr_print(const sp_ocr_job *job, sp_out_mode mode, size_t index, size_t n) {
    if (mode == SP_OUT_LATEX) {
        if (job->rc == SCIPIX_OK)
            printf("%s\n", scipix_result_latex(job->res));
        else
            fprintf(stderr, "scipix: %s: %s (%s)\n", job->file, job->err.message, scipix_status_name(job->rc));
        fflush(stdout);
        return;
    }
    json_t *o = sp_ocr_job_json(job, mode == SP_OUT_JSON);
    char *s = o ? json_dumps(o, JSON_REAL_PRECISION(6) | (mode == SP_OUT_JSONL ? JSON_COMPACT : JSON_INDENT(2))) : NULL;
    if (!s) {
        fprintf(stderr, "scipix: %s: out of memory formatting JSON\n", job->file);
    } else if (mode == SP_OUT_JSONL) {
        printf("%s\n", s);
    } else {
        if (n > 1 && index == 0) printf("[\n");
        printf("%s%s\n", s, n > 1 ? (index + 1 < n ? "," : "\n]") : "");
    }
    if (job->rc != SCIPIX_OK && mode == SP_OUT_JSON)
        fprintf(stderr, "scipix: %s: %s (%s)\n", job->file, job->err.message, scipix_status_name(job->rc));
    free(s);
    json_decref(o);
    fflush(stdout);
}

static void sp_ocr_usage(FILE *out) {
    fprintf(out,
            "usage: scipix ocr [options] FILE...      (FILE \"-\" reads stdin)\n\n"
            "Recognizes the formula in each image and prints its LaTeX.\n\n"
            "options:\n"
            "  --format latex|json   output: one LaTeX line per file (default) or JSON with symbols\n"
            "  --jsonl               one JSON object per input line, in input order\n"
            "  --threads N           recognize N images at once (default 1)\n"
            "  --model PATH          symbol model (default: $SCIPIX_MODEL, then the built-in path)\n"
            "  --timeout-ms N        time limit per image (default 10000, 0 = none)\n"
            "  --max-bytes N         refuse inputs larger than N bytes (default 20M)\n"
            "  --max-dimension N     refuse images wider or taller than N pixels (default 8192)\n"
            "  --max-pixels N        refuse images with more than N pixels (default 40M)\n"
            "exit status: 0 all inputs recognized, 1 some input failed, 2 usage error\n");
}

int sp_cmd_ocr(int argc, char **argv) {
    scipix_config cfg;
    scipix_config_init(&cfg);
    sp_out_mode mode = SP_OUT_LATEX;
    int threads = 1;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    int nstdin = 0;
    if (!files) {
        fprintf(stderr, "scipix: out of memory\n");
        return SP_EXIT_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int lim = sp_cli_limit_option(argc, argv, &i, &cfg);
        if (lim < 0) goto usage_error;
        if (lim > 0) continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            sp_ocr_usage(stdout);
            free(files);
            return SP_EXIT_OK;
        } else if (!strcmp(a, "--format")) {
            if (i + 1 >= argc) goto usage_error;
            const char *f = argv[++i];
            if (!strcmp(f, "latex")) mode = SP_OUT_LATEX;
            else if (!strcmp(f, "json")) mode = SP_OUT_JSON;
            else {
                fprintf(stderr, "scipix: unknown --format '%s' (latex or json)\n", f);
                goto usage_error;
            }
        } else if (!strcmp(a, "--jsonl")) {
            mode = SP_OUT_JSONL;
        } else if (!strcmp(a, "--threads")) {
            uint64_t v;
            if (i + 1 >= argc || sp_cli_parse_count(argv[i + 1], &v) || v > 256) {
                fprintf(stderr, "scipix: --threads needs a number from 1 to 256\n");
                goto usage_error;
            }
            threads = (int)v;
            i++;
        } else if (!strcmp(a, "--model")) {
            if (i + 1 >= argc) goto usage_error;
            cfg.model_path = argv[++i];
        } else if (!strcmp(a, "--timeout-ms")) {
            if (i + 1 >= argc) goto usage_error;
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (*end || v > UINT32_MAX || argv[i][0] == '-') {
                fprintf(stderr, "scipix: --timeout-ms needs a number of milliseconds\n");
                goto usage_error;
            }
            cfg.timeout_ms = (uint32_t)v;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "scipix: unknown option '%s' for ocr\n", a);
            goto usage_error;
        } else {
            if (!strcmp(a, "-") && nstdin++) {
                fprintf(stderr, "scipix: stdin (-) can be read only once\n");
                goto usage_error;
            }
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0) {
        fprintf(stderr, "scipix: ocr needs at least one FILE\n");
        goto usage_error;
    }
    cfg.threads = threads;

    scipix_engine *eng = NULL;
    scipix_error err;
    if (scipix_engine_new(&cfg, &eng, &err) != SCIPIX_OK) {
        fprintf(stderr, "scipix: cannot create the engine: %s (%s)\n", err.message, scipix_status_name(err.code));
        free(files);
        return SP_EXIT_FAIL;
    }

    sp_ocr_run run;
    memset(&run, 0, sizeof run);
    run.eng = eng;
    run.max_bytes = cfg.max_bytes;
    run.njobs = nfiles;
    run.jobs = calloc(nfiles, sizeof *run.jobs);
    if (!run.jobs) {
        fprintf(stderr, "scipix: out of memory\n");
        scipix_engine_free(eng);
        free(files);
        return SP_EXIT_FAIL;
    }
    for (size_t i = 0; i < nfiles; i++) run.jobs[i].file = files[i];
    pthread_mutex_init(&run.mu, NULL);
    pthread_cond_init(&run.cv, NULL);
    if ((size_t)threads > nfiles) threads = (int)nfiles;
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    int started = 0;
    for (int t = 0; tids && t < threads; t++) {
        if (pthread_create(&tids[t], NULL, sp_ocr_worker, &run) != 0) break;
        started++;
    }
    if (started == 0) sp_ocr_worker(&run); /* no threads at all: do the work here */

    int failed = 0;
    for (size_t i = 0; i < nfiles; i++) {
        pthread_mutex_lock(&run.mu);
        while (!run.jobs[i].done) pthread_cond_wait(&run.cv, &run.mu);
        pthread_mutex_unlock(&run.mu);
        sp_ocr_print(&run.jobs[i], mode, i, nfiles);
        if (run.jobs[i].rc != SCIPIX_OK) failed = 1;
        scipix_result_free(run.jobs[i].res);
        run.jobs[i].res = NULL;
    }
    for (int t = 0; t < started; t++) pthread_join(tids[t], NULL);
    free(tids);
    pthread_cond_destroy(&run.cv);
    pthread_mutex_destroy(&run.mu);
    free(run.jobs);
    scipix_engine_free(eng);
    free(files);
    return failed ? SP_EXIT_FAIL : SP_EXIT_OK;

usage_error:
    free(files);
    fprintf(stderr, "(see scipix ocr --help)\n");
    return SP_EXIT_USAGE;
}
