/* SPDX-License-Identifier: MIT */
/* The engine: uniformly partitioned overlap-save convolution of one input through every
 * profile, the input transformed once per block into a frequency-domain delay line, one lane
 * per profile, streamed from a source callback to a sink callback. The renderer object is
 * defined here for the stages that drive it (render.c, render_file.c, render_buffer.c,
 * group.c). */
#ifndef CANSIM_ENGINE_H
#define CANSIM_ENGINE_H

#include "filters.h"
#include "hold.h"
#include "meter.h"
#include "internal.h"

/* Floats a sink may overwrite before the frames it is given: room for the true-peak kernel's
 * history (output.c), rounded up to keep alignment. */
#define CANSIM_SINK_PREFIX 64

/* A lane's status while its output is left alone (CansimFileOptions.skip): positive, so no
 * error code, and nonzero, so the render passes it by. */
#define CANSIM_LANE_SKIPPED 1

/* One profile's running state; in the parallel region only its own task touches it. */
typedef struct CansimLane {
    float *acc;      /* 4 planes x nb: Y_L re, im, Y_R re, im */
    float *time;     /* 2 x N: inverse transforms of Y_L and Y_R */
    float *out;      /* 2 x n_out_frames: interleaved output not yet given to the sink */
    float *out_base; /* out - CANSIM_SINK_PREFIX: out's allocation */
    float *z;        /* 2 nb floats: the inverse transform's scratch (N floats used) */
    int64_t n_done;  /* frames given to the sink */
    size_t n_held;   /* frames rendered into out after those */
    int64_t n_total; /* INT64_MAX while the input's length is unknown */
    int status;      /* the output's status: its filter's, then the sink's and the finish's */
    CansimDiag diag;
    float gain; /* level gain, applied as the output is interleaved */
} CansimLane;

struct CansimRender {
    CansimRenderConfig cfg;
    const CansimProfile **profiles;
    CansimKernels k;
    unsigned cpu_flags;
    int n_threads;
    size_t n_part;       /* B: partition and block size in frames */
    size_t n_fft;        /* N = 2B */
    size_t n_bins;       /* B + 1 rounded up to CANSIM_PAD; the padding bins stay zero */
    size_t n_out_frames; /* a lane's out: chunks of output collected for one write */
    size_t n_chunk_blocks;
    size_t n_chunk;   /* frames per chunk */
    float *tw;        /* the real FFTs' twiddle table for N */
    float *planar[2]; /* B frames of history, then the chunk */
    float *in_buf;    /* interleaved input of one chunk */
    float *z_fwd;     /* per thread (and one for setup): 2 nb floats, the forward's scratch */
    float *fdl;       /* frequency-domain delay line: n_slots x 8 planes x nb: L re, L im,
                         R re, R im, then (when has_ms) L+R re, im, L-R re, im */
    bool has_ms;
    size_t n_slots;
    size_t n_fdl_slots; /* allocated */
    CansimFilterCache cache;
    const CansimFilter *filters; /* the current input's set */
    CansimMeter *in_meter;       /* meters the input as it streams (level match), or NULL */
    size_t n_in_chunk;           /* input frames in the current chunk */
    int in_meter_err;
    CansimLane *lanes;
    int64_t t;           /* index of the next input block */
    CansimHoldPool hold; /* outputs held in memory (hold.c), against cfg.memory_bytes */
};

/* Where a lane's output goes: called from the parallel region, one lane per call. frames has
 * CANSIM_SINK_PREFIX floats of room before it that the sink may overwrite. */
typedef int CansimSinkFn(void *ctx, size_t lane, float *frames, size_t n, CansimDiag *diag);
/* Where a lane's next n_max frames are to be made, when the sink keeps them itself (the engine
 * then writes them there, and the sink's frames point there): room for 2 n_max floats, and
 * CANSIM_SINK_PREFIX floats before them that the sink may overwrite with what they hold. NULL:
 * the engine's own buffer. Called as the sink is. */
typedef float *CansimDestFn(void *ctx, size_t lane, size_t n_max);
/* Reads up to n frames; fewer means the end. Negative on error, diag set. */
typedef int64_t CansimSourceFn(void *ctx, float *frames, size_t n, CansimDiag *diag);

/* One stream through the engine. */
typedef struct CansimStream {
    CansimSourceFn *read;
    void *read_ctx;
    int n_channels;     /* of the source: 1 or 2 */
    int64_t n_out;      /* < 0: each lane's length is the input's, plus its tail when the config
                           asks; otherwise exactly n_out frames */
    int64_t n_expected; /* input frames, for the progress callback */
    CansimSinkFn *write;
    CansimDestFn *dest; /* or NULL */
    void *write_ctx;
} CansimStream;

/* Sizes the engine for r->n_part and r->cfg (chunk, buffers, lanes, the transform's table).
 * @return CANSIM_OK, CANSIM_ENOMEM or CANSIM_EINTERNAL (no transform of that size) */
int cansim_engine_init(CansimRender *r);
/* Frees what cansim_engine_init() and the streams made (a half-built engine too). */
void cansim_engine_free(CansimRender *r);

/* Makes the filters for rate_hz current (from the cache, or built) and resets the stream:
 * the delay line, the lanes (each with its filter's status), the block index.
 * @return CANSIM_OK or CANSIM_ENOMEM with diag */
int cansim_engine_begin(CansimRender *r, double rate_hz, CansimDiag *diag);

/* Streams s through every lane still without a status. A lane's failure is its own (status,
 * diag); the return is the source's failure or a cancel.
 * @return CANSIM_OK, the source's code, or CANSIM_ECANCELED (the progress callback) */
int cansim_engine_run(CansimRender *r, const CansimStream *s, CansimDiag *diag);

/* render_stream.c: s through every lane at rate_hz (the engine begun, then run), the first
 * failure returned: the source's, a cancel, else the first lane's with its diag.
 * @return CANSIM_OK, CANSIM_EINVAL (channels), CANSIM_ERATE, or a failure as above */
int cansim_render_run(CansimRender *r, double rate_hz, const CansimStream *s, CansimDiag *diag);

/* CANSIM_EDATA naming the frame (frame0 + its index) when a sample of x is NaN or infinite. */
int cansim_check_finite(const float *x, size_t n_frames, int n_channels, int64_t frame0,
                        const char *name, CansimDiag *diag);

#endif
