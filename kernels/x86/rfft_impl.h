/* SPDX-License-Identifier: MIT */
/* The real FFTs' passes written once over a vector of W floats; rfft_avx2.c and rfft_avx512.c
 * include this after defining V, W, the arithmetic and five shuffles:
 *   load_deint(x, &re, &im)     2W interleaved floats into planes (the real input's pairs)
 *   store_int(x, even, odd)     planes into 2W interleaved floats
 *   vrev(v)                     lanes reversed
 *   vmirror(v, u)               u[0], v[W - 1], v[W - 2], ..., v[1]: the split's mirrors
 *   vlane0(v, x)                v with lane 0 set to x
 *   store_t4(y, c0, c1, c2, c3) y[4p + k] = ck[p] for p < W (y unaligned): the first pass's
 *                               output, the split's with the top pass
 *   load_t4(y, c)               c[k][p] = y[4p + k] (y unaligned): the unsplit's input
 *   store_t4r, load_t4r         the same from the far end: y[4W - 1 - (4p + k)]
 *   store_s4(y, c0, c1, c2, c3) the second pass's: ck holds (p, q) at lane 4p + q, q < 4, and
 *                               goes to y[16p + 4k + q]
 * The algorithm and the table are the C reference's (ref/rfft.c, rfft_layout.h); only the order
 * of the loops and the FMAs differ. */
#include <string.h>

#include "rfft_layout.h"

/* (r + i im) * (wr + i wi) */
static inline void cmul(V *r, V *i, V wr, V wi)
{
    const V nr = vfmsub(*r, wr, vmul(*i, wi));
    *i = vfmadd(*r, wi, vmul(*i, wr));
    *r = nr;
}

/* The radix-4 butterfly before its twiddles: ck = sum_j aj (-i)^jk. */
static inline void bfly4(V cr[4], V ci[4], const V ar[4], const V ai[4])
{
    const V b0r = vadd(ar[0], ar[2]), b0i = vadd(ai[0], ai[2]);
    const V b1r = vsub(ar[0], ar[2]), b1i = vsub(ai[0], ai[2]);
    const V b2r = vadd(ar[1], ar[3]), b2i = vadd(ai[1], ai[3]);
    const V b3r = vsub(ai[1], ai[3]), b3i = vsub(ar[3], ar[1]);
    cr[0] = vadd(b0r, b2r);
    ci[0] = vadd(b0i, b2i);
    cr[1] = vadd(b1r, b3r);
    ci[1] = vadd(b1i, b3i);
    cr[2] = vsub(b0r, b2r);
    ci[2] = vsub(b0i, b2i);
    cr[3] = vsub(b1r, b3r);
    ci[3] = vsub(b1i, b3i);
}

/* Pass 0's butterflies at p .. p + W - 1 from a_k = x[p + k m/4]: y[4p + k] = w^kp sum_j a_j
 * (-i)^jk. */
static inline void first_group(float *yr, float *yi, const V ar[4], const V ai[4], const float *t,
                               size_t m4, size_t p)
{
    V cr[4], ci[4];
    bfly4(cr, ci, ar, ai);
    for (size_t k = 1; k < 4; k++)
        cmul(&cr[k], &ci[k], vload(t + (2 * k - 2) * m4 + p), vload(t + (2 * k - 1) * m4 + p));
    store_t4(yr + 4 * p, cr[0], cr[1], cr[2], cr[3]);
    store_t4(yi + 4 * p, ci[0], ci[1], ci[2], ci[3]);
}

/* Pass 0: l = m, span 1, W values of p per step; the forward reads the real signal itself
 * (x interleaved: is_real), the inverse its planes. */
