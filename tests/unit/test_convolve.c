/* SPDX-License-Identifier: MIT */
/* The render engine against a double-precision direct convolution, through the public API. */
#include <cansim/cansim.h>

#include "unit.h"

#define RATE_HZ 48000.0

/* -120 dB relative RMS error: float FFT convolution lands near -135 dB (FLT_EPSILON is
 * -138 dB, times a few for log2(FFT size) roundings), so this leaves margin without hiding a
 * wrong tap, a misplaced partition or a lost block, each of which costs far more. */
#define MAX_ERR_DB (-120.0)

/* A bound on the direct reference's cost per cell (multiply-adds), to keep the run short. */
#define REF_BUDGET ((size_t)1 << 28)

#define CANARY   12345.0f
#define N_CANARY 32

static const size_t tap_counts[] = {1,   2,   15,   16,   17,   100,  255,
                                    256, 257, 1000, 4095, 4096, 4097, 16384};
static const size_t partitions[] = {64, 256, 1024, 0};
static const char cell_names[4][3] = {"LL", "LR", "RL", "RR"};

/* Cell c = 2 * X + Y maps input X to output Y. */
static int cell_in(int c)
{
    return c >> 1;
}

static int cell_out(int c)
{
    return c & 1;
}

/* ------------------------------------------------------------------ helpers */

static CansimProfile *make_profile(const char *id, size_t n_taps, float *const cells[4],
                                   unsigned cell_mask)
{
    const float *use[4];
    for (int c = 0; c < 4; c++)
        use[c] = (cell_mask >> c) & 1 ? cells[c] : NULL;
    CansimProfile *p = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_profile_from_taps(&p, id, RATE_HZ, n_taps, use, &diag);
    CHECK(rc == CANSIM_OK && p != NULL, "cansim_profile_from_taps(%s, %zu taps) = %d: %s", id,
          n_taps, rc, diag.msg);
    if (rc != CANSIM_OK)
        cansim_profile_close(&p);
    return p;
}

static CansimRender *open_render(const CansimProfile *const *profiles, size_t n_profiles,
                                 size_t partition, int n_threads, unsigned cpu_mask)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = profiles;
    cfg.n_profiles = n_profiles;
    cfg.engine.partition_frames = partition;
    cfg.engine.n_threads = n_threads;
    cfg.engine.cpu_mask = cpu_mask;
    cfg.engine.has_tail = true;
    CansimRender *r = NULL;
    CansimDiag diag = {{0}};
    const int rc = cansim_render_open(&r, &cfg, &diag);
    CHECK(rc == CANSIM_OK && r != NULL,
          "cansim_render_open(%zu profiles, partition %zu, %d threads, mask %#x) = %d: %s",
          n_profiles, partition, n_threads, cpu_mask, rc, diag.msg);
    if (rc != CANSIM_OK) {
        cansim_render_close(&r);
        return NULL;
    }
    const size_t b = cansim_render_partition_frames(r);
    if (partition)
        CHECK(b == partition, "partition_frames %zu requested, renderer uses %zu", partition, b);
    else
        CHECK(b >= 64 && b <= 65536 && (b & (b - 1)) == 0,
              "auto partition %zu is not a power of two in 64..65536", b);
    return r;
}

/* Output buffers of n_out stereo frames, poisoned with NaN (so an unwritten frame fails every
 * comparison) and followed by canaries (so a write past n_out is seen). */
typedef struct Outs {
    size_t n_profiles;
    size_t cap_frames;
    float **buf;
} Outs;

static Outs outs_alloc(size_t n_profiles, size_t cap_frames)
{
    Outs o = {n_profiles, cap_frames, unit_xcalloc(n_profiles, sizeof(float *))};
    for (size_t p = 0; p < n_profiles; p++)
        o.buf[p] = unit_xcalloc(2 * cap_frames + N_CANARY, sizeof(float));
    return o;
}

static void outs_poison(Outs *o, size_t n_out)
{
    for (size_t p = 0; p < o->n_profiles; p++) {
        for (size_t i = 0; i < 2 * n_out; i++)
            o->buf[p][i] = NAN;
        for (size_t i = 0; i < N_CANARY; i++)
            o->buf[p][2 * n_out + i] = CANARY;
    }
}

static void outs_check_canaries(const Outs *o, size_t n_out, const char *what)
{
    for (size_t p = 0; p < o->n_profiles; p++) {
        for (size_t i = 0; i < N_CANARY; i++) {
            if (o->buf[p][2 * n_out + i] != CANARY) {
                CHECK(0, "%s: profile %zu: float %zu past the %zu output frames was written", what,
                      p, i, n_out);
                break;
            }
        }
    }
}

static void outs_free(Outs *o)
{
    for (size_t p = 0; p < o->n_profiles; p++)
        free(o->buf[p]);
    free(o->buf);
    o->buf = NULL;
}

static int render(CansimRender *r, const float *in, int n_channels, size_t n_frames, Outs *o,
                  size_t n_out, const char *what)
{
    outs_poison(o, n_out);
    CansimDiag diag = {{0}};
    const int rc = cansim_render_buffer(r, in, n_channels, (int64_t)n_frames, RATE_HZ, o->buf,
                                        (int64_t)n_out, &diag);
    CHECK(rc == CANSIM_OK, "%s: cansim_render_buffer(%zu frames, %d ch, %zu out) = %d (%s): %s",
          what, n_frames, n_channels, n_out, rc, cansim_strerror(rc), diag.msg);
    outs_check_canaries(o, n_out, what);
    return rc;
}

/* ------------------------------------------------------------------ reference */

