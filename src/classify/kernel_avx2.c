/*
 * kernel_avx2.c — AVX2+FMA versions of the kernels in kernel.h.
 *
 * Compiled with __attribute__((target("avx2,fma"))) on each function, so
 * the build needs no -mavx2 and the same binary runs on CPUs without AVX2
 * (sp_kernel_avx2() returns NULL there, checked with
 * __builtin_cpu_supports at run time).
 *
 * Both products work on a 2 x 4 block of outputs: two rows of A against
 * four rows of B, eight vector accumulators, k consumed 8 floats or 32
 * bytes at a time (k is a multiple of 32, see kernel.h).  The int8 product
 * multiplies u8 by s8 with vpmaddubsw into int16 pairs (exact because A is
 * 7-bit) and widens them with vpmaddwd into int32 sums, so its results are
 * bit-identical to the portable kernel.
 */
#include "classify/kernel.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SP_KERNEL_HAVE_AVX2 1
#include <immintrin.h>
#include <string.h>

#define SP_AVX2 __attribute__((target("avx2,fma")))

/* Sums of four vectors: result lane t = sum of all lanes of v_t. */
SP_AVX2 static inline __m128 sp_kernel_hsum4_ps(__m256 v0, __m256 v1, __m256 v2, __m256 v3) {
    __m256 t0 = _mm256_hadd_ps(v0, v1);
    __m256 t1 = _mm256_hadd_ps(v2, v3);
    __m256 t = _mm256_hadd_ps(t0, t1);
    return _mm_add_ps(_mm256_castps256_ps128(t), _mm256_extractf128_ps(t, 1));
}

SP_AVX2 static inline __m128i sp_kernel_hsum4_epi32(__m256i v0, __m256i v1, __m256i v2, __m256i v3) {
    __m256i t0 = _mm256_hadd_epi32(v0, v1);
    __m256i t1 = _mm256_hadd_epi32(v2, v3);
    __m256i t = _mm256_hadd_epi32(t0, t1);
    return _mm_add_epi32(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1));
}

SP_AVX2 static inline float sp_kernel_hsum_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

SP_AVX2 static inline int32_t sp_kernel_hsum_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
}

SP_AVX2 static void sp_kernel_gemm_f32_avx2(int m, int n, int k, const float *a, int lda,
                                            const float *b, int ldb, float *c, int ldc) {
    int i = 0;
    for (; i + 2 <= m; i += 2) {
        const float *a0 = a + (long)i * lda, *a1 = a0 + lda;
        float *c0 = c + (long)i * ldc, *c1 = c0 + ldc;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            const float *b0 = b + (long)j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
            __m256 s00 = _mm256_setzero_ps(), s01 = s00, s02 = s00, s03 = s00;
            __m256 s10 = s00, s11 = s00, s12 = s00, s13 = s00;
            for (int p = 0; p < k; p += 8) {
                __m256 x0 = _mm256_loadu_ps(a0 + p), x1 = _mm256_loadu_ps(a1 + p);
                __m256 w = _mm256_loadu_ps(b0 + p);
                s00 = _mm256_fmadd_ps(x0, w, s00);
                s10 = _mm256_fmadd_ps(x1, w, s10);
                w = _mm256_loadu_ps(b1 + p);
                s01 = _mm256_fmadd_ps(x0, w, s01);
                s11 = _mm256_fmadd_ps(x1, w, s11);
                w = _mm256_loadu_ps(b2 + p);
                s02 = _mm256_fmadd_ps(x0, w, s02);
                s12 = _mm256_fmadd_ps(x1, w, s12);
                w = _mm256_loadu_ps(b3 + p);
                s03 = _mm256_fmadd_ps(x0, w, s03);
                s13 = _mm256_fmadd_ps(x1, w, s13);
            }
            _mm_storeu_ps(c0 + j, sp_kernel_hsum4_ps(s00, s01, s02, s03));
            _mm_storeu_ps(c1 + j, sp_kernel_hsum4_ps(s10, s11, s12, s13));
        }
        for (; j < n; j++) {
            const float *br = b + (long)j * ldb;
            __m256 s0 = _mm256_setzero_ps(), s1 = s0;
            for (int p = 0; p < k; p += 8) {
                __m256 w = _mm256_loadu_ps(br + p);
                s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + p), w, s0);
                s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a1 + p), w, s1);
            }
            c0[j] = sp_kernel_hsum_ps(s0);
            c1[j] = sp_kernel_hsum_ps(s1);
        }
    }
    for (; i < m; i++) {
        const float *ar = a + (long)i * lda;
        float *cr = c + (long)i * ldc;
        for (int j = 0; j < n; j++) {
            const float *br = b + (long)j * ldb;
            __m256 s = _mm256_setzero_ps();
            for (int p = 0; p < k; p += 8)
                s = _mm256_fmadd_ps(_mm256_loadu_ps(ar + p), _mm256_loadu_ps(br + p), s);
            cr[j] = sp_kernel_hsum_ps(s);
        }
    }
}