static inline void pass_first(float *yr, float *yi, const float *xr, const float *xi, bool is_real,
                              const float *t, size_t m)
{
    const size_t m4 = m / 4;
    for (size_t p = 0; p < m4; p += W) {
        V ar[4], ai[4];
        for (size_t k = 0; k < 4; k++) {
            if (is_real)
                load_deint(xr + 2 * (p + k * m4), &ar[k], &ai[k]);
            else {
                ar[k] = vload(xr + p + k * m4);
                ai[k] = vload(xi + p + k * m4);
            }
        }
        first_group(yr, yi, ar, ai, t, m4, p);
    }
}

/* w^kp of the top and bottom passes for k = 1 .. 3, p = p0 + lane: w^(16 k ph) w^(k pl). */
static inline void top_twiddles(const RfftLayout *lay, const float *tw, size_t p0, V w[6])
{
    const float *hi = tw + lay->top + 6 * (p0 / 16);
    const float *lo = tw + lay->top_lo + p0 % 16;
    for (size_t k = 0; k < 3; k++) {
        w[2 * k] = vload(lo + 32 * k);
        w[2 * k + 1] = vload(lo + 32 * k + 16);
        cmul(&w[2 * k], &w[2 * k + 1], vbroadcast(hi + 2 * k), vbroadcast(hi + 2 * k + 1));
    }
}

/* The top pass (the forward's first with it, decimation in frequency): as pass 0 from the real
 * signal, but the result for k goes to block k, y[k m/4 + p]. */
static inline void pass_top(float *yr, float *yi, const float *x, const RfftLayout *lay,
                            const float *tw)
{
    const size_t m4 = lay->m / 4;
    for (size_t p = 0; p < m4; p += W) {
        V ar[4], ai[4], cr[4], ci[4], w[6];
        for (size_t k = 0; k < 4; k++)
            load_deint(x + 2 * (p + k * m4), &ar[k], &ai[k]);
        bfly4(cr, ci, ar, ai);
        top_twiddles(lay, tw, p, w);
        for (size_t k = 1; k < 4; k++)
            cmul(&cr[k], &ci[k], w[2 * k - 2], w[2 * k - 1]);
        for (size_t k = 0; k < 4; k++) {
            vstore(yr + k * m4 + p, cr[k]);
            vstore(yi + k * m4 + p, ci[k]);
        }
    }
}

/* The bottom pass (the inverse's last with the top pass, decimation in time): block k holds
 * S_k, a_k = w^kp S_k[p], and z[p + j m/4] = sum_k a_k (-i)^jk goes out interleaved, swapped
 * back (the imaginary plane to the even samples). */
static inline void pass_bottom(float *x, const float *xr, const float *xi, const RfftLayout *lay,
                               const float *tw)
{
    const size_t m4 = lay->m / 4;
    for (size_t p = 0; p < m4; p += W) {
        V ar[4], ai[4], cr[4], ci[4], w[6];
        top_twiddles(lay, tw, p, w);
        for (size_t k = 0; k < 4; k++) {
            ar[k] = vload(xr + k * m4 + p);
            ai[k] = vload(xi + k * m4 + p);
            if (k > 0)
                cmul(&ar[k], &ai[k], w[2 * k - 2], w[2 * k - 1]);
        }
        bfly4(cr, ci, ar, ai);
        for (size_t k = 0; k < 4; k++)
            store_int(x + 2 * (p + k * m4), ci[k], cr[k]);
    }
}

/* Pass 1: l = m/4, span 4, W/4 values of p per step; twiddles stored per (p, q). */
static inline void pass_second(float *yr, float *yi, const float *xr, const float *xi,
                               const float *t, size_t m)
{
    const size_t a = m / 4;
    const size_t m4 = m / 16;
    for (size_t i = 0; i < 4 * m4; i += W) { /* i = 4p */
        V ar[4], ai[4], cr[4], ci[4];
        for (size_t k = 0; k < 4; k++) {
            ar[k] = vload(xr + i + 4 * k * m4);
            ai[k] = vload(xi + i + 4 * k * m4);
        }
        bfly4(cr, ci, ar, ai);
        for (size_t k = 1; k < 4; k++)
            cmul(&cr[k], &ci[k], vload(t + (2 * k - 2) * a + i), vload(t + (2 * k - 1) * a + i));
        store_s4(yr + 4 * i, cr[0], cr[1], cr[2], cr[3]);
        store_s4(yi + 4 * i, ci[0], ci[1], ci[2], ci[3]);
    }
}

