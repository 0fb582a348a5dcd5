/* SPDX-License-Identifier: MIT */
/* BS.1770-4 integrated loudness of a stream (meter.h).
 *
 * K-weighting is two biquads in double, the high shelf and the RLB high-pass, their
 * coefficients the bilinear transforms of the standard's analog prototypes at the stream's
 * rate (the constants libebur128 uses, which reproduce the standard's 48 kHz coefficients).
 * Each 100 ms segment's weighted sum of squares is kept (8 bytes per 100 ms: 29 KB an hour);
 * a 400 ms block's mean square is the sum of four segments over its frames, and the gates run
 * over the blocks at the end. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "meter.h"

/* Two doubles, one lane per channel (GCC's and Clang's vector extension: SSE2 on x86-64). */
typedef double V2 __attribute__((vector_size(16)));

typedef struct Biquad {
    double b0, b1, b2, a1, a2;
} Biquad;

struct CansimMeter {
    int n_channels;
    double weight; /* each channel's weight: 1, or 2 for a mono input (dual mono) */
    size_t hop;    /* frames in 100 ms */
    Biquad shelf, highpass;
    V2 s[8];       /* each section's last two inputs and outputs, a lane per channel */
    size_t in_hop; /* frames of the current segment so far */
    double acc;    /* its weighted sum of squares so far */
    double *seg;   /* the complete segments' sums */
    size_t n_seg, cap_seg;
};

static const double PI = 3.14159265358979323846;

/* The high shelf (+4 dB above about 1.5 kHz) and the high-pass (about 38 Hz) of K-weighting at
 * rate_hz. */
static void k_weighting(double rate_hz, Biquad *shelf, Biquad *hp)
{
    double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
    double k = tan(PI * f0 / rate_hz);
    const double vh = pow(10.0, gain_db / 20.0), vb = pow(vh, 0.4996667741545416);
    double a0 = 1.0 + k / q + k * k;
    *shelf = (Biquad){.b0 = (vh + vb * k / q + k * k) / a0,
                      .b1 = 2.0 * (k * k - vh) / a0,
                      .b2 = (vh - vb * k / q + k * k) / a0,
                      .a1 = 2.0 * (k * k - 1.0) / a0,
                      .a2 = (1.0 - k / q + k * k) / a0};
    f0 = 38.13547087602444;
    q = 0.5003270373238773;
    k = tan(PI * f0 / rate_hz);
    a0 = 1.0 + k / q + k * k;
    *hp = (Biquad){.b0 = 1.0,
                   .b1 = -2.0,
                   .b2 = 1.0,
                   .a1 = 2.0 * (k * k - 1.0) / a0,
                   .a2 = (1.0 - k / q + k * k) / a0};
}

CansimMeter *cansim_meter_open(int n_channels, double rate_hz)
{
    if (n_channels < 1 || n_channels > 2 || !(rate_hz > 0.0))
        return NULL;
    CansimMeter *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->n_channels = n_channels;
    m->weight = n_channels == 1 ? 2.0 : 1.0;
    m->hop = (size_t)((long)rate_hz + 5) / 10;
    if (!m->hop)
        m->hop = 1;
    k_weighting(rate_hz, &m->shelf, &m->highpass);
    return m;
}

void cansim_meter_close(CansimMeter *m)
{
    if (!m)
        return;
    free(m->seg);
    free(m);
}

/* One frame through both channels' sections side by side (a mono input's second lane stays
 * 0), direct form I: s holds each section's last two inputs and outputs, so each output waits
 * on one product and one sum of the last. The K-weighted values. */
static inline V2 kw(const Biquad *f, const Biquad *h, V2 *s, V2 x)
{
    const V2 y = (f->b0 * x + f->b1 * s[0] + f->b2 * s[1] - f->a2 * s[3]) - f->a1 * s[2];
    const V2 z = (h->b0 * y + h->b1 * s[4] + h->b2 * s[5] - h->a2 * s[7]) - h->a1 * s[6];
    s[1] = s[0];
    s[0] = x;
    s[3] = s[2];
    s[2] = y;
    s[5] = s[4];
    s[4] = y;
    s[7] = s[6];
    s[6] = z;
    return z;
}

/* The segment complete: kept, the filters' states cleared of subnormal tails (a silence's decay
 * would otherwise slow every later sample where denormals are not flushed). */
static int end_segment(CansimMeter *m)
{
    if (m->n_seg == m->cap_seg) {
        const size_t cap = m->cap_seg ? 2 * m->cap_seg : 1024;
        double *p = realloc(m->seg, cap * sizeof *p);
        if (!p)
            return -1;
        m->seg = p;
        m->cap_seg = cap;
    }
    m->seg[m->n_seg++] = m->weight * m->acc;
    m->acc = 0.0;
    m->in_hop = 0;
    for (int i = 0; i < 8; i++)
        for (int c = 0; c < 2; c++)
            if (fabs(m->s[i][c]) < 1e-300)
                m->s[i][c] = 0.0;
    return 0;
}

int cansim_meter_add(CansimMeter *m, const float *frames, size_t n)
{
    const Biquad sh = m->shelf, hp = m->highpass;
    const bool is_stereo = m->n_channels == 2;
    for (size_t i = 0; i < n;) {
        const size_t k = m->hop - m->in_hop < n - i ? m->hop - m->in_hop : n - i;
        V2 s[8], acc = {0.0, 0.0};
        for (int t = 0; t < 8; t++)
            s[t] = m->s[t];
        if (is_stereo)
            for (size_t j = 0; j < k; j++) {
                const float *f = frames + 2 * (i + j);
                const V2 z = kw(&sh, &hp, s, (V2){(double)f[0], (double)f[1]});
                acc += z * z;
            }
        else
            for (size_t j = 0; j < k; j++) {
                const V2 z = kw(&sh, &hp, s, (V2){(double)frames[i + j], 0.0});
                acc += z * z;
            }
        for (int t = 0; t < 8; t++)
            m->s[t] = s[t];
        m->acc += acc[0] + acc[1];
        m->in_hop += k;
        i += k;
        if (m->in_hop == m->hop && end_segment(m))
            return -1;
    }
    return 0;
}

double cansim_meter_lufs(const CansimMeter *m)
{
    if (m->n_seg < 4)
        return -HUGE_VAL;
    const size_t n_blocks = m->n_seg - 3;
    const double scale = 1.0 / (4.0 * (double)m->hop);
    const double z_abs = pow(10.0, (-70.0 + 0.691) / 10.0);
    double z_rel = 0.0;
    for (int pass = 0; pass < 2; pass++) {
        double sum = 0.0;
        size_t cnt = 0;
        for (size_t b = 0; b < n_blocks; b++) {
            const double z = (m->seg[b] + m->seg[b + 1] + m->seg[b + 2] + m->seg[b + 3]) * scale;
            if (z >= z_abs && z >= z_rel) {
                sum += z;
                cnt++;
            }
        }
        if (!cnt)
            return -HUGE_VAL;
        if (pass)
            return -0.691 + 10.0 * log10(sum / (double)cnt);
        z_rel = 0.1 * sum / (double)cnt; /* -10 LU */
    }
    return -HUGE_VAL; /* not reached */
}
