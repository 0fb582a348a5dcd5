/* SPDX-License-Identifier: MIT */
/* The contract of every hot kernel, the kernel table and the CPU flags. */
#ifndef CANSIM_KERNELS_H
#define CANSIM_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cansim's own cumulative CPU bits (STYLE.md 3), defined once in the public cansim/cpu.h. */
#include "include/cansim/cpu.h"

/* Engine buffers: 64-byte aligned, lengths padded to a multiple of CANSIM_PAD floats. */
#define CANSIM_ALIGN 64
#define CANSIM_PAD   16

/* acc += x * h over n complex bins, split re/im arrays.
 * n % 16 == 0; all pointers 64-byte aligned; acc aliases neither x nor h; nothing past n is
 * touched. Per bin: re += xr*hr - xi*hi, im += xr*hi + xi*hr; the SIMD versions use FMA, so each
 * result is within 2.5 * FLT_EPSILON * (|acc| + |xr*hr| + |xi*hi|) (resp. the im terms) of the
 * reference (provable bound; 2 is what an adversarial search reaches), plus one FLT_MIN per
 * rounding under flush-to-zero, since FMA does not flush its intermediate product. */
typedef void cansim_cmac_fn(float *restrict acc_re, float *restrict acc_im, const float *x_re,
                            const float *x_im, const float *h_re, const float *h_im, size_t n);

/* The 2x2 matrix form, one partition of a full 2x2 filter:
 *   y_l += x_l * h_ll + x_r * h_rl,   y_r += x_l * h_lr + x_r * h_rr,
 * or, when add is false, the same into a zeroed y (+0; y is then only written: the engine's
 * first partition of a block, without a pass to clear y). Planes of n floats, each at stride n:
 *   y: [y_l re, y_l im, y_r re, y_r im]               (4n floats, read if add, written)
 *   x: [x_l re, x_l im, x_r re, x_r im]               (4n floats)
 *   h: [ll re, ll im, lr re, lr im, rl re, rl im, rr re, rr im]  (8n floats; cell X->Y)
 * n % 16 == 0; pointers 64-byte aligned; y aliases neither x nor h. Loads x once for both
 * outputs. The reference adds the first cell into y, then the second (the FMA chain's order);
 * with that order each output value is within 4 * FLT_EPSILON * (|y| + sum of |products|) of
 * it, plus one FLT_MIN per rounding under flush-to-zero. */
typedef void cansim_cmac2x2_fn(float *restrict y, const float *x, const float *h, size_t n,
                               bool add);

/* l[i] = src[2i], r[i] = src[2i+1] for i < n. Any n, no alignment required, no aliasing.
 * Exact. */
typedef void cansim_deinterleave2_fn(float *restrict l, float *restrict r,
                                     const float *restrict src, size_t n);

/* dst[2i] = l[i] * gain, dst[2i+1] = r[i] * gain for i < n. Any n, no alignment required,
 * no aliasing. One rounding per value: bit-exact against the reference. */
typedef void cansim_interleave2_fn(float *restrict dst, const float *l, const float *r, float gain,
                                   size_t n);

/* dst[i] = src[i] * gain for i < n. Any n, no alignment required; dst == src allowed exactly
 * (in place), no other overlap. One rounding per value: bit-exact against the reference. */
typedef void cansim_gain_fn(float *dst, const float *src, float gain, size_t n);

/* Vector math (family vmath) for filter design, through SLEEF, whose u10 functions are each
 * within 1 ulp of exact, and 1 ulp of y is at most e |y|, e = FLT_EPSILON. The C versions call
 * SLEEF's ...f1_u10purec functions, the SIMD versions the explicitly suffixed ones of their ISA
 * (the same algorithms, with FMA), so the versions differ by at most the sum of their bounds.
 * Any n; no alignment required; nothing past n is read or written. */

/* (re, im) <- exp(re) * (cos(im), sin(im)) for i < n, in place: the complex exponential, which
 * turns a log spectrum ln|H| + j arg H back into a spectrum. re and im do not overlap.
 * For |im| <= 1e28 (sincosf's range) each output is expf (1 ulp) times cosf or sinf (1 ulp),
 * rounded once: within (1 + e)^2 (1 + e/2) - 1 ~ 2.5e of exact, so the versions agree within
 * ~5e relative (measured: 3 ulp), plus FLT_MIN where a result is subnormal or flushed by FTZ.
 * expf is +inf above re ~ 88.72 (and inf * sin(0) is NaN), subnormal below ~ -87.34 and 0
 * below -104. */
