/* SPDX-License-Identifier: MIT */
/* The public entry points of the grouped API: cansim_render_stream (equal to the in-memory
 * render, a null sink, source and sink failures), cansim_render_config_check (what a renderer
 * would choose, reserved space), cansim_profile_write_ir (the IR file read back), reserved space
 * of the file options. */
#define _POSIX_C_SOURCE 200809L

#include <cansim/cansim.h>

#include <sys/stat.h>

#include "unit.h"
#include "unit_files.h"

#define RATE_HZ 48000
#define N_IN    20000

static char tmp_dir[4096];

typedef struct Fixture {
    float *cells[2][4];
    CansimProfile *profiles[2];
    float in[2 * N_IN];
} Fixture;

static void fixture_make(Fixture *fx)
{
    static const char *const ids[2] = {"two", "four"};
    static const size_t n_taps[2] = {300, 1500};
    for (int i = 0; i < 2; i++) {
        const float *cells[4] = {NULL, NULL, NULL, NULL};
        for (int c = 0; c < 4; c++) {
            /* "two" has no cross paths (a 2-channel IR file), "four" has all four. */
            if (i == 0 && (c == CANSIM_CELL_LR || c == CANSIM_CELL_RL))
                continue;
            fx->cells[i][c] = unit_xcalloc(n_taps[i], sizeof(float));
            unit_fill_random(fx->cells[i][c], n_taps[i], 0.1f);
            cells[c] = fx->cells[i][c];
        }
        CansimDiag d;
        const int e =
            cansim_profile_from_taps(&fx->profiles[i], ids[i], RATE_HZ, n_taps[i], cells, &d);
        CHECK(e == CANSIM_OK, "from_taps %s: %s", ids[i], d.msg);
    }
    unit_fill_random(fx->in, 2 * N_IN, 0.5f);
}

static CansimRender *open_render(const Fixture *fx, bool has_tail)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)fx->profiles;
    cfg.n_profiles = 2;
    cfg.engine.has_tail = has_tail;
    CansimRender *r = NULL;
    CansimDiag d;
    const int e = cansim_render_open(&r, &cfg, &d);
    CHECK(e == CANSIM_OK, "open: %d: %s", e, d.msg);
    return r;
}

/* A source over the fixture's input, in odd slices; poison_at >= 0 puts a NaN there, fail_at
 * >= 0 fails the read that reaches it. */
typedef struct Source {
    const float *in;
    int64_t pos;
    int64_t n_frames;
    int64_t poison_at;
    int64_t fail_at;
    int n_calls;
} Source;

static int64_t source_read(void *user, float *frames, size_t n, CansimDiag *diag)
{
    Source *s = user;
    s->n_calls++;
    const int64_t left = s->n_frames - s->pos;
    const int64_t k = (int64_t)n < left ? (int64_t)n : left;
    if (s->fail_at >= 0 && s->pos + k > s->fail_at) {
        snprintf(diag->msg, sizeof diag->msg, "test source: gone");
        return CANSIM_EIO;
    }
    memcpy(frames, s->in + 2 * s->pos, (size_t)k * 2 * sizeof *frames);
    if (s->poison_at >= s->pos && s->poison_at < s->pos + k)
        frames[2 * (s->poison_at - s->pos) + 1] = (float)NAN;
    s->pos += k;
    return k;
}

typedef struct Sink {
    float *outs[2];
    int64_t n_done[2];
    int64_t cap;
    int fail_lane; /* -1: none */
} Sink;

static int sink_write(void *user, size_t j, const float *frames, size_t n, CansimDiag *diag)
{
    Sink *s = user;
    if ((int)j == s->fail_lane) {
        snprintf(diag->msg, sizeof diag->msg, "test sink: full");
        return CANSIM_EIO;
    }
    if (s->n_done[j] + (int64_t)n > s->cap)
        return CANSIM_EINTERNAL;
    memcpy(s->outs[j] + 2 * s->n_done[j], frames, 2 * n * sizeof *frames);
    s->n_done[j] += (int64_t)n;
    return CANSIM_OK;
}

/* The stream with a sink is the in-memory render bit for bit, each output as long as the input
 * (plus the profile's tail when asked); without a sink it reads the whole input and succeeds. */