/* The four cell convolutions y[c] = x_{in(c)} * h_c of an input prefix, in double. Growing the
 * prefix from n to n' costs (n' - n) * n_taps per cell, so every tested length comes from one
 * pass over the longest. */
typedef struct Ref {
    size_t n_taps;
    size_t n_done;
    double *y[4];
} Ref;

static Ref ref_alloc(size_t n_taps, size_t max_in)
{
    Ref r = {n_taps, 0, {NULL, NULL, NULL, NULL}};
    for (int c = 0; c < 4; c++)
        r.y[c] = unit_xcalloc(max_in + n_taps, sizeof(double));
    return r;
}

static void ref_free(Ref *r)
{
    for (int c = 0; c < 4; c++)
        free(r->y[c]);
}

/* x is interleaved stereo; extends the prefix to n frames. A NULL cell stays zero. */
static void ref_advance(Ref *r, const float *x, float *const h[4], size_t n)
{
    for (size_t i = r->n_done; i < n; i++) {
        for (int c = 0; c < 4; c++) {
            const double xi = (double)x[2 * i + (size_t)cell_in(c)];
            const float *hc = h[c];
            if (!hc)
                continue;
            double *y = r->y[c] + i;
            for (size_t j = 0; j < r->n_taps; j++)
                y[j] += xi * (double)hc[j];
        }
    }
    r->n_done = n;
}

/* Checks one stereo output against the sum of the reference cells in cell_mask: within
 * MAX_ERR_DB per channel, and exactly 0 on a channel no cell feeds. */
static void check_against_ref(const float *out, size_t n_out, const Ref *ref, unsigned cell_mask,
                              double *scratch, const char *what)
{
    for (int ch = 0; ch < 2; ch++) {
        bool is_fed = false;
        for (size_t i = 0; i < n_out; i++)
            scratch[i] = 0.0;
        for (int c = 0; c < 4; c++) {
            if (!((cell_mask >> c) & 1) || cell_out(c) != ch)
                continue;
            is_fed = true;
            for (size_t i = 0; i < n_out && i < ref->n_done + ref->n_taps - 1; i++)
                scratch[i] += ref->y[c][i];
        }
        if (!is_fed) {
            size_t bad = n_out;
            for (size_t i = 0; i < n_out && bad == n_out; i++)
                if (!(out[2 * i + (size_t)ch] == 0.0f))
                    bad = i;
            CHECK(bad == n_out,
                  "%s: output %c must be exactly 0 (no cell feeds it) but frame "
                  "%zu is %g",
                  what, "LR"[ch], bad, bad < n_out ? (double)out[2 * bad + (size_t)ch] : 0.0);
            continue;
        }
        const double db = unit_rel_rms_db(out + ch, 2, scratch, 1, n_out);
        if (!(db <= MAX_ERR_DB)) {
            size_t worst = 0;
            double worst_d = -1.0;
            for (size_t i = 0; i < n_out; i++) {
                const double d = fabs((double)out[2 * i + (size_t)ch] - scratch[i]);
                if (!(d <= worst_d)) {
                    worst_d = d;
                    worst = i;
                }
            }
            CHECK(0,
                  "%s: output %c: relative RMS error %.1f dB > %.0f dB; worst frame %zu: "
                  "got %.9g want %.9g",
                  what, "LR"[ch], db, MAX_ERR_DB, worst, (double)out[2 * worst + (size_t)ch],
                  scratch[worst]);
        }
    }
}

/* ------------------------------------------------------------------ tests */

/* Profiles of one render: a full matrix, its diagonal, and each of its cells alone. */
#define N_SHAPES 6
static const unsigned shape_masks[N_SHAPES] = {0xf, 0x9, 0x1, 0x2, 0x4, 0x8};
static const char *const shape_names[N_SHAPES] = {"full",    "diagonal", "only-LL",
                                                  "only-LR", "only-RL",  "only-RR"};

static size_t long_length(size_t b, size_t n_taps)
{
    size_t n = 10 * b + 123;
    if (n * n_taps > REF_BUDGET) {
        n = REF_BUDGET / n_taps;
        if (n < b + 123)
            n = b + 123;
    }
    return n;
}

/* Random cells of n_taps (scaled to unit gain on average) and the N_SHAPES profiles of them;
 * false when a profile could not be made. */
static bool make_shapes(size_t n_taps, float *cells[4], CansimProfile *profiles[N_SHAPES])
{
    for (int c = 0; c < 4; c++) {
        cells[c] = unit_xcalloc(n_taps, sizeof(float));
        unit_fill_random(cells[c], n_taps, 1.0f / sqrtf((float)n_taps));
    }
    bool is_ok = true;
    for (int s = 0; s < N_SHAPES; s++) {
        profiles[s] = make_profile(shape_names[s], n_taps, cells, shape_masks[s]);
        is_ok = is_ok && profiles[s];
    }
    return is_ok;
}

