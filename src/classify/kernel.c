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

#include <stddef.h>
#include <string.h>

/* C[i][j] = sum_p A[i][p] * B[j][p], for one element type pair: the fp32
 * and the int8 (u8 activations x s8 weights, int32 sums) kernels are the
 * same loops, so one template defines both. */
#define SP_KERNEL_GEMM_PORTABLE(name, a_type, b_type, acc_type)                                    \
    static void name(int m, int n, int k, const a_type *a, int lda, const b_type *b, int ldb,        \
                     acc_type *c, int ldc) {                                                         \
        for (int i = 0; i < m; i++) {                                                                \
            const a_type *ar = a + (long)i * lda;                                                    \
            acc_type *cr = c + (long)i * ldc;                                                        \
            int j = 0;                                                                               \
            for (; j + 4 <= n; j += 4) {                                                             \
                const b_type *b0 = b + (long)j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb; \
                acc_type s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                             \
                for (int p = 0; p < k; p++) {                                                        \
                    acc_type x = (acc_type)ar[p];                                                    \
                    s0 += x * b0[p];                                                                 \
                    s1 += x * b1[p];                                                                 \
                    s2 += x * b2[p];                                                                 \
                    s3 += x * b3[p];                                                                 \
                }                                                                                    \
                cr[j] = s0;                                                                          \
                cr[j + 1] = s1;                                                                      \
                cr[j + 2] = s2;                                                                      \
                cr[j + 3] = s3;                                                                      \
            }                                                                                        \
            for (; j < n; j++) {                                                                     \
                const b_type *br = b + (long)j * ldb;                                                \
                acc_type s = 0;                                                                      \
                for (int p = 0; p < k; p++) s += (acc_type)ar[p] * br[p];                            \
                cr[j] = s;                                                                           \
            }                                                                                        \
        }                                                                                            \
    }

SP_KERNEL_GEMM_PORTABLE(sp_kernel_gemm_f32_portable, float, float, float)
SP_KERNEL_GEMM_PORTABLE(sp_kernel_gemm_u8s8_portable, uint8_t, int8_t, int32_t)

void sp_kernel_conv3x3_u8s8_portable(int side, const uint8_t *src, int n, const int8_t *w, int ldw,
                                     int32_t *out) {
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            int32_t *o = out + ((size_t)y * side + x) * (size_t)n;
            for (int j = 0; j < n; j++) {
                const int8_t *wj = w + (size_t)j * ldw;
                int32_t s = 0;
                for (int ky = -1; ky <= 1; ky++) {
                    int yy = y + ky;
                    if (yy < 0 || yy >= side) continue;
                    for (int kx = -1; kx <= 1; kx++) {
                        int xx = x + kx;
                        if (xx < 0 || xx >= side) continue;
                        s += (int32_t)src[(size_t)yy * side + xx] * wj[(ky + 1) * 3 + kx + 1];
                    }
                }
                o[j] = s;
            }
        }
}

/* Written without branches so that the compiler vectorizes the rounding;
 * the AVX2 version gives the same bytes. */
static float sp_kernel_quantize_u7_portable(const float *x, size_t n, uint8_t *q) {
    float peak = 0.0f;
    for (size_t i = 0; i < n; i++)
        if (x[i] > peak) peak = x[i];
    if (!(peak > 0.0f)) {
        memset(q, 0, n);
        return 1.0f;
    }
    float inv = 127.0f / peak;
    for (size_t i = 0; i < n; i++) {
        float v = x[i] * inv + 0.5f;
        v = v > 0.0f ? v : 0.0f;
        v = v < 127.0f ? v : 127.0f;
        q[i] = (uint8_t)(int32_t)v;
    }
    return peak / 127.0f;
}

/* The pooling loop for both product types (see pool_i32 in kernel.h). */
#define SP_KERNEL_POOL_AT(src, row_of, p, n) ((src) + (size_t)SP_KERNEL_ROW(row_of, p) * (size_t)(n))
#define SP_KERNEL_POOL(T, src, row_of, dst, side, n, SCALE, bias)                              \
    do {                                                                                      \
        int half_ = (side) / 2;                                                               \
        for (int y_ = 0; y_ < half_; y_++)                                                    \
            for (int x_ = 0; x_ < half_; x_++) {                                              \
                int at_ = 2 * y_ * (side) + 2 * x_;                                           \
                const T *p00_ = SP_KERNEL_POOL_AT(src, row_of, at_, n);                       \
                const T *p01_ = SP_KERNEL_POOL_AT(src, row_of, at_ + 1, n);                   \
                const T *p10_ = SP_KERNEL_POOL_AT(src, row_of, at_ + (side), n);              \
                const T *p11_ = SP_KERNEL_POOL_AT(src, row_of, at_ + (side) + 1, n);          \
                float *o_ = (dst) + ((size_t)y_ * half_ + x_) * (size_t)(n);                  \
                for (int c = 0; c < (n); c++) {                                               \
                    T a_ = p00_[c];                                                           \
                    if (p01_[c] > a_) a_ = p01_[c];                                           \
                    if (p10_[c] > a_) a_ = p10_[c];                                           \
                    if (p11_[c] > a_) a_ = p11_[c];                                           \
                    float v_ = (float)a_ * (SCALE) + (bias)[c];                               \
                    o_[c] = v_ > 0.0f ? v_ : 0.0f;                                            \
                }                                                                             \
            }                                                                                 \
    } while (0)

void sp_kernel_pool_f32(const float *out, int side, int n, const float *bias, float *dst) {
    SP_KERNEL_POOL(float, out, (const int *)0, dst, side, n, 1.0f, bias);
}

static void sp_kernel_pool_i32_portable(const int32_t *acc, const int *row_of, int side, int n, float s,
                                        const float *scale, const float *bias, float *dst) {
    SP_KERNEL_POOL(int32_t, acc, row_of, dst, side, n, s * scale[c], bias);
}

static const sp_kernel_ops sp_kernel_portable_ops = {
    "portable",
    sp_kernel_gemm_f32_portable,
    sp_kernel_gemm_u8s8_portable,
    sp_kernel_conv3x3_u8s8_portable,
    sp_kernel_quantize_u7_portable,
    sp_kernel_pool_i32_portable,
};

const sp_kernel_ops *sp_kernel_portable(void) { return &sp_kernel_portable_ops; }

const sp_kernel_ops *sp_kernel_best(void) {
    const sp_kernel_ops *avx2 = sp_kernel_avx2();
    return avx2 ? avx2 : &sp_kernel_portable_ops;
}
