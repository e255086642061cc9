#include "sim/telemetry/chunk_filters.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace fleetsim::hdf5 {

std::vector<unsigned char> shuffle_deflate(const void* data, std::size_t bytes, std::size_t element_bytes, int level) {
  // Scratch space per thread, kept between chunks: a fresh chunk-sized buffer each time costs its pages' faults.
  thread_local std::vector<unsigned char> shuffled, compressed;
  const auto* in = static_cast<const unsigned char*>(data);
  const unsigned char* source = in;
  const std::size_t elements = element_bytes > 0 ? bytes / element_bytes : 0;
  if (element_bytes > 1 && elements > 1) {  // H5Z shuffle leaves a single element (or single bytes) as they are
    shuffled.resize(bytes);
    unsigned char* out = shuffled.data();
    // By blocks of elements: a block's rows and the block's slice of every byte plane stay in L1. Plane after
    // plane over the whole chunk (HDF5's own order) reads every row's cache line once per byte: for a 4,096-row
    // chunk of 400-byte job rows, 0.97 ms against 0.48 ms by blocks of 32 (16 to 128 measure the same).
    constexpr std::size_t kBlock = 32;
    for (std::size_t first = 0; first < elements; first += kBlock) {
      const std::size_t end = std::min(elements, first + kBlock);
      for (std::size_t k = 0; k < element_bytes; ++k) {
        unsigned char* plane = out + k * elements;
        const unsigned char* byte = in + k;
        for (std::size_t e = first; e < end; ++e) plane[e] = byte[e * element_bytes];
      }
    }
    const std::size_t whole = elements * element_bytes;
    std::memcpy(out + whole, in + whole, bytes - whole);
    source = out;
  }
  uLongf size = compressBound(static_cast<uLong>(bytes));
  if (compressed.size() < size) compressed.resize(size);
  const int status = compress2(compressed.data(), &size, source, static_cast<uLong>(bytes), level);
  if (status != Z_OK) throw std::runtime_error("zlib: compressing a chunk failed (" + std::to_string(status) + ")");
  return std::vector<unsigned char>(compressed.data(), compressed.data() + size);
}

}  // namespace fleetsim::hdf5
