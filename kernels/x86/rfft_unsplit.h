/* SPDX-License-Identifier: MIT */
/* The inverse real FFT's first steps, the unsplit of the spectrum into Z (and, from
 * UNSPLIT_FIRST_MIN points, fused with pass 0): part of rfft_impl.h, included by it after the
 * passes and the split, whose helpers (first_group, Mirror, mirror_*, split_twiddles,
 * post_twiddles) it uses. */
#ifndef CANSIM_RFFT_UNSPLIT_H
#define CANSIM_RFFT_UNSPLIT_H

/* The unsplit into Z for the passes, in natural order (see the reference), by the split's
 * steps. */
static inline void unsplit(float *zr, float *zi, const float *re, const float *im,
                           const RfftLayout *lay, const float *tw)
{
    const size_t m = lay->m;
    const float *wr = split_twiddles(lay, tw, 0);
    const float *wi = split_twiddles(lay, tw, 1);
    const V two = vset1(2.0f);
    Mirror in = {vset1(0.0f), vset1(0.0f)};
    Mirror out = {vset1(0.0f), vset1(0.0f)};
    for (size_t k = SPLIT_K0; k < m / 2 + SPLIT_K0; k += W) {
        const V a = vloadu(re + k), b = vloadu(im + k);
        const V c = mirror_load(re + m - k, &in.r), d = mirror_load(im + m - k, &in.i);
        const V fr = vadd(a, c), fi = vsub(b, d);
        V hr = vsub(a, c);
        V hi = vadd(b, d);
        /* G conj(W^k / 2) */
        const V w_r = vload(wr + k), w_i = vload(wi + k);
        const V nr = vfmadd(hr, w_r, vmul(hi, w_i));
        hi = vfmsub(hi, w_r, vmul(hr, w_i));
        hr = nr;
        vstoreu(zr + k, vfnmadd(two, hi, fr));
        vstoreu(zi + k, vfmadd(two, hr, fi));
        mirror_store(zr + m - k, vfmadd(two, hi, fr), &out.r, k == 0, false);
        mirror_store(zi + m - k, vfmsub(two, hr, fi), &out.i, k == 0, false);
    }
    mirror_flush(zr + m / 2, out.r, 2.0f * re[m / 2]);
    mirror_flush(zi + m / 2, out.i, -2.0f * im[m / 2]);
    zr[0] = re[0] + re[m];
    zi[0] = re[0] - re[m];
}

/* Z[k] and Z[m - k] (see the reference) from X[k] = (a, b), X[m - k] = (c, d) and W^k / 2 =
 * (wr, wi); with is_far, W^(m/2 - k) / 2 = (wr, wi) instead, W^k / 2 being -i conj of it,
 * (-wi, -wr). */
static inline void unsplit_pair(V a, V b, V c, V d, V wr, V wi, bool is_far, V z[4])
{
    const V two = vset1(2.0f);
    const V fr = vadd(a, c), fi = vsub(b, d);
    const V gr = vsub(a, c);
    const V gi = vadd(b, d);
    /* H = G conj(W^k / 2); with is_far, nh = -Re H */
    const V nh = is_far ? vfmadd(gr, wi, vmul(gi, wr)) : vfmadd(gr, wr, vmul(gi, wi));
    const V hi = is_far ? vfmsub(gr, wr, vmul(gi, wi)) : vfmsub(gi, wr, vmul(gr, wi));
    z[0] = vfnmadd(two, hi, fr);
    z[2] = vfmadd(two, hi, fr);
    if (is_far) {
        z[1] = vfnmadd(two, nh, fi);
        z[3] = vfnmsub(two, nh, fi);
    } else {
        z[1] = vfmadd(two, nh, fi);
        z[3] = vfmsub(two, nh, fi);
    }
}

/* e[0], e[-1], ..., e[-(W - 1)] */
static inline V vload_rev(const float *e)
{
    return vrev(vloadu(e - (W - 1)));
}

/* The unsplit fused with pass 0 (without the top pass, m/8 >= W), Z never stored: pass 0's
 * groups from p and from m/4 - p (p < m/8) take Z at those positions of the four quarters,
 * which are the unsplit's pairs (k, m - k) for k = p + lane and m/4 + p + lane (X[k] read
 * directly, X[m - k] reversed) and for k = m/2 - p - lane and m/4 - p - lane (the other way
 * round). The group from m/4 - p holds those results reversed; it is assembled as in
 * mirror_store, from this step's (lane 0) and the step before's, and written from p = W on;
 * the last step, p = m/8, writes only its own group. Lane 0 of the group from 0 gets Z[0].
 * The twiddles of k = m/2 - p - lane and m/4 - p - lane are those of p + lane and m/4 + p +
 * lane, rotated. Z goes in swapped (its imaginary plane first), as the passes want it. */
/* Used with AVX-512 from 8192 points. Measured on Zen 4: 3 to 4 % faster for the pair at 8192
 * points, 1 to 3 % slower from 256 to 2048, where the unsplit's Z stays in L1 for pass 0 and
 * the fused step's reversed loads cost more than they save; no faster with AVX2. */
#define UNSPLIT_FIRST_MIN 8192