typedef void cansim_cexp_fn(float *restrict re, float *restrict im, size_t n);

/* dst[i] = ln(src[i]) for i < n: for log-frequency interpolation and log magnitudes. dst == src
 * allowed exactly (in place), no other overlap. Within 1 ulp of exact, so the versions agree
 * within 2e relative (measured: 1 ulp). C99's specials: ln(+-0) = -inf (subnormals too under
 * DAZ), ln(+inf) = +inf, and NaN for negatives and NaN. */
typedef void cansim_vlog_fn(float *dst, const float *src, size_t n);

/* Sum and difference: sum[i] = a[i] + b[i], diff[i] = a[i] - b[i] for i < n (mid/side spectra
 * of a block for symmetric 2x2 filters). n % 16 == 0; pointers 64-byte aligned; outputs alias
 * neither input nor each other. One rounding per value: bit-exact against the reference. */
typedef void cansim_sumdiff_fn(float *restrict sum, float *restrict diff, const float *a,
                               const float *b, size_t n);

/* Mid/side back to stereo, interleaved: dst[2i] = (m[i] + s[i]) * gain,
 * dst[2i+1] = (m[i] - s[i]) * gain for i < n. Any n, no alignment required, no aliasing. Two
 * roundings per value in this order: bit-exact against the reference. */
typedef void cansim_interleave2_ms_fn(float *restrict dst, const float *m, const float *s,
                                      float gain, size_t n);

/* True peak (ITU-R BS.1770-4 Annex 2) by polyphase interpolation with libebur128's filter: a
 * 49-tap Hann-windowed sinc at factor times the rate, coefficient j in phase j % factor as tap
 * j / factor. So each phase has CANSIM_TP_TAPS(factor) = ceil(49 / factor) taps: 13 at factor 4,
 * 25 at factor 2 (libebur128's delay line; 13 there is up to 21% off), and 1 at factor 1 (no
 * interpolation: the sample peak). libebur128 takes factor 4 below 96 kHz, 2 below 192 kHz, and
 * 1 from there. */
#define CANSIM_TP_TAPS(factor) ((factor) == 1 ? 1 : (48 + (factor)) / (factor))
#define CANSIM_TP_HISTORY      24 /* frames before x a call may read: CANSIM_TP_TAPS(2) - 1 */
#define CANSIM_TP_MAX_COEFS    52 /* factor * CANSIM_TP_TAPS(factor) at most (4 * 13) */

/* True peak of interleaved stereo. x points at frame 0, and the CANSIM_TP_HISTORY frames before
 * it, x[-48..-1], are readable (the previous frames, or zeros at the start); only the last
 * T - 1 of them are read (12 at factor 4, none at 1). With T = CANSIM_TP_TAPS(factor), for
 * p < factor, n < n_frames, c < 2:
 *   y = sum_{k < T} h[p * T + k] * x[2 * (n - k) + c];
 * returns max |y| (0 for n_frames 0; a NaN y is skipped). h: factor * T floats, normally from
 * cansim_truepeak_coefs() (the versions are checked with any h); factor 1, 2 or 4. Any n_frames,
 * no alignment required; nothing past frame n_frames - 1 is read.
 * Phase 0 is x delayed by T / 2 frames, so the last T / 2 frames of a call reach it only in the
 * next call: libebur128's ebur128_true_peak() is the larger of this over all the frames and the
 * sample peak (measured: within 1.2e-7 relative, C and SIMD, chunked or not).
 * For finite x whose sums stay finite, the SIMD versions (FMA) are within 2 gamma_T ~ T *
 * FLT_EPSILON of the reference (gamma_T = T u / (1 - T u), u = FLT_EPSILON / 2) relative to the
 * largest sum_k |h x| over the outputs, plus 3T FLT_MIN under flush-to-zero (FMA does not flush
 * its product); the reference is within gamma_T of exact in the same terms. */
typedef float cansim_truepeak2_fn(const float *x, size_t n_frames, const float *h, int factor);