static void test_against_direct(void)
{
    for (size_t ti = 0; ti < sizeof tap_counts / sizeof tap_counts[0]; ti++) {
        const size_t n_taps = tap_counts[ti];
        float *cells[4];
        CansimProfile *profiles[N_SHAPES];
        const bool is_ok = make_shapes(n_taps, cells, profiles);
        for (size_t pi = 0; is_ok && pi < sizeof partitions / sizeof partitions[0]; pi++) {
            CansimRender *r = open_render((const CansimProfile *const *)profiles, N_SHAPES,
                                          partitions[pi], 0, ~0u);
            if (!r)
                continue;
            const size_t b = cansim_render_partition_frames(r);
            const size_t n_long = long_length(b, n_taps);
            if (!partitions[pi])
                printf("%zu taps: auto partition %zu, long run %zu frames\n", n_taps, b, n_long);
            const size_t lengths[] = {0, 1, b - 1, b, b + 1, n_long};
            float *in = unit_xcalloc(2 * n_long, sizeof(float));
            unit_fill_random(in, 2 * n_long, 0.5f);
            Ref ref = ref_alloc(n_taps, n_long);
            Outs outs = outs_alloc(N_SHAPES, n_long + n_taps - 1);
            double *scratch = unit_xcalloc(n_long + n_taps, sizeof(double));
            for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
                const size_t n = lengths[li];
                const size_t n_out = n + n_taps - 1;
                char what[160];
                snprintf(what, sizeof what, "taps %zu, partition %zu (asked %zu), %zu frames",
                         n_taps, b, partitions[pi], n);
                ref_advance(&ref, in, cells, n);
                const int rc = render(r, in, 2, n, &outs, n_out, what);
                /* CANSIM_EDATA documents "no frames"; an empty buffer may be refused. */
                if (n == 0 && rc == CANSIM_EDATA)
                    continue;
                if (rc != CANSIM_OK)
                    continue;
                for (int s = 0; s < N_SHAPES; s++) {
                    char what_s[200];
                    snprintf(what_s, sizeof what_s, "%s, %s", what, shape_names[s]);
                    check_against_ref(outs.buf[s], n_out, &ref, shape_masks[s], scratch, what_s);
                }
            }
            /* Fewer output frames than input (no tail) and more than the tail (zeros). */
            {
                const size_t n = n_long;
                const size_t n_outs[] = {n / 2, n, n + n_taps - 1 + 2 * b + 5};
                Outs o2 = outs_alloc(N_SHAPES, n_outs[2]);
                double *s2 = unit_xcalloc(n_outs[2], sizeof(double));
                for (size_t k = 0; k < 3; k++) {
                    char what[160];
                    snprintf(what, sizeof what,
                             "taps %zu, partition %zu, %zu frames, %zu output frames", n_taps, b, n,
                             n_outs[k]);
                    if (render(r, in, 2, n, &o2, n_outs[k], what) != CANSIM_OK)
                        continue;
                    for (int s = 0; s < N_SHAPES; s++) {
                        char what_s[200];
                        snprintf(what_s, sizeof what_s, "%s, %s", what, shape_names[s]);
                        check_against_ref(o2.buf[s], n_outs[k], &ref, shape_masks[s], s2, what_s);
                    }
                }
                free(s2);
                outs_free(&o2);
            }
            free(scratch);
            outs_free(&outs);
            ref_free(&ref);
            free(in);
            cansim_render_close(&r);
        }
        for (int s = 0; s < N_SHAPES; s++) {
            cansim_profile_close(&profiles[s]);
            CHECK(profiles[s] == NULL, "cansim_profile_close does not clear the pointer");
        }
        for (int c = 0; c < 4; c++)
            free(cells[c]);
    }
}

/* Inputs long enough that each output is given to its sink in several collected writes (the
 * engine collects 65536 frames, 4 chunks, per write): lengths around the collection's edges,
 * with the tail, cut, and past it; against the double reference. */
static void test_long_stream(void)
{
    const size_t n_taps = 300; /* several partitions at 64 and 256: later ones add to the first */
    const size_t io = 65536, chunk = 16384;
    const size_t lengths[] = {io - chunk + 5, 2 * io, 3 * io + 777};
    const size_t n_max = 3 * io + 777;
    float *cells[4];
    CansimProfile *profiles[N_SHAPES];
    const bool is_ok = make_shapes(n_taps, cells, profiles);
    float *in = unit_xcalloc(2 * n_max, sizeof(float));
    unit_fill_random(in, 2 * n_max, 0.5f);
    static const size_t parts[] = {64, 256};
    for (size_t pi = 0; is_ok && pi < sizeof parts / sizeof parts[0]; pi++) {
        CansimRender *r =
            open_render((const CansimProfile *const *)profiles, N_SHAPES, parts[pi], 0, ~0u);
        if (!r)
            continue;
        Ref ref = ref_alloc(n_taps, n_max);
        Outs outs = outs_alloc(N_SHAPES, n_max + n_taps + 1000);
        double *scratch = unit_xcalloc(n_max + n_taps + 1000, sizeof(double));
        for (size_t li = 0; li < sizeof lengths / sizeof lengths[0]; li++) {
            const size_t n = lengths[li];
            ref_advance(&ref, in, cells, n);
            const size_t n_outs[] = {n + n_taps - 1, n - 1000, n + n_taps + 999};
            for (size_t k = 0; k < 3; k++) {
                char what[160];
                snprintf(what, sizeof what, "long stream: partition %zu, %zu frames, %zu out",
                         parts[pi], n, n_outs[k]);
                if (render(r, in, 2, n, &outs, n_outs[k], what) != CANSIM_OK)
                    continue;
                for (int s = 0; s < N_SHAPES; s++) {
                    char what_s[200];
                    snprintf(what_s, sizeof what_s, "%s, %s", what, shape_names[s]);
                    check_against_ref(outs.buf[s], n_outs[k], &ref, shape_masks[s], scratch,
                                      what_s);
                }
            }
        }
        free(scratch);
        outs_free(&outs);
        ref_free(&ref);
        cansim_render_close(&r);
    }
    free(in);
    for (int s = 0; s < N_SHAPES; s++)
        cansim_profile_close(&profiles[s]);
    for (int c = 0; c < 4; c++)
        free(cells[c]);
}