/* Passes j >= 2: span s >= 16, W values of q per step, twiddles broadcast per p. With
 * is_real_out (the inverse's last pass) the result goes out interleaved, swapped back: the
 * imaginary plane to the even samples. */
static inline void pass_span(float *yr, float *yi, const float *xr, const float *xi, const float *t,
                             size_t l, size_t s, bool is_real_out)
{
    const size_t m4 = l / 4;
    for (size_t p = 0; p < m4; p++) {
        V w[6];
        for (size_t k = 0; k < 6; k++)
            w[k] = vbroadcast(t + 6 * p + k);
        for (size_t q = 0; q < s; q += W) {
            V ar[4], ai[4], cr[4], ci[4];
            for (size_t k = 0; k < 4; k++) {
                ar[k] = vload(xr + q + s * (p + k * m4));
                ai[k] = vload(xi + q + s * (p + k * m4));
            }
            bfly4(cr, ci, ar, ai);
            if (m4 > 1)
                for (size_t k = 1; k < 4; k++)
                    cmul(&cr[k], &ci[k], w[2 * k - 2], w[2 * k - 1]);
            for (size_t k = 0; k < 4; k++) {
                const size_t o = q + s * (4 * p + k);
                if (is_real_out)
                    store_int(yr + 2 * o, ci[k], cr[k]);
                else {
                    vstore(yr + o, cr[k]);
                    vstore(yi + o, ci[k]);
                }
            }
        }
    }
}

/* The radix-2 last pass (log2 m odd): span m/2, no twiddles. */
static inline void pass_last2(float *yr, float *yi, const float *xr, const float *xi, size_t m,
                              bool is_real_out)
{
    const size_t s = m / 2;
    for (size_t q = 0; q < s; q += W) {
        const V ar = vload(xr + q), ai = vload(xi + q);
        const V br = vload(xr + q + s), bi = vload(xi + q + s);
        if (is_real_out) {
            store_int(yr + 2 * q, vadd(ai, bi), vadd(ar, br));
            store_int(yr + 2 * (q + s), vsub(ai, bi), vsub(ar, br));
        } else {
            vstore(yr + q, vadd(ar, br));
            vstore(yi + q, vadd(ai, bi));
            vstore(yr + q + s, vsub(ar, br));
            vstore(yi + q + s, vsub(ai, bi));
        }
    }
}

/* Passes j and j + 1 >= 3 at once (a radix-16 pass of length l, span s >= W), each value
 * loaded and stored once instead of twice: for p < l/16, the first pass's four butterflies at
 * p + j2 l/16 (j2 < 4) leave their results in registers, whose butterflies over j2 are the
 * second pass's at p for q + s k1. t1, t2: the two passes' tables. */
