#pragma once
// Errors in user input (scenario files, --set, catalog): reported as one line
//   FILE:LINE: KEY: what is wrong (got X)
// and exit code 2.
#include <stdexcept>
#include <string>

namespace fleetsim {

struct SourcePosition {
  std::string file;  // path as the user gave it, or "--set"
  int line = 0;      // 1-based; 0 when no line applies
};

class InputError : public std::runtime_error {
 public:
  InputError(SourcePosition where, std::string key, std::string problem, std::string got = {})
      : std::runtime_error(format(where, key, problem, got)),
        where_(std::move(where)),
        key_(std::move(key)) {}

  const SourcePosition& where() const { return where_; }
  const std::string& key() const { return key_; }

  static std::string format(const SourcePosition& where, const std::string& key,
                            const std::string& problem, const std::string& got) {
    std::string text = where.file + ":" + std::to_string(where.line) + ": " + key + ": " + problem;
    if (!got.empty()) text += " (got " + got + ")";
    return text;
  }

 private:
  SourcePosition where_;
  std::string key_;
};

}  // namespace fleetsim
