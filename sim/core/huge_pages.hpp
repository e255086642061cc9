#pragma once
// Asks the kernel to back a large array with transparent huge pages (2 MiB) where it allows them
// (/sys/kernel/mm/transparent_hugepage/enabled = madvise or always). Fleet-scale arrays indexed by job or node id
// are read at random: with 4 KiB pages nearly every access is also a TLB miss. Only a hint: nothing changes when
// the kernel declines.
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fleetsim {

inline void advise_huge_pages(const void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t(2) << 20;
  if (bytes < 2 * kHuge) return;
  const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// Advises before the pages are first touched (then the kernel can fault them in as huge pages): reserves
// `values` for `count` elements, advises, then fills it with `count` copies of `value`.
template <class T>
void assign_on_huge_pages(std::vector<T>& values, std::size_t count, const T& value) {
  values.clear();
  values.reserve(count);
  advise_huge_pages(values.data(), count * sizeof(T));
  values.assign(count, value);
}

}  // namespace fleetsim
