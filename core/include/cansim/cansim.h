/* SPDX-License-Identifier: MIT */
/* cansim: render one mix through many 2x2 FIR headphone profiles in one pass. */
#ifndef CANSIM_CANSIM_H
#define CANSIM_CANSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cansim/cpu.h> /* CANSIM_CPU_*: the CPU levels of CansimEngineConfig.cpu_mask */

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CANSIM_BUILDING_LIBRARY) && defined(__GNUC__)
#define CANSIM_API __attribute__((visibility("default")))
#else
#define CANSIM_API
#endif

/** Error codes: 0 is success, failures are negative. Stable across minor versions. Returns and
 * result fields (CansimOutputResult.status, .notice) carry them as int, so that a code a newer
 * library adds stays a value the caller can hold and pass to cansim_strerror(). */
enum CansimError {
    CANSIM_OK = 0,
    CANSIM_ENOMEM = -1,    /**< out of memory */
    CANSIM_EINVAL = -2,    /**< invalid argument */
    CANSIM_EIO = -3,       /**< input/output error */
    CANSIM_EFORMAT = -4,   /**< unsupported or unreadable audio format */
    CANSIM_EPROFILE = -5,  /**< bad profile */
    CANSIM_ERATE = -6,     /**< bad or unsupported sample rate */
    CANSIM_EDATA = -7,     /**< invalid audio data (NaN, Inf, no frames) */
    CANSIM_EINTERNAL = -8, /**< internal error */
    CANSIM_ECANCELED = -9, /**< stopped by the progress callback */
    CANSIM_ELEVEL = -10,   /**< level not matched: a complete output is not at the level asked
                                (CansimOutputResult.notice; never a failure) */
};
/** One past the most negative code; every code c with CANSIM_ERROR_MIN < c <= 0 is known. */
#define CANSIM_ERROR_MIN (-11)

/** A static, lower-case message for a code; never NULL ("unknown error" for unknown codes). */
CANSIM_API const char *cansim_strerror(int code);

/** One line of context for a failure: path, line, the dependency's own words. Room for a
 * whole path (PATH_MAX, 4096 on Linux) and its reason; a longer line loses its middle, never
 * its reason. */
typedef struct CansimDiag {
    char msg[4608];
} CansimDiag;

/** The library's version, "MAJOR.MINOR.PATCH". */
CANSIM_API const char *cansim_version(void);

/** Writes the versions of the libraries cansim runs on, one line, into buf (n bytes). */
CANSIM_API void cansim_dependency_versions(char *buf, size_t n);

/* ABI: the library ships a SOVERSION. Every struct a caller fills or allocates and the library
 * reads or writes (the render config and each of its groups, CansimFileOptions, CansimStreamIO,
 * CansimOutputResult) ends in reserved space, so a later field takes it without changing the
 * struct's size or any offset. Reserved space must be zero (cansim_render_default_config() and
 * `= {0}` make it so), and a later field's zero means what the library did before it existed.
 * The library refuses a config, file options or stream whose reserved space is not zero
 * (CANSIM_EINVAL), so a newer caller on an older library hears that a field is unknown instead
 * of having it ignored. docs/api.md has the API in one page. */

/** The CPU levels this machine supports. */
CANSIM_API unsigned cansim_cpu_flags(void);
/** "avx512", "avx2", "neon" or "c": the level dispatch chooses for flags. */
CANSIM_API const char *cansim_cpu_name(unsigned flags);
/**
 * Maps "auto", "c", "avx2", "avx512" or "neon" to a cpu_mask.
 * @return CANSIM_OK, or CANSIM_EINVAL for an unknown name.
 */
CANSIM_API int cansim_cpu_mask_from_name(const char *name, unsigned *mask);

/* ---------------------------------------------------------------- profiles */

/** Matrix cells of a profile: input X feeds output Y through cell X->Y. */
typedef enum CansimCell {
    CANSIM_CELL_LL = 0,
    CANSIM_CELL_LR = 1,
    CANSIM_CELL_RL = 2,
    CANSIM_CELL_RR = 3
} CansimCell;

/** A headphone profile: a 2x2 real FIR matrix at a sample rate. */
typedef struct CansimProfile CansimProfile;

/** The longest filter cansim accepts, in taps (about 11 s at 96 kHz). */
#define CANSIM_MAX_TAPS (1u << 20)

/**
 * A profile from taps in memory (copied). cells[c] may be NULL for an all-zero cell.
 * @return CANSIM_OK, CANSIM_EINVAL (no id, n_taps 0 or too long, every cell NULL),
 *         CANSIM_ERATE, CANSIM_EPROFILE (NaN or Inf taps), CANSIM_ENOMEM
 */
