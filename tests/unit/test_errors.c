/* SPDX-License-Identifier: MIT */
/* Walks every error code and the name tables of the public API (libsamplerate's error_test). */
#include <cansim/cansim.h>

#include <ctype.h>

#include "unit.h"

static void test_strerror(void)
{
    const char *msgs[-CANSIM_ERROR_MIN];
    int n = 0;
    for (int code = 0; code > CANSIM_ERROR_MIN; code--) {
        const char *m = cansim_strerror(code);
        CHECK(m != NULL, "cansim_strerror(%d) is NULL", code);
        if (!m)
            continue;
        const size_t len = strlen(m);
        CHECK(len > 0, "cansim_strerror(%d) is empty", code);
        if (!len)
            continue;
        CHECK(!isupper((unsigned char)m[0]), "cansim_strerror(%d) = \"%s\" starts upper case", code,
              m);
        CHECK(m[len - 1] != '.', "cansim_strerror(%d) = \"%s\" ends with a period", code, m);
        CHECK(!isspace((unsigned char)m[len - 1]) && !isspace((unsigned char)m[0]),
              "cansim_strerror(%d) = \"%s\" has surrounding space", code, m);
        CHECK(strchr(m, '\n') == NULL, "cansim_strerror(%d) = \"%s\" has a newline", code, m);
        CHECK(strcmp(m, "unknown error") != 0, "known code %d reads \"unknown error\"", code);
        for (int i = 0; i < n; i++)
            CHECK(strcmp(msgs[i], m) != 0, "codes %d and %d share the message \"%s\"", -i, code, m);
        msgs[n++] = m;
    }
    /* The named codes are all inside the walked range. */
    const int named[] = {CANSIM_OK,        CANSIM_ENOMEM,    CANSIM_EINVAL, CANSIM_EIO,
                         CANSIM_EFORMAT,   CANSIM_EPROFILE,  CANSIM_ERATE,  CANSIM_EDATA,
                         CANSIM_EINTERNAL, CANSIM_ECANCELED, CANSIM_ELEVEL};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        CHECK(named[i] <= 0 && named[i] > CANSIM_ERROR_MIN, "code %d outside the known range",
              named[i]);

    const int unknown[] = {1,     2,    CANSIM_ERROR_MIN, CANSIM_ERROR_MIN - 1,
                           -1000, 1000, INT32_MIN,        INT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *m = cansim_strerror(unknown[i]);
        CHECK(m != NULL && strcmp(m, "unknown error") == 0,
              "cansim_strerror(%d) = \"%s\", want \"unknown error\"", unknown[i], m ? m : "(null)");
    }
}

static void test_version(void)
{
    const char *v = cansim_version();
    CHECK(v != NULL, "cansim_version() is NULL");
    if (!v)
        return;
    unsigned a = 0;
    unsigned b = 0;
    unsigned c = 0;
    int end = 0;
    const int n = sscanf(v, "%u.%u.%u%n", &a, &b, &c, &end);
    CHECK(n == 3 && v[end] == '\0', "cansim_version() = \"%s\" is not MAJOR.MINOR.PATCH", v);
}