/* Sample peak (family truepeak): the largest of peak and the bit patterns of |x[i]| (x[i] with
 * its sign bit cleared), i < n, compared as unsigned integers. Non-negative floats' patterns
 * are ordered as their values, so for numbers it is the largest magnitude's; a NaN's is above
 * every number's. Any n, no alignment required. Exact: every version returns the same. */
typedef uint32_t cansim_peak_fn(const float *x, size_t n, uint32_t peak);

/* Lane sums (family wdot), for the level analysis' frame energies and the translation's band
 * energies: weighted sums over bins of a frame's spectra, in CANSIM_WDOT_LANES float lanes the
 * caller adds (in double, in lane order, for a result that does not depend on the CPU level). For
 * each frame f < n_frames (its planes at p[f], plane c at p[f] + c stride) and weight set s <
 * n_sets (its planes at w + 4 s stride), lane q of acc[f n_sets + s] (16 floats, read and written)
 * adds in turn the terms of i = 16 m + q < n, m = 0, 1, ... (the tail's in its first lanes; the
 * others untouched): p_0[i] when w is NULL (then n_sets is 1), w_0[i] p_0[i] with one plane,
 * (w_0[i] p_0[i] + w_1[i] p_1[i]) + (w_2[i] p_2[i] + w_3[i] p_3[i]) with four (w_c, p_c the set's
 * and frame's plane c), each product rounded to float (no FMA). Every version keeps that order:
 * bit-exact against the reference. A frame's lanes do not depend on the other frames or sets of the
 * call (several share the loads of the weights or the spectra). n_planes 1 or 4, n_sets 1 or 2,
 * n_frames 1 to CANSIM_WLANES_MAX_FRAMES. Any n and stride; no alignment required; nothing outside
 * the planes' n values is read; acc aliases no input. */
#define CANSIM_WDOT_LANES        16
#define CANSIM_WLANES_MAX_FRAMES 4
typedef void cansim_wlanes_fn(float *const *acc, const float *w, const float *const *p,
                              size_t stride, size_t n_planes, size_t n_sets, size_t n_frames,
                              size_t n);

/* The finishing write's gain and dither (family dither): dst[i] = (float)((double)src[i] gain
 * + d_i) for i < n, with d_i = 0 when state is NULL, else TPDF dither of +-1 16-bit LSB from
 * splitmix64: r_i = splitmix(state) in turn, d_i = ((r >> 40) - ((r >> 16) mod 2^24)) 2^-24
 * 2^-15 (dither.h; every step exact in double), and *state advanced n times. The product is
 * rounded to double before its sum, the sum once to float (round to nearest): bit-exact against
 * the reference, state included, so a render's bytes do not depend on the CPU level. Any n;
 * no alignment required; dst == src allowed exactly (in place), no other overlap. */
typedef void cansim_gain_dither_fn(float *dst, const float *src, size_t n, double gain,
                                   uint64_t *state);

/* The finishing write's integer samples (family pack_pcm): dst gets n little-endian two's
 * complement samples of B bytes each (B = 2 for pack_pcm16, 3 for pack_pcm24), sample i the low
 * B bytes of lrintf(src[i] * s), s = 32767.0f (16-bit) or 8388607.0f (24-bit) (pack_pcm.h): the
 * product rounded to float, then to an integer as MXCSR says (nearest, ties to even, by default;
 * cvtps2dq and lrintf alike). That is libsndfile's conversion of normalised floats with clipping
 * off (f2les_array, f2let_array in its pcm.c), so sf_write_raw() of dst writes the bytes
 * sf_writef_float() would. Input range: |src[i] * s| < 2^31 (NaN and infinities are outside it;
 * past it the versions differ). Within it, a value past full scale wraps as libsndfile's does:
 * lrintf(x s) outside -2^(8B-1) .. 2^(8B-1) - 1 is written modulo 2^(8B). The finish never
 * gives one: its outputs stay under full scale (the ceiling). Bit-exact against the reference.
 * Any n; no alignment required; exactly n B bytes of dst are written; no overlap. */
typedef void cansim_pack_pcm_fn(void *restrict dst, const float *restrict src, size_t n);