/* Input on one side only: what the matrix does not connect stays exactly 0. */
static void test_one_sided_input(void)
{
    static const size_t taps[] = {17, 1000, 4097};
    for (size_t ti = 0; ti < sizeof taps / sizeof taps[0]; ti++) {
        const size_t n_taps = taps[ti];
        float *cells[4];
        for (int c = 0; c < 4; c++) {
            cells[c] = unit_xcalloc(n_taps, sizeof(float));
            unit_fill_random(cells[c], n_taps, 0.3f);
        }
        CansimProfile *profiles[N_SHAPES];
        bool is_ok = true;
        for (int s = 0; s < N_SHAPES; s++) {
            profiles[s] = make_profile(shape_names[s], n_taps, cells, shape_masks[s]);
            is_ok = is_ok && profiles[s];
        }
        for (size_t pi = 0; is_ok && pi < 2; pi++) {
            const size_t partition = pi ? 0 : 256;
            CansimRender *r =
                open_render((const CansimProfile *const *)profiles, N_SHAPES, partition, 0, ~0u);
            if (!r)
                continue;
            const size_t b = cansim_render_partition_frames(r);
            const size_t n = 3 * b + 11;
            const size_t n_out = n + n_taps - 1;
            float *in = unit_xcalloc(2 * n, sizeof(float));
            Outs outs = outs_alloc(N_SHAPES, n_out);
            double *scratch = unit_xcalloc(n_out, sizeof(double));
            for (int side = 0; side < 2; side++) {
                for (size_t i = 0; i < n; i++) {
                    in[2 * i + (size_t)side] = 0.5f * unit_rand_float();
                    in[2 * i + (size_t)(1 - side)] = 0.0f;
                }
                Ref ref = ref_alloc(n_taps, n);
                ref_advance(&ref, in, cells, n);
                char what[160];
                snprintf(what, sizeof what, "input on %c only, taps %zu, partition %zu", "LR"[side],
                         n_taps, b);
                if (render(r, in, 2, n, &outs, n_out, what) == CANSIM_OK) {
                    for (int s = 0; s < N_SHAPES; s++) {
                        /* Cells fed by the silent side contribute exactly nothing. */
                        unsigned mask = shape_masks[s];
                        for (int c = 0; c < 4; c++)
                            if (cell_in(c) != side)
                                mask &= ~(1u << c);
                        char what_s[200];
                        snprintf(what_s, sizeof what_s, "%s, %s", what, shape_names[s]);
                        check_against_ref(outs.buf[s], n_out, &ref, mask, scratch, what_s);
                    }
                }
                ref_free(&ref);
            }
            free(scratch);
            outs_free(&outs);
            free(in);
            cansim_render_close(&r);
        }
        for (int s = 0; s < N_SHAPES; s++)
            cansim_profile_close(&profiles[s]);
        for (int c = 0; c < 4; c++)
            free(cells[c]);
    }
}

/* n_channels 1 is dual mono: the same as the stereo input with L = R. */
static void test_mono(void)
{
    static const size_t taps[] = {1, 257, 4097};
    for (size_t ti = 0; ti < sizeof taps / sizeof taps[0]; ti++) {
        const size_t n_taps = taps[ti];
        float *cells[4];
        for (int c = 0; c < 4; c++) {
            cells[c] = unit_xcalloc(n_taps, sizeof(float));
            unit_fill_random(cells[c], n_taps, 0.3f);
        }
        CansimProfile *profiles[N_SHAPES];
        bool is_ok = true;
        for (int s = 0; s < N_SHAPES; s++) {
            profiles[s] = make_profile(shape_names[s], n_taps, cells, shape_masks[s]);
            is_ok = is_ok && profiles[s];
        }
        for (size_t pi = 0; is_ok && pi < 2; pi++) {
            const size_t partition = pi ? 0 : 64;
            CansimRender *r =
                open_render((const CansimProfile *const *)profiles, N_SHAPES, partition, 0, ~0u);
            if (!r)
                continue;
            const size_t b = cansim_render_partition_frames(r);
            const size_t n = 4 * b + 29;
            const size_t n_out = n + n_taps - 1;
            float *mono = unit_xcalloc(n, sizeof(float));
            float *stereo = unit_xcalloc(2 * n, sizeof(float));
            unit_fill_random(mono, n, 0.5f);
            for (size_t i = 0; i < n; i++)
                stereo[2 * i] = stereo[2 * i + 1] = mono[i];
            Outs o_mono = outs_alloc(N_SHAPES, n_out);
            Outs o_stereo = outs_alloc(N_SHAPES, n_out);
            double *scratch = unit_xcalloc(n_out, sizeof(double));
            Ref ref = ref_alloc(n_taps, n);
            ref_advance(&ref, stereo, cells, n);
            char what[160];
            snprintf(what, sizeof what, "mono input, taps %zu, partition %zu", n_taps, b);
            /* Stereo, mono, stereo on one renderer: nothing of one render leaks into the
             * next, whatever the channel count. */
            Outs o_first = outs_alloc(N_SHAPES, n_out);
            if (render(r, stereo, 2, n, &o_first, n_out, what) == CANSIM_OK &&
                render(r, mono, 1, n, &o_mono, n_out, what) == CANSIM_OK &&
                render(r, stereo, 2, n, &o_stereo, n_out, what) == CANSIM_OK) {
                for (int s = 0; s < N_SHAPES; s++)
                    CHECK(memcmp(o_first.buf[s], o_stereo.buf[s], 2 * n_out * sizeof(float)) == 0,
                          "%s, %s: a stereo render after a mono one differs from the one "
                          "before",
                          what, shape_names[s]);
                for (int s = 0; s < N_SHAPES; s++) {
                    char what_s[200];
                    snprintf(what_s, sizeof what_s, "%s, %s", what, shape_names[s]);
                    check_against_ref(o_mono.buf[s], n_out, &ref, shape_masks[s], scratch, what_s);
                    const double db = unit_rel_rms_db_f(o_mono.buf[s], o_stereo.buf[s], 2 * n_out);
                    CHECK(db <= MAX_ERR_DB, "%s: mono differs from stereo L=R by %.1f dB", what_s,
                          db);
                }
            }
            ref_free(&ref);
            free(scratch);
            outs_free(&o_first);
            outs_free(&o_mono);
            outs_free(&o_stereo);
            free(stereo);
            free(mono);
            cansim_render_close(&r);
        }
        for (int s = 0; s < N_SHAPES; s++)
            cansim_profile_close(&profiles[s]);
        for (int c = 0; c < 4; c++)
            free(cells[c]);
    }
}