static inline void unsplit_first(float *yr, float *yi, const float *re, const float *im,
                                 const RfftLayout *lay, const float *tw)
{
    const size_t m = lay->m;
    const size_t m4 = m / 4;
    const size_t m8 = m / 8;
    const float *wr = tw + lay->post;
    const float *wi = tw + lay->post_lo;
    const float *t = tw + lay->pass[0];
    V pr[4], pi[4]; /* the step before's reversed results, by quarter */
    for (size_t q = 0; q < 4; q++)
        pr[q] = pi[q] = vset1(0.0f);
    for (size_t p = 0; p <= m8; p += W) {
        V zr[4], zi[4], mr[4], mi[4], z[4];
        const V w0r = vload(wr + p), w0i = vload(wi + p);
        const V w1r = vload(wr + m4 + p), w1i = vload(wi + m4 + p);
        unsplit_pair(vload(re + p), vload(im + p), vload_rev(re + m - p), vload_rev(im + m - p),
                     w0r, w0i, false, z);
        zr[0] = z[0], zi[0] = z[1], mr[3] = z[2], mi[3] = z[3];
        unsplit_pair(vload(re + m4 + p), vload(im + m4 + p), vload_rev(re + 3 * m4 - p),
                     vload_rev(im + 3 * m4 - p), w1r, w1i, false, z);
        zr[1] = z[0], zi[1] = z[1], mr[2] = z[2], mi[2] = z[3];
        unsplit_pair(vload_rev(re + 2 * m4 - p), vload_rev(im + 2 * m4 - p), vload(re + 2 * m4 + p),
                     vload(im + 2 * m4 + p), w0r, w0i, true, z);
        mr[1] = z[0], mi[1] = z[1], zr[2] = z[2], zi[2] = z[3];
        unsplit_pair(vload_rev(re + m4 - p), vload_rev(im + m4 - p), vload(re + 3 * m4 + p),
                     vload(im + 3 * m4 + p), w1r, w1i, true, z);
        mr[0] = z[0], mi[0] = z[1], zr[3] = z[2], zi[3] = z[3];
        if (p == 0) {
            zr[0] = vlane0(zr[0], re[0] + re[m]);
            zi[0] = vlane0(zi[0], re[0] - re[m]);
        }
        first_group(yr, yi, zi, zr, t, m4, p);
        if (p > 0 && p < m8) {
            V gr[4], gi[4];
            for (size_t q = 0; q < 4; q++) {
                gr[q] = vmirror(pr[q], mr[q]);
                gi[q] = vmirror(pi[q], mi[q]);
            }
            first_group(yr, yi, gi, gr, t, m4, m4 - p);
        }
        for (size_t q = 0; q < 4; q++) {
            pr[q] = mr[q];
            pi[q] = mi[q];
        }
    }
}

/* The unsplit into the blocks' order, the reverse of split_blocks: the four X[4r + b] per r
 * read transposed from 4 r0 on, X[m - 4r - b] reversed, ending at m. Lane k = 0 (im[0] and
 * im[m] are noise) is replaced after the loop; its mirror, Z[m], lands on block 1's first slot,
 * so the mirrors are stored before the direct results. Z[m/2] = 2 conj X[m/2]. */
static inline void unsplit_blocks(float *zr, float *zi, const float *re, const float *im,
                                  const RfftLayout *lay, const float *tw)
{
    const size_t m = lay->m;
    const size_t m4 = m / 4;
    const size_t m8 = m / 8;
    const V two = vset1(2.0f);
    for (size_t r0 = 0; r0 < m8; r0 += W) {
        V ar[4], ai[4], cr[4], ci[4], kr[4], ki[4], wr[4], wi[4];
        post_twiddles(lay, tw, r0, wr, wi);
        load_t4(re + 4 * r0, ar);
        load_t4(im + 4 * r0, ai);
        load_t4r(re + m - 4 * r0 - 4 * W + 1, cr);
        load_t4r(im + m - 4 * r0 - 4 * W + 1, ci);
        for (size_t b = 0; b < 4; b++) {
            const V a = ar[b], bb = ai[b];
            const V c = cr[b], d = ci[b];
            const V fr = vadd(a, c), fi = vsub(bb, d);
            V hr = vsub(a, c);
            V hi = vadd(bb, d);
            const V w_r = wr[b], w_i = wi[b];
            const V nr = vfmadd(hr, w_r, vmul(hi, w_i));
            hi = vfmsub(hi, w_r, vmul(hr, w_i));
            hr = nr;
            kr[b] = vfnmadd(two, hi, fr);
            ki[b] = vfmadd(two, hr, fi);
            const size_t mir = b ? (4 - b) * m4 + m4 - r0 - W : m4 - r0 - W + 1;
            vstoreu(zr + mir, vrev(vfmadd(two, hi, fr)));
            vstoreu(zi + mir, vrev(vfmsub(two, hr, fi)));
        }
        for (size_t b = 0; b < 4; b++) {
            vstore(zr + b * m4 + r0, kr[b]);
            vstore(zi + b * m4 + r0, ki[b]);
        }
    }
    zr[0] = re[0] + re[m];
    zi[0] = re[0] - re[m];
    zr[m8] = 2.0f * re[m / 2];
    zi[m8] = -2.0f * im[m / 2];
}

#endif