static void test_stream_equals_buffer(const Fixture *fx, bool has_tail)
{
    static const size_t n_taps[2] = {300, 1500};
    CansimRender *r = open_render(fx, has_tail);
    if (!r)
        return;
    const int64_t cap = N_IN + 1500;
    Sink sink = {.cap = cap, .fail_lane = -1};
    float *mem[2];
    for (int j = 0; j < 2; j++) {
        sink.outs[j] = unit_xcalloc((size_t)cap * 2, sizeof(float));
        mem[j] = unit_xcalloc((size_t)cap * 2, sizeof(float));
    }
    Source src = {.in = fx->in, .n_frames = N_IN, .poison_at = -1, .fail_at = -1};
    CansimStreamIO io = {.read = source_read,
                         .read_user = &src,
                         .n_channels = 2,
                         .rate_hz = RATE_HZ,
                         .n_in_frames = N_IN,
                         .n_out_frames = -1,
                         .write = sink_write,
                         .write_user = &sink};
    CansimDiag d;
    int e = cansim_render_stream(r, &io, &d);
    CHECK(e == CANSIM_OK, "stream (tail %d): %d: %s", has_tail, e, d.msg);
    for (int j = 0; j < 2; j++) {
        const int64_t want = N_IN + (has_tail ? (int64_t)n_taps[j] - 1 : 0);
        CHECK(sink.n_done[j] == want, "stream (tail %d): output %d has %lld frames, want %lld",
              has_tail, j, (long long)sink.n_done[j], (long long)want);
        e = cansim_render_buffer(r, fx->in, 2, N_IN, RATE_HZ, mem, want, &d);
        CHECK(e == CANSIM_OK, "buffer: %s", d.msg);
        CHECK(!memcmp(mem[j], sink.outs[j], (size_t)want * 2 * sizeof(float)),
              "stream (tail %d): output %d differs from cansim_render_buffer", has_tail, j);
    }
    /* No sink: rendered and discarded, the whole input read. */
    src = (Source){.in = fx->in, .n_frames = N_IN, .poison_at = -1, .fail_at = -1};
    io.write = NULL;
    e = cansim_render_stream(r, &io, &d);
    CHECK(e == CANSIM_OK && src.pos == N_IN, "null sink: %d, read %lld of %d: %s", e,
          (long long)src.pos, N_IN, d.msg);
    for (int j = 0; j < 2; j++) {
        free(sink.outs[j]);
        free(mem[j]);
    }
    cansim_render_close(&r);
}

/* A NaN fails with CANSIM_EDATA naming its frame; the source's own failure comes back with its
 * words; a sink's failure fails with its code while the other profile's output completes;
 * arguments and reserved space are checked. */
static void test_stream_failures(const Fixture *fx)
{
    CansimRender *r = open_render(fx, false);
    if (!r)
        return;
    Sink sink = {.cap = N_IN, .fail_lane = -1};
    for (int j = 0; j < 2; j++)
        sink.outs[j] = unit_xcalloc((size_t)N_IN * 2, sizeof(float));
    Source src = {.in = fx->in, .n_frames = N_IN, .poison_at = 12345, .fail_at = -1};
    CansimStreamIO io = {.read = source_read,
                         .read_user = &src,
                         .n_channels = 2,
                         .rate_hz = RATE_HZ,
                         .n_in_frames = N_IN,
                         .n_out_frames = -1,
                         .write = sink_write,
                         .write_user = &sink};
    CansimDiag d;
    int e = cansim_render_stream(r, &io, &d);
    CHECK(e == CANSIM_EDATA && strstr(d.msg, "12345"), "NaN at 12345: %d: %s", e, d.msg);

    src = (Source){.in = fx->in, .n_frames = N_IN, .poison_at = -1, .fail_at = 9000};
    e = cansim_render_stream(r, &io, &d);
    CHECK(e == CANSIM_EIO && strstr(d.msg, "test source: gone"), "source failure: %d: %s", e,
          d.msg);

    src = (Source){.in = fx->in, .n_frames = N_IN, .poison_at = -1, .fail_at = -1};
    sink = (Sink){.outs = {sink.outs[0], sink.outs[1]}, .cap = N_IN, .fail_lane = 0};
    e = cansim_render_stream(r, &io, &d);
    CHECK(e == CANSIM_EIO && strstr(d.msg, "test sink: full"), "sink failure: %d: %s", e, d.msg);
    CHECK(sink.n_done[0] == 0 && sink.n_done[1] == N_IN,
          "sink failure of output 0: outputs have %lld and %lld frames, want 0 and %d",
          (long long)sink.n_done[0], (long long)sink.n_done[1], N_IN);

    CansimStreamIO bad = io;
    bad.n_channels = 3;
    CHECK(cansim_render_stream(r, &bad, &d) == CANSIM_EINVAL, "3 channels: not EINVAL");
    bad = io;
    bad.rate_hz = 1000.0;
    CHECK(cansim_render_stream(r, &bad, &d) == CANSIM_ERATE, "1 kHz: not ERATE");
    bad = io;
    bad.reserved[2] = 1;
    CHECK(cansim_render_stream(r, &bad, &d) == CANSIM_EINVAL, "reserved set: not EINVAL");
    bad = io;
    bad.read = NULL;
    CHECK(cansim_render_stream(r, &bad, &d) == CANSIM_EINVAL, "no source: not EINVAL");
    for (int j = 0; j < 2; j++)
        free(sink.outs[j]);
    cansim_render_close(&r);
}