/* Fills h[0 .. factor * CANSIM_TP_TAPS(factor)) with the true-peak filter of factor 1, 2 or 4:
 * libebur128's coefficients, computed in double as it does and rounded to float (the ones it
 * drops, |c| <= 1e-6: the sinc's zeros, are 0 here); at factor 1, h[0] = 1. */
void cansim_truepeak_coefs(float *h, int factor);

/* Real FFTs (family rfft) of n = 2^k points, CANSIM_RFFT_MIN <= n <= CANSIM_RFFT_MAX, as the
 * engine's partitioned convolution uses them (n = 2 x partition frames).
 *
 * Spectrum: split re/im arrays of nb = CANSIM_RFFT_BINS(n) floats each (n/2 + 1 bins rounded up
 * to CANSIM_PAD), bins in natural order: bin k at index k, DC at 0, Nyquist at n/2, each in its
 * own slot with a zero imaginary part, so cmac/cmac2x2 multiply spectra bin by bin with no
 * reordering and no packed DC/Nyquist pair.
 *
 * tw: the size's table of twiddles, cansim_rfft_table_size(n) floats, filled once by
 * cansim_rfft_table() (setup, outside the kernel table) and shared read-only by every version,
 * thread and call; its caller owns it. scratch: 2 nb floats of the caller's (per thread; two
 * planes nb apart, which keeps their streams off the same cache sets), contents undefined
 * before and after. All pointers 64-byte aligned; no array overlaps another.
 *
 * Forward (r2c): re[k] + i im[k] = sum_{t<n} x[t] exp(-2 pi i k t / n) for k <= n/2, as FFTW's
 * r2c computes it; im[0] = im[n/2] = 0 and bins n/2+1 .. nb-1 are 0 exactly. Reads x[0 .. n),
 * writes all of re, im (used as work space first) and scratch.
 * Inverse (c2r): x[t] = sum_{k<n} X[k] exp(+2 pi i k t / n), X the Hermitian extension of
 * bins 0 .. n/2, unnormalised like FFTW's c2r (forward then inverse gives n x); im[0] and
 * im[n/2] are ignored and nothing past bin n/2 is read. re and im are not written; writes
 * x[0 .. n) (used as work space first) and scratch.
 *
 * Accuracy: a radix-2 FFT with twiddles rounded to float (error mu <= u = FLT_EPSILON / 2) is
 * within log2(N) eta / (1 - log2(N) eta) of exact in relative 2-norm (relative RMS error over
 * all outputs), eta = mu + gamma_4 (sqrt 2 + mu) ~ 6.7 u (Higham, Accuracy and Stability of
 * Numerical Algorithms, thm. 24.2). A radix-4 butterfly is two radix-2 levels whose inner
 * twiddle (+-i) is exact; the real transform is the n/2-point complex one plus one more level
 * (the split into even and odd parts, a twiddle and a butterfly). From 16384 points on, two
 * levels (the top pass's and the split's) multiply by twiddles that are products of two table
 * entries (mu <= about 3 u, eta ~ 8.7 u), which the exact inner levels (eta ~ 5.7 u) more than
 * pay for: the sum of the levels' eta stays under 7 log2(n) u. So every version is within
 * CANSIM_RFFT_ERR(log2 n) = 3.5 log2(n) FLT_EPSILON of exact, relative RMS, forward and inverse
 * alike (measured on random signals: 0.8 to 1.3 FLT_EPSILON from n = 128 to 131072); versions
 * agree within twice that, not bit for bit (the SIMD ones use FMA). Zero in gives exactly zero
 * out. */
#define CANSIM_RFFT_MIN         128
#define CANSIM_RFFT_MAX         131072
#define CANSIM_RFFT_BINS(n)     (((n) / 2 + 1 + CANSIM_PAD - 1) / CANSIM_PAD * CANSIM_PAD)
#define CANSIM_RFFT_ERR(log2_n) (3.5 * 1.1920928955078125e-07 * (log2_n))
typedef void cansim_rfft_fn(float *restrict re, float *restrict im, const float *restrict x,
                            float *restrict scratch, const float *restrict tw, size_t n);
typedef void cansim_irfft_fn(float *restrict x, const float *restrict re, const float *restrict im,
                             float *restrict scratch, const float *restrict tw, size_t n);

