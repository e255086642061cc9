#pragma once
// One chunk of a dataset as HDF5's shuffle and deflate filters store it, computed without HDF5: the writer thread
// stores the bytes whole (BlockTable::write_chunk, H5Dwrite_chunk), so the compression of a result file's blocks
// can run on any thread (WriterThread's prepare step). Internal to the HDF5 sink.
#include <cstddef>
#include <vector>

namespace fleetsim::hdf5 {

// HDF5's shuffle filter (H5Z shuffle): byte k of every element together, element after element, for k = 0 ..
// element_bytes-1; trailing bytes that make no whole element stay at the end. Then zlib's compress2 at `level`,
// as HDF5's deflate filter does: a zlib stream the filter pipeline reads back (and the very bytes it would write).
std::vector<unsigned char> shuffle_deflate(const void* data, std::size_t bytes, std::size_t element_bytes, int level);

}  // namespace fleetsim::hdf5
