#pragma once
// Building blocks shared by the HDF5 writers (hdf5_sink.cpp, hdf5_sweep_index.cpp); the file itself is written
// through AtomicHdf5File (atomic_hdf5_file.hpp). Internal to sim/telemetry, with that header the only places that
// include <hdf5.h>.
#include <hdf5.h>

#include "sim/telemetry/chunk_filters.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace fleetsim::hdf5 {

// Owns one HDF5 identifier.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t), const char* what) : id_(id), close_(close) {
    if (id_ < 0) throw std::runtime_error(std::string("HDF5: cannot create/open ") + what);
  }
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  // Closes now and reports failure (a full disk shows at the file's close): the destructor ignores it.
  void close(const char* what) {
    const herr_t status = close_(id_);
    id_ = -1;
    if (status < 0) throw std::runtime_error(std::string("HDF5: closing ") + what + " failed");
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

inline void check(herr_t status, const char* what) {
  if (status < 0) throw std::runtime_error(std::string("HDF5: ") + what + " failed");
}

// Variable-length UTF-8 string type (caller closes).
inline hid_t utf8_string_type() {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

inline void string_attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type(utf8_string_type(), H5Tclose, "string type");
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   name.c_str());
  const char* text = value.c_str();
  check(H5Awrite(attribute, type, &text), "H5Awrite");
}

// A 1-D array of variable-length UTF-8 strings (h5py reads it as an array of str).
inline void string_list_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
  Handle type(utf8_string_type(), H5Tclose, "string type");
  hsize_t dims[1] = {values.size()};
  Handle space(values.empty() ? H5Screate(H5S_NULL) : H5Screate_simple(1, dims, nullptr), H5Sclose, "space");
  Handle attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   name.c_str());
  std::vector<const char*> texts;
  for (const std::string& value : values) texts.push_back(value.c_str());
  if (!values.empty()) check(H5Awrite(attribute, type, texts.data()), "H5Awrite");
}

template <class T>
void numeric_attribute(hid_t object, const std::string& name, T value, const std::string& units, hid_t type) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   name.c_str());
  check(H5Awrite(attribute, type, &value), "H5Awrite");
  string_attribute(object, name + ".units", units);
}

inline void number(hid_t object, const std::string& name, double value, const std::string& units) {
  numeric_attribute(object, name, value, units, H5T_NATIVE_DOUBLE);
}
inline void count(hid_t object, const std::string& name, std::int64_t value, const std::string& units = "1") {
  numeric_attribute(object, name, value, units, H5T_NATIVE_INT64);
}

// Fixed-length, NUL-padded UTF-8 string type (caller closes).
inline hid_t fixed_string_type(std::size_t bytes) {
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, bytes);
  H5Tset_strpad(type, H5T_STR_NULLPAD);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

inline void copy_string(char* destination, std::size_t bytes, const std::string& value) {
  std::memset(destination, 0, bytes);
  std::memcpy(destination, value.data(), std::min(value.size(), bytes - 1));
}

struct Field {
  std::string name;
  std::size_t offset;
  hid_t type;
  const char* units;  // nullptr for strings
};

// A compound dataset written in blocks of rows at any position, growing as needed (chunked, shuffled,
// deflated, with a `<field>.units` attribute per numeric field).
class BlockTable {
 public:
  BlockTable(hid_t parent, const char* name, std::size_t row_bytes, const std::vector<Field>& fields,
             hsize_t chunk_rows)
      : type_(H5Tcreate(H5T_COMPOUND, row_bytes), H5Tclose, "compound type"),
        dataset_(create(parent, name, fields, chunk_rows), H5Dclose, name),
        row_bytes_(row_bytes),
        chunk_rows_(chunk_rows) {
    for (const Field& field : fields)
      if (field.units) string_attribute(dataset_, field.name + ".units", field.units);
  }

  hsize_t chunk_rows() const { return chunk_rows_; }