CANSIM_API int cansim_profile_from_taps(CansimProfile **out, const char *id, double rate_hz,
                                        size_t n_taps, const float *const cells[4],
                                        CansimDiag *diag);

/**
 * A profile from an impulse-response audio file (any format libsndfile reads): 1 channel is
 * the same filter on both sides, 2 channels are L->L and R->R, 4 channels are L->L, L->R, R->L,
 * R->R. Its id is the file name without directory and extension. Anything but a regular file
 * fails at once with CANSIM_EIO (libsndfile would wait on a FIFO).
 * @return CANSIM_OK, CANSIM_EIO, CANSIM_EFORMAT, CANSIM_EPROFILE, CANSIM_ERATE, CANSIM_ENOMEM
 */
CANSIM_API int cansim_profile_load_ir(CansimProfile **out, const char *path, CansimDiag *diag);

/**
 * The same profile at another rate, keeping its magnitude response and its alignment: a
 * minimum-phase cell (its energy as early as its magnitude allows) is designed again at the
 * new rate from its magnitude response (within 0.02 dB, 20 Hz to 20 kHz below 0.45 of either
 * rate); any other is converted with libsamplerate (best quality), taps scaled by the rate
 * ratio so that the frequency response keeps its level. A result longer than CANSIM_MAX_TAPS
 * fails before any conversion.
 * @return CANSIM_OK, CANSIM_ERATE, CANSIM_EPROFILE, CANSIM_ENOMEM
 */
CANSIM_API int cansim_profile_resample(CansimProfile **out, const CansimProfile *p, double rate_hz,
                                       CansimDiag *diag);

/**
 * A profile from a file, by its kind: a profile file (`.ini`, see profiles/README.md), an
 * AutoEq-style measurement (`.csv`: frequency,raw; taken as measured on the GRAS rig of
 * oratory1990's data), or else an impulse-response audio file (cansim_profile_load_ir()).
 * Errors name the file and, for text, the line. Anything but a regular file (a FIFO, a device,
 * a directory) fails at once with CANSIM_EIO, before anything is read.
 * @return CANSIM_OK, CANSIM_EIO, CANSIM_EFORMAT, CANSIM_EPROFILE, CANSIM_ERATE, CANSIM_ENOMEM
 */
CANSIM_API int cansim_profile_load(CansimProfile **out, const char *path, CansimDiag *diag);

/** Frees *p (NULL allowed) and sets *p to NULL. */
CANSIM_API void cansim_profile_close(CansimProfile **p);

/** Crossfeed (bs2b's: a low-passed cross path, a high-shelved direct path), folded into the
 * matrix cells at design time. */
typedef enum CansimCrossfeedMode {
    CANSIM_CROSSFEED_PROFILE = 0, /**< what each profile carries (none unless it says) */
    CANSIM_CROSSFEED_OFF,         /**< none, whatever profiles carry */
    CANSIM_CROSSFEED_ON,          /**< cut_hz and feed_db for every profile */
} CansimCrossfeedMode;

typedef struct CansimCrossfeed {
    CansimCrossfeedMode mode;
    double cut_hz;  /**< cross-path cut frequency, 300..2000 Hz (bs2b's range) */
    double feed_db; /**< cross-feed level at low frequencies, 1..15 dB (bs2b's range) */
} CansimCrossfeed;

/**
 * Parses "bs2b" (700 Hz, 4.5 dB), "cmoy" (700 Hz, 6 dB), "jmeier" (650 Hz, 9.5 dB), "off", or
 * "HZ:DB" within bs2b's ranges.
 * @return CANSIM_OK, or CANSIM_EINVAL with the reason in diag
 */
CANSIM_API int cansim_crossfeed_parse(const char *text, CansimCrossfeed *out, CansimDiag *diag);

/** What a profile says of itself; the strings are borrowed from the profile ("" if unset). */
typedef struct CansimProfileInfo {
    const char *id;
    const char *name;   /**< display name */
    const char *back;   /**< "open", "closed" or "none" (reference, speakers) */
    const char *form;   /**< "over-ear", "on-ear", "in-ear", "earbud" or "" */
    const char *rig;    /**< measurement rig: "gras", "hms-ii3", "iec-711" (in-ear), or
                             "none" for a curve that already is a coloration */
    const char *source; /**< who measured it, and how */
    const char *credit;
    const char *notes;
    bool is_curve;             /**< designed from a response curve; false for an impulse response */
    CansimCrossfeed crossfeed; /**< what the profile carries: ON or OFF */
    const char *tags;          /**< selection tags, space-separated ("in-ear tws"), or "" */
    bool has_hrtf;             /**< a speaker pair through a measured head ([hrtf]) */
} CansimProfileInfo;

