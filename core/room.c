/* SPDX-License-Identifier: MIT */
/* A model of a room around a speaker pair, honest about being one: a shoebox with the same
 * frequency-independent absorption on every wall, whose image sources (Allen & Berkley 1979)
 * up to second order each arrive through the head-related response of their direction, then a
 * diffuse tail that decays exponentially at the room's RT60 with the energy Sabine's theory
 * gives the reverberant field. No room modes, no furniture, no air absorption, no speaker
 * directivity, no scattering: it adds the cues of a room (early reflections from the right
 * directions, a reverberant level and decay), not a particular room. */
#include <math.h>
#include <string.h>

#include "fftconv.h"
#include "room.h"

#define PI       3.14159265358979323846
#define FADE_S   0.010 /* the tail's fade-in */
#define SABINE   0.161 /* s/m: RT60 = 0.161 V / (S alpha) */
#define CRITICAL 0.057 /* m: critical distance = 0.057 sqrt(V / RT60), omnidirectional source */

static void room_size(const CansimRoomSpec *r, double *lx, double *ly, double *lz)
{
    *lx = r->walls_m[0] + r->walls_m[1];
    *ly = r->walls_m[2] + r->walls_m[3];
    *lz = r->walls_m[4] + r->walls_m[5];
}

double cansim_room_absorption(const CansimRoomSpec *r)
{
    double lx, ly, lz;
    room_size(r, &lx, &ly, &lz);
    const double v = lx * ly * lz, s = 2 * (lx * ly + lx * lz + ly * lz);
    return fmin(1.0, fmax(0.01, SABINE * v / (s * r->rt60_s)));
}

double cansim_room_reverberant_energy(const CansimRoomSpec *r)
{
    double lx, ly, lz;
    room_size(r, &lx, &ly, &lz);
    const double dc = CRITICAL * sqrt(lx * ly * lz / r->rt60_s);
    return (r->distance_m / dc) * (r->distance_m / dc);
}

/* Images of coordinate x in the interval [a, b] with at most 2 reflections: x itself, its
 * mirror in each wall (1), and x shifted by a round trip either way (2). */
static size_t axis_images(double x, double a, double b, double *pos, int *order)
{
    const double len = b - a;
    pos[0] = x, order[0] = 0;
    pos[1] = 2 * b - x, order[1] = 1;
    pos[2] = 2 * a - x, order[2] = 1;
    pos[3] = x + 2 * len, order[3] = 2;
    pos[4] = x - 2 * len, order[4] = 2;
    return 5;
}

size_t cansim_room_images(const CansimRoomSpec *r, double azimuth_deg, double elevation_deg,
                          CansimImage *out)
{
    const double az = azimuth_deg * PI / 180, el = elevation_deg * PI / 180;
    const double s[3] = {r->distance_m * cos(el) * cos(az), r->distance_m * cos(el) * sin(az),
                         r->distance_m * sin(el)};
    const double lo[3] = {-r->walls_m[1], -r->walls_m[3], -r->walls_m[5]};
    const double hi[3] = {r->walls_m[0], r->walls_m[2], r->walls_m[4]};
    for (int a = 0; a < 3; a++)
        if (!(s[a] > lo[a] && s[a] < hi[a]))
            return 0;
    double pos[3][5];
    int ord[3][5];
    for (int a = 0; a < 3; a++)
        axis_images(s[a], lo[a], hi[a], pos[a], ord[a]);
    const double refl = sqrt(1.0 - cansim_room_absorption(r));
    size_t n = 0;
    /* By order, so the direct sound comes first. */
    for (int want = 0; want <= 2; want++)
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                for (int k = 0; k < 5; k++) {
                    if (ord[0][i] + ord[1][j] + ord[2][k] != want)
                        continue;
                    const double x = pos[0][i], y = pos[1][j], z = pos[2][k];
                    const double d = sqrt(x * x + y * y + z * z);
                    out[n] = (CansimImage){
                        .azimuth_deg = atan2(y, x) * 180 / PI,
                        .elevation_deg = atan2(z, sqrt(x * x + y * y)) * 180 / PI,
                        .delay_s = (d - r->distance_m) / CANSIM_SPEED_OF_SOUND,
                        .gain = r->distance_m / d * pow(refl, want),
                        .order = want,
                    };
                    n++;
                }
    return n;
}

/* splitmix64, then a sum of four uniforms: near-Gaussian noise of unit variance. */
static double noise(uint64_t *state)
{
    double sum = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t z = (*state += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        z ^= z >> 31;
        sum += (double)(z >> 11) * 0x1.0p-53 - 0.5;
    }
    return sum * sqrt(3.0); /* each uniform has variance 1/12 */
}

int cansim_room_add_tail(const CansimRoomSpec *r, double rate_hz, double start_s,
                         double early_energy, const float *shape, size_t n_shape,
                         float *const cells[4], size_t n_taps)
{
    const size_t i0 = (size_t)ceil(start_s * rate_hz);
    const size_t n_tail = (size_t)ceil(r->rt60_s * rate_hz);
    if (i0 + n_tail > n_taps)
        return CANSIM_EINVAL;
    const double tail_energy = fmax(0.0, cansim_room_reverberant_energy(r) - early_energy);
    float *env = cansim_alloc_floats(n_tail);
    float *tail = cansim_alloc_floats(n_tail + n_shape - 1);
    int e = env && tail ? CANSIM_OK : CANSIM_ENOMEM;
    double sum = 0;
    for (size_t i = 0; !e && i < n_tail; i++) {
        const double t = (double)i / rate_hz;
        const double fade = t < FADE_S ? 0.5 - 0.5 * cos(PI * t / FADE_S) : 1.0;
        const double v = fade * pow(10.0, -3.0 * t / r->rt60_s);
        env[i] = (float)v;
        sum += v * v;
    }
    /* shape is the diffuse-field response the equalisation undoes: unit energy after it. */
    const double amp = sum > 0 ? sqrt(tail_energy / sum) : 0.0;
    for (int c = 0; c < 4 && !e; c++) {
        uint64_t state = 0x63616e73696d00u + (uint64_t)c; /* one fixed sequence per cell */
        for (size_t i = 0; i < n_tail; i++)
            env[i] = (float)((double)env[i] * amp * noise(&state));
        e = cansim_fft_convolve(env, n_tail, shape, n_shape, tail);
        for (size_t i = 0; !e && i < n_tail && i0 + i < n_taps; i++)
            cells[c][i0 + i] += tail[i];
        /* The envelope again for the next cell. */
        for (size_t i = 0; i < n_tail; i++) {
            const double t = (double)i / rate_hz;
            const double fade = t < FADE_S ? 0.5 - 0.5 * cos(PI * t / FADE_S) : 1.0;
            env[i] = (float)(fade * pow(10.0, -3.0 * t / r->rt60_s));
        }
    }
    cansim_free(env);
    cansim_free(tail);
    return e;
}
