/* SPDX-License-Identifier: MIT */
/* The memory default (cli/memory_budget.c): the cgroup's room read from fake /proc and
 * /sys/fs/cgroup trees (v2 memory.max less memory.current, v1 memory.limit_in_bytes less
 * memory.usage_in_bytes, the least along the path, no limit, a container that mounts only its
 * own subtree), MemAvailable when it is the lesser, the clamps, and the fixed default when
 * nothing can be read. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memory_budget.h"
#include "unit.h"
#include "unit_files.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static char g_root[4096];

/* Writes a byte count to root/rel. */
static void put_bytes(const char *root, const char *rel, unsigned long long v)
{
    char text[32];
    snprintf(text, sizeof text, "%llu", v);
    unit_put(root, rel, text);
}

/* A fresh fake root named name under the scratch folder, with MemAvailable of kib (none when
 * 0). */
static const char *fresh(const char *name, unsigned long long kib, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", g_root, name);
    mkdir(out, 0755);
    if (kib) {
        char text[256];
        snprintf(text, sizeof text,
                 "MemTotal:       25165824 kB\nMemFree:         1048576 kB\n"
                 "MemAvailable:   %llu kB\nBuffers:          123456 kB",
                 kib);
        unit_put(out, "proc/meminfo", text);
    }
    return out;
}

static void test_room(void)
{
    char r[4200];
    /* v2: limit less usage, the least along the path wherever it is set. */
    fresh("v2", 0, r, sizeof r);
    unit_put(r, "proc/self/cgroup", "0::/user.slice/job/step");
    unit_put(r, "sys/fs/cgroup/cgroup.controllers", "cpu memory");
    put_bytes(r, "sys/fs/cgroup/user.slice/memory.max", 16 * GIB);
    put_bytes(r, "sys/fs/cgroup/user.slice/memory.current", 4 * GIB); /* 12 GiB room */
    put_bytes(r, "sys/fs/cgroup/user.slice/job/memory.max", 8 * GIB);
    put_bytes(r, "sys/fs/cgroup/user.slice/job/memory.current", 2 * GIB); /* 6 GiB room */
    unit_put(r, "sys/fs/cgroup/user.slice/job/step/memory.max", "max");
    put_bytes(r, "sys/fs/cgroup/user.slice/job/step/memory.current", 1 * GIB);
    unsigned long long room = cgroup_memory_room(r);
    CHECK(room == 6 * GIB, "v2, 6 GiB room at the job: %llu, want %llu", room, 6 * GIB);
    /* Less room higher up: the parent's usage counts its other children. */
    put_bytes(r, "sys/fs/cgroup/user.slice/memory.current", 13 * GIB); /* 3 GiB room */
    room = cgroup_memory_room(r);
    CHECK(room == 3 * GIB, "v2, 3 GiB room at the parent: %llu, want %llu", room, 3 * GIB);
    /* At or over the limit: the least room there is, never "no limit". */
    put_bytes(r, "sys/fs/cgroup/user.slice/memory.current", 17 * GIB);
    room = cgroup_memory_room(r);
    CHECK(room == 1, "v2 over its limit: %llu, want 1", room);

    /* No limit anywhere ("max", and the root has no memory.max). */
    fresh("v2max", 0, r, sizeof r);
    unit_put(r, "proc/self/cgroup", "0::/job");
    unit_put(r, "sys/fs/cgroup/cgroup.controllers", "memory");
    unit_put(r, "sys/fs/cgroup/job/memory.max", "max");
    put_bytes(r, "sys/fs/cgroup/job/memory.current", 1 * GIB);
    CHECK(cgroup_memory_room(r) == 0, "v2 max: %llu, want 0 (none)", cgroup_memory_room(r));

    /* A container that sees its host path but mounts only its own subtree. */
    fresh("v2c", 0, r, sizeof r);
    unit_put(r, "proc/self/cgroup", "0::/kubepods/burstable/pod1/c1");
    unit_put(r, "sys/fs/cgroup/cgroup.controllers", "memory");
    put_bytes(r, "sys/fs/cgroup/memory.max", 4 * GIB);
    put_bytes(r, "sys/fs/cgroup/memory.current", 1 * GIB);
    room = cgroup_memory_room(r);
    CHECK(room == 3 * GIB, "v2 container: %llu, want %llu", room, 3 * GIB);

    /* v1 (hybrid: the memory controller on v1 beside a v2 0:: line without a limit); its
     * unlimited is 2^63 less a page. */
    fresh("v1", 0, r, sizeof r);
    unit_put(r, "proc/self/cgroup", "5:memory:/job\n3:cpu,cpuacct:/job\n0::/");
    unit_put(r, "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712");
    put_bytes(r, "sys/fs/cgroup/memory/memory.usage_in_bytes", 10 * GIB);
    put_bytes(r, "sys/fs/cgroup/memory/job/memory.limit_in_bytes", 4 * GIB);
    put_bytes(r, "sys/fs/cgroup/memory/job/memory.usage_in_bytes", 1 * GIB);
    room = cgroup_memory_room(r);
    CHECK(room == 3 * GIB, "v1 4 GiB limit, 1 GiB used: %llu, want %llu", room, 3 * GIB);
    unit_put(r, "sys/fs/cgroup/memory/job/memory.limit_in_bytes", "9223372036854771712");
    CHECK(cgroup_memory_room(r) == 0, "v1 unlimited: %llu, want 0", cgroup_memory_room(r));
    /* Another controller's line is not memory's. */
    unit_put(r, "proc/self/cgroup", "3:cpu,cpuacct:/job\n2:memsw:/job");
    CHECK(cgroup_memory_room(r) == 0, "no memory line: %llu, want 0", cgroup_memory_room(r));

    /* Nothing readable. */
    fresh("none", 0, r, sizeof r);
    CHECK(cgroup_memory_room(r) == 0, "no /proc: %llu, want 0", cgroup_memory_room(r));
    unit_put(r, "proc/self/cgroup", "garbage\n0::relative\n::");
    CHECK(cgroup_memory_room(r) == 0, "a garbled /proc/self/cgroup: %llu", cgroup_memory_room(r));
}