/* An impulse at frame k gives the taps starting exactly at frame k: no latency. */
static void test_impulse(void)
{
    const size_t n_taps = 300;
    float *cells[4];
    for (int c = 0; c < 4; c++) {
        cells[c] = unit_xcalloc(n_taps, sizeof(float));
        unit_fill_random(cells[c], n_taps, 0.25f);
        cells[c][0] = 1.0f - 0.125f * (float)c; /* a clear onset, distinct per cell */
    }
    CansimProfile *p = make_profile("impulse", n_taps, cells, 0xf);
    for (size_t pi = 0; p && pi < sizeof partitions / sizeof partitions[0]; pi++) {
        const CansimProfile *const list[1] = {p};
        CansimRender *r = open_render(list, 1, partitions[pi], 1, ~0u);
        if (!r)
            continue;
        const size_t b = cansim_render_partition_frames(r);
        const size_t ks[] = {0, 1, b - 1, b, 3 * b + 7};
        for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {
            const size_t k = ks[ki];
            const size_t n = k + 1 + b / 2;
            const size_t n_out = n + n_taps - 1;
            float *in = unit_xcalloc(2 * n, sizeof(float));
            Outs outs = outs_alloc(1, n_out);
            double *want = unit_xcalloc(n_out, sizeof(double));
            for (int side = 0; side < 2; side++) {
                memset(in, 0, 2 * n * sizeof(float));
                in[2 * k + (size_t)side] = 1.0f;
                char what[160];
                snprintf(what, sizeof what, "impulse on %c at frame %zu, partition %zu", "LR"[side],
                         k, b);
                if (render(r, in, 2, n, &outs, n_out, what) != CANSIM_OK)
                    continue;
                for (int ch = 0; ch < 2; ch++) {
                    const float *h = cells[2 * side + ch];
                    for (size_t i = 0; i < n_out; i++)
                        want[i] = i >= k && i - k < n_taps ? (double)h[i - k] : 0.0;
                    const float *out = outs.buf[0];
                    size_t onset = n_out;
                    for (size_t i = 0; i < n_out && onset == n_out; i++)
                        if (fabsf(out[2 * i + (size_t)ch]) > 0.5f * h[0])
                            onset = i;
                    const double db = unit_rel_rms_db(out + ch, 2, want, 1, n_out);
                    CHECK(onset == k && db <= MAX_ERR_DB,
                          "%s: output %c (cell %s) starts at frame %zu, want %zu; relative RMS "
                          "error %.1f dB",
                          what, "LR"[ch], cell_names[2 * side + ch], onset, k, db);
                }
            }
            free(want);
            outs_free(&outs);
            free(in);
        }
        cansim_render_close(&r);
    }
    cansim_profile_close(&p);
    for (int c = 0; c < 4; c++)
        free(cells[c]);
}

/* 16 profiles of various lengths; returns them in ps. */
static bool make_many(CansimProfile *ps[16], float *store[16][4])
{
    bool is_ok = true;
    for (int i = 0; i < 16; i++) {
        const size_t n_taps = 1 + ((size_t)i * 997u) % 3000u + (i == 7 ? 9000u : 0u);
        for (int c = 0; c < 4; c++) {
            store[i][c] = unit_xcalloc(n_taps, sizeof(float));
            unit_fill_random(store[i][c], n_taps, 0.1f);
        }
        char id[16];
        snprintf(id, sizeof id, "p%02d", i);
        ps[i] = make_profile(id, n_taps, store[i], i % 3 == 0 ? 0x9u : 0xfu);
        is_ok = is_ok && ps[i];
    }
    return is_ok;
}

static void free_many(CansimProfile *ps[16], float *store[16][4])
{
    for (int i = 0; i < 16; i++) {
        cansim_profile_close(&ps[i]);
        for (int c = 0; c < 4; c++)
            free(store[i][c]);
    }
}

/* The same output at any thread count, bit for bit (STYLE.md 9). */
static void test_threads(void)
{
    CansimProfile *ps[16];
    float *store[16][4];
    if (!make_many(ps, store)) {
        free_many(ps, store);
        return;
    }
    const size_t n = 20000;
    const size_t n_out = n + 12000;
    float *in = unit_xcalloc(2 * n, sizeof(float));
    unit_fill_random(in, 2 * n, 0.5f);
    static const int thread_counts[] = {1, 2, 0, 2, 16};
    Outs first = outs_alloc(16, n_out);
    bool has_first = false;
    for (size_t ti = 0; ti < sizeof thread_counts / sizeof thread_counts[0]; ti++) {
        CansimRender *r =
            open_render((const CansimProfile *const *)ps, 16, 0, thread_counts[ti], ~0u);
        if (!r)
            continue;
        char what[80];
        snprintf(what, sizeof what, "16 profiles, %d threads", thread_counts[ti]);
        Outs o = outs_alloc(16, n_out);
        if (render(r, in, 2, n, has_first ? &o : &first, n_out, what) == CANSIM_OK) {
            if (!has_first) {
                has_first = true;
            } else {
                for (int p = 0; p < 16; p++)
                    CHECK(memcmp(o.buf[p], first.buf[p], 2 * n_out * sizeof(float)) == 0,
                          "%s: profile %d differs from the %d-thread render (%.1f dB)", what, p,
                          thread_counts[0], unit_rel_rms_db_f(o.buf[p], first.buf[p], 2 * n_out));
            }
        }
        outs_free(&o);
        cansim_render_close(&r);
    }
    outs_free(&first);
    free(in);
    free_many(ps, store);
}