static inline void pass_span16(float *yr, float *yi, const float *xr, const float *xi,
                               const float *t1, const float *t2, size_t l, size_t s,
                               bool is_real_out)
{
    const size_t m16 = l / 16;
    const size_t m4 = l / 4;
    for (size_t p = 0; p < m16; p++) {
        for (size_t q = 0; q < s; q += W) {
            V br[4][4], bi[4][4]; /* [k1][j2] */
            for (size_t j2 = 0; j2 < 4; j2++) {
                const size_t pp = p + j2 * m16;
                V ar[4], ai[4], cr[4], ci[4];
                for (size_t k = 0; k < 4; k++) {
                    ar[k] = vload(xr + q + s * (pp + k * m4));
                    ai[k] = vload(xi + q + s * (pp + k * m4));
                }
                bfly4(cr, ci, ar, ai);
                for (size_t k = 1; k < 4; k++)
                    cmul(&cr[k], &ci[k], vbroadcast(t1 + 6 * pp + 2 * k - 2),
                         vbroadcast(t1 + 6 * pp + 2 * k - 1));
                for (size_t k = 0; k < 4; k++) {
                    br[k][j2] = cr[k];
                    bi[k][j2] = ci[k];
                }
            }
            for (size_t k1 = 0; k1 < 4; k1++) {
                V cr[4], ci[4];
                bfly4(cr, ci, br[k1], bi[k1]);
                if (m16 > 1)
                    for (size_t k = 1; k < 4; k++)
                        cmul(&cr[k], &ci[k], vbroadcast(t2 + 6 * p + 2 * k - 2),
                             vbroadcast(t2 + 6 * p + 2 * k - 1));
                for (size_t k = 0; k < 4; k++) {
                    const size_t o = q + s * (k1 + 4 * (4 * p + k));
                    if (is_real_out)
                        store_int(yr + 2 * o, ci[k], cr[k]);
                    else {
                        vstore(yr + o, cr[k]);
                        vstore(yi + o, ci[k]);
                    }
                }
            }
        }
    }
}

/* The steps of the Stockham FFT of ms points: passes 0 and 1, then passes 2 and 3 fused, 4 and
 * 5, ..., a last radix-4 pass alone when their count is odd, then the radix-2 one. */
static inline int n_steps(const RfftLayout *lay)
{
    return 2 + (lay->n_r4 - 1) / 2 + lay->has_r2;
}

/* The steps that write another buffer than they read: with the top pass, all the blocks' but
 * the last one (it reads and writes only the 16, 4 or 2 points of each column, so it works in
 * place, on lines that are already in L1 and no others: measured 5 to 8 % faster at 16384
 * and 65536 points with either version, about even at 32768). Without it, where the whole
 * transform's buffers are read and written by each step, in place made the forward 3 % slower at
 * 8192 points. */
static inline int n_moves(const RfftLayout *lay, bool is_real_out)
{
    return n_steps(lay) - (lay->has_top && !is_real_out);
}

/* As the reference's passes(), the Stockham FFT of ms points, by steps (n_steps): step i <
 * n_moves writes bufs[(n_moves - 1 - i) % 2], the last one y (interleaved real when
 * is_real_out, y_i unused then; in place, y being bufs[0], when n_moves < n_steps), so whatever
 * precedes the first step writes bufs[n_moves % 2]. */
static inline void run_passes(const RfftLayout *lay, const float *tw, const float *xr,
                              const float *xi, bool is_real_in, float *const bufs[2][2], float *y_r,
                              float *y_i, bool is_real_out, int from)
{
    const int ns = n_steps(lay);
    const int nm = n_moves(lay, is_real_out);
    const size_t m = lay->ms;
    int j = from; /* the step's first pass */
    for (int i = from; i < ns; i++) {
        const bool is_last = i == ns - 1;
        float *outr = is_last ? y_r : bufs[(nm - 1 - i) % 2][0];
        float *outi = is_last ? y_i : bufs[(nm - 1 - i) % 2][1];
        const bool real_out = is_last && is_real_out;
        const size_t s = (size_t)1 << (2 * j);
        if (j == 0)
            pass_first(outr, outi, xr, xi, is_real_in, tw + lay->pass[0], m);
        else if (j == 1)
            pass_second(outr, outi, xr, xi, tw + lay->pass[1], m);
        else if (j + 1 < lay->n_r4) {
            if (real_out)
                pass_span16(outr, outi, xr, xi, tw + lay->pass[j], tw + lay->pass[j + 1], m / s, s,
                            true);
            else
                pass_span16(outr, outi, xr, xi, tw + lay->pass[j], tw + lay->pass[j + 1], m / s, s,
                            false);
            j++;
        } else if (j < lay->n_r4) {
            if (real_out)
                pass_span(outr, outi, xr, xi, tw + lay->pass[j], m / s, s, true);
            else
                pass_span(outr, outi, xr, xi, tw + lay->pass[j], m / s, s, false);
        } else if (real_out)
            pass_last2(outr, outi, xr, xi, m, true);
        else
            pass_last2(outr, outi, xr, xi, m, false);
        j++;
        xr = outr;
        xi = outi;
    }
}