CANSIM_API void cansim_profile_info(const CansimProfile *p, CansimProfileInfo *info);

/** How curve profiles become filters (profiles/README.md documents each step). */
typedef struct CansimDesignConfig {
    const char *target;        /**< "harman", "diffuse-field" (looked up per rig in targets_dir),
                                    or a CSV file used for every profile [default: "harman"] */
    const char *targets_dir;   /**< holds <rig>/<target>.csv; borrowed */
    const CansimProfile *on;   /**< the listener's own headphone, whose coloration is removed;
                                    NULL for none; borrowed */
    double boost_limit_db;     /**< no frequency is boosted by more [default: 12] */
    CansimCrossfeed crossfeed; /**< [default: what each profile carries] */
} CansimDesignConfig;

CANSIM_API CansimDesignConfig cansim_design_default_config(void);

/**
 * The minimum-phase FIR matrix of a curve profile at rate_hz (an impulse-response profile is
 * converted to the rate instead). The result is an impulse-response profile with the same id.
 * @return CANSIM_OK, CANSIM_EPROFILE (no target for the profile's rig, bad target file),
 *         CANSIM_ERATE, CANSIM_ENOMEM
 */
CANSIM_API int cansim_profile_design(CansimProfile **out, const CansimProfile *p,
                                     const CansimDesignConfig *d, double rate_hz, CansimDiag *diag);

/**
 * The simulated response the design follows (coloration after smoothing, flat extension,
 * boost limit and 1 kHz normalisation), in dB at n frequencies.
 * @return CANSIM_OK, CANSIM_EINVAL (not a curve profile), CANSIM_EPROFILE, CANSIM_ENOMEM
 */
CANSIM_API int cansim_profile_response_db(const CansimProfile *p, const CansimDesignConfig *d,
                                          const double *hz, double *db, size_t n, CansimDiag *diag);

CANSIM_API const char *cansim_profile_id(const CansimProfile *p);
CANSIM_API double cansim_profile_rate(const CansimProfile *p);
CANSIM_API size_t cansim_profile_n_taps(const CansimProfile *p);
/** The taps of one cell (n_taps floats), or NULL when the cell is all zero or outside 0..3.
 * Borrowed. */
CANSIM_API const float *cansim_profile_taps(const CansimProfile *p, CansimCell cell);

/**
 * Writes an impulse-response profile (as loaded, or as cansim_profile_design() made it) to path
 * as the IR file cansim_profile_load_ir() reads back: 2 channels (L->L, R->R) when it has no
 * cross paths, else 4 (L->L, L->R, R->L, R->R), 32-bit float at the profile's rate, in the
 * container path's extension names (.wav, .wave, .w64, .rf64, .caf, .aif, .aiff). It is written
 * under a temporary name beside path and renamed when complete; a failure leaves nothing.
 * @return CANSIM_OK, CANSIM_EINVAL (a curve profile), CANSIM_EFORMAT (another extension:
 *         FLAC and the rest hold no float taps), CANSIM_EIO, CANSIM_ENOMEM
 */
CANSIM_API int cansim_profile_write_ir(const CansimProfile *p, const char *path, CansimDiag *diag);

/**
 * The magnitude response of one cell of an impulse-response profile (as loaded, or as
 * cansim_profile_design() made it), in dB at n frequencies hz (> 0): at each, the mean power
 * of the cell's transform over smooth_oct octaves centred there (0 for none). The transform
 * has a point per hertz or finer; a band between two points takes the power interpolated
 * between them. NaN where the band reaches the Nyquist frequency; -120 dB at least, so a zero
 * stays finite. Single precision (FFTW): a bin's amplitude errs by at most about
 * 2 FLT_EPSILON log2(N) times the taps' L2 norm, so the error in dB grows as the level falls
 * below the filter's energy (tests/unit/test_response.c checks that bound).
 * @return CANSIM_OK, CANSIM_EINVAL (a curve profile, an all-zero cell, a cell outside 0..3,
 *         smooth_oct negative or past 4, a frequency not positive and finite), CANSIM_ENOMEM,
 *         CANSIM_EINTERNAL (FFTW could not plan)
 */
CANSIM_API int cansim_profile_magnitude_db(const CansimProfile *p, enum CansimCell cell,
                                           double smooth_oct, const double *hz, double *db,
                                           size_t n, CansimDiag *diag);