/* acc += sum of u8 x s8 products, 32 bytes, widened to 8 int32 lanes. */
#define SP_KERNEL_DOT32(acc, x, w) \
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(x, w), ones))

SP_AVX2 static void sp_kernel_gemm_u8s8_avx2(int m, int n, int k, const uint8_t *a, int lda,
                                             const int8_t *b, int ldb, int32_t *c, int ldc) {
    const __m256i ones = _mm256_set1_epi16(1);
    int i = 0;
    for (; i + 2 <= m; i += 2) {
        const uint8_t *a0 = a + (long)i * lda, *a1 = a0 + lda;
        int32_t *c0 = c + (long)i * ldc, *c1 = c0 + ldc;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            const int8_t *b0 = b + (long)j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
            __m256i s00 = _mm256_setzero_si256(), s01 = s00, s02 = s00, s03 = s00;
            __m256i s10 = s00, s11 = s00, s12 = s00, s13 = s00;
            for (int p = 0; p < k; p += 32) {
                __m256i x0 = _mm256_loadu_si256((const __m256i *)(a0 + p));
                __m256i x1 = _mm256_loadu_si256((const __m256i *)(a1 + p));
                __m256i w = _mm256_loadu_si256((const __m256i *)(b0 + p));
                SP_KERNEL_DOT32(s00, x0, w);
                SP_KERNEL_DOT32(s10, x1, w);
                w = _mm256_loadu_si256((const __m256i *)(b1 + p));
                SP_KERNEL_DOT32(s01, x0, w);
                SP_KERNEL_DOT32(s11, x1, w);
                w = _mm256_loadu_si256((const __m256i *)(b2 + p));
                SP_KERNEL_DOT32(s02, x0, w);
                SP_KERNEL_DOT32(s12, x1, w);
                w = _mm256_loadu_si256((const __m256i *)(b3 + p));
                SP_KERNEL_DOT32(s03, x0, w);
                SP_KERNEL_DOT32(s13, x1, w);
            }
            _mm_storeu_si128((__m128i *)(c0 + j), sp_kernel_hsum4_epi32(s00, s01, s02, s03));
            _mm_storeu_si128((__m128i *)(c1 + j), sp_kernel_hsum4_epi32(s10, s11, s12, s13));
        }
        for (; j < n; j++) {
            const int8_t *br = b + (long)j * ldb;
            __m256i s0 = _mm256_setzero_si256(), s1 = s0;
            for (int p = 0; p < k; p += 32) {
                __m256i w = _mm256_loadu_si256((const __m256i *)(br + p));
                SP_KERNEL_DOT32(s0, _mm256_loadu_si256((const __m256i *)(a0 + p)), w);
                SP_KERNEL_DOT32(s1, _mm256_loadu_si256((const __m256i *)(a1 + p)), w);
            }
            c0[j] = sp_kernel_hsum_epi32(s0);
            c1[j] = sp_kernel_hsum_epi32(s1);
        }
    }
    for (; i < m; i++) {
        const uint8_t *ar = a + (long)i * lda;
        int32_t *cr = c + (long)i * ldc;
        for (int j = 0; j < n; j++) {
            const int8_t *br = b + (long)j * ldb;
            __m256i s = _mm256_setzero_si256();
            for (int p = 0; p < k; p += 32)
                SP_KERNEL_DOT32(s, _mm256_loadu_si256((const __m256i *)(ar + p)),
                                _mm256_loadu_si256((const __m256i *)(br + p)));
            cr[j] = sp_kernel_hsum_epi32(s);
        }
    }
}