/* The four blocks' FFTs with the top pass, each in its quarter of the buffers: from (xr, xi)
 * through bufs to bufs[0]. */
static inline void block_passes(const RfftLayout *lay, const float *tw, const float *xr,
                                const float *xi, float *const bufs[2][2])
{
    for (size_t b = 0; b < 4; b++) {
        const size_t o = b * lay->ms;
        float *const sub[2][2] = {{bufs[0][0] + o, bufs[0][1] + o},
                                  {bufs[1][0] + o, bufs[1][1] + o}};
        run_passes(lay, tw, xr + o, xi + o, false, sub, sub[0][0], sub[0][1], false, 0);
    }
}

/* The split and the unsplit go over pairs (k, m - k), k from SPLIT_K0 in blocks of W: the block
 * from k read and written directly, its mirror m - k reversed by mirror_load and mirror_store.
 *
 * With RFFT_SPLIT_CARRY (AVX-512: k < m/2 from 0, twiddles from post) every access is aligned:
 * mirror_load gives e[0], e[-1], ..., e[-(W - 1)] (e = m - k) as vmirror(the block ending
 * before e, the block from e), the latter carried over from the step before (as read, before
 * that step wrote it: the split is in place); mirror_store puts lane l at e[-l] a step late, the
 * block from e assembled alike from this step's results (lane 0) and the step before's, and
 * mirror_flush writes the last one, with X[m/2] or Z[m/2] (where the pair meets itself) in lane
 * 0. Lane k = 0 (whose mirror would be Z[m], past Z: the carry starts at zero) is replaced
 * after the loop.
 *
 * Without (AVX2: k <= m/2 from 1, twiddles from post_odd; measured faster at this width than
 * the carry's cross-lane blends) the mirrors are the unaligned blocks ending at m - k, and
 * k = m/2 is computed alike from both sides. */
typedef struct Mirror {
    V r, i;
} Mirror;

#if RFFT_SPLIT_CARRY
#define SPLIT_K0 0

static inline V mirror_load(const float *e, V *carry)
{
    const V blk = vload(e - W);
    const V v = vmirror(blk, *carry);
    *carry = blk;
    return v;
}

/* The first step's block, from m, is past Z: written only when first_ok. */
static inline void mirror_store(float *e, V v, V *carry, bool is_first, bool first_ok)
{
    if (first_ok || !is_first)
        vstore(e, vmirror(*carry, v));
    *carry = v;
}

static inline void mirror_flush(float *e, V carry, float x)
{
    vstore(e, vmirror(carry, vset1(x)));
}
#else
#define SPLIT_K0 1

static inline V mirror_load(const float *e, V *carry)
{
    (void)carry;
    return vrev(vloadu(e - (W - 1)));
}

static inline void mirror_store(float *e, V v, V *carry, bool is_first, bool first_ok)
{
    (void)carry;
    (void)is_first;
    (void)first_ok;
    vstoreu(e - (W - 1), vrev(v));
}

static inline void mirror_flush(float *e, V carry, float x)
{
    (void)e;
    (void)carry;
    (void)x;
}
#endif

/* The split's twiddles W^k / 2, (re, im), at index k. */
static inline const float *split_twiddles(const RfftLayout *lay, const float *tw, int part)
{
    if (SPLIT_K0)
        return tw + lay->post_odd + (size_t)part * (lay->m / 2) - 1;
    return tw + (part ? lay->post_lo : lay->post);
}

/* The split into the real spectrum, in place (see the reference): the first step's mirror
 * block, from m, holds X[m] and nb - m - 1 floats the caller clears. */