/* Every CPU level the host has agrees with the C level and the reference within rounding.
 * The profiles mix full, diagonal and single cells, and cells whose taps are zero over whole
 * partitions (a crossfeed's delay), so that every per-partition path of the engine runs. */
static void test_cpu_levels(void)
{
#define N_CPU_PROFILES 5
    static const size_t taps[N_CPU_PROFILES] = {1, 300, 1000, 4097, 2500};
    static const unsigned masks[N_CPU_PROFILES] = {0xf, 0x9, 0x2, 0xf, 0xd};
    float *cells[N_CPU_PROFILES][4];
    CansimProfile *ps[N_CPU_PROFILES];
    bool is_ok = true;
    size_t max_taps = 0;
    for (int i = 0; i < N_CPU_PROFILES; i++) {
        for (int c = 0; c < 4; c++) {
            cells[i][c] = NULL;
            if (!((masks[i] >> c) & 1))
                continue;
            cells[i][c] = unit_xcalloc(taps[i], sizeof(float));
            unit_fill_random(cells[i][c], taps[i], 0.2f);
        }
        if (i == 3) {
            for (size_t j = 700; j < taps[i]; j++)
                cells[i][CANSIM_CELL_LL][j] = 0.0f;
            for (size_t j = 0; j < 2000; j++)
                cells[i][CANSIM_CELL_LR][j] = 0.0f;
            for (size_t j = 500; j < 3500; j++)
                cells[i][CANSIM_CELL_RL][j] = 0.0f;
        }
        char id[16];
        snprintf(id, sizeof id, "cpu%d", i);
        ps[i] = make_profile(id, taps[i], cells[i], masks[i]);
        is_ok = is_ok && ps[i];
        if (taps[i] > max_taps)
            max_taps = taps[i];
    }
    const size_t n = 3000;
    const size_t n_out = n + max_taps - 1;
    float *in = unit_xcalloc(2 * n, sizeof(float));
    unit_fill_random(in, 2 * n, 0.5f);
    Ref refs[N_CPU_PROFILES];
    for (int i = 0; i < N_CPU_PROFILES; i++) {
        refs[i] = ref_alloc(taps[i], n);
        ref_advance(&refs[i], in, cells[i], n);
    }
    double *scratch = unit_xcalloc(n_out, sizeof(double));

    const unsigned host = cansim_cpu_flags();
    unsigned cpu_masks[4];
    size_t n_masks = 0;
    cpu_masks[n_masks++] = 0;
    if (host & CANSIM_CPU_AVX2)
        cpu_masks[n_masks++] = CANSIM_CPU_AVX2;
    if (host & CANSIM_CPU_AVX512)
        cpu_masks[n_masks++] = CANSIM_CPU_AVX2 | CANSIM_CPU_AVX512;
    cpu_masks[n_masks++] = cansim_render_default_config().engine.cpu_mask;
    printf("host cpu flags %#x (%s): testing %zu levels\n", host, cansim_cpu_name(host), n_masks);

    static const size_t cpu_partitions[] = {64, 256, 0};
    for (size_t pi = 0; is_ok && pi < sizeof cpu_partitions / sizeof cpu_partitions[0]; pi++) {
        Outs c_out = outs_alloc(N_CPU_PROFILES, n_out);
        bool has_c = false;
        for (size_t m = 0; m < n_masks; m++) {
            CansimRender *r = open_render((const CansimProfile *const *)ps, N_CPU_PROFILES,
                                          cpu_partitions[pi], 0, cpu_masks[m]);
            if (!r)
                continue;
            const unsigned got = cansim_render_cpu_flags(r);
            CHECK(got == (cpu_masks[m] & host),
                  "cpu_mask %#x on host %#x: renderer uses %#x, want %#x", cpu_masks[m], host, got,
                  cpu_masks[m] & host);
            char what[160];
            snprintf(what, sizeof what, "cpu level %s (mask %#x), partition %zu",
                     cansim_cpu_name(got), cpu_masks[m], cansim_render_partition_frames(r));
            Outs o = outs_alloc(N_CPU_PROFILES, n_out);
            Outs *mine = m == 0 ? &c_out : &o;
            if (render(r, in, 2, n, mine, n_out, what) == CANSIM_OK) {
                for (int i = 0; i < N_CPU_PROFILES; i++) {
                    char what_s[200];
                    snprintf(what_s, sizeof what_s, "%s, profile %d (%zu taps, cells %#x)", what, i,
                             taps[i], masks[i]);
                    check_against_ref(mine->buf[i], n_out, &refs[i], masks[i], scratch, what_s);
                    if (m > 0 && has_c) {
                        const double db = unit_rel_rms_db_f(o.buf[i], c_out.buf[i], 2 * n_out);
                        CHECK(db <= MAX_ERR_DB, "%s: differs from the C level by %.1f dB", what_s,
                              db);
                    }
                }
                if (m == 0)
                    has_c = true;
            }
            outs_free(&o);
            cansim_render_close(&r);
        }
        outs_free(&c_out);
    }
    free(scratch);
    for (int i = 0; i < N_CPU_PROFILES; i++)
        ref_free(&refs[i]);
    free(in);
    for (int i = 0; i < N_CPU_PROFILES; i++) {
        cansim_profile_close(&ps[i]);
        for (int c = 0; c < 4; c++)
            free(cells[i][c]);
    }
#undef N_CPU_PROFILES
}

