/* test_classify_kernel.c — the AVX2 kernels give the portable kernels'
 * answers: int8 products bit-exact, fp32 products to rounding, and whole
 * forward passes with the same argmax (bit-identical logits for int8). */
#include "test_classify_util.h"

#include "engine/status.h"

#include <check.h>
#include "sp_test.h"
#include <math.h>

static const sp_kernel_ops *avx2(void) {
    const sp_kernel_ops *k = sp_kernel_avx2();
    if (!k) fprintf(stderr, "test_classify_kernel: no AVX2 on this CPU, comparing portable with itself\n");
    return k ? k : sp_kernel_portable();
}

START_TEST(best_is_available) {
    const sp_kernel_ops *best = sp_kernel_best();
    ck_assert_ptr_nonnull(best);
    ck_assert_ptr_nonnull(best->gemm_f32);
    ck_assert_ptr_nonnull(best->gemm_u8s8);
    ck_assert_ptr_nonnull(best->conv3x3_u8s8);
    ck_assert_str_eq(sp_kernel_portable()->name, "portable");
    if (sp_kernel_avx2()) ck_assert_str_eq(best->name, "avx2");
}
END_TEST

START_TEST(gemm_u8s8_exact) {
    uint64_t s = 42;
    const int shapes[][3] = {{1, 1, 32}, {2, 4, 32}, {3, 5, 64}, {7, 13, 96}, {64, 16, 32}, {33, 659, 192}, {5, 3, 800}};
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1], k = shapes[t][2];
        uint8_t *a = malloc((size_t)m * k);
        int8_t *b = malloc((size_t)n * k);
        int32_t *c0 = malloc((size_t)m * n * 4), *c1 = malloc((size_t)m * n * 4);
        for (int i = 0; i < m * k; i++) a[i] = (uint8_t)(tcu_rand(&s) % 128);
        for (int i = 0; i < n * k; i++) b[i] = (int8_t)((int)(tcu_rand(&s) % 255) - 127);
        /* the extremes that would saturate a careless pairwise int16 sum */
        a[0] = 127;
        if (k > 1) a[1] = 127;
        b[0] = -127;
        if (k > 1) b[1] = -127;
        sp_kernel_portable()->gemm_u8s8(m, n, k, a, k, b, k, c0, n);
        avx2()->gemm_u8s8(m, n, k, a, k, b, k, c1, n);
        for (int i = 0; i < m * n; i++) ck_assert_int_eq(c0[i], c1[i]);
        /* and against a plain reference */
        int32_t ref = 0;
        for (int p = 0; p < k; p++) ref += (int32_t)a[p] * b[p];
        ck_assert_int_eq(c0[0], ref);
        free(a);
        free(b);
        free(c0);
        free(c1);
    }
}
END_TEST

/* The first-layer convolution gives the sums of im2col rows through
 * gemm_u8s8, on every side and channel count the kernels special-case
 * (8-channel groups, a count that is not a multiple of 8, a 1-pixel map). */
START_TEST(conv3x3_u8s8_exact) {
    uint64_t s = 5;
    const int shapes[][2] = {{32, 16}, {1, 8}, {2, 3}, {7, 24}, {16, 64}, {5, 12}};
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int side = shapes[t][0], n = shapes[t][1], ldw = 32, rows = side * side;
        uint8_t *img = malloc((size_t)rows), *col = calloc((size_t)rows * ldw, 1);
        int8_t *w = malloc((size_t)n * ldw);
        int32_t *ref = malloc((size_t)rows * n * 4), *c0 = malloc((size_t)rows * n * 4);
        int32_t *c1 = malloc((size_t)rows * n * 4);
        for (int i = 0; i < rows; i++) img[i] = (uint8_t)(tcu_rand(&s) % 128);
        img[0] = 127;
        for (int i = 0; i < n * ldw; i++) w[i] = (int8_t)((int)(tcu_rand(&s) % 255) - 127);
        w[0] = -127;
        /* taps past the ninth are never read: junk there must not matter */
        for (int j = 0; j < n; j++)
            for (int p = 9; p < ldw; p++) w[j * ldw + p] = 99;
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
                for (int ky = -1; ky <= 1; ky++)
                    for (int kx = -1; kx <= 1; kx++) {
                        int yy = y + ky, xx = x + kx;
                        if (yy >= 0 && yy < side && xx >= 0 && xx < side)
                            col[(y * side + x) * ldw + (ky + 1) * 3 + kx + 1] = img[yy * side + xx];
                    }
        sp_kernel_portable()->gemm_u8s8(rows, n, ldw, col, ldw, w, ldw, ref, n);
        sp_kernel_portable()->conv3x3_u8s8(side, img, n, w, ldw, c0);
        avx2()->conv3x3_u8s8(side, img, n, w, ldw, c1);
        for (int i = 0; i < rows * n; i++) {
            ck_assert_int_eq(c0[i], ref[i]);
            ck_assert_int_eq(c1[i], ref[i]);
        }
        free(img);
        free(col);
        free(w);
        free(ref);
        free(c0);
        free(c1);
    }
}
END_TEST

