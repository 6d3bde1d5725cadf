/*
 * kernel.c — the portable C kernels and the run-time kernel choice.
 *
 * The portable kernels are the reference: plain loops any C11 compiler
 * turns into correct code on any CPU.  They compute 4 outputs at a time so
 * that the compiler keeps the accumulators in registers and can use
 * whatever vector unit the baseline target has (SSE2 on x86-64), but they
 * make no assumption beyond the preconditions in kernel.h.
 */
#include "classify/kernel.h"

static void sp_kernel_gemm_f32_portable(int m, int n, int k, const float *a, int lda,
                                        const float *b, int ldb, float *c, int ldc) {
    for (int i = 0; i < m; i++) {
        const float *ar = a + (long)i * lda;
        float *cr = c + (long)i * ldc;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            const float *b0 = b + (long)j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int p = 0; p < k; p++) {
                float x = ar[p];
                s0 += x * b0[p];
                s1 += x * b1[p];
                s2 += x * b2[p];
                s3 += x * b3[p];
            }
            cr[j] = s0;
            cr[j + 1] = s1;
            cr[j + 2] = s2;
            cr[j + 3] = s3;
        }
        for (; j < n; j++) {
            const float *br = b + (long)j * ldb;
            float s = 0;
            for (int p = 0; p < k; p++) s += ar[p] * br[p];
            cr[j] = s;
        }
    }
}

static void sp_kernel_gemm_u8s8_portable(int m, int n, int k, const uint8_t *a, int lda,
                                         const int8_t *b, int ldb, int32_t *c, int ldc) {
    for (int i = 0; i < m; i++) {
        const uint8_t *ar = a + (long)i * lda;
        int32_t *cr = c + (long)i * ldc;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            const int8_t *b0 = b + (long)j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
            int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int p = 0; p < k; p++) {
                int32_t x = ar[p];
                s0 += x * b0[p];
                s1 += x * b1[p];
                s2 += x * b2[p];
                s3 += x * b3[p];
            }
            cr[j] = s0;
            cr[j + 1] = s1;
            cr[j + 2] = s2;
            cr[j + 3] = s3;
        }
        for (; j < n; j++) {
            const int8_t *br = b + (long)j * ldb;
            int32_t s = 0;
            for (int p = 0; p < k; p++) s += (int32_t)ar[p] * br[p];
            cr[j] = s;
        }
    }
}

static const sp_kernel_ops sp_kernel_portable_ops = {
    "portable",
    sp_kernel_gemm_f32_portable,
    sp_kernel_gemm_u8s8_portable,
};

const sp_kernel_ops *sp_kernel_portable(void) { return &sp_kernel_portable_ops; }

const sp_kernel_ops *sp_kernel_best(void) {
    const sp_kernel_ops *avx2 = sp_kernel_avx2();
    return avx2 ? avx2 : &sp_kernel_portable_ops;
}
