#include <catch2/catch.hpp>

#include <hdf5.h>
#include <unistd.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/telemetry/chunk_filters.hpp"
#include "sim/telemetry/hdf5_write.hpp"

using namespace fleetsim;
using namespace fleetsim::hdf5;

namespace {
std::vector<unsigned char> inflated(const std::vector<unsigned char>& compressed, std::size_t bytes) {
  std::vector<unsigned char> out(bytes);
  uLongf size = bytes;
  REQUIRE(uncompress(out.data(), &size, compressed.data(), compressed.size()) == Z_OK);
  REQUIRE(size == bytes);
  return out;
}

struct Row {
  double value;
  std::int32_t a;
  std::int32_t b;
};
const std::vector<Field> kFields{{"value", offsetof(Row, value), H5T_NATIVE_DOUBLE, "W"},
                                 {"a", offsetof(Row, a), H5T_NATIVE_INT32, "1"},
                                 {"b", offsetof(Row, b), H5T_NATIVE_INT32, "1"}};

std::vector<Row> rows(std::size_t count) {
  std::vector<Row> out(count);
  for (std::size_t i = 0; i < count; ++i)
    out[i] = {1000.0 + 0.25 * static_cast<double>(i), static_cast<std::int32_t>(i * 7), -static_cast<std::int32_t>(i)};
  return out;
}

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string(name) + std::to_string(getpid()) + ".h5")).string();
}
}  // namespace

TEST_CASE("shuffle_deflate groups byte k of every element, then deflates (hand-computed)", "[telemetry]") {
  // Three 2-byte elements and one byte left over: bytes 0 of each, bytes 1 of each, then the leftover.
  const std::vector<unsigned char> data{1, 2, 3, 4, 5, 6, 7};
  CHECK(inflated(shuffle_deflate(data.data(), data.size(), 2, 1), data.size()) ==
        std::vector<unsigned char>{1, 3, 5, 2, 4, 6, 7});
  // One element, or 1-byte elements: left as they are (as HDF5's shuffle filter does).
  CHECK(inflated(shuffle_deflate(data.data(), data.size(), 7, 1), data.size()) == data);
  CHECK(inflated(shuffle_deflate(data.data(), data.size(), 1, 1), data.size()) == data);
}

TEST_CASE("shuffle_deflate shuffles by blocks of elements as the plain byte-plane loop does", "[telemetry]") {
  // 100 elements of 3 bytes (blocks of 32: three whole, one of 4) and 2 bytes left over.
  std::vector<unsigned char> data(302);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<unsigned char>(i * 37 + i / 7);
  std::vector<unsigned char> expected(data.size());
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t e = 0; e < 100; ++e) expected[k * 100 + e] = data[e * 3 + k];
  expected[300] = data[300];
  expected[301] = data[301];
  CHECK(inflated(shuffle_deflate(data.data(), data.size(), 3, 1), data.size()) == expected);
}

TEST_CASE("a table's filtered chunk is the very bytes HDF5's shuffle and deflate filters store", "[telemetry]") {
  const std::string path = temp_path("fleetsim_chunk_filters_");
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const std::vector<Row> data = rows(64);
  std::vector<unsigned char> filtered;
  {
    BlockTable piped(file, "piped", sizeof(Row), kFields, 64);
    piped.write_at(0, data.data(), data.size());  // through HDF5's filter pipeline
    filtered = piped.filtered_chunk(data.data(), data.size() * sizeof(Row));
    CHECK_THROWS_WITH(piped.filtered_chunk(data.data(), 63 * sizeof(Row)), Catch::Contains("not one chunk's rows"));
  }
  const hid_t dataset = H5Dopen2(file, "piped", H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  hsize_t offset[1] = {0};
  hsize_t stored = 0;
  REQUIRE(H5Dget_chunk_storage_size(dataset, offset, &stored) >= 0);
  std::vector<unsigned char> bytes(stored);
  std::uint32_t filters = 99;
  REQUIRE(H5Dread_chunk(dataset, H5P_DEFAULT, offset, &filters, bytes.data()) >= 0);
  CHECK(filters == 0);  // every filter applied
  CHECK(bytes == filtered);
  H5Dclose(dataset);
  H5Fclose(file);
  std::filesystem::remove(path);
}

TEST_CASE("BlockTable::write_chunk stores prepared chunks that HDF5 reads back, padding beyond the rows", "[telemetry]") {
  const std::string path = temp_path("fleetsim_write_chunk_");
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(file >= 0);
  std::vector<Row> data = rows(100);  // a whole chunk of 64 rows, then 36 rows padded to the second chunk
  {
    BlockTable table(file, "direct", sizeof(Row), kFields, 64);
    std::vector<Row> second(data.begin() + 64, data.end());
    second.resize(64, Row{0, 0, 0});
    // The second chunk first: chunks may come in any order, the table grows to the furthest row.
    table.write_chunk(64, 36, table.filtered_chunk(second.data(), 64 * sizeof(Row)));
    table.write_chunk(0, 64, table.filtered_chunk(data.data(), 64 * sizeof(Row)));
    CHECK_THROWS_WITH(table.write_chunk(10, 5, {}), Catch::Contains("not a chunk's first"));
  }
  const hid_t dataset = H5Dopen2(file, "direct", H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  const hid_t space = H5Dget_space(dataset);
  hsize_t extent[1] = {0};
  H5Sget_simple_extent_dims(space, extent, nullptr);
  CHECK(extent[0] == 100);
  const hid_t type = H5Dget_type(dataset);
  std::vector<Row> back(100);
  REQUIRE(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()) >= 0);
  for (std::size_t i = 0; i < 100; ++i) {
    CHECK(back[i].value == data[i].value);
    CHECK(back[i].a == data[i].a);
    CHECK(back[i].b == data[i].b);
  }
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(dataset);
  H5Fclose(file);
  std::filesystem::remove(path);
}