/* Quantization and pooling: the AVX2 versions give the portable bytes,
 * tails and odd channel counts included, and the portable ones their
 * definitions (rounding half up, clamping, ignoring a NaN for the peak). */
START_TEST(quantize_and_pool_exact) {
    uint64_t s = 11;
    const size_t lens[] = {1, 7, 8, 31, 32, 33, 100, 1024};
    for (size_t t = 0; t < sizeof lens / sizeof lens[0]; t++) {
        size_t n = lens[t];
        float *x = malloc(n * sizeof *x);
        uint8_t *q0 = malloc(n), *q1 = malloc(n);
        for (size_t i = 0; i < n; i++) x[i] = tcu_frand(&s) < 0.2f ? 0.0f : fabsf(tcu_frand(&s)) * 3.0f;
        if (n > 3) x[3] = NAN;
        float s0 = sp_kernel_portable()->quantize_u7(x, n, q0);
        float s1 = avx2()->quantize_u7(x, n, q1);
        ck_assert_float_eq(s0, s1);
        ck_assert_mem_eq(q0, q1, n);
        float peak = 0.0f;
        for (size_t i = 0; i < n; i++)
            if (x[i] > peak) peak = x[i];
        if (peak > 0.0f) {
            ck_assert_float_eq(s0, peak / 127.0f);
            for (size_t i = 0; i < n; i++)
                if (x[i] == peak) ck_assert_int_eq(q0[i], 127);
        }
        free(x), free(q0), free(q1);
    }
    float zeros[40] = {0};
    uint8_t qz[40];
    memset(qz, 9, sizeof qz);
    ck_assert_float_eq(avx2()->quantize_u7(zeros, 40, qz), 1.0f);
    for (int i = 0; i < 40; i++) ck_assert_int_eq(qz[i], 0);

    const int shapes[][2] = {{32, 16}, {16, 32}, {8, 64}, {4, 12}, {2, 3}};
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int side = shapes[t][0], n = shapes[t][1], half = side / 2;
        int32_t *acc = malloc((size_t)side * side * n * 4);
        float *scale = malloc((size_t)n * 4), *bias = malloc((size_t)n * 4);
        float *d0 = malloc((size_t)half * half * n * 4), *d1 = malloc((size_t)half * half * n * 4);
        for (int i = 0; i < side * side * n; i++) acc[i] = (int32_t)(tcu_rand(&s) % 200001) - 100000;
        for (int c = 0; c < n; c++) scale[c] = fabsf(tcu_frand(&s)) * 1e-3f, bias[c] = tcu_frand(&s);
        sp_kernel_portable()->pool_i32(acc, NULL, side, n, 0.37f, scale, bias, d0);
        avx2()->pool_i32(acc, NULL, side, n, 0.37f, scale, bias, d1);
        ck_assert_mem_eq(d0, d1, (size_t)half * half * n * 4);
        /* the first output by its definition */
        int32_t a = acc[0];
        if (acc[n] > a) a = acc[n];
        if (acc[side * n] > a) a = acc[side * n];
        if (acc[side * n + n] > a) a = acc[side * n + n];
        float v = (float)a * (0.37f * scale[0]) + bias[0];
        ck_assert_float_eq(d0[0], v > 0.0f ? v : 0.0f);
        /* with a row map: pixel p's products at row row_of[p] of a packed
         * array give what the unpacked array gives */
        int pixels = side * side, *row_of = malloc((size_t)pixels * sizeof *row_of);
        int32_t *packed = malloc((size_t)pixels * n * 4);
        float *d2 = malloc((size_t)half * half * n * 4);
        for (int p = 0; p < pixels; p++) row_of[p] = pixels - 1 - p;
        for (int p = 0; p < pixels; p++) memcpy(packed + (size_t)row_of[p] * n, acc + (size_t)p * n, (size_t)n * 4);
        for (int k = 0; k < 2; k++) {
            (k ? avx2() : sp_kernel_portable())->pool_i32(packed, row_of, side, n, 0.37f, scale, bias, d2);
            ck_assert_mem_eq(d0, d2, (size_t)half * half * n * 4);
        }
        free(row_of), free(packed), free(d2);
        free(acc), free(scale), free(bias), free(d0), free(d1);
    }
}
END_TEST

