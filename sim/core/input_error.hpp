#pragma once
// Errors in user input (scenario files, --set, catalog): reported as one line
//   FILE:LINE: KEY: what is wrong (got X)
// and exit code 2.
#include <cstdio>
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

// Length of the well-formed UTF-8 sequence at text[at] (RFC 3629, section 4: table of well-formed byte
// sequences), 0 when the bytes there are not one.
inline std::size_t utf8_sequence_length(const std::string& text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0u; };
  const unsigned first = byte(0);
  if (first < 0x80) return 1;
  const std::size_t length = first >= 0xC2 && first <= 0xDF ? 2 : first >= 0xE0 && first <= 0xEF ? 3
                             : first >= 0xF0 && first <= 0xF4 ? 4 : 0;
  if (length == 0) return 0;
  const unsigned second = byte(1);
  const unsigned low = first == 0xE0 ? 0xA0 : first == 0xF0 ? 0x90 : 0x80;
  const unsigned high = first == 0xED ? 0x9F : first == 0xF4 ? 0x8F : 0xBF;
  if (second < low || second > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if ((byte(i) & 0xC0) != 0x80) return 0;
  return length;
}

// Text from an input (a key, a field, a line) for a message: one readable line whatever the bytes, at most `limit`
// bytes of it (a 25 MB key or a binary file's first "line" is not echoed whole). Control characters become \uXXXX
// and bytes that are not UTF-8 \xNN, so that a binary file echoes as text; a text cut short ends "... (N bytes)".
inline std::string shortened(const std::string& text, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8_sequence_length(text, i);
    std::string piece;
    if (length == 0 || c < 0x20 || c == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, length == 0 ? "\\x%02x" : "\\u%04x", c);
      piece = code;
    } else {
      piece.assign(text, i, length);
    }
    if (out.size() + piece.size() > limit) return out + "... (" + std::to_string(text.size()) + " bytes)";
    out += piece;
    i += length == 0 ? 1 : length;
  }
  return out;
}

// All of `text`, escaped as by shortened.
inline std::string escaped(const std::string& text) { return shortened(text, std::string::npos); }

// How much of a field of a data file (a trace, a CSV series) an error message echoes.
constexpr std::size_t kEchoedFieldBytes = 60;

}  // namespace fleetsim
