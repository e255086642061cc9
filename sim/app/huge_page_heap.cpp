#include "sim/app/huge_page_heap.hpp"

#include <gnu/libc-version.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace fleetsim {

namespace {
constexpr const char* kTunable = "glibc.malloc.hugetlb";

bool glibc_at_least(const char* version, int major, int minor) {
  int have_major = 0, have_minor = 0;
  if (version == nullptr || std::sscanf(version, "%d.%d", &have_major, &have_minor) != 2) return false;
  return have_major > major || (have_major == major && have_minor >= minor);
}
}  // namespace

bool wants_huge_page_heap(const char* glibc_tunables, const char* ld_preload, const char* opt_out,
                          const char* thp_enabled, const char* glibc_version) {
  if (glibc_tunables != nullptr && std::strstr(glibc_tunables, kTunable) != nullptr) return false;  // already said
  if (opt_out != nullptr && std::strcmp(opt_out, "0") == 0) return false;
  if (ld_preload != nullptr && std::strstr(ld_preload, "vgpreload") != nullptr) return false;  // valgrind
  // Only "madvise" needs it: "always" backs the heap with huge pages already, "never" (or no file) never will.
  if (thp_enabled == nullptr || std::strstr(thp_enabled, "[madvise]") == nullptr) return false;
  return glibc_at_least(glibc_version, 2, 35);
}

bool huge_page_heap_asked() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables == nullptr) return false;
  const std::string all = std::string(":") + tunables + ":";
  return all.find(std::string(":") + kTunable + "=1:") != std::string::npos ||
         all.find(std::string(":") + kTunable + "=2:") != std::string::npos;
}

void rerun_with_huge_page_heap(int argc, char** argv) {
#if defined(FLEETSIM_SANITIZED)
  (void)argc;
  (void)argv;
#else
  if (argc < 2) return;
  const std::string command = argv[1];
  if (command != "run" && command != "step" && command != "serve" && command != "sweep") return;
  std::ifstream file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string thp;
  const bool known = static_cast<bool>(std::getline(file, thp));
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (!wants_huge_page_heap(tunables, std::getenv("LD_PRELOAD"), std::getenv("FLEETSIM_HUGE_PAGE_HEAP"),
                            known ? thp.c_str() : nullptr, gnu_get_libc_version()))
    return;
  const std::string before = tunables != nullptr ? tunables : "";
  const std::string value = (before.empty() ? "" : before + ":") + kTunable + "=1";
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Not started (no /proc?): go on as we are, with the environment as it was.
  if (tunables != nullptr) setenv("GLIBC_TUNABLES", before.c_str(), 1);
  else unsetenv("GLIBC_TUNABLES");
#endif
}

}  // namespace fleetsim