START_TEST(gemm_f32_close) {
    uint64_t s = 7;
    const int shapes[][3] = {{1, 1, 8}, {2, 4, 32}, {3, 5, 64}, {9, 17, 160}, {1024, 16, 32}, {31, 659, 192}};
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        int m = shapes[t][0], n = shapes[t][1], k = shapes[t][2];
        float *a = malloc((size_t)m * k * 4), *b = malloc((size_t)n * k * 4);
        float *c0 = malloc((size_t)m * n * 4), *c1 = malloc((size_t)m * n * 4);
        for (int i = 0; i < m * k; i++) a[i] = tcu_frand(&s);
        for (int i = 0; i < n * k; i++) b[i] = tcu_frand(&s);
        sp_kernel_portable()->gemm_f32(m, n, k, a, k, b, k, c0, n);
        avx2()->gemm_f32(m, n, k, a, k, b, k, c1, n);
        for (int i = 0; i < m * n; i++) ck_assert_float_eq_tol(c0[i], c1[i], 1e-4f * (float)k);
        free(a);
        free(b);
        free(c0);
        free(c1);
    }
}
END_TEST

START_TEST(forward_pass_agrees) {
    size_t size;
    uint8_t *buf = tcu_build_model(&size);
    char dir[512], path[600];
    tcu_tempdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/k.spxm", dir);
    tcu_write(path, buf, size);
    free(buf);
    scipix_error err;
    sp_model *m;
    ck_assert_int_eq(sp_model_open(path, &m, &err), SCIPIX_OK);
    unlink(path);
    rmdir(dir);
    enum { N = 70 }; /* more than one internal chunk */
    sp_glyph_input *in = malloc(N * sizeof *in);
    tcu_random_inputs(in, N, 99);
    float l[4][N * 3];
    ck_assert_int_eq(sp_classify_inputs(m, in, N, SP_PRECISION_INT8, sp_kernel_portable(), l[0], &err), SCIPIX_OK);
    ck_assert_int_eq(sp_classify_inputs(m, in, N, SP_PRECISION_INT8, avx2(), l[1], &err), SCIPIX_OK);
    ck_assert_int_eq(sp_classify_inputs(m, in, N, SP_PRECISION_FP32, sp_kernel_portable(), l[2], &err), SCIPIX_OK);
    ck_assert_int_eq(sp_classify_inputs(m, in, N, SP_PRECISION_FP32, avx2(), l[3], &err), SCIPIX_OK);
    ck_assert_mem_eq(l[0], l[1], sizeof l[0]);
    for (int i = 0; i < N; i++) {
        int a2 = 0, a3 = 0;
        for (int c = 0; c < 3; c++) {
            ck_assert_float_eq_tol(l[2][i * 3 + c], l[3][i * 3 + c], 1e-4f);
            if (l[2][i * 3 + c] > l[2][i * 3 + a2]) a2 = c;
            if (l[3][i * 3 + c] > l[3][i * 3 + a3]) a3 = c;
            /* int8 approximates fp32 */
            ck_assert_float_eq_tol(l[0][i * 3 + c], l[2][i * 3 + c], 0.05f + 0.05f * fabsf(l[2][i * 3 + c]));
        }
        ck_assert_int_eq(a2, a3);
    }
    /* chunking does not change answers: one at a time == all at once */
    float one[3];
    for (int i = 0; i < N; i += 23) {
        ck_assert_int_eq(sp_classify_inputs(m, &in[i], 1, SP_PRECISION_INT8, sp_kernel_portable(), one, &err), SCIPIX_OK);
        ck_assert_mem_eq(one, &l[0][i * 3], sizeof one);
    }
    ck_assert_int_eq(sp_classify_inputs(m, in, 0, SP_PRECISION_FP32, NULL, l[0], &err), SCIPIX_OK);
    ck_assert_int_eq(sp_classify_inputs(m, in, 1, (sp_precision)5, NULL, l[0], &err), SCIPIX_EINVAL);
    free(in);
    sp_model_close(m);
}
END_TEST

int main(void) {
    Suite *s = suite_create("classify_kernel");
    TCase *tc = tcase_create("kernels");
    tcase_add_test(tc, best_is_available);
    tcase_add_test(tc, gemm_u8s8_exact);
    tcase_add_test(tc, conv3x3_u8s8_exact);
    tcase_add_test(tc, quantize_and_pool_exact);
    tcase_add_test(tc, gemm_f32_close);
    tcase_add_test(tc, forward_pass_agrees);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return sp_test_run(s);
}