static inline void split_in_place(float *re, float *im, const RfftLayout *lay, const float *tw)
{
    const size_t m = lay->m;
    const float *wr = split_twiddles(lay, tw, 0);
    const float *wi = split_twiddles(lay, tw, 1);
    const float z0r = re[0], z0i = im[0];
    const float zhr = re[m / 2], zhi = im[m / 2];
    const V half = vset1(0.5f);
    Mirror in = {vset1(0.0f), vset1(0.0f)};
    Mirror out = {vset1(0.0f), vset1(0.0f)};
    for (size_t k = SPLIT_K0; k < m / 2 + SPLIT_K0; k += W) {
        const V a = vloadu(re + k), b = vloadu(im + k);
        const V c = mirror_load(re + m - k, &in.r), d = mirror_load(im + m - k, &in.i);
        const V er = vmul(half, vadd(a, c));
        const V ei = vmul(half, vsub(b, d));
        V tr = vadd(b, d);
        V ti = vsub(c, a);
        cmul(&tr, &ti, vload(wr + k), vload(wi + k));
        vstoreu(re + k, vadd(er, tr));
        vstoreu(im + k, vadd(ei, ti));
        mirror_store(re + m - k, vsub(er, tr), &out.r, k == 0, true);
        mirror_store(im + m - k, vsub(ti, ei), &out.i, k == 0, true);
    }
    mirror_flush(re + m / 2, out.r, zhr);
    mirror_flush(im + m / 2, out.i, 0.0f - zhi);
    re[0] = z0r + z0i;
    re[m] = z0r - z0i;
    im[0] = 0.0f;
    im[m] = 0.0f;
}

/* W^k / 2 for k = 4r + b, r = r0 + lane, b < 4: W^(64 rh) (W^(4 rl + b) / 2), r = 16 rh + rl. */
static inline void post_twiddles(const RfftLayout *lay, const float *tw, size_t r0, V wr[4],
                                 V wi[4])
{
    const V hr = vbroadcast(tw + lay->post + 2 * (r0 / 16));
    const V hi = vbroadcast(tw + lay->post + 2 * (r0 / 16) + 1);
    for (size_t b = 0; b < 4; b++) {
        wr[b] = vload(tw + lay->post_lo + 16 * b + r0 % 16);
        wi[b] = vload(tw + lay->post_lo + 64 + 16 * b + r0 % 16);
        cmul(&wr[b], &wi[b], hr, hi);
    }
}

/* The split from the blocks (zr, zi) to natural order: for r = r0 + lane, Z[4r + b] is at block
 * b, position r, and Z[m - 4r - b] at block 4 - b, position m/4 - 1 - r (block 0: m/4 - r, which
 * for r = 0 reads block 1, not Z[m] = Z[0]; that lane, k = 0, is replaced after the loop). The
 * four results per r go out transposed: X[4r + b] from 4 r0 on, X[m - 4r - b] from the far end
 * of the 4W floats ending at m. k = m/2 pairs with itself: X[m/2] = conj Z[m/2]. */
static inline void split_blocks(float *re, float *im, const float *zr, const float *zi,
                                const RfftLayout *lay, const float *tw)
{
    const size_t m = lay->m;
    const size_t m4 = m / 4;
    const size_t m8 = m / 8;
    const V half = vset1(0.5f);
    for (size_t r0 = 0; r0 < m8; r0 += W) {
        V dr[4], di[4], mr[4], mi[4], wr[4], wi[4];
        post_twiddles(lay, tw, r0, wr, wi);
        for (size_t b = 0; b < 4; b++) {
            const size_t mir = b ? (4 - b) * m4 + m4 - r0 - W : m4 - r0 - W + 1;
            const V a = vload(zr + b * m4 + r0), bb = vload(zi + b * m4 + r0);
            const V c = vrev(vloadu(zr + mir)), d = vrev(vloadu(zi + mir));
            /* E = (a + c, bb - d) / 2 folded into the FMAs (halving is exact) */
            const V sr = vadd(a, c);
            const V si = vsub(bb, d);
            V tr = vadd(bb, d);
            V ti = vsub(c, a);
            cmul(&tr, &ti, wr[b], wi[b]);
            dr[b] = vfmadd(half, sr, tr);
            di[b] = vfmadd(half, si, ti);
            mr[b] = vfmsub(half, sr, tr);
            mi[b] = vfnmadd(half, si, ti);
        }
        store_t4(re + 4 * r0, dr[0], dr[1], dr[2], dr[3]);
        store_t4(im + 4 * r0, di[0], di[1], di[2], di[3]);
        store_t4r(re + m - 4 * r0 - 4 * W + 1, mr[0], mr[1], mr[2], mr[3]);
        store_t4r(im + m - 4 * r0 - 4 * W + 1, mi[0], mi[1], mi[2], mi[3]);
    }
    re[0] = zr[0] + zi[0];
    re[m] = zr[0] - zi[0];
    im[0] = 0.0f;
    im[m] = 0.0f;
    re[m / 2] = zr[m8];
    im[m / 2] = 0.0f - zi[m8];
}

