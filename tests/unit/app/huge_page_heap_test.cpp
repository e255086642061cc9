#include "sim/app/huge_page_heap.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using fleetsim::wants_huge_page_heap;

namespace {
constexpr const char* kMadvise = "always [madvise] never";
}

TEST_CASE("a run with huge pages for the heap is asked for only where it helps") {
  // The usual case: THP on request, glibc 2.36, nothing said.
  CHECK(wants_huge_page_heap(nullptr, nullptr, nullptr, kMadvise, "2.36"));
  CHECK(wants_huge_page_heap("glibc.malloc.arena_max=2", nullptr, "1", kMadvise, "2.35"));
  // The user named the tunable, either way: theirs stands.
  CHECK_FALSE(wants_huge_page_heap("glibc.malloc.hugetlb=0", nullptr, nullptr, kMadvise, "2.36"));
  CHECK_FALSE(wants_huge_page_heap("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1", nullptr, nullptr, kMadvise, "2.36"));
  // Turned off, under valgrind, a kernel that never (or always) uses huge pages, no such file, an older glibc.
  CHECK_FALSE(wants_huge_page_heap(nullptr, nullptr, "0", kMadvise, "2.36"));
  CHECK_FALSE(wants_huge_page_heap(nullptr, "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so", nullptr, kMadvise, "2.36"));
  CHECK_FALSE(wants_huge_page_heap(nullptr, nullptr, nullptr, "always madvise [never]", "2.36"));
  CHECK_FALSE(wants_huge_page_heap(nullptr, nullptr, nullptr, "[always] madvise never", "2.36"));
  CHECK_FALSE(wants_huge_page_heap(nullptr, nullptr, nullptr, nullptr, "2.36"));
  CHECK_FALSE(wants_huge_page_heap(nullptr, nullptr, nullptr, kMadvise, "2.34"));
  CHECK_FALSE(wants_huge_page_heap(nullptr, nullptr, nullptr, kMadvise, "1.99"));
  CHECK(wants_huge_page_heap(nullptr, nullptr, nullptr, kMadvise, "3.0"));
  CHECK_FALSE(wants_huge_page_heap(nullptr, nullptr, nullptr, kMadvise, "unknown"));
}

TEST_CASE("the process says whether its heap was asked for huge pages") {
  const char* before = std::getenv("GLIBC_TUNABLES");
  const std::string saved = before != nullptr ? before : "";
  setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1);
  CHECK(fleetsim::huge_page_heap_asked());
  setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2", 1);
  CHECK(fleetsim::huge_page_heap_asked());
  setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1);
  CHECK_FALSE(fleetsim::huge_page_heap_asked());
  setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=10", 1);
  CHECK_FALSE(fleetsim::huge_page_heap_asked());
  unsetenv("GLIBC_TUNABLES");
  CHECK_FALSE(fleetsim::huge_page_heap_asked());
  if (before != nullptr) setenv("GLIBC_TUNABLES", saved.c_str(), 1);
}