/* The first-layer convolution, eight output channels to a vector.  The
 * image is widened to int16 with a zero border, so that a 32-bit load at a
 * tap gives that tap and the next one as an int16 pair; broadcast, it
 * meets each channel's matching pair of weights in one vpmaddwd (exact:
 * 127 * 127 * 2 fits int32 many times over).  A kernel row is two pairs,
 * (left, centre) and (right, the next pixel with weight 0). */
SP_AVX2 static void sp_kernel_conv3x3_u8s8_avx2(int side, const uint8_t *src, int n, const int8_t *w, int ldw,
                                                int32_t *out) {
    enum { MAX_GROUPS = 8, PAD_W = SP_KERNEL_CONV_SIDE_MAX + 4 };
    if (n % 8 != 0 || n / 8 > MAX_GROUPS || side > SP_KERNEL_CONV_SIDE_MAX) {
        sp_kernel_conv3x3_u8s8_portable(side, src, n, w, ldw, out);
        return;
    }
    int groups = n / 8;
    __m256i wpair[MAX_GROUPS][6]; /* per group: (w0,w1) and (w2,0) for each kernel row */
    for (int g = 0; g < groups; g++)
        for (int r = 0; r < 3; r++) {
            int32_t left[8], right[8];
            for (int c = 0; c < 8; c++) {
                const int8_t *wc = w + (size_t)(g * 8 + c) * ldw + r * 3;
                left[c] = (int32_t)(uint16_t)(int16_t)wc[0] | (int32_t)((uint32_t)(uint16_t)(int16_t)wc[1] << 16);
                right[c] = (int32_t)(uint16_t)(int16_t)wc[2];
            }
            wpair[g][2 * r] = _mm256_loadu_si256((const __m256i *)left);
            wpair[g][2 * r + 1] = _mm256_loadu_si256((const __m256i *)right);
        }
    int16_t pad[(SP_KERNEL_CONV_SIDE_MAX + 2) * PAD_W];
    int pw = side + 4; /* the row stride: a border column left, three right */
    memset(pad, 0, (size_t)(side + 2) * (size_t)pw * sizeof pad[0]);
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) pad[(y + 1) * pw + x + 1] = src[(size_t)y * side + x];
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            __m256i tap[6];
            for (int r = 0; r < 3; r++) {
                int32_t lo, hi;
                memcpy(&lo, &pad[(y + r) * pw + x], 4);
                memcpy(&hi, &pad[(y + r) * pw + x + 2], 4);
                tap[2 * r] = _mm256_set1_epi32(lo);
                tap[2 * r + 1] = _mm256_set1_epi32(hi);
            }
            int32_t *o = out + ((size_t)y * side + x) * (size_t)n;
            for (int g = 0; g < groups; g++) {
                __m256i s = _mm256_madd_epi16(tap[0], wpair[g][0]);
                for (int t = 1; t < 6; t++) s = _mm256_add_epi32(s, _mm256_madd_epi16(tap[t], wpair[g][t]));
                _mm256_storeu_si256((__m256i *)(o + g * 8), s);
            }
        }
}