/* The check says what cansim_render_open chooses, refuses what it refuses, and opens nothing. */
static void test_config_check(const Fixture *fx)
{
    CansimRenderConfig cfg = cansim_render_default_config();
    cfg.profiles = (const CansimProfile *const *)fx->profiles;
    cfg.n_profiles = 2;
    CansimRenderChoice choice;
    CansimDiag d;
    int e = cansim_render_config_check(&cfg, &choice, &d);
    CHECK(e == CANSIM_OK, "check: %d: %s", e, d.msg);
    CansimRender *r = NULL;
    if (cansim_render_open(&r, &cfg, &d) == CANSIM_OK) {
        CHECK(choice.partition_frames == cansim_render_partition_frames(r) &&
                  choice.cpu_flags == cansim_render_cpu_flags(r),
              "check chose %zu frames, %#x; the renderer %zu, %#x", choice.partition_frames,
              choice.cpu_flags, cansim_render_partition_frames(r), cansim_render_cpu_flags(r));
        cansim_render_close(&r);
    }
    cfg.engine.partition_frames = 512;
    e = cansim_render_config_check(&cfg, &choice, &d);
    CHECK(e == CANSIM_OK && choice.partition_frames == 512, "partition 512: %d, %zu", e,
          choice.partition_frames);
    CHECK(cansim_render_config_check(&cfg, NULL, &d) == CANSIM_OK, "choice NULL: not OK");

    const struct {
        const char *what;
        CansimRenderConfig cfg;
        int want;
    } bad[] = {
        {"partition 100", {.engine = {.partition_frames = 100}}, CANSIM_EINVAL},
        {"level target -80", {.level = {.mode = CANSIM_LEVEL_TARGET, .lufs = -80}}, CANSIM_EINVAL},
        {"ceiling +1", {.level = {.has_ceiling = true, .ceiling_dbtp = 1}}, CANSIM_EINVAL},
        {"rate 1000", {.input = {.rate_hz = 1000}}, CANSIM_ERATE},
        {"reserved", {.reserved = {0, 0, 7}}, CANSIM_EINVAL},
        {"engine reserved", {.engine = {.reserved = {1}}}, CANSIM_EINVAL},
        {"level reserved", {.level = {.reserved = {0, 1}}}, CANSIM_EINVAL},
        {"output reserved", {.output = {.reserved = {0, 0, 0, 1}}}, CANSIM_EINVAL},
        {"input reserved", {.input = {.reserved = {1}}}, CANSIM_EINVAL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CansimRenderConfig c = bad[i].cfg;
        c.profiles = (const CansimProfile *const *)fx->profiles;
        c.n_profiles = 2;
        e = cansim_render_config_check(&c, NULL, &d);
        CHECK(e == bad[i].want, "%s: check = %d, want %d", bad[i].what, e, bad[i].want);
        r = NULL;
        e = cansim_render_open(&r, &c, &d);
        CHECK(e == bad[i].want && !r, "%s: open = %d, want %d and no object", bad[i].what, e,
              bad[i].want);
    }
}

/* Each profile written as an IR file reads back as the same taps, 2 channels without cross
 * paths and 4 with; a name no float container has is refused and nothing is created. */
static void test_write_ir(const Fixture *fx)
{
    static const int want_ch[2] = {2, 4};
    for (int i = 0; i < 2; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.%s", tmp_dir, cansim_profile_id(fx->profiles[i]),
                 i ? "w64" : "wav");
        CansimDiag d;
        int e = cansim_profile_write_ir(fx->profiles[i], path, &d);
        CHECK(e == CANSIM_OK, "write_ir %s: %d: %s", path, e, d.msg);
        SF_INFO info;
        float *x = unit_read_audio(path, &info);
        CHECK(info.channels == want_ch[i] && info.samplerate == RATE_HZ &&
                  (info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_FLOAT,
              "%s: %d channels at %d Hz, format %#x", path, info.channels, info.samplerate,
              info.format);
        free(x);
        CansimProfile *back = NULL;
        e = cansim_profile_load_ir(&back, path, &d);
        CHECK(e == CANSIM_OK, "load_ir %s: %s", path, d.msg);
        if (!back)
            continue;
        const size_t n = cansim_profile_n_taps(fx->profiles[i]);
        CHECK(cansim_profile_n_taps(back) == n, "%s: %zu taps, want %zu", path,
              cansim_profile_n_taps(back), n);
        for (int c = 0; c < 4 && cansim_profile_n_taps(back) == n; c++) {
            const float *a = cansim_profile_taps(fx->profiles[i], (CansimCell)c);
            const float *b = cansim_profile_taps(back, (CansimCell)c);
            CHECK((!a && !b) || (a && b && !memcmp(a, b, n * sizeof *a)),
                  "%s: cell %d differs after the round trip", path, c);
        }
        cansim_profile_close(&back);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/refused.flac", tmp_dir);
    CansimDiag d;
    const int e = cansim_profile_write_ir(fx->profiles[1], path, &d);
    struct stat st;
    CHECK(e == CANSIM_EFORMAT && stat(path, &st) != 0, "write_ir .flac: %d (%s)", e, d.msg);
    CHECK(cansim_profile_taps(fx->profiles[0], (CansimCell)4) == NULL, "cell 4 is not NULL");
}

/* Per-call options whose reserved space is set fail the input, and nothing is written. */
static void test_file_options_reserved(const Fixture *fx)
{
    char in[4200], out[4200], sub[4300];
    snprintf(in, sizeof in, "%s/opt.wav", tmp_dir);
    snprintf(out, sizeof out, "%s/out-opt", tmp_dir);
    snprintf(sub, sizeof sub, "%s/opt", out);
    unit_write_audio(in, SF_FORMAT_WAV | SF_FORMAT_FLOAT, RATE_HZ, 2, fx->in, 4000);
    CansimRender *r = open_render(fx, false);
    if (!r)
        return;
    CansimFileOptions opt = {.seed = 3};
    opt.reserved[3] = 1;
    CansimOutputResult res[2];
    CansimDiag d;
    int e = cansim_render_file(r, in, out, &opt, res, &d);
    struct stat st;
    CHECK(e == CANSIM_EINVAL && res[0].status == CANSIM_EINVAL && stat(sub, &st) != 0,
          "reserved options: %d (%d): %s", e, res[0].status, d.msg);
    opt.reserved[3] = 0;
    e = cansim_render_file(r, in, out, &opt, res, &d);
    CHECK(e == CANSIM_OK && res[1].n_frames == 4000, "options: %d: %s", e, d.msg);
    cansim_render_close(&r);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 15);
    unit_make_tmp_dir(tmp_dir, sizeof tmp_dir, "cansim-api-");
    static Fixture fx;
    fixture_make(&fx);
    if (fx.profiles[0] && fx.profiles[1]) {
        test_stream_equals_buffer(&fx, false);
        test_stream_equals_buffer(&fx, true);
        test_stream_failures(&fx);
        test_config_check(&fx);
        test_write_ir(&fx);
        test_file_options_reserved(&fx);
    }
    for (int i = 0; i < 2; i++) {
        cansim_profile_close(&fx.profiles[i]);
        for (int c = 0; c < 4; c++)
            free(fx.cells[i][c]);
    }
    unit_remove_tree(tmp_dir);
    return unit_finish("test_api");
}
