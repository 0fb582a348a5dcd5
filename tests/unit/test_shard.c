/* SPDX-License-Identifier: MIT */
/* --shard (cli/shard.c): its values, every scheduler's variables mapped to a shard (0- and
 * 1-based indices, SLURM's MIN offsets, missing counts, sparse and stepped arrays refused),
 * and the split of a batch's units (every shard some, none twice, stable). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "shard.h"
#include "unit.h"

static void test_parse(void)
{
    static const struct {
        const char *arg;
        int rc, i, n;
        bool is_auto;
    } cases[] = {
        {"1/1", 0, 1, 1, false},
        {"3/8", 0, 3, 8, false},
        {"100000/100000", 0, 100000, 100000, false},
        {"auto", 0, 0, 0, true},
        {"auto/4", 0, 0, 4, true},
        {"0/3", -1, 0, 0, false},
        {"4/3", -1, 0, 0, false},
        {"3", -1, 0, 0, false},
        {"1/0", -1, 0, 0, false},
        {"/3", -1, 0, 0, false},
        {"1/", -1, 0, 0, false},
        {"a/b", -1, 0, 0, false},
        {"1/3x", -1, 0, 0, false},
        {"-1/3", -1, 0, 0, false},
        {"1/-3", -1, 0, 0, false},
        {"+1/3", -1, 0, 0, false},
        {" 1/3", -1, 0, 0, false},
        {"1//3", -1, 0, 0, false},
        {"1/3/3", -1, 0, 0, false},
        {"1/100001", -1, 0, 0, false},
        {"auto/", -1, 0, 0, false},
        {"auto/0", -1, 0, 0, false},
        {"auto/x", -1, 0, 0, false},
        {"autox", -1, 0, 0, false},
        {"auto/2/3", -1, 0, 0, false},
        {"", -1, 0, 0, false},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        int i = -7, n = -7;
        bool is_auto = false;
        const int rc = shard_parse(cases[k].arg, &i, &n, &is_auto);
        CHECK(rc == cases[k].rc, "--shard '%s': rc %d, want %d", cases[k].arg, rc, cases[k].rc);
        if (!rc && !cases[k].rc)
            CHECK(i == cases[k].i && n == cases[k].n && is_auto == cases[k].is_auto,
                  "--shard '%s': %d/%d auto %d, want %d/%d auto %d", cases[k].arg, i, n, is_auto,
                  cases[k].i, cases[k].n, cases[k].is_auto);
    }
}

/* One environment and what --shard auto (n_given: auto/N) makes of it: shard i of n from
 * scheduler, or a refusal whose message contains word. */
typedef struct EnvCase {
    const char *what;
    const char *env[8];
    int n_given;
    int i, n; /* 0/0: refused */
    const char *scheduler_or_word;
} EnvCase;