static void test_budget(void)
{
    char r[4200];
    /* No cgroup limit: half of MemAvailable. */
    fresh("b0", 12 * GIB >> 10, r, sizeof r);
    MemoryBudget m = memory_budget(r);
    CHECK(m.meminfo == 12 * GIB && m.cgroup == 0 && m.available == 12 * GIB && m.bytes == 6 * GIB,
          "MemAvailable 12 GiB, no limit: %zu, want %llu", m.bytes, 6 * GIB);

    /* The cgroup's room smaller than MemAvailable, then MemAvailable the smaller. */
    fresh("b1", 20 * GIB >> 10, r, sizeof r);
    unit_put(r, "proc/self/cgroup", "0::/job");
    unit_put(r, "sys/fs/cgroup/cgroup.controllers", "memory");
    put_bytes(r, "sys/fs/cgroup/job/memory.max", 8 * GIB);
    put_bytes(r, "sys/fs/cgroup/job/memory.current", 2 * GIB);
    m = memory_budget(r);
    CHECK(m.cgroup == 6 * GIB && m.available == 6 * GIB && m.bytes == 3 * GIB,
          "room 6 GiB under MemAvailable 20 GiB: %zu, want %llu", m.bytes, 3 * GIB);
    fresh("b1", 5 * GIB >> 10, r, sizeof r);
    m = memory_budget(r);
    CHECK(m.cgroup == 6 * GIB && m.available == 5 * GIB && m.bytes == 5 * GIB / 2,
          "MemAvailable 5 GiB under a 6 GiB room: %zu, want %llu", m.bytes, 5 * GIB / 2);

    /* Clamped to [256 MiB, 16 GiB]. */
    fresh("b2", 100 * MIB >> 10, r, sizeof r);
    m = memory_budget(r);
    CHECK(m.bytes == 256 * MIB, "MemAvailable 100 MiB: %zu, want %llu", m.bytes, 256 * MIB);
    fresh("b3", 64 * GIB >> 10, r, sizeof r);
    m = memory_budget(r);
    CHECK(m.bytes == 16 * GIB, "MemAvailable 64 GiB: %zu, want %llu", m.bytes, 16 * GIB);
    fresh("b1", 20 * GIB >> 10, r, sizeof r);
    put_bytes(r, "sys/fs/cgroup/job/memory.current", 9 * GIB);
    m = memory_budget(r);
    CHECK(m.cgroup == 1 && m.bytes == 256 * MIB, "a cgroup over its limit: %zu, want %llu", m.bytes,
          256 * MIB);

    /* The cgroup's room alone (no MemAvailable: before Linux 3.14). */
    fresh("b4", 0, r, sizeof r);
    unit_put(r, "proc/meminfo", "MemTotal:       25165824 kB\nMemFree:         1048576 kB");
    unit_put(r, "proc/self/cgroup", "1:memory:/");
    put_bytes(r, "sys/fs/cgroup/memory/memory.limit_in_bytes", 2 * GIB);
    put_bytes(r, "sys/fs/cgroup/memory/memory.usage_in_bytes", 0);
    m = memory_budget(r);
    CHECK(m.meminfo == 0 && m.bytes == 1 * GIB, "no MemAvailable, 2 GiB room: %zu, want %llu",
          m.bytes, 1 * GIB);

    /* Nothing readable: the fixed 2 GiB. */
    fresh("b5", 0, r, sizeof r);
    m = memory_budget(r);
    CHECK(m.available == 0 && m.bytes == 2 * GIB, "nothing readable: %zu, want %llu", m.bytes,
          2 * GIB);
    unit_put(r, "proc/meminfo", "MemAvailable: lots");
    m = memory_budget(r);
    CHECK(m.available == 0 && m.bytes == 2 * GIB, "a garbled meminfo: %zu, want %llu", m.bytes,
          2 * GIB);

    /* The command's: --memory wins; else this machine's default, within the clamps. */
    CHECK(memory_resolve(true, 12345, 0) == 12345, "--memory 12345 not kept");
    CHECK(memory_resolve(true, 0, 0) == 0, "--memory 0 not kept");
    const size_t here = memory_resolve(false, 0, 0);
    CHECK(here >= 256 * MIB && here <= 16 * GIB, "this machine's default %zu out of range", here);
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 1);
    unit_make_tmp_dir(g_root, sizeof g_root, "cansim-memory-");
    test_room();
    test_budget();
    unit_remove_tree(g_root);
    return unit_finish("test_memory");
}