static void test_formats(void)
{
    static const struct {
        CansimFormat f;
        const char *name;
    } table[] = {
        {CANSIM_FORMAT_SAME, "same"},     {CANSIM_FORMAT_WAV16, "wav16"},
        {CANSIM_FORMAT_WAV24, "wav24"},   {CANSIM_FORMAT_WAV32F, "wav32f"},
        {CANSIM_FORMAT_FLAC16, "flac16"}, {CANSIM_FORMAT_FLAC24, "flac24"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const char *name = cansim_format_name(table[i].f);
        CHECK(name != NULL && strcmp(name, table[i].name) == 0,
              "cansim_format_name(%d) = \"%s\", want \"%s\" (the CLI's --format names)",
              (int)table[i].f, name ? name : "(null)", table[i].name);
        CansimFormat back = (CansimFormat)-1;
        int rc = cansim_format_from_name(table[i].name, &back);
        CHECK(rc == CANSIM_OK && back == table[i].f,
              "cansim_format_from_name(\"%s\") = %d, format %d; want 0, %d", table[i].name, rc,
              (int)back, (int)table[i].f);
        if (name) {
            back = (CansimFormat)-1;
            rc = cansim_format_from_name(name, &back);
            CHECK(rc == CANSIM_OK && back == table[i].f, "round trip of \"%s\" gives %d, %d", name,
                  rc, (int)back);
        }
    }
    static const char *const junk[] = {"",       "wav",  "flac",  "wav8",   "wav32",
                                       "flac32", "mp3",  "same ", " wav16", "wav16x",
                                       "wav1",   "junk", "auto"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        CansimFormat f = CANSIM_FORMAT_SAME;
        const int rc = cansim_format_from_name(junk[i], &f);
        CHECK(rc == CANSIM_EINVAL, "cansim_format_from_name(\"%s\") = %d, want CANSIM_EINVAL",
              junk[i], rc);
    }
}

static void test_cpu(void)
{
    const unsigned flags = cansim_cpu_flags();
    CHECK(!(flags & CANSIM_CPU_AVX512) || (flags & CANSIM_CPU_AVX2),
          "cansim_cpu_flags() = %#x: AVX512 without AVX2 (levels are cumulative)", flags);

    unsigned mask = 0xdeadu;
    int rc = cansim_cpu_mask_from_name("c", &mask);
    CHECK(rc == CANSIM_OK && mask == 0, "\"c\" gives %d, mask %#x; want 0, 0", rc, mask);

    mask = 0;
    rc = cansim_cpu_mask_from_name("avx2", &mask);
    CHECK(rc == CANSIM_OK && (mask & CANSIM_CPU_AVX2) && !(mask & CANSIM_CPU_AVX512),
          "\"avx2\" gives %d, mask %#x", rc, mask);

    mask = 0;
    rc = cansim_cpu_mask_from_name("avx512", &mask);
    CHECK(rc == CANSIM_OK && (mask & CANSIM_CPU_AVX2) && (mask & CANSIM_CPU_AVX512),
          "\"avx512\" gives %d, mask %#x (AVX-512 implies AVX2)", rc, mask);

    mask = 0;
    rc = cansim_cpu_mask_from_name("auto", &mask);
    CHECK(rc == CANSIM_OK && (mask & flags) == flags,
          "\"auto\" gives %d, mask %#x, which caps the host's flags %#x", rc, mask, flags);

    mask = 0;
    rc = cansim_cpu_mask_from_name("neon", &mask);
    CHECK(rc == CANSIM_OK && (mask & CANSIM_CPU_NEON), "\"neon\" gives %d, mask %#x", rc, mask);

    static const char *const junk[] = {"",        "C",     "avx",       "avx3",        "sse2",
                                       "avx512f", "auto ", "x86-64-v3", "avx2,avx512", "junk"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        mask = 0;
        rc = cansim_cpu_mask_from_name(junk[i], &mask);
        CHECK(rc == CANSIM_EINVAL, "cansim_cpu_mask_from_name(\"%s\") = %d, want CANSIM_EINVAL",
              junk[i], rc);
    }

    static const struct {
        unsigned flags;
        const char *name;
    } names[] = {
        {0, "c"},
        {CANSIM_CPU_AVX2, "avx2"},
        {CANSIM_CPU_AVX2 | CANSIM_CPU_AVX512, "avx512"},
        {CANSIM_CPU_NEON, "neon"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *n = cansim_cpu_name(names[i].flags);
        CHECK(n != NULL && strcmp(n, names[i].name) == 0,
              "cansim_cpu_name(%#x) = \"%s\", want "
              "\"%s\"",
              names[i].flags, n ? n : "(null)", names[i].name);
    }
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 1);
    test_strerror();
    test_version();
    test_formats();
    test_cpu();
    return unit_finish("test_errors");
}