  // Writes `count` rows at row `first` (whole chunks when `first` and `count` are multiples of the chunk).
  void write_at(hsize_t first, const void* rows, std::size_t count) {
    if (count == 0) return;
    grow_to(first + count);
    Handle file_space(H5Dget_space(dataset_), H5Sclose, "dataspace");
    hsize_t start[1] = {first}, block[1] = {count};
    check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, block, nullptr), "H5Sselect_hyperslab");
    Handle memory_space(H5Screate_simple(1, block, nullptr), H5Sclose, "dataspace");
    check(H5Dwrite(dataset_, type_, memory_space, file_space, H5P_DEFAULT, rows), "H5Dwrite");
  }

  // A whole chunk's rows (chunk_rows() of them, padding included) as this table's filters store them. Makes no
  // HDF5 call and reads only what the constructor set: any thread may call it while the writer uses the table.
  std::vector<unsigned char> filtered_chunk(const void* rows, std::size_t bytes) const {
    if (bytes != chunk_rows_ * row_bytes_) throw std::logic_error("BlockTable::filtered_chunk: not one chunk's rows");
    return shuffle_deflate(rows, bytes, row_bytes_, kDeflateLevel);
  }

  // Stores the chunk that starts at row `first` (a multiple of chunk_rows()) as given: `bytes` are what
  // filtered_chunk made of its rows (those past `count` being padding). The table then holds at least first + count
  // rows. Readers see what write_at would have written.
  void write_chunk(hsize_t first, std::size_t count, const std::vector<unsigned char>& bytes) {
    if (first % chunk_rows_ != 0) throw std::logic_error("BlockTable::write_chunk: row is not a chunk's first");
    grow_to(first + count);
    hsize_t offset[1] = {first};
    check(H5Dwrite_chunk(dataset_, H5P_DEFAULT, 0, offset, bytes.size(), bytes.data()), "H5Dwrite_chunk");
  }

 private:
  void grow_to(hsize_t rows) {
    if (rows <= rows_) return;
    rows_ = rows;
    hsize_t new_size[1] = {rows_};
    check(H5Dset_extent(dataset_, new_size), "H5Dset_extent");
  }
  hid_t create(hid_t parent, const char* name, const std::vector<Field>& fields, hsize_t chunk_rows) {
    for (const Field& field : fields) check(H5Tinsert(type_, field.name.c_str(), field.offset, field.type), "H5Tinsert");
    hsize_t dims[1] = {0};
    hsize_t max_dims[1] = {H5S_UNLIMITED};
    Handle space(H5Screate_simple(1, dims, max_dims), H5Sclose, "dataspace");
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
    hsize_t chunk[1] = {chunk_rows};
    check(H5Pset_chunk(properties, 1, chunk), "H5Pset_chunk");
    check(H5Pset_shuffle(properties), "H5Pset_shuffle");
    check(H5Pset_deflate(properties, kDeflateLevel), "H5Pset_deflate");  // filtered_chunk does the same
    return H5Dcreate2(parent, name, type_, space, H5P_DEFAULT, properties, H5P_DEFAULT);
  }
  // zlib's fastest level: a result file is written once, read a few times.
  static constexpr int kDeflateLevel = 1;
  Handle type_;
  Handle dataset_;
  std::size_t row_bytes_;
  hsize_t chunk_rows_;
  hsize_t rows_ = 0;
};

// Writes `row_count` rows of `row_bytes` each, whole, as a BlockTable (chunks of at most `chunk_rows`, no larger
// than the table).
inline void compound_dataset(hid_t parent, const char* name, const void* rows, std::size_t row_count,
                             std::size_t row_bytes, const std::vector<Field>& fields, hsize_t chunk_rows) {
  BlockTable table(parent, name, row_bytes, fields, std::max<hsize_t>(1, std::min<hsize_t>(chunk_rows, row_count)));
  table.write_at(0, rows, row_count);
}

template <class Row>
void compound_dataset(hid_t parent, const char* name, const std::vector<Row>& rows, const std::vector<Field>& fields,
                      hsize_t chunk_rows) {
  compound_dataset(parent, name, rows.data(), rows.size(), sizeof(Row), fields, chunk_rows);
}

}  // namespace fleetsim::hdf5