static void test_env(void)
{
    static const EnvCase cases[] = {
        /* SLURM: dense arrays from any first index. */
        {"SLURM --array=1-3, task 1",
         {"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=3",
          "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_STEP=1"},
         0,
         1,
         3,
         "SLURM"},
        {"SLURM --array=1-3, task 3",
         {"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=3",
          "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_STEP=1"},
         0,
         3,
         3,
         "SLURM"},
        {"SLURM --array=0-7 (0-based), task 0",
         {"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=7",
          "SLURM_ARRAY_TASK_COUNT=8"},
         0,
         1,
         8,
         "SLURM"},
        {"SLURM --array=0-7, task 7",
         {"SLURM_ARRAY_TASK_ID=7", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=7",
          "SLURM_ARRAY_TASK_COUNT=8"},
         0,
         8,
         8,
         "SLURM"},
        {"SLURM --array=100-104 (MIN offset), task 102",
         {"SLURM_ARRAY_TASK_ID=102", "SLURM_ARRAY_TASK_MIN=100", "SLURM_ARRAY_TASK_MAX=104",
          "SLURM_ARRAY_TASK_COUNT=5", "SLURM_ARRAY_TASK_STEP=1"},
         0,
         3,
         5,
         "SLURM"},
        {"SLURM, auto/N agreeing with the count",
         {"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=4",
          "SLURM_ARRAY_TASK_COUNT=4"},
         4,
         2,
         4,
         "SLURM"},
        {"SLURM without a count (before 18.08), auto/N given",
         {"SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_MIN=5", "SLURM_ARRAY_TASK_MAX=6"},
         2,
         1,
         2,
         "SLURM"},
        {"SLURM without a count, no auto/N",
         {"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=3"},
         0,
         0,
         0,
         "SLURM_ARRAY_TASK_COUNT"},
        {"SLURM without a count, auto/N spanning less than MIN..MAX (sparse)",
         {"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=5"},
         3,
         0,
         0,
         "sparse"},
        {"SLURM sparse --array=2,5,7",
         {"SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_MIN=2", "SLURM_ARRAY_TASK_MAX=7",
          "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_STEP=1"},
         0,
         0,
         0,
         "sparse"},
        {"SLURM stepped --array=0-6:3",
         {"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=6",
          "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_STEP=3"},
         0,
         0,
         0,
         "step"},
        {"SLURM, auto/N disagreeing with the count",
         {"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=3",
          "SLURM_ARRAY_TASK_COUNT=3"},
         4,
         0,
         0,
         "3 tasks"},
        {"SLURM, the task outside MIN..MAX",
         {"SLURM_ARRAY_TASK_ID=9", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=3",
          "SLURM_ARRAY_TASK_COUNT=3"},
         0,
         0,
         0,
         "outside"},
        {"SLURM, MIN missing",
         {"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MAX=3", "SLURM_ARRAY_TASK_COUNT=3"},
         0,
         0,
         0,
         "SLURM_ARRAY_TASK_MIN"},
        {"SLURM, a bad ID",
         {"SLURM_ARRAY_TASK_ID=x1", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=3",
          "SLURM_ARRAY_TASK_COUNT=3"},
         0,
         0,
         0,
         "'x1'"},
        {"SLURM, an empty ID",
         {"SLURM_ARRAY_TASK_ID=", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=3",
          "SLURM_ARRAY_TASK_COUNT=3"},
         0,
         0,
         0,
         "SLURM_ARRAY_TASK_ID"},
        {"SLURM, a negative MIN",
         {"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=-1", "SLURM_ARRAY_TASK_MAX=3",
          "SLURM_ARRAY_TASK_COUNT=5"},
         0,
         0,
         0,
         "SLURM_ARRAY_TASK_MIN"},
        /* A job, not an array: SLURM_JOB_ID alone is no shard. */
        {"a SLURM job that is no array",
         {"SLURM_JOB_ID=77", "SLURM_CPUS_PER_TASK=4"},
         0,
         0,
         0,
         "not in a job array"},
        /* Kubernetes Indexed Job: 0-based, the count from auto/N. */
        {"Kubernetes index 0 of 4", {"JOB_COMPLETION_INDEX=0"}, 4, 1, 4, "Kubernetes"},
        {"Kubernetes index 3 of 4", {"JOB_COMPLETION_INDEX=3"}, 4, 4, 4, "Kubernetes"},
        {"Kubernetes without auto/N", {"JOB_COMPLETION_INDEX=0"}, 0, 0, 0, "auto/N"},
        {"Kubernetes index 4 of 4", {"JOB_COMPLETION_INDEX=4"}, 4, 0, 0, "past the count"},
        {"Kubernetes, a bad index", {"JOB_COMPLETION_INDEX=-1"}, 4, 0, 0, "'-1'"},
        /* AWS Batch: 0-based, the size in the environment. */
        {"AWS Batch index 0 of 10",
         {"AWS_BATCH_JOB_ARRAY_INDEX=0", "AWS_BATCH_JOB_ARRAY_SIZE=10"},
         0,
         1,
         10,
         "AWS Batch"},
        {"AWS Batch index 9 of 10",
         {"AWS_BATCH_JOB_ARRAY_INDEX=9", "AWS_BATCH_JOB_ARRAY_SIZE=10"},
         0,
         10,
         10,
         "AWS Batch"},
        {"AWS Batch without a size, auto/N given",
         {"AWS_BATCH_JOB_ARRAY_INDEX=2"},
         5,
         3,
         5,
         "AWS Batch"},
        {"AWS Batch without a size", {"AWS_BATCH_JOB_ARRAY_INDEX=2"}, 0, 0, 0, "auto/N"},
        {"AWS Batch index 10 of 10",
         {"AWS_BATCH_JOB_ARRAY_INDEX=10", "AWS_BATCH_JOB_ARRAY_SIZE=10"},
         0,
         0,
         0,
         "past the count"},
        {"AWS Batch, auto/N disagreeing",
         {"AWS_BATCH_JOB_ARRAY_INDEX=1", "AWS_BATCH_JOB_ARRAY_SIZE=10"},
         8,
         0,
         0,
         "10 tasks"},
        /* GitLab parallel jobs: 1-based. */
        {"GitLab node 1 of 3", {"CI_NODE_INDEX=1", "CI_NODE_TOTAL=3"}, 0, 1, 3, "GitLab CI"},
        {"GitLab node 3 of 3", {"CI_NODE_INDEX=3", "CI_NODE_TOTAL=3"}, 0, 3, 3, "GitLab CI"},
        {"GitLab node 0", {"CI_NODE_INDEX=0", "CI_NODE_TOTAL=3"}, 0, 0, 0, "CI_NODE_INDEX"},
        {"GitLab without a total", {"CI_NODE_INDEX=2"}, 0, 0, 0, "auto/N"},
        /* An array task submitted from a CI job carries both: the innermost, SLURM, wins. */
        {"SLURM inside GitLab",
         {"CI_NODE_INDEX=1", "CI_NODE_TOTAL=2", "SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=1",
          "SLURM_ARRAY_TASK_MAX=4", "SLURM_ARRAY_TASK_COUNT=4"},
         0,
         4,
         4,
         "SLURM"},
        /* None. */
        {"no scheduler", {"HOME=/root", "PATH=/usr/bin"}, 0, 0, 0, "not in a job array"},
        {"no scheduler, auto/N", {"HOME=/root"}, 3, 0, 0, "not in a job array"},
        {"an empty environment", {NULL}, 0, 0, 0, "not in a job array"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const EnvCase *c = &cases[k];
        char *env[9] = {0};
        for (int v = 0; v < 8 && c->env[v]; v++)
            env[v] = (char *)c->env[v];
        int i = -7, n = -7;
        const char *scheduler = "unset";
        char msg[512] = "";
        const int rc = shard_from_env(env, c->n_given, &i, &n, &scheduler, msg, sizeof msg);
        if (c->n) {
            CHECK(rc == 0 && i == c->i && n == c->n && !strcmp(scheduler, c->scheduler_or_word),
                  "%s: rc %d, shard %d/%d from %s (%s), want %d/%d from %s", c->what, rc, i, n,
                  scheduler ? scheduler : "none", msg, c->i, c->n, c->scheduler_or_word);
        } else {
            CHECK(rc == -1 && strstr(msg, c->scheduler_or_word) && !strchr(msg, '\n') &&
                      !strncmp(msg, "--shard auto", 12),
                  "%s: rc %d, message '%s', want a refusal with '%s'", c->what, rc, msg,
                  c->scheduler_or_word);
        }
    }
}

/* 30 mixes of one flat folder (each its own unit) over 4 shards: every shard some, within one
 * of the others, the union all, none twice, and the same split whatever the order the keys
 * come in. A gain group's members (one key) stay in one shard. */
static void test_assign(void)
{
    enum { N = 30, S = 4 };
    char names[N][16];
    const char *keys[N], *reversed[N];
    int shard[N], shard_rev[N];
    for (int k = 0; k < N; k++) {
        snprintf(names[k], sizeof names[k], "mix%02d", k + 1);
        keys[k] = names[k];
        reversed[N - 1 - k] = names[k];
    }
    CHECK(!shard_assign(keys, N, S, shard), "shard_assign failed");
    CHECK(!shard_assign(reversed, N, S, shard_rev), "shard_assign failed");
    int count[S + 1] = {0};
    for (int k = 0; k < N; k++) {
        CHECK(shard[k] >= 1 && shard[k] <= S, "%s: shard %d of %d", keys[k], shard[k], S);
        if (shard[k] >= 1 && shard[k] <= S)
            count[shard[k]]++;
        CHECK(shard[k] == shard_rev[N - 1 - k], "%s: shard %d, in reverse order %d", keys[k],
              shard[k], shard_rev[N - 1 - k]);
    }
    int total = 0;
    for (int s = 1; s <= S; s++) {
        CHECK(count[s] >= N / S && count[s] <= N / S + 1, "shard %d has %d of %d mixes", s,
              count[s], N);
        total += count[s];
    }
    CHECK(total == N, "the shards hold %d of %d mixes", total, N);

    /* Stems of two songs (two keys, repeated) and a mix: three units over 2 shards. */
    const char *stems[] = {"song1", "song1", "song1", "song2", "song2", "single"};
    int sh[6];
    CHECK(!shard_assign(stems, 6, 2, sh), "shard_assign failed");
    CHECK(sh[0] == sh[1] && sh[1] == sh[2] && sh[3] == sh[4],
          "a group's stems split: %d %d %d / %d %d", sh[0], sh[1], sh[2], sh[3], sh[4]);
    /* More shards than units: each unit its own shard, the rest empty. */
    int one[3];
    const char *three[] = {"a", "b", "c"};
    CHECK(!shard_assign(three, 3, 8, one), "shard_assign failed");
    CHECK(one[0] != one[1] && one[1] != one[2] && one[0] != one[2],
          "3 units over 8 shards share one: %d %d %d", one[0], one[1], one[2]);
    /* One shard: everything in it. */
    CHECK(!shard_assign(keys, N, 1, shard), "shard_assign failed");
    for (int k = 0; k < N; k++)
        CHECK(shard[k] == 1, "--shard 1/1: %s in shard %d", keys[k], shard[k]);
    CHECK(!shard_assign(NULL, 0, 3, shard), "no units: shard_assign failed");
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 1);
    test_parse();
    test_env();
    test_assign();
    return unit_finish("test_shard");
}
