/* SPDX-License-Identifier: MIT */
/* Output files: directories, the container chosen for the output's size (RF64 past 4 GiB), the
 * file sink that streams a render into them with its peak and loudness meters, and the rename
 * that completes them (their temporary names: tmp_file.h). */
#ifndef CANSIM_OUTPUT_H
#define CANSIM_OUTPUT_H

#include <sndfile.h>

#include "hold.h"
#include "internal.h"
#include "meter.h"
#include "tmp_file.h"

/* The container for an output of n_frames x n_channels in *sf_format: a WAV that would pass
 * 4 GiB becomes RF64 (libsndfile's 64-bit WAV; smaller ones stay plain WAV, byte for byte), and
 * an output no container of its kind can hold is refused, before anything is rendered. label
 * names the output in diag. n_frames < 0 is unknown: WAV becomes RF64 with its automatic
 * downgrade, other formats pass.
 * @return CANSIM_OK or CANSIM_EFORMAT */
int cansim_output_fit(int *sf_format, int64_t n_frames, int n_channels, const char *label,
                      CansimDiag *diag);

/* Creates path and its missing parents (like mkdir -p).
 * @return CANSIM_OK, or CANSIM_EIO / CANSIM_EINVAL naming the directory */
int cansim_make_dirs(const char *path, CansimDiag *diag);

/* Renames a complete temporary file to its final name.
 * @return CANSIM_OK or CANSIM_EIO */
int cansim_output_rename(const char *tmp, const char *path, CansimDiag *diag);

/* An output's peak as it streams: the sample peak always, the true peak (the truepeak2 kernel,
 * 4x oversampled below 96 kHz, 2x below 192 kHz, as libebur128) when has_tp. */
typedef struct CansimPeak {
    uint32_t bits; /* sample peak (the peak kernel) */
    bool has_tp;
    float tp_max;                         /* the interpolated peak so far */
    float tp_hist[2 * CANSIM_TP_HISTORY]; /* the last frames written, for the next chunk */
} CansimPeak;

/* The peak in dB: the true peak (dBTP) when tracked, the larger of the interpolated and the
 * sample peak (libebur128's rule: phase 0 lags, so a peak in the last frames is a sample peak);
 * else the sample peak (dBFS). */
double cansim_peak_db(const CansimPeak *p);

/* One output file while it is written. Temporary names (cansim_tmp_create()) are "" when there
 * is none. */
typedef struct CansimFileOut {
    SNDFILE *sf;
    char path[4096];
    char part[4096 + 64];
    char raw[4096 + 64]; /* integer outputs: the float intermediate, before gain and dither */
    CansimMeter *meter;  /* exact loudness of the written output, or NULL */
    CansimPeak peak;
    float *mem;       /* held in memory until its final gain is known (no file yet), or NULL */
    int64_t n_frames; /* stereo frames written (held or into the file) */
    int64_t cap_mem;  /* stereo frames mem has room for */
    size_t mem_bytes; /* what it takes from the render's memory budget */
} CansimFileOut;

/* The render's sink into one file per lane (an engine sink: cansim_file_sink_write). */
typedef struct CansimFileSink {
    CansimFileOut *outs;
    cansim_truepeak2_fn *truepeak2;
    cansim_peak_fn *peak;
    float tp_coefs[CANSIM_TP_MAX_COEFS]; /* the true-peak filter at the render's rate */
    int tp_factor;                       /* its oversampling: 4, 2 or 1 (BS.1770, libebur128) */
    float tp_bound; /* no interpolated value exceeds this times its window's largest sample */
} CansimFileSink;

/* A sink over outs (one per lane) at rate_hz; k supplies the true-peak kernel. */
void cansim_file_sink_init(CansimFileSink *s, CansimFileOut *outs, const CansimKernels *k,
                           double rate_hz);

/* Where lane's next n_max frames are made (an engine destination): in its held block when it
 * has room, else NULL (the engine's buffer, copied by the write). */
float *cansim_file_sink_dest(void *ctx, size_t lane, size_t n_max);

/* Meters n stereo frames of lane into its output and writes them; frames has the engine's
 * CANSIM_SINK_PREFIX floats of room before it (the true peak's history goes there).
 * @return CANSIM_OK, CANSIM_ENOMEM (the meter) or CANSIM_EIO, with diag */
int cansim_file_sink_write(void *ctx, size_t lane, float *frames, size_t n, CansimDiag *diag);

#endif
