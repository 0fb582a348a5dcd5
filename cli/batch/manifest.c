/* SPDX-License-Identifier: MIT */
/* What each output was made from: the input's identity and content hash, the run's options,
 * the profile's digest; read back to decide what is up to date, written after a render. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "batch.h"

int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static int64_t ctime_ns(const struct stat *st)
{
    return (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

void hex128_of(XXH128_hash_t v, char hex[33])
{
    snprintf(hex, 33, "%016llx%016llx", (unsigned long long)v.high64, (unsigned long long)v.low64);
}

int hash_file(const char *path, char hex[33])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    XXH3_state_t *h = XXH3_createState();
    char *buf = malloc(1 << 20);
    int rc = -1;
    if (h && buf) {
        XXH3_128bits_reset(h);
        size_t k;
        while ((k = fread(buf, 1, 1 << 20, f)) > 0)
            XXH3_128bits_update(h, buf, k);
        if (!ferror(f)) {
            hex128_of(XXH3_128bits_digest(h), hex);
            rc = 0;
        }
    }
    free(buf);
    XXH3_freeState(h);
    fclose(f);
    return rc;
}

/* The output options every render of this run shares: a change re-renders everything. */
void options_digest(Batch *b)
{
    const Options *o = b->o;
    char text[1024];
    snprintf(text, sizeof text,
             "format=%s level=%d lufs=%.17g ceiling=%d/%.17g tail=%d rate=%.17g resampler=%s "
             "partition=%zu flac=%d%s",
             cansim_format_name(o->format), (int)o->level_mode, o->level_lufs, o->has_ceiling,
             o->ceiling_dbtp, o->has_tail, o->out_rate_hz, cansim_resampler_name(o->resampler),
             o->partition_frames, o->flac_level,
             o->level_scope == CANSIM_LEVEL_SCOPE_PROFILE ? " scope=profile" : "");
    hex128_of(XXH3_128bits(text, strlen(text)), b->options_digest);
}

const char *str_of(const json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

int64_t int_of(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

/* Whether the input's identity (inode, size, mtime, ctime) is the one the manifest's input
 * record in holds: when it is not, its content decides. */
bool identity_matches(const json_t *in, const struct stat *st)
{
    return int_of(in, "size") == (int64_t)st->st_size && int_of(in, "mtime_ns") == mtime_ns(st) &&
           int_of(in, "ctime_ns") == ctime_ns(st) && int_of(in, "ino") == (int64_t)st->st_ino &&
           str_of(in, "xxh3_128")[0];
}

/* The input's identity as the manifest records it. */
static json_t *identity_record(const Job *j, const struct stat *st)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "path", j->path, "abs", j->abs, "size",
                     (json_int_t)st->st_size, "mtime_ns", (json_int_t)mtime_ns(st), "ctime_ns",
                     (json_int_t)ctime_ns(st), "ino", (json_int_t)st->st_ino, "xxh3_128", j->hash);
}

/* An input kept whose identity moved (touched, copied back) with its content unchanged: the
 * manifest records the new identity, so the next run need not hash it again. Under the lock. */
void record_identity(Batch *b, Job *j)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    out_folder(b, j, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/" MANIFEST_NAME, dir);
    json_t *in = identity_record(j, &j->st);
    if (in && !json_object_set_new(j->manifest, "input", in) &&
        !write_json_atomic(path, j->manifest))
        j->has_man = !stat(path, &j->man_st);
}

json_t *manifest_record(const char *file, const char *digest, const json_t *report_entry)
{
    struct stat st;
    if (stat(file, &st))
        return NULL;
    const char *base = strrchr(file, '/');
    return json_pack("{s:s, s:I, s:I, s:s, s:O}", "file", base ? base + 1 : file, "size",
                     (json_int_t)st.st_size, "mtime_ns", (json_int_t)mtime_ns(&st),
                     "profile_digest", digest, "report", report_entry);
}

json_t *member_manifest(const Batch *b, const Job *j, const struct stat *st,
                        const CansimOutputResult *res, const json_t *old_man, json_t *outs)
{
    const json_t *old_outs = json_object_get(old_man, "outputs");
    json_t *man =
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:{}}", "cansim", cansim_version(), "options",
                  b->options_digest, "gain_group", j->group_digest, "gain_grouping", j->grouping,
                  "input", identity_record(j, st), "outputs");
    json_t *man_outs = json_object_get(man, "outputs");
    /* Outputs of profiles outside this run's selection stay recorded while what they
     * were made from is unchanged, so a later run with them selected again keeps them. */
    const json_t *old_in = json_object_get(old_man, "input");
    if (!strcmp(str_of(old_man, "cansim"), cansim_version()) &&
        !strcmp(str_of(old_man, "options"), b->options_digest) &&
        !strcmp(str_of(old_man, "gain_group"), j->group_digest) &&
        !strcmp(str_of(old_in, "xxh3_128"), j->hash)) {
        const char *id;
        json_t *rec;
        json_object_foreach((json_t *)old_outs, id, rec) json_object_set(man_outs, id, rec);
    }
    for (size_t k = 0; k < b->n_profiles; k++) {
        const char *id = cansim_profile_id(b->profiles[k]);
        if (res[k].is_skipped) {
            /* Up to date: its record and report entry stay. */
            json_t *rec = json_object_get(old_outs, id);
            json_object_set(man_outs, id, rec);
            const json_t *entry = json_object_get(rec, "report");
            if (entry)
                json_array_set(outs, k, (json_t *)entry);
            continue;
        }
        if (res[k].status)
            continue;
        json_t *rec = manifest_record(res[k].path, b->digests[k], json_array_get(outs, k));
        if (rec)
            json_object_set_new(man_outs, id, rec);
    }
    return man;
}

void settle_pending(const Batch *b, const Job *j)
{
    char dir[PATH_MAX];
    out_folder(b, j, dir, sizeof dir);
    pending_settle(dir, j->has_man);
}
