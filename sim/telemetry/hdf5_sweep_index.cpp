#include "sim/telemetry/hdf5_sweep_index.hpp"

#include <cstring>

#include "sim/telemetry/atomic_hdf5_file.hpp"
#include "sim/telemetry/hdf5_write.hpp"

namespace fleetsim {

using namespace hdf5;

namespace {

constexpr const char* kUnitsSuffix = ".units";

bool ends_with(const std::string& text, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return text.size() >= n && text.compare(text.size() - n, n, suffix) == 0;
}

std::string read_string_attribute(hid_t attribute, hid_t type) {
  if (H5Tis_variable_str(type) > 0) {
    Handle memory(utf8_string_type(), H5Tclose, "string type");
    char* text = nullptr;
    check(H5Aread(attribute, memory, &text), "H5Aread");
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  const std::size_t bytes = H5Tget_size(type);
  std::string value(bytes, '\0');
  Handle memory(H5Tcopy(type), H5Tclose, "string type");
  check(H5Aread(attribute, memory, value.data()), "H5Aread");
  return value.substr(0, value.find('\0'));
}

herr_t collect_attribute(hid_t object, const char* name, const H5A_info_t*, void* data) {
  auto& summary = *static_cast<PointSummary*>(data);
  Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, name);
  Handle type(H5Aget_type(attribute), H5Tclose, name);
  const std::string key = name;
  switch (H5Tget_class(type)) {
    case H5T_STRING: {
      std::string value = read_string_attribute(attribute, type);
      if (ends_with(key, kUnitsSuffix)) summary.units[key.substr(0, key.size() - std::strlen(kUnitsSuffix))] = value;
      else summary.texts[key] = value;
      break;
    }
    case H5T_INTEGER:
    case H5T_FLOAT: {
      double value = 0;
      check(H5Aread(attribute, H5T_NATIVE_DOUBLE, &value), "H5Aread");
      summary.numbers[key] = value;
      break;
    }
    default: break;
  }
  return 0;
}

}  // namespace

PointSummary read_point_summary(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  PointSummary summary;
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, path.c_str());
  {
    Handle group(H5Gopen2(file, "summary", H5P_DEFAULT), H5Gclose, (path + ": /summary").c_str());
    hsize_t index = 0;
    check(H5Aiterate2(group, H5_INDEX_NAME, H5_ITER_INC, &index, collect_attribute, &summary), "read /summary");
  }
  Handle meta(H5Gopen2(file, "meta", H5P_DEFAULT), H5Gclose, (path + ": /meta").c_str());
  Handle horizon(H5Aopen(meta, "horizon_s", H5P_DEFAULT), H5Aclose, (path + ": /meta horizon_s").c_str());
  check(H5Aread(horizon, H5T_NATIVE_DOUBLE, &summary.horizon_s), "read horizon_s");
  return summary;
}

void write_sweep_index(const SweepIndexTable& index, const std::string& path) {
  // Row layout: columns packed in order, each at its own offset.
  std::vector<std::size_t> offsets;
  std::size_t row_bytes = 0;
  std::size_t rows = index.columns.empty() ? 0 : std::max({index.columns[0].numbers.size(),
                                                           index.columns[0].integers.size(),
                                                           index.columns[0].texts.size()});
  for (const IndexColumn& column : index.columns) {
    offsets.push_back(row_bytes);
    row_bytes += column.kind == IndexColumn::Kind::text ? column.text_bytes : 8;
  }
  std::vector<char> buffer(std::max<std::size_t>(1, rows * row_bytes), '\0');
  std::vector<hid_t> string_types;
  std::vector<Field> fields;
  try {
    for (std::size_t c = 0; c < index.columns.size(); ++c) {
      const IndexColumn& column = index.columns[c];
      for (std::size_t r = 0; r < rows; ++r) {
        char* cell = buffer.data() + r * row_bytes + offsets[c];
        switch (column.kind) {
          case IndexColumn::Kind::number: std::memcpy(cell, &column.numbers.at(r), 8); break;
          case IndexColumn::Kind::integer: std::memcpy(cell, &column.integers.at(r), 8); break;
          case IndexColumn::Kind::text: copy_string(cell, column.text_bytes, column.texts.at(r)); break;
        }
      }
      hid_t type = H5T_NATIVE_DOUBLE;
      if (column.kind == IndexColumn::Kind::integer) type = H5T_NATIVE_INT64;
      if (column.kind == IndexColumn::Kind::text) type = string_types.emplace_back(fixed_string_type(column.text_bytes));
      fields.push_back({column.name, offsets[c], type,
                        column.kind == IndexColumn::Kind::text || column.units.empty() ? nullptr : column.units.c_str()});
    }
    write_file_atomically(path, [&](hid_t file) {
      count(file, "schema_version", 1);
      string_attribute(file, "kind", "fleetsim-sweep");
      string_attribute(file, "name", index.name);
      string_attribute(file, "scenario_path", index.scenario_path);
      string_list_attribute(file, "parameters", index.parameters);
      string_list_attribute(file, "metrics", index.metrics);
      count(file, "points", index.points);
      count(file, "done", index.done);
      count(file, "failed", index.failed);
      count(file, "pending", index.pending);
      string_attribute(file, "fleetsim_version", index.fleetsim_version);
      string_attribute(file, "created_utc", index.created_utc);
      compound_dataset(file, "points", buffer.data(), rows, row_bytes, fields, 1024);
    });
  } catch (...) {
    for (hid_t type : string_types) H5Tclose(type);
    throw;
  }
  for (hid_t type : string_types) H5Tclose(type);
}

}  // namespace fleetsim
