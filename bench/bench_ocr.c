/*
 * bench_ocr.c — end-to-end recognition speed: per-image time from encoded
 * bytes to LaTeX (median and p99, one thread), throughput with N threads
 * sharing one engine, and peak RSS.
 *
 *   bench_ocr [--model PATH] [--threads N] [--rounds R] DIR
 * reads every *.png in DIR into memory first (file I/O is not timed), then
 * runs R rounds over them.  Prints one summary line per measurement.
 */
#include "scipix.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct {
    unsigned char *data;
    size_t len;
} bench_img;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int read_file(const char *path, bench_img *img) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    img->data = malloc(n > 0 ? (size_t)n : 1);
    img->len = img->data ? fread(img->data, 1, (size_t)n, f) : 0;
    fclose(f);
    return img->data ? 0 : -1;
}

typedef struct {
    scipix_engine *eng;
    bench_img *imgs;
    size_t nimgs, total, next;
    size_t failures;
    pthread_mutex_t mu;
} bench_pool;

static void *bench_worker(void *arg) {
    bench_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next < p->total ? p->next++ : p->total;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->total) return NULL;
        scipix_result *res = NULL;
        scipix_error err;
        bench_img *im = &p->imgs[i % p->nimgs];
        if (scipix_recognize(p->eng, im->data, im->len, &res, &err) != SCIPIX_OK) {
            pthread_mutex_lock(&p->mu);
            p->failures++;
            pthread_mutex_unlock(&p->mu);
        }
        scipix_result_free(res);
    }
}

int main(int argc, char **argv) {
    const char *dir = NULL, *model = NULL;
    int threads = 2, rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) model = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
        else dir = argv[i];
    }
    if (!dir || threads < 1 || rounds < 1) {
        fprintf(stderr, "usage: bench_ocr [--model PATH] [--threads N] [--rounds R] DIR\n");
        return 2;
    }
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    size_t cap = 64, n = 0;
    bench_img *imgs = malloc(cap * sizeof *imgs);
    struct dirent *e;
    while (imgs && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 4, ".png")) continue;
        if (n == cap) {
            bench_img *ni = realloc(imgs, (cap *= 2) * sizeof *imgs);
            if (!ni) break;
            imgs = ni;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (read_file(path, &imgs[n]) == 0) n++;
    }
    closedir(d);
    if (!imgs || n == 0) {
        fprintf(stderr, "bench_ocr: no .png files in %s\n", dir);
        free(imgs);
        return 1;
    }

    scipix_config cfg;
    scipix_config_init(&cfg);
    cfg.model_path = model;
    cfg.timeout_ms = 0;
    scipix_engine *eng = NULL;
    scipix_error err;
    if (scipix_engine_new(&cfg, &eng, &err) != SCIPIX_OK) {
        fprintf(stderr, "bench_ocr: %s\n", err.message);
        return 1;
    }

    /* one thread: per-image latency */
    size_t total = n * (size_t)rounds, fails = 0;
    double *lat = malloc(total * sizeof *lat);
    if (!lat) return 1;
    for (size_t k = 0; k < total; k++) {
        scipix_result *res = NULL;
        double t0 = now_ms();
        if (scipix_recognize(eng, imgs[k % n].data, imgs[k % n].len, &res, &err) != SCIPIX_OK) fails++;
        lat[k] = now_ms() - t0;
        scipix_result_free(res);
    }
    qsort(lat, total, sizeof *lat, cmp_double);
    double sum = 0;
    for (size_t k = 0; k < total; k++) sum += lat[k];
    size_t p99 = (size_t)(0.99 * (double)(total - 1) + 0.5);
    printf("images=%zu rounds=%d failures=%zu\n", n, rounds, fails);
    printf("1 thread: median %.2f ms  p99 %.2f ms  mean %.2f ms  throughput %.1f img/s\n", lat[total / 2],
           lat[p99], sum / (double)total, 1000.0 * (double)total / sum);

    /* N threads sharing the engine: throughput */
    bench_pool pool = {eng, imgs, n, total, 0, 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t *tids = malloc((size_t)threads * sizeof *tids);
    double t0 = now_ms();
    int started = 0;
    for (int t = 0; tids && t < threads; t++)
        if (pthread_create(&tids[t], NULL, bench_worker, &pool) == 0) started++;
    for (int t = 0; t < started; t++) pthread_join(tids[t], NULL);
    double el = now_ms() - t0;
    printf("%d threads: throughput %.1f img/s (%zu images in %.0f ms, %zu failures)\n", started,
           1000.0 * (double)total / el, total, el, pool.failures);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MiB\n", ru.ru_maxrss / 1024.0);

    free(tids);
    free(lat);
    for (size_t k = 0; k < n; k++) free(imgs[k].data);
    free(imgs);
    scipix_engine_free(eng);
    return 0;
}