/**
 * A digest of everything that decides the filter of p under d at any rate: for a curve profile
 * its simulated response (curve, target of its rig, the listener's headphone, smoothing, boost
 * limit); for an impulse response its taps and rate; for every kind the crossfeed it runs
 * with (d's, else the profile's); and the library's version. Two
 * renders whose digests (and inputs and options) agree write the same samples, so a batch can
 * tell an up-to-date output from a stale one. hex receives 32 lower-case hex digits.
 * @return CANSIM_OK, CANSIM_EPROFILE (no target for the profile's rig), CANSIM_ENOMEM
 */
CANSIM_API int cansim_profile_digest(const CansimProfile *p, const CansimDesignConfig *d,
                                     char hex[33], CansimDiag *diag);

/* ---------------------------------------------------------------- inputs */

/** What an audio file holds, read from its header. */
typedef struct CansimInputInfo {
    double rate_hz;
    int n_channels;
    int64_t n_frames;
    char format[16];      /**< "wav16" ... "aiff24", else the container's extension */
    char same_format[16]; /**< its outputs' under CANSIM_FORMAT_SAME at its own rate (a lossy
                               input's are "flac24") */
} CansimInputInfo;

/**
 * Opens path as audio (libsndfile) and reads its header, as cansim_render_file() would:
 * unreadable, truncated or empty files fail with a diag naming the path.
 * @return CANSIM_OK, CANSIM_EIO, CANSIM_EFORMAT, CANSIM_EDATA (no frames)
 */
CANSIM_API int cansim_input_probe(const char *path, CansimInputInfo *info, CansimDiag *diag);

/** Sample-rate converters (libsamplerate's sinc converters). */
typedef enum CansimResampler {
    CANSIM_RESAMPLER_BEST = 0, /**< SRC_SINC_BEST_QUALITY: 97 dB SNR, 97 % bandwidth */
    CANSIM_RESAMPLER_MEDIUM,   /**< SRC_SINC_MEDIUM_QUALITY: 97 dB, 90 % */
    CANSIM_RESAMPLER_FAST,     /**< SRC_SINC_FASTEST: 97 dB, 80 % */
} CansimResampler;

/** @return CANSIM_OK, or CANSIM_EINVAL for a name that is not best|medium|fast. */
CANSIM_API int cansim_resampler_from_name(const char *name, CansimResampler *out);
CANSIM_API const char *cansim_resampler_name(CansimResampler r);

/* ---------------------------------------------------------------- render */

/** Output formats. SAME keeps the input's container and encoding where it can hold stereo. */
typedef enum CansimFormat {
    CANSIM_FORMAT_SAME = 0,
    CANSIM_FORMAT_WAV16,
    CANSIM_FORMAT_WAV24,
    CANSIM_FORMAT_WAV32F,
    CANSIM_FORMAT_FLAC16,
    CANSIM_FORMAT_FLAC24,
    CANSIM_FORMAT_AIFF16,
    CANSIM_FORMAT_AIFF24,
} CansimFormat;

/** @return CANSIM_OK, or CANSIM_EINVAL for a name that is not
 *  same|wav16|wav24|wav32f|flac16|flac24|aiff16|aiff24. */
CANSIM_API int cansim_format_from_name(const char *name, CansimFormat *out);
CANSIM_API const char *cansim_format_name(CansimFormat f);

/** Called between chunks on the calling thread: frames of the input done so far and in all
 * (n_total is -1 when unknown; n_done is 0 while the input is being converted to the render's
 * rate). Returning nonzero stops the render: its outputs fail with CANSIM_ECANCELED and leave
 * no files. */
typedef int CansimProgressFn(void *user, int64_t n_done, int64_t n_total);

/** The level of cansim_render_file()'s outputs (cansim_render_buffer() and
 * cansim_render_stream() apply none). */
typedef enum CansimLevelMode {
    CANSIM_LEVEL_OFF = 0, /**< the filters' own gain (designed profiles: 0 dB at 1 kHz) */
    CANSIM_LEVEL_MATCH,   /**< each output's integrated loudness equals the input's */
    CANSIM_LEVEL_TARGET,  /**< each output's integrated loudness is lufs */
} CansimLevelMode;

/** How far the ceiling's cut reaches when it stops an output from reaching its level. */
typedef enum CansimLevelScope {
    CANSIM_LEVEL_SCOPE_PROFILE = 0, /**< each output on its own: only those whose peak passes
                                         the ceiling are lowered */
    CANSIM_LEVEL_SCOPE_DRAWER,      /**< every output of one input (or gain group) takes the
                                         level the most limited one reaches: they stay
                                         loudness-matched to each other
                                         (CansimOutputResult.is_limiting names it) */
} CansimLevelScope;