/* Progress: called on the calling thread between chunks, n_done never going back. */
typedef struct ProgressLog {
    int64_t n_calls;
    int64_t last_done;
    int64_t n_total;
    bool is_bad;
    char why[160];
    int stop_after; /* nonzero: cancel at that call */
} ProgressLog;

static int on_progress(void *user, int64_t n_done, int64_t n_total)
{
    ProgressLog *log = user;
    if (!log->is_bad) {
        if (n_done < log->last_done)
            snprintf(log->why, sizeof log->why, "n_done went back from %lld to %lld",
                     (long long)log->last_done, (long long)n_done);
        else if (n_total != log->n_total && n_total != -1)
            snprintf(log->why, sizeof log->why, "n_total %lld, want %lld or -1", (long long)n_total,
                     (long long)log->n_total);
        else if (n_total >= 0 && n_done > n_total)
            snprintf(log->why, sizeof log->why, "n_done %lld past n_total %lld", (long long)n_done,
                     (long long)n_total);
        log->is_bad = log->why[0] != 0;
    }
    log->n_calls++;
    log->last_done = n_done;
    return log->stop_after && log->n_calls >= log->stop_after;
}

static void test_progress(void)
{
    const size_t n_taps = 100;
    float *cells[4];
    for (int c = 0; c < 4; c++) {
        cells[c] = unit_xcalloc(n_taps, sizeof(float));
        unit_fill_random(cells[c], n_taps, 0.3f);
    }
    CansimProfile *p = make_profile("progress", n_taps, cells, 0xf);
    const size_t n = 500000;
    float *in = unit_xcalloc(2 * n, sizeof(float));
    unit_fill_random(in, 2 * n, 0.5f);
    Outs outs = outs_alloc(1, n);
    ProgressLog log = {0, 0, (int64_t)n, false, "", 0};
    if (p) {
        const CansimProfile *const list[1] = {p};
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = list;
        cfg.n_profiles = 1;
        cfg.engine.n_threads = 2;
        cfg.progress = on_progress;
        cfg.progress_user = &log;
        CansimRender *r = NULL;
        CansimDiag diag = {{0}};
        const int rc = cansim_render_open(&r, &cfg, &diag);
        CHECK(rc == CANSIM_OK, "open with a progress callback: %d: %s", rc, diag.msg);
        if (rc == CANSIM_OK && render(r, in, 2, n, &outs, n, "progress") == CANSIM_OK) {
            CHECK(!log.is_bad, "progress: %s", log.why);
            CHECK(log.n_calls >= 2, "progress: %lld calls over %zu frames", (long long)log.n_calls,
                  n);
            CHECK(log.last_done == (int64_t)n, "progress: last n_done %lld, want %zu",
                  (long long)log.last_done, n);
        }
        cansim_render_close(&r);
    }
    outs_free(&outs);
    free(in);
    cansim_profile_close(&p);
    for (int c = 0; c < 4; c++)
        free(cells[c]);
}

