/*
 * kernel.h — the classifier's compute kernels behind one interface.
 *
 * Every layer of the network is one matrix product C = A * B^T, where A
 * holds one input row per output position (an im2col patch, or a sample's
 * feature vector) and B one row of weights per output channel.  Both are
 * row-major along the reduction dimension k, so the inner loop is a
 * contiguous dot product for both operands.
 *
 * Beside the products: the int8 first layer as a direct convolution
 * (one channel, 9 taps), activation quantization and 2x2 pooling, the
 * element-wise steps between the products.
 *
 * Two implementations exist for each op: a portable C one
 * (kernel.c) and an AVX2+FMA one (kernel_avx2.c, compiled with a target
 * attribute so the build needs no -mavx2).  sp_kernel_best() picks one at
 * run time from the CPU's features.  Both give the same answers: the int8
 * ops are exact (int32 sums of u8*s8 products that cannot overflow or
 * saturate, see below; the same float operations in the same order for
 * quantization and pooling), the fp32 product agrees to rounding.
 *
 * Preconditions (the model file stores weights padded to match):
 *   - k is a multiple of SP_KERNEL_K_ALIGN;
 *   - A's u8 values are in 0..127 (7 bits), so that AVX2's pairwise
 *     u8*s8 sums (vpmaddubsw) never saturate int16: 2*127*127 < 32767;
 *   - B's s8 values are in -127..127.
 */
#ifndef SP_CLASSIFY_KERNEL_H
#define SP_CLASSIFY_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#define SP_KERNEL_K_ALIGN 32

typedef struct sp_kernel_ops {
    const char *name; /* "portable", "avx2" */
    /* C[i*ldc + j] = sum_p A[i*lda + p] * B[j*ldb + p], 0 <= i < m, 0 <= j < n */
    void (*gemm_f32)(int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                     float *c, int ldc);
    void (*gemm_u8s8)(int m, int n, int k, const uint8_t *a, int lda, const int8_t *b, int ldb,
                      int32_t *c, int ldc);
    /* The first layer: a 3x3 "same" convolution of one side x side u8
     * channel (0..127, row-major), zero outside it, into n int32 channels:
     *   out[(y*side + x)*n + j] = sum_{ky,kx} src[y+ky][x+kx] * w[j*ldw + (ky+1)*3 + (kx+1)]
     * for ky, kx in -1..1: the same sums as im2col rows of 9 taps through
     * gemm_u8s8, without multiplying the 23 zero taps a k_pad of 32 adds
     * (with a copy per tap, they were a quarter of the network's time).
     * side <= SP_KERNEL_CONV_SIDE_MAX. */
    void (*conv3x3_u8s8)(int side, const uint8_t *src, int n, const int8_t *w, int ldw, int32_t *out);
    /* Activations to int8: q[i] = x[i] * 127 / peak rounded half up and
     * clamped to 0..127, where peak = the largest x (NaNs ignored); returns
     * the scale peak / 127 (1 and all zeros when peak is not > 0).  x >= 0. */
    float (*quantize_u7)(const float *x, size_t n, uint8_t *q);
    /* 2x2 max pooling of a layer's int32 products (side x side x n, HWC),
     * then ReLU(a * (s * scale[c]) + bias[c]) of each pooled value a into
     * dst ((side/2)^2 x n).  Pooling first gives the same floats as scaling
     * first, since a * scale + bias never falls as a grows (the scales are
     * >= 0; float rounding keeps the order), and scales a quarter of the
     * values.  With row_of (else NULL), pixel p's products are row
     * row_of[p] of acc: the layer computed each distinct patch once. */
    void (*pool_i32)(const int32_t *acc, const int *row_of, int side, int n, float s, const float *scale,
                     const float *bias, float *dst);
} sp_kernel_ops;

#define SP_KERNEL_CONV_SIDE_MAX 64
/* The row of pool_i32's products that holds pixel p. */
#define SP_KERNEL_ROW(row_of, p) ((row_of) ? (row_of)[p] : (p))

const sp_kernel_ops *sp_kernel_portable(void);
/* The AVX2 kernels, or NULL when this CPU (or compiler) lacks AVX2+FMA. */
const sp_kernel_ops *sp_kernel_avx2(void);
/* The portable first-layer convolution, which the AVX2 one falls back on
 * for channel counts that are not a multiple of 8. */
void sp_kernel_conv3x3_u8s8_portable(int side, const uint8_t *src, int n, const int8_t *w, int ldw,
                                     int32_t *out);
/* pool_i32 for fp32 products (no scale), for the fp32 forward pass. */
void sp_kernel_pool_f32(const float *out, int side, int n, const float *bias, float *dst);
/* The fastest kernels this CPU runs. */
const sp_kernel_ops *sp_kernel_best(void);

#endif
