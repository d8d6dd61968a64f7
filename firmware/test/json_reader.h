// A small JSON reader for the test vectors (test code only: it uses the heap; no exceptions).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ampx_test {

struct Json {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;

  /** The member named key, or nullptr. */
  const Json* get(const char* key) const;
  bool is_null() const { return kind == Kind::null; }
};

/** Parses JSON text; on error returns false and says where. */
bool parse_json(const std::string& text, Json* out, std::string* error);

/** Reads and parses a file; false (with a message) when missing or invalid. */
bool read_json_file(const std::string& path, Json* out, std::string* error);

}  // namespace ampx_test