/* Floats of the twiddle table of size n (a multiple of CANSIM_PAD), 0 when n is not a power of
 * two in CANSIM_RFFT_MIN .. CANSIM_RFFT_MAX; then cansim_rfft_table() fills it (in double,
 * rounded once to float). tw 64-byte aligned. At most 3 n floats. */
size_t cansim_rfft_table_size(size_t n);
void cansim_rfft_table(float *tw, size_t n);

cansim_cmac_fn cansim_cmac_c, cansim_cmac_avx2, cansim_cmac_avx512;
cansim_cmac2x2_fn cansim_cmac2x2_c, cansim_cmac2x2_avx2, cansim_cmac2x2_avx512;
cansim_deinterleave2_fn cansim_deinterleave2_c, cansim_deinterleave2_avx2,
    cansim_deinterleave2_avx512;
cansim_interleave2_fn cansim_interleave2_c, cansim_interleave2_avx2, cansim_interleave2_avx512;
cansim_gain_fn cansim_gain_c, cansim_gain_avx2, cansim_gain_avx512;
cansim_sumdiff_fn cansim_sumdiff_c, cansim_sumdiff_avx2, cansim_sumdiff_avx512;
cansim_interleave2_ms_fn cansim_interleave2_ms_c, cansim_interleave2_ms_avx2,
    cansim_interleave2_ms_avx512;
cansim_cexp_fn cansim_cexp_c, cansim_cexp_avx2, cansim_cexp_avx512;
cansim_vlog_fn cansim_vlog_c, cansim_vlog_avx2, cansim_vlog_avx512;
cansim_truepeak2_fn cansim_truepeak2_c, cansim_truepeak2_avx2, cansim_truepeak2_avx512;
cansim_peak_fn cansim_peak_c, cansim_peak_avx2, cansim_peak_avx512;
cansim_rfft_fn cansim_rfft_c, cansim_rfft_avx2, cansim_rfft_avx512;
cansim_irfft_fn cansim_irfft_c, cansim_irfft_avx2, cansim_irfft_avx512;
cansim_wlanes_fn cansim_wlanes_c, cansim_wlanes_avx2, cansim_wlanes_avx512;
cansim_gain_dither_fn cansim_gain_dither_c, cansim_gain_dither_avx2, cansim_gain_dither_avx512;
cansim_pack_pcm_fn cansim_pack_pcm16_c, cansim_pack_pcm16_avx2, cansim_pack_pcm16_avx512;
cansim_pack_pcm_fn cansim_pack_pcm24_c, cansim_pack_pcm24_avx2, cansim_pack_pcm24_avx512;

typedef struct CansimKernels {
    cansim_cmac_fn *cmac;
    cansim_cmac2x2_fn *cmac2x2;
    cansim_deinterleave2_fn *deinterleave2;
    cansim_interleave2_fn *interleave2;
    cansim_gain_fn *gain;
    cansim_sumdiff_fn *sumdiff;
    cansim_interleave2_ms_fn *interleave2_ms;
    cansim_cexp_fn *cexp;
    cansim_vlog_fn *vlog;
    cansim_truepeak2_fn *truepeak2;
    cansim_peak_fn *peak;
    cansim_rfft_fn *rfft;
    cansim_irfft_fn *irfft;
    cansim_wlanes_fn *wlanes;
    cansim_gain_dither_fn *gain_dither;
    cansim_pack_pcm_fn *pack_pcm16;
    cansim_pack_pcm_fn *pack_pcm24;
} CansimKernels;

/* The levels this build can dispatch on this CPU and OS (0 when built without SIMD), detected
 * afresh on each call; no global state. */
unsigned cansim_cpu_detect(void);

/* Fills k for the given flags: C versions first, then the per-arch cascade. Depends only on its
 * arguments; pass cansim_cpu_detect() & mask. */
void cansim_kernels_init(CansimKernels *k, unsigned cpu_flags);

/* Flush-to-zero and denormals-are-zero for the calling thread (per-thread state, so every
 * worker calls it). Returns the previous state for cansim_fpu_restore(). No-op elsewhere. */
unsigned cansim_fpu_ftz_enter(void);
void cansim_fpu_restore(unsigned state);

/* The highest level named in flags: "avx512", "avx2", "neon" or "c". */
const char *cansim_cpu_level_name(unsigned cpu_flags);

#endif