static void rfft_fwd(float *restrict re, float *restrict im, const float *restrict x,
                     float *restrict scratch, const float *restrict tw, size_t n)
{
    RfftLayout lay;
    if (!rfft_layout(&lay, n))
        return;
    const size_t m = lay.m;
    const size_t nb = CANSIM_RFFT_BINS(n);
    float *const sr = scratch;
    float *const si = scratch + nb;
    if (!lay.has_top) {
        float *const bufs[2][2] = {{re, im}, {sr, si}};
        run_passes(&lay, tw, x, NULL, true, bufs, re, im, false, 0);
        split_in_place(re, im, &lay, tw);
    } else {
        /* The top pass into the buffer the blocks' passes start from; they end in scratch. */
        float *const bufs[2][2] = {{sr, si}, {re, im}};
        float *const tr = bufs[n_moves(&lay, false) % 2][0];
        float *const ti = bufs[n_moves(&lay, false) % 2][1];
        pass_top(tr, ti, x, &lay, tw);
        block_passes(&lay, tw, tr, ti, bufs);
        split_blocks(re, im, sr, si, &lay, tw);
    }
    memset(re + m + 1, 0, (nb - m - 1) * sizeof *re);
    memset(im + m + 1, 0, (nb - m - 1) * sizeof *im);
}

#include "rfft_unsplit.h"

static void rfft_inv(float *restrict x, const float *restrict re, const float *restrict im,
                     float *restrict scratch, const float *restrict tw, size_t n)
{
    RfftLayout lay;
    if (!rfft_layout(&lay, n))
        return;
    const size_t m = lay.m;
    float *const sr = scratch;
    float *const si = scratch + CANSIM_RFFT_BINS(n);
    if (!lay.has_top) {
        const int nm = n_moves(&lay, true);
        float *const bufs[2][2] = {{x, x + m}, {sr, si}};
        if (W == 16 && n >= UNSPLIT_FIRST_MIN) {
            float *const yr = bufs[(nm - 1) % 2][0];
            float *const yi = bufs[(nm - 1) % 2][1];
            unsplit_first(yr, yi, re, im, &lay, tw);
            run_passes(&lay, tw, yr, yi, false, bufs, x, NULL, true, 1);
        } else {
            float *zi = bufs[nm % 2][0];
            float *zr = bufs[nm % 2][1];
            unsplit(zr, zi, re, im, &lay, tw);
            run_passes(&lay, tw, zi, zr, false, bufs, x, NULL, true, 0);
        }
    } else {
        const int nm = n_moves(&lay, false);
        float *const bufs[2][2] = {{sr, si}, {x, x + m}};
        float *zi = bufs[nm % 2][0];
        float *zr = bufs[nm % 2][1];
        unsplit_blocks(zr, zi, re, im, &lay, tw);
        block_passes(&lay, tw, zi, zr, bufs);
        pass_bottom(x, sr, si, &lay, tw);
    }
}