/** How the engine runs: the same samples whatever these are, only sooner or later. */
typedef struct CansimEngineConfig {
    unsigned cpu_mask;       /**< ANDed with cansim_cpu_flags() [default: all] */
    int n_threads;           /**< worker threads, 0 for OpenMP's default [default: 0] */
    size_t partition_frames; /**< power of two 64..65536, 0 for the cost model [default: 0] */
    bool has_tail;           /**< keep the filter tail (n_taps - 1 more frames) [default: false] */
    uint64_t reserved[4];    /**< zero: room for later fields */
} CansimEngineConfig;

/** What cansim_render_file() and cansim_render_group() read: the inputs' rate. */
typedef struct CansimInputConfig {
    double rate_hz;            /**< convert inputs at another rate to this one first
                                    (libsamplerate), so outputs are at rate_hz and filters
                                    designed at it; 0 keeps each input's rate [default: 0] */
    CansimResampler resampler; /**< the converter for rate_hz [default: BEST] */
    uint64_t reserved[4];      /**< zero: room for later fields */
} CansimInputConfig;

/** What cansim_render_file() and cansim_render_group() write. */
typedef struct CansimOutputConfig {
    CansimFormat format;  /**< [default: CANSIM_FORMAT_SAME] */
    int flac_level;       /**< FLAC outputs' compression, libFLAC's level 0..8: higher is
                               smaller and slower, the samples are the same
                               [default: CANSIM_FLAC_LEVEL_DEFAULT] */
    size_t memory_bytes;  /**< integer and FLAC outputs are held in memory as float until
                               their final gain is known (float outputs are written as they
                               render and rescaled in place when needed), up to
                               this many bytes for one input or gain group (8 bytes a frame);
                               the rest go through a float file beside the outputs (0: all do)
                               [default: 2 GiB] */
    uint64_t reserved[4]; /**< zero: room for later fields */
} CansimOutputConfig;

/** cansim_render_default_config()'s FLAC level: most of level 8's saving for little time
 * (docs/commands.md, FLAC levels). */
#define CANSIM_FLAC_LEVEL_DEFAULT 1

/** The level of cansim_render_file()'s and cansim_render_group()'s outputs. */
typedef struct CansimLevelConfig {
    CansimLevelMode mode;   /**< [default: CANSIM_LEVEL_OFF; the command's is MATCH] */
    double lufs;            /**< CANSIM_LEVEL_TARGET's target, -70..0 LUFS [default: -14] */
    bool has_ceiling;       /**< hold outputs under ceiling_dbtp [default: false] */
    double ceiling_dbtp;    /**< true-peak ceiling of every output (float ones too), -20..0 dBTP
                                 [default: -1] */
    bool has_translation;   /**< each output's translation (CansimTranslation), from the level
                                 analysis' spectra; where no analysis runs (level off without a
                                 ceiling, a gain group's members) the input is read once more
                                 for it [default: false] */
    CansimLevelScope scope; /**< [default: CANSIM_LEVEL_SCOPE_DRAWER] */
    uint64_t reserved[4];   /**< zero: room for later fields */
} CansimLevelConfig;

/** A renderer's configuration, grouped by who reads it. Start from
 * cansim_render_default_config() and set what differs. */
typedef struct CansimRenderConfig {
    const CansimProfile *const *profiles; /**< borrowed; must outlive the renderer */
    size_t n_profiles;
    const CansimDesignConfig *design; /**< for curve profiles; NULL for the defaults; borrowed */
    CansimEngineConfig engine;
    CansimInputConfig input;
    CansimOutputConfig output;
    CansimLevelConfig level;
    CansimProgressFn *progress; /**< optional */
    void *progress_user;
    uint64_t reserved[8]; /**< zero: room for later fields and groups */
} CansimRenderConfig;

/** Every field at its default (above), no profiles, reserved space zero. */
CANSIM_API CansimRenderConfig cansim_render_default_config(void);

/** What a renderer opened on a config would choose on this machine. */
typedef struct CansimRenderChoice {
    size_t partition_frames; /**< the partition size (the cost model's, or the config's) */
    unsigned cpu_flags;      /**< the CPU levels its kernels would be chosen for */
} CansimRenderChoice;

/**
 * Checks cfg as cansim_render_open() does (every range, the profiles' ids and lengths at
 * input.rate_hz, reserved space zero) without making plans or buffers, and says what a
 * renderer would choose (choice may be NULL).
 * @return CANSIM_OK, CANSIM_EINVAL, CANSIM_ERATE, CANSIM_EPROFILE, with diag
 */
