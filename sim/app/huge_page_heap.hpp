#pragma once
// Backs the process's malloc heap with transparent huge pages (2 MiB) where the machine allows them, by running the
// program again with glibc's tunable `glibc.malloc.hugetlb=1` (glibc >= 2.35): glibc reads tunables only from the
// environment at start-up. A 10 GW fleet's SimGrid platform is ~1.3 GB of small objects; on 4 KiB pages its first
// touches were about a fifth of the platform build (page faults).
//
// Nothing happens when the environment already names the tunable (either value: the user's choice stands), when
// the kernel gives huge pages other than on request (/sys/kernel/mm/transparent_hugepage/enabled = always: the
// heap has them already; never: it never will), when glibc is older
// than 2.35, under valgrind (the new process would leave it) or in sanitizer builds (their allocator is not
// glibc's). FLEETSIM_HUGE_PAGE_HEAP=0 turns it off. If the new process cannot be started, this one goes on.
// Only the commands that simulate ask for it (run, step, serve, and sweep, whose points inherit the environment):
// starting again costs about 70 ms here (loading the shared libraries), which `--help` or `validate` would not
// win back. Measured (2026-12-04, interleaved runs): the 1 GW year's platform build 0.83 -> 0.42 s (medians of 8),
// its event loop unchanged (2.67 / 2.70 s); the 10 GW year's build 9.0 -> 5.1 s and its file write 3.0 -> 2.1 s
// (2 runs each), peak RSS 3.92 -> 3.99 GiB.
namespace fleetsim {

// Returns only when it does not run the program again (argv as main's: the program, then the command).
void rerun_with_huge_page_heap(int argc, char** argv);

// Whether this process's malloc was asked for huge pages (GLIBC_TUNABLES holds glibc.malloc.hugetlb=1 or =2):
// `--stats` reports it, as it changes the run's speed.
bool huge_page_heap_asked();

// Whether a run should be asked for: the decision above, from its inputs (tested without running anything).
bool wants_huge_page_heap(const char* glibc_tunables, const char* ld_preload, const char* opt_out,
                          const char* thp_enabled, const char* glibc_version);

}  // namespace fleetsim
