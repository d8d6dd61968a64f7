// JSON text: numbers exactly as JSON.stringify (test/vectors/json-numbers.json), ISO timestamps,
// string escaping and the writer's overflow detection.
#include <cstring>
#include <string>

#include "ampx_json.h"
#include "ampx_test.h"
#include "json_reader.h"

using namespace ampx;

namespace {

double from_bits(const std::string& hex) {
  const unsigned long long bits = std::strtoull(hex.c_str(), nullptr, 16);
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

std::string number(double v) {
  char out[kMaxJsonNumberChars + 1];
  const std::size_t n = format_json_number(v, out);
  return std::string(out, n);
}

}  // namespace

TEST_CASE(json_numbers_match_json_stringify) {
  ampx_test::Json doc;
  std::string error;
  if (!ampx_test::read_json_file(ampx_test::vectors_dir() + "/json-numbers.json", &doc, &error)) {
    CHECK_MSG(false, error);
    return;
  }
  const ampx_test::Json* cases = doc.get("cases");
  CHECK(cases != nullptr && cases->items.size() > 1000);
  if (cases == nullptr) return;
  std::size_t longest = 0;
  for (const auto& c : cases->items) {
    const std::string bits = c.get("bits")->text;
    const std::string expected = c.get("expected")->text;
    const std::string got = number(from_bits(bits));
    CHECK_MSG(got == expected, bits + ": got " + got + ", JSON.stringify wrote " + expected);
    if (got.size() > longest) longest = got.size();
  }
  CHECK(longest <= kMaxJsonNumberChars);
}

TEST_CASE(json_number_notation_edges) {
  CHECK_EQ(number(1e21), std::string("1e+21"));
  CHECK_EQ(number(1e-7), std::string("1e-7"));
  CHECK_EQ(number(0.000001), std::string("0.000001"));
  CHECK_EQ(number(-0.0), std::string("0"));
  CHECK_EQ(number(123456789012345680000.0), std::string("123456789012345680000"));
  CHECK_EQ(number(-1.5e-9), std::string("-1.5e-9"));
  // The longest text there is: 5 zeros after the point and 17 significant digits.
  CHECK_EQ(number(-0.0000012345678901234567), std::string("-0.0000012345678901234567"));
  CHECK_EQ(number(-0.0000012345678901234567).size(), kMaxJsonNumberChars);
}

TEST_CASE(iso_timestamps) {
  char out[24];
  CHECK_EQ(std::string(out, format_iso_timestamp(0, out)), std::string("1970-01-01T00:00:00Z"));
  CHECK_EQ(std::string(out, format_iso_timestamp(1796378400000, out)), std::string("2026-12-04T10:00:00Z"));
  CHECK_EQ(std::string(out, format_iso_timestamp(951782400999, out)), std::string("2000-02-29T00:00:00Z"));
  CHECK_EQ(std::string(out, format_iso_timestamp(4102444799000, out)), std::string("2099-12-31T23:59:59Z"));
  CHECK_EQ(std::string(out, format_iso_timestamp(-1, out)), std::string("1969-12-31T23:59:59Z"));
}

TEST_CASE(json_string_escaping_as_json_stringify) {
  char buf[128];
  JsonWriter w(buf, sizeof buf);
  const char text[] = "a\"b\\c\n\t\x01\x1f\x7f/\xC3\xA9";
  w.string(text, sizeof text - 1);
  // JSON.stringify('a"b\\c\n\t\u0001\u001f\u007f/é') === '"a\\"b\\\\c\\n\\t\\u0001\\u001f\u007f/é"'
  CHECK_EQ(std::string(buf, w.length()), std::string("\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\x7f/\xC3\xA9\""));
  CHECK(!w.overflow());
}

TEST_CASE(json_writer_detects_overflow_and_counts) {
  char buf[8];
  std::memset(buf, '#', sizeof buf);
  JsonWriter w(buf, 5);
  w.raw("{\"a\":", 5);
  CHECK(!w.overflow());
  w.number(12.5);
  CHECK(w.overflow());
  CHECK_EQ(w.length(), 5U);
  CHECK_EQ(w.required(), 9U);
  CHECK_EQ(buf[5], '#');  // nothing written past the capacity
  w.raw("}", 1);
  CHECK_EQ(w.required(), 10U);
}