CANSIM_API int cansim_render_config_check(const CansimRenderConfig *cfg, CansimRenderChoice *choice,
                                          CansimDiag *diag);

typedef struct CansimRender CansimRender;

/**
 * Validates cfg (cansim_render_config_check()), resolves the kernels for engine.cpu_mask,
 * chooses the partition size and makes the FFTW plans. Profiles at other rates than an
 * input's are converted when that input comes.
 * @return CANSIM_OK, CANSIM_EINVAL, CANSIM_ERATE, CANSIM_EPROFILE, CANSIM_ENOMEM,
 *         CANSIM_EINTERNAL
 */
CANSIM_API int cansim_render_open(CansimRender **out, const CansimRenderConfig *cfg,
                                  CansimDiag *diag);

/** The partition size (frames) the renderer uses. */
CANSIM_API size_t cansim_render_partition_frames(const CansimRender *r);
/** The CPU flags the renderer's kernels were chosen for. */
CANSIM_API unsigned cansim_render_cpu_flags(const CansimRender *r);

/* ---------------------------------------------------------------- translation
 * Where a mix changes on each headphone (docs/translation.md): for every output, after its
 * gain, the change of the mix's energy in named bands over the mix's active (gated) part,
 * predicted from the level analysis' short-time spectra (no second pass). */

/** The bands, in order: sub 20-60 Hz, bass 60-150, low-mid 150-400, mid 400-1k, upper-mid
 * 1-2.5k, presence 2.5-5k, brilliance 5-10k, air 10-20k (cut at the rate's Nyquist). */
#define CANSIM_N_BANDS 8
/** Moments kept per output (its windows where a band rises most), and the window's length. */
#define CANSIM_N_MOMENTS 3
#define CANSIM_MOMENT_S  3.0

/** A band's name ("sub" ... "air") and edges in Hz; NULL for an index out of range. */
CANSIM_API const char *cansim_band_name(int band, double *lo_hz, double *hi_hz);

/** A window where a band's change rises above its average change. */
typedef struct CansimMoment {
    int band;       /**< the band, or -1 for no moment */
    double start_s; /**< the window, in seconds of the input */
    double end_s;
    double rise_db; /**< the band's change in the window minus its change over the whole */
} CansimMoment;

/** One output's translation; dB values are NaN where there is nothing to say. */
typedef struct CansimTranslation {
    bool is_valid;                          /**< computed (has_translation, the input is above
                                                 the gate: it has an active part) */
    double band_db[CANSIM_N_BANDS];         /**< output / input band energy with the gain, dB;
                                                 NaN where the input has no energy in the band */
    double overall_db;                      /**< RMS of the finite band_db */
    double side_db;                         /**< change of side (L-R) energy relative to mid
                                                 (L+R); NaN without cross paths or for a mono
                                                 input */
    CansimMoment moments[CANSIM_N_MOMENTS]; /**< the highest rises, any band, highest first */
    CansimMoment band_top[CANSIM_N_BANDS];  /**< each band's highest rise */
} CansimTranslation;

/** Across a drawer: per band the spread and its ends, and the profiles by overall_db. */
typedef struct CansimTranslationDrawer {
    double spread_db[CANSIM_N_BANDS]; /**< highest minus lowest band_db, NaN if none */
    size_t lowest[CANSIM_N_BANDS];    /**< the profile with the lowest band_db (index) */
    size_t highest[CANSIM_N_BANDS];   /**< the profile with the highest */
    size_t *rank;                     /**< the caller's n entries: valid profiles by overall_db,
                                           highest first (ties by index) */
    size_t n_ranked;
} CansimTranslationDrawer;

/**
 * The drawer's view of n outputs' translations (t[i] of profile i; invalid ones left out).
 * @return CANSIM_OK, CANSIM_EINVAL (NULL arguments)
 */
CANSIM_API int cansim_translation_drawer(const CansimTranslation *t, size_t n,
                                         CansimTranslationDrawer *out);

/**
 * Several inputs through the same profile: per band the input whose band_db departs most
 * from the mean of the others. t[i] is input i's translation; departs[b] receives the input's
 * index (SIZE_MAX when fewer than two inputs have the band) and by_db[b] its departure.
 * @return CANSIM_OK, CANSIM_EINVAL
 */
CANSIM_API int cansim_translation_departure(const CansimTranslation *const *t, size_t n,
                                            size_t departs[CANSIM_N_BANDS],
                                            double by_db[CANSIM_N_BANDS]);