/* Bad buffers and bad configurations are refused with the documented codes. */
static void test_invalid(void)
{
    const size_t n_taps = 100;
    float *cells[4];
    for (int c = 0; c < 4; c++) {
        cells[c] = unit_xcalloc(n_taps, sizeof(float));
        unit_fill_random(cells[c], n_taps, 0.3f);
    }
    CansimProfile *p = make_profile("invalid", n_taps, cells, 0xf);
    CansimRender *r = NULL;
    float *in = NULL;
    Outs outs = {0, 0, NULL};
    if (!p)
        goto done;
    const CansimProfile *const list[1] = {p};

    static const size_t bad_partitions[] = {1, 32, 63, 100, 1000, 131072};
    for (size_t i = 0; i < sizeof bad_partitions / sizeof bad_partitions[0]; i++) {
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = list;
        cfg.n_profiles = 1;
        cfg.engine.partition_frames = bad_partitions[i];
        CansimDiag diag = {{0}};
        const int rc = cansim_render_open(&r, &cfg, &diag);
        CHECK(rc == CANSIM_EINVAL && r == NULL,
              "partition_frames %zu: cansim_render_open = %d, want CANSIM_EINVAL and no object",
              bad_partitions[i], rc);
        cansim_render_close(&r);
    }
    static const int bad_flac_levels[] = {-1, 9, 100};
    for (size_t i = 0; i < sizeof bad_flac_levels / sizeof bad_flac_levels[0]; i++) {
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = list;
        cfg.n_profiles = 1;
        cfg.output.flac_level = bad_flac_levels[i];
        CansimDiag diag = {{0}};
        const int rc = cansim_render_open(&r, &cfg, &diag);
        CHECK(rc == CANSIM_EINVAL && r == NULL && strstr(diag.msg, "FLAC level"),
              "flac_level %d: cansim_render_open = %d (%s), want CANSIM_EINVAL naming the level",
              bad_flac_levels[i], rc, diag.msg);
        cansim_render_close(&r);
    }
    {
        CansimRenderConfig cfg = cansim_render_default_config();
        cfg.profiles = NULL;
        cfg.n_profiles = 1;
        const int rc = cansim_render_open(&r, &cfg, NULL);
        CHECK(rc == CANSIM_EINVAL && r == NULL,
              "profiles NULL, n_profiles 1: cansim_render_open = %d, want CANSIM_EINVAL", rc);
        cansim_render_close(&r);
    }
    /* The largest partition renders too (a short input inside its first block). */
    r = open_render(list, 1, 65536, 1, ~0u);
    if (r) {
        const size_t n_big = 3000;
        const size_t n_out_big = n_big + n_taps - 1;
        float *x = unit_xcalloc(2 * n_big, sizeof(float));
        unit_fill_random(x, 2 * n_big, 0.5f);
        Outs o = outs_alloc(1, n_out_big);
        if (render(r, x, 2, n_big, &o, n_out_big, "partition 65536") == CANSIM_OK) {
            Ref ref = ref_alloc(n_taps, n_big);
            ref_advance(&ref, x, cells, n_big);
            double *scratch = unit_xcalloc(n_out_big, sizeof(double));
            check_against_ref(o.buf[0], n_out_big, &ref, 0xf, scratch, "partition 65536");
            free(scratch);
            ref_free(&ref);
        }
        outs_free(&o);
        free(x);
    }
    cansim_render_close(&r);
    CHECK(r == NULL, "cansim_render_close does not clear the pointer");
    cansim_render_close(&r); /* NULL is allowed */

    r = open_render(list, 1, 64, 1, ~0u);
    if (!r)
        goto done;
    const size_t n = 1000;
    const size_t n_out = n + n_taps - 1;
    in = unit_xcalloc(3 * n, sizeof(float));
    outs = outs_alloc(1, n_out);
    CansimDiag diag = {{0}};

    static const struct {
        int n_channels;
        size_t frame;
        int channel;
        float value;
    } poison[] = {
        {2, 0, 0, INFINITY}, {2, 500, 1, NAN},     {2, 999, 1, -INFINITY}, {2, 999, 0, NAN},
        {1, 0, 0, NAN},      {1, 64, 0, INFINITY}, {1, 999, 0, -INFINITY},
    };
    for (size_t i = 0; i < sizeof poison / sizeof poison[0]; i++) {
        unit_fill_random(in, 3 * n, 0.5f);
        in[poison[i].frame * (size_t)poison[i].n_channels + (size_t)poison[i].channel] =
            poison[i].value;
        const int rc = cansim_render_buffer(r, in, poison[i].n_channels, (int64_t)n, RATE_HZ,
                                            outs.buf, (int64_t)n_out, &diag);
        CHECK(rc == CANSIM_EDATA,
              "%g at frame %zu channel %d of %d: cansim_render_buffer = %d, want CANSIM_EDATA",
              (double)poison[i].value, poison[i].frame, poison[i].channel, poison[i].n_channels,
              rc);
    }

    unit_fill_random(in, 3 * n, 0.5f);
    static const int bad_channels[] = {0, 3, -1, 8};
    for (size_t i = 0; i < sizeof bad_channels / sizeof bad_channels[0]; i++) {
        const int rc = cansim_render_buffer(r, in, bad_channels[i], (int64_t)n, RATE_HZ, outs.buf,
                                            (int64_t)n_out, &diag);
        CHECK(rc == CANSIM_EINVAL, "n_channels %d: cansim_render_buffer = %d, want CANSIM_EINVAL",
              bad_channels[i], rc);
    }
    int rc = cansim_render_buffer(r, in, 2, -1, RATE_HZ, outs.buf, (int64_t)n_out, &diag);
    CHECK(rc == CANSIM_EINVAL, "n_frames -1: cansim_render_buffer = %d, want CANSIM_EINVAL", rc);
    rc = cansim_render_buffer(r, in, 2, (int64_t)n, RATE_HZ, outs.buf, -1, &diag);
    CHECK(rc == CANSIM_EINVAL, "n_out_frames -1: cansim_render_buffer = %d, want CANSIM_EINVAL",
          rc);
    rc = cansim_render_buffer(r, NULL, 2, (int64_t)n, RATE_HZ, outs.buf, (int64_t)n_out, &diag);
    CHECK(rc == CANSIM_EINVAL, "in NULL: cansim_render_buffer = %d, want CANSIM_EINVAL", rc);
    rc = cansim_render_buffer(r, in, 2, (int64_t)n, RATE_HZ, NULL, (int64_t)n_out, &diag);
    CHECK(rc == CANSIM_EINVAL, "outs NULL: cansim_render_buffer = %d, want CANSIM_EINVAL", rc);
    static const double bad_rates[] = {0.0, -48000.0, (double)NAN, (double)INFINITY};
    for (size_t i = 0; i < sizeof bad_rates / sizeof bad_rates[0]; i++) {
        rc = cansim_render_buffer(r, in, 2, (int64_t)n, bad_rates[i], outs.buf, (int64_t)n_out,
                                  &diag);
        CHECK(rc == CANSIM_ERATE, "rate %g: cansim_render_buffer = %d, want CANSIM_ERATE",
              bad_rates[i], rc);
    }
    /* The renderer still works after the refusals. */
    if (render(r, in, 2, n, &outs, n_out, "after refusals") == CANSIM_OK) {
        Ref ref = ref_alloc(n_taps, n);
        ref_advance(&ref, in, cells, n);
        double *scratch = unit_xcalloc(n_out, sizeof(double));
        check_against_ref(outs.buf[0], n_out, &ref, 0xf, scratch, "after refusals");
        free(scratch);
        ref_free(&ref);
    }

done:
    if (outs.buf)
        outs_free(&outs);
    free(in);
    cansim_render_close(&r);
    cansim_profile_close(&p);
    CHECK(p == NULL, "cansim_profile_close does not clear the pointer");
    for (int c = 0; c < 4; c++)
        free(cells[c]);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 20261130);
    test_invalid();
    test_impulse();
    test_one_sided_input();
    test_mono();
    test_threads();
    test_progress();
    test_cpu_levels();
    test_against_direct();
    test_long_stream();
    return unit_finish("test_convolve");
}
