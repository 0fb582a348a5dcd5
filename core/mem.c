/* SPDX-License-Identifier: MIT */
/* Aligned allocation, overflow-checked sizes, small path helpers. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kernels.h"

bool cansim_mul_size(size_t a, size_t b, size_t *out)
{
    if (b && a > SIZE_MAX / b)
        return false;
    *out = a * b;
    return true;
}

void *cansim_alloc(size_t n_bytes)
{
    const size_t n = cansim_round_up(n_bytes ? n_bytes : 1, CANSIM_ALIGN);
    if (n < n_bytes)
        return NULL;
    void *p = aligned_alloc(CANSIM_ALIGN, n);
    if (p)
        memset(p, 0, n);
    return p;
}

void cansim_free(void *p)
{
    free(p);
}

float *cansim_alloc_floats(size_t n)
{
    size_t bytes;
    if (!cansim_mul_size(n, sizeof(float), &bytes))
        return NULL;
    return cansim_alloc(bytes);
}

void cansim_path_stem(const char *path, char *out, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        len = (size_t)(dot - base);
    if (n == 0)
        return;
    if (len >= n)
        len = n - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

bool cansim_reserved_is_zero(const uint64_t *reserved, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (reserved[i])
            return false;
    return true;
}