/** The result of one output of cansim_render_file(). */
typedef struct CansimOutputResult {
    int status;       /**< CANSIM_OK or the failure's code */
    int64_t n_frames; /**< frames written */
    char path[4096];  /**< final path of the output */
    CansimDiag diag;  /**< the failure, when status != CANSIM_OK; else notice's reason */
    /* Levels (dB values are -inf for silence). */
    char format[16];    /**< "wav16" ... "aiff24", or the input's container for others */
    double input_lufs;  /**< the input's integrated loudness (BS.1770-4, as libebur128 measures it;
                           mono as dual mono) */
    double target_lufs; /**< the level aimed at; NaN with CANSIM_LEVEL_OFF */
    double loudness_lufs; /**< the output's integrated loudness */
    double peak_db;       /**< the output's true peak (dBTP), or sample peak (dBFS) when
                               !is_true_peak (float outputs without a ceiling) */
    double gain_db;       /**< gain applied on top of the profile's filter */
    double correction_db; /**< the part of gain_db set after measuring the output (0 if none) */
    bool is_measured;     /**< loudness measured on the output (through long filters, for
                               inputs near the gate, where the gating puts the prediction in
                               doubt, and integer and FLAC outputs of a render with neither a
                               level nor a ceiling); false: predicted from the input */
    bool is_true_peak;    /**< peak_db is a true peak (integer and FLAC outputs, and every
                               output when has_ceiling) */
    bool is_limited;      /**< the gain was lowered to hold the ceiling (this output's, or with
                               CANSIM_LEVEL_SCOPE_DRAWER the limiting output's) */
    bool is_limiting;     /**< CANSIM_LEVEL_SCOPE_DRAWER: this output's ceiling set the level of
                               every output of its input or gain group (loudness_lufs); the
                               input's loudness minus it is how much louder the original is */
    bool is_below_gate;   /**< the input is below -70 LUFS: rendered at the filter's own gain */
    bool is_dithered;     /**< 16-bit output with TPDF dither */
    bool is_skipped;      /**< left alone, as CansimFileOptions.skip asked (status is OK) */
    int notice;           /**< with status CANSIM_OK: CANSIM_OK when the output is as the
                               config asked, else a code for what it is not, diag saying why:
                               CANSIM_ELEVEL, its level is not the one asked (level matching or
                               a target, while it or the input is below the -70 LUFS gate before
                               gain, or the output is off its target for another reason than
                               the ceiling, which is_limited reports); the file is complete */
    CansimTranslation translation; /**< where this output changes the mix (translation) */
    uint64_t reserved[4];          /**< zero: room for later fields */
} CansimOutputResult;

/** Per-call options of cansim_render_file() and cansim_render_group(). */
typedef struct CansimFileOptions {
    const bool *skip;     /**< n_profiles flags: true leaves that profile's output alone (no
                               file is touched); NULL renders all */
    uint64_t seed;        /**< varies the 16-bit outputs' dither; the same input, seed and
                               options give the same bytes [default: 0] */
    uint64_t reserved[4]; /**< zero: room for later fields */
} CansimFileOptions;

/**
 * Renders one input file through every profile into output_dir/<input name>/<profile id>.<ext>,
 * streaming (memory does not grow with the input's length), with per-call options opt (NULL
 * for the defaults). Each output is written as "<path>.part" and renamed when complete; a
 * failed output leaves no file under its final name and does not stop the others. results has
 * one entry per profile (may be NULL).
 * @return CANSIM_OK when every output completed; otherwise the first failure's code. A failure
 *         of the input itself (unreadable, more than 2 channels, no frames, NaN or Inf samples,
 *         output directory not creatable) fails every output and is described in diag.
 */
CANSIM_API int cansim_render_file(CansimRender *r, const char *input_path, const char *output_dir,
                                  const CansimFileOptions *opt, CansimOutputResult *results,
                                  CansimDiag *diag);

/** What cansim_render_group() says of the group; the arrays are the caller's. */
typedef struct CansimGroupResult {
    double sum_lufs;         /**< integrated loudness of the members' sum (LUFS) */
    double *gain_db;         /**< n_profiles: the gain every member got, per profile */
    bool *is_limited;        /**< n_profiles, or NULL: the ceiling lowered that gain */
    int *member_status;      /**< n members: CANSIM_OK, or why that member failed as a whole */
    CansimDiag *member_diag; /**< n members: the failure's line */
    size_t n_rendered;       /**< members rendered; 0 with a failure: the group as a whole failed
                                  (diag) and nothing was written */
    const char *song_dir;    /**< set by the caller: where the song renders go, or NULL for none.
                                  Per profile, song_dir/<profile id>.<ext> is the song on that
                                  headphone: the members' outputs summed (equal to the render of
                                  the summed stems at the group's gain), written by the same pass,
                                  in the members' format, under the group's ceiling too */
    /** n_profiles, with song_dir: the song renders' results */
    CansimOutputResult *song;
    CansimTranslation *translation; /**< n_profiles, or NULL: the translation of the members'
                                         sum (the song's) at each profile's group gain, with
                                         has_translation (each member's own is in its results) */
} CansimGroupResult;