/* Eight floats' largest, NaN-free in and out. */
SP_AVX2 static inline float sp_kernel_hmax_ps(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

/* The same operations as the portable loop, eight at a time: multiply,
 * then add (no FMA: the build is ISO C, which does not contract), clamp
 * with max/min against a constant second operand (which is what they
 * return for a NaN, as the portable comparisons do), truncate. */
SP_AVX2 static float sp_kernel_quantize_u7_avx2(const float *x, size_t n, uint8_t *q) {
    __m256 pk = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) pk = _mm256_max_ps(_mm256_loadu_ps(x + i), pk); /* a NaN x yields pk */
    float peak = sp_kernel_hmax_ps(pk);
    for (; i < n; i++)
        if (x[i] > peak) peak = x[i];
    if (!(peak > 0.0f)) {
        memset(q, 0, n);
        return 1.0f;
    }
    float inv = 127.0f / peak;
    const __m256 vinv = _mm256_set1_ps(inv), half = _mm256_set1_ps(0.5f);
    const __m256 zero = _mm256_setzero_ps(), top = _mm256_set1_ps(127.0f);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    __m256i v[4];
    for (i = 0; i + 32 <= n; i += 32) {
        for (int j = 0; j < 4; j++) {
            __m256 f = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8 * j), vinv), half);
            f = _mm256_min_ps(_mm256_max_ps(f, zero), top);
            v[j] = _mm256_cvttps_epi32(f);
        }
        /* the packs work within 128-bit lanes; the permute puts the
         * 4-byte groups back in order */
        __m256i b = _mm256_packus_epi16(_mm256_packs_epi32(v[0], v[1]), _mm256_packs_epi32(v[2], v[3]));
        _mm256_storeu_si256((__m256i *)(q + i), _mm256_permutevar8x32_epi32(b, order));
    }
    for (; i < n; i++) {
        float f = x[i] * inv + 0.5f;
        f = f > 0.0f ? f : 0.0f;
        f = f < 127.0f ? f : 127.0f;
        q[i] = (uint8_t)(int32_t)f;
    }
    return peak / 127.0f;
}

SP_AVX2 static void sp_kernel_pool_i32_avx2(const int32_t *acc, const int *row_of, int side, int n, float s,
                                            const float *scale, const float *bias, float *dst) {
    enum { MAX_N = 256 };
    float sc[MAX_N];
    if (n % 8 != 0 || n > MAX_N) {
        sp_kernel_portable()->pool_i32(acc, row_of, side, n, s, scale, bias, dst);
        return;
    }
    for (int c = 0; c < n; c++) sc[c] = s * scale[c];
    const __m256 zero = _mm256_setzero_ps();
    int half = side / 2;
    for (int y = 0; y < half; y++)
        for (int x = 0; x < half; x++) {
            int at = 2 * y * side + 2 * x;
            const int32_t *p00 = acc + (size_t)SP_KERNEL_ROW(row_of, at) * n;
            const int32_t *p01 = acc + (size_t)SP_KERNEL_ROW(row_of, at + 1) * n;
            const int32_t *p10 = acc + (size_t)SP_KERNEL_ROW(row_of, at + side) * n;
            const int32_t *p11 = acc + (size_t)SP_KERNEL_ROW(row_of, at + side + 1) * n;
            float *o = dst + ((size_t)y * half + x) * (size_t)n;
            for (int c = 0; c < n; c += 8) {
                __m256i a = _mm256_max_epi32(_mm256_loadu_si256((const __m256i *)(p00 + c)),
                                             _mm256_loadu_si256((const __m256i *)(p01 + c)));
                a = _mm256_max_epi32(a, _mm256_max_epi32(_mm256_loadu_si256((const __m256i *)(p10 + c)),
                                                         _mm256_loadu_si256((const __m256i *)(p11 + c))));
                __m256 v = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(a), _mm256_loadu_ps(sc + c)),
                                         _mm256_loadu_ps(bias + c));
                _mm256_storeu_ps(o + c, _mm256_max_ps(v, zero));
            }
        }
}

static const sp_kernel_ops sp_kernel_avx2_ops = {
    "avx2",
    sp_kernel_gemm_f32_avx2,
    sp_kernel_gemm_u8s8_avx2,
    sp_kernel_conv3x3_u8s8_avx2,
    sp_kernel_quantize_u7_avx2,
    sp_kernel_pool_i32_avx2,
};
#endif

const sp_kernel_ops *sp_kernel_avx2(void) {
#ifdef SP_KERNEL_HAVE_AVX2
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &sp_kernel_avx2_ops;
#endif
    return 0;
}