/**
 * Renders n inputs (the stems of one song) as one gain group: every member gets the same gain
 * per profile, so the rendered stems still sum to the render of their sum. The gain is planned
 * on the members' sum (loudness matched to the sum's, or the level target, predicted from the
 * sum's short-time spectra as for one input), and the ceiling holds over every member's
 * output (true peak for integer and FLAC outputs, sample peak at 0 dBFS for float ones): when
 * one member would exceed it, the whole group is lowered. Members must share a rate unless
 * the config converts (input.rate_hz). inputs[i] renders into output_dirs[i]/<its name>/ with
 * opts[i] (may be NULL; the skip mask of opts[0] is the group's); results[i] has n_profiles
 * entries. A member that cannot be read leaves the group (its results and member_status say
 * why) and the others render on the sum without it. With g->song_dir set, the same pass also
 * writes the song renders (their stems' outputs summed, per profile; results in g->song).
 * @return CANSIM_OK when every member's outputs completed; else the first failure's code
 *         (CANSIM_ERATE with diag for members at different rates: nothing rendered)
 */
CANSIM_API int cansim_render_group(CansimRender *r, const char *const *inputs,
                                   const char *const *output_dirs, size_t n,
                                   const CansimFileOptions *opts,
                                   CansimOutputResult *const *results, CansimGroupResult *g,
                                   CansimDiag *diag);

/**
 * Renders an interleaved buffer in memory: in has n_frames frames of n_channels (1 or 2) at
 * rate_hz; outs[i] receives n_out_frames interleaved stereo frames for profile i (frames past
 * the input, and the tail, are the filter's response to the zero-extended input).
 * @return CANSIM_OK, CANSIM_EINVAL, CANSIM_EDATA, CANSIM_ERATE, CANSIM_ENOMEM
 */
CANSIM_API int cansim_render_buffer(CansimRender *r, const float *in, int n_channels,
                                    int64_t n_frames, double rate_hz, float *const *outs,
                                    int64_t n_out_frames, CansimDiag *diag);

/** Reads up to n interleaved frames into frames; returns the frames read (fewer than n only at
 * the end), or a negative CANSIM_E* code with diag set. Called on the calling thread. */
typedef int64_t CansimReadFn(void *user, float *frames, size_t n, CansimDiag *diag);

/** Receives the next n interleaved stereo frames of profile j's output. Called from the
 * engine's worker threads: never twice at once for one j, possibly at once for different j.
 * A nonzero return (a CANSIM_E* code, diag set) fails that profile's output alone. */
typedef int CansimWriteFn(void *user, size_t j, const float *frames, size_t n, CansimDiag *diag);

/** A stream through cansim_render_stream(). */
typedef struct CansimStreamIO {
    CansimReadFn *read; /**< the input, n_channels interleaved */
    void *read_user;
    int n_channels;       /**< 1 or 2 */
    double rate_hz;       /**< the input's rate: the filters are made for it */
    int64_t n_in_frames;  /**< the input's length for the progress callback, -1 if unknown */
    int64_t n_out_frames; /**< frames per output; < 0 for the input's length, plus the tail
                               when engine.has_tail */
    CansimWriteFn *write; /**< NULL renders and discards (what the benchmarks time) */
    void *write_user;
    uint64_t reserved[4]; /**< zero: room for later fields */
} CansimStreamIO;

/**
 * Renders a stream through every profile at the filters' own gain (no level, no conversion,
 * no files): io->read is called until it returns fewer frames than asked, every sample is
 * checked (NaN or Inf fails with CANSIM_EDATA), and each profile's output goes to io->write as
 * it is made. Memory does not grow with the stream's length.
 * @return CANSIM_OK, or the first failure: the source's, a sink's for one profile (diag says
 *         which), CANSIM_EINVAL, CANSIM_ERATE, CANSIM_EDATA, CANSIM_ENOMEM, CANSIM_ECANCELED
 */
CANSIM_API int cansim_render_stream(CansimRender *r, const CansimStreamIO *io, CansimDiag *diag);

/** Frees *r (NULL allowed) and sets *r to NULL. */
CANSIM_API void cansim_render_close(CansimRender **r);

#ifdef __cplusplus
}
#endif

#endif
