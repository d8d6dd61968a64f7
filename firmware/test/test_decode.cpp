// Register decode: the shared vectors of test/vectors/decode.json (the TypeScript decode tests read
// the same file) plus cases of our own for the order of operations.
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "ampx_decode.h"
#include "ampx_limits.h"
#include "ampx_test.h"
#include "json_reader.h"

using namespace ampx;
using ampx_test::Json;

namespace {

bool parse_type(const std::string& s, RegisterType* t) {
  static const char* const names[] = {"u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "string"};
  for (int i = 0; i < 9; ++i) {
    if (s == names[i]) {
      *t = static_cast<RegisterType>(i);
      return true;
    }
  }
  return false;
}

bool parse_order(const std::string& s, WordOrder* o) {
  static const char* const names[] = {"ABCD", "CDAB", "BADC", "DCBA"};
  for (int i = 0; i < 4; ++i) {
    if (s == names[i]) {
      *o = static_cast<WordOrder>(i);
      return true;
    }
  }
  return false;
}

DecodeSpec spec(RegisterType type, WordOrder order, double multiplier = 1, double offset = 0) {
  return DecodeSpec{type, order, register_width(type), multiplier, offset, 1, false, 0, false, 0, nullptr, 0};
}

}  // namespace

TEST_CASE(decode_vectors_match_typescript) {
  Json doc;
  std::string error;
  const std::string path = ampx_test::vectors_dir() + "/decode.json";
  if (!ampx_test::read_json_file(path, &doc, &error)) {
    CHECK_MSG(false, error);
    return;
  }
  const Json* cases = doc.get("cases");
  CHECK(cases != nullptr && cases->items.size() >= 50);
  if (cases == nullptr) return;
  for (const Json& c : cases->items) {
    const std::string name = c.get("name")->text;
    RegisterType type{};
    WordOrder order{};
    CHECK_MSG(parse_type(c.get("type")->text, &type), name + ": type");
    CHECK_MSG(parse_order(c.get("wordOrder")->text, &order), name + ": word order");
    std::vector<std::uint16_t> words;
    for (const Json& w : c.get("words")->items) words.push_back(static_cast<std::uint16_t>(w.number));
    const Json& expected = *c.get("expected");
    const std::string quality = expected.get("quality")->text;

    if (type == RegisterType::string) {
      char text[kMaxStringBytes];
      const std::size_t n = decode_string(words.data(), words.size(), text, sizeof text);
      CHECK_MSG(quality == "good", name + ": strings are always good");
      CHECK_MSG(std::string(text, n) == expected.get("value")->text,
                name + ": got \"" + std::string(text, n) + "\" expected \"" + expected.get("value")->text + "\"");
      continue;
    }

    std::vector<double> sentinels;
    for (const Json& s : c.get("sentinels")->items) sentinels.push_back(s.number);
    double factor = 0;
    CHECK_MSG(unit_factor(c.get("unit")->text.c_str(), c.get("canonicalUnit")->text.c_str(), &factor),
              name + ": unit pair");
    DecodeSpec d = spec(type, order, c.get("multiplier")->number, c.get("offset")->number);
    d.unit_factor = factor;
    d.sentinels = sentinels.data();
    d.sentinel_count = static_cast<std::uint8_t>(sentinels.size());
    if (const Json* range = c.get("range")) {
      if (const Json* min = range->get("min")) d.has_min = true, d.min = min->number;
      if (const Json* max = range->get("max")) d.has_max = true, d.max = max->number;
    }
    const DecodedNumber got = decode_number(d, words.data(), words.size());
    CHECK_MSG(quality_name(got.quality) == quality,
              name + ": quality " + quality_name(got.quality) + ", expected " + quality);
    const Json* value = expected.get("value");
    if (value->is_null()) {
      CHECK_MSG(got.quality == Quality::invalid, name + ": null value means invalid");
    } else {
      CHECK_MSG(ampx_test::near(got.value, value->number),
                name + ": value " + ampx_test::show(got.value) + ", expected " + ampx_test::show(value->number));
    }
  }
}

TEST_CASE(decode_every_word_order_of_a_32_bit_value) {
  // 0x11223344 as u32: ABCD 1122 3344, CDAB 3344 1122, BADC 2211 4433, DCBA 4433 2211.
  const std::uint16_t abcd[] = {0x1122, 0x3344}, cdab[] = {0x3344, 0x1122}, badc[] = {0x2211, 0x4433},
                      dcba[] = {0x4433, 0x2211};
  CHECK_EQ(decode_number(spec(RegisterType::u32, WordOrder::ABCD), abcd, 2).value, 287454020.0);
  CHECK_EQ(decode_number(spec(RegisterType::u32, WordOrder::CDAB), cdab, 2).value, 287454020.0);
  CHECK_EQ(decode_number(spec(RegisterType::u32, WordOrder::BADC), badc, 2).value, 287454020.0);
  CHECK_EQ(decode_number(spec(RegisterType::u32, WordOrder::DCBA), dcba, 2).value, 287454020.0);
}

TEST_CASE(decode_64_bit_patterns_from_words_ts) {
  // 0x0102030405060708: CDAB = G H E F C D A B on the wire, BADC = B A D C F E H G, DCBA = H G ... A.
  const double v = static_cast<double>(0x0102030405060708ULL);
  const std::uint16_t cdab[] = {0x0708, 0x0506, 0x0304, 0x0102};
  const std::uint16_t badc[] = {0x0201, 0x0403, 0x0605, 0x0807};
  const std::uint16_t dcba[] = {0x0807, 0x0605, 0x0403, 0x0201};
  CHECK_EQ(decode_number(spec(RegisterType::u64, WordOrder::CDAB), cdab, 4).value, v);
  CHECK_EQ(decode_number(spec(RegisterType::u64, WordOrder::BADC), badc, 4).value, v);
  CHECK_EQ(decode_number(spec(RegisterType::u64, WordOrder::DCBA), dcba, 4).value, v);
  const std::uint16_t minus_one[] = {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF};
  CHECK_EQ(decode_number(spec(RegisterType::s64, WordOrder::ABCD), minus_one, 4).value, -1.0);
  // u64 max rounds to 2^64 as Number(0xFFFFFFFFFFFFFFFFn) does.
  CHECK_EQ(decode_number(spec(RegisterType::u64, WordOrder::ABCD), minus_one, 4).value, 18446744073709551616.0);
}

TEST_CASE(decode_order_of_operations) {
  // raw 1234 × 0.1 + 5 = 128.4 (in V... as kV → ×1000): three roundings, never fused.
  const std::uint16_t w[] = {1234};
  DecodeSpec d = spec(RegisterType::u16, WordOrder::ABCD, 0.1, 5);
  d.unit_factor = 1000;
  const double expected = (1234 * 0.1 + 5) * 1000;
  CHECK_EQ(decode_number(d, w, 1).value, expected);
  // Sentinel on the raw value, before scaling: 0xFFFF as u16 and as the bits of s16 -1.
  const double sentinel[] = {65535};
  const std::uint16_t ffff[] = {0xFFFF};
  DecodeSpec s = spec(RegisterType::s16, WordOrder::ABCD, 2);
  s.sentinels = sentinel;
  s.sentinel_count = 1;
  CHECK_EQ(decode_number(s, ffff, 1).quality, Quality::invalid);
  s.sentinel_count = 0;
  CHECK_EQ(decode_number(s, ffff, 1).value, -2.0);
}

TEST_CASE(decode_non_finite_and_range) {
  const std::uint16_t nan[] = {0x7FC0, 0x0000}, inf[] = {0x7F80, 0x0000}, big[] = {0x4479, 0xC000};  // 999
  CHECK_EQ(decode_number(spec(RegisterType::f32, WordOrder::ABCD), nan, 2).quality, Quality::invalid);
  CHECK_EQ(decode_number(spec(RegisterType::f32, WordOrder::ABCD), inf, 2).quality, Quality::invalid);
  DecodeSpec r = spec(RegisterType::f32, WordOrder::ABCD);
  r.has_max = true;
  r.max = 500;
  const DecodedNumber out = decode_number(r, big, 2);
  CHECK_EQ(out.quality, Quality::out_of_range);
  CHECK_EQ(out.value, 999.0);
  // A finite raw that overflows after scaling is invalid too.
  const std::uint16_t max_f64[] = {0x7FEF, 0xFFFF, 0xFFFF, 0xFFFF};
  CHECK_EQ(decode_number(spec(RegisterType::f64, WordOrder::ABCD, 10), max_f64, 4).quality, Quality::invalid);
  // A count that does not fit the type is refused, not read out of bounds.
  DecodeSpec wrong = spec(RegisterType::u32, WordOrder::ABCD);
  wrong.count = 1;
  CHECK_EQ(decode_number(wrong, nan, 1).quality, Quality::invalid);
}

TEST_CASE(decode_string_latin1_and_capacity) {
  const std::uint16_t w[] = {0x41E9, 0x2000};  // "Aé" then space and NUL, trimmed
  char out[kMaxStringBytes];
  const std::size_t n = decode_string(w, 2, out, sizeof out);
  CHECK_EQ(std::string(out, n), std::string("A\xC3\xA9"));
  char tiny[3];
  CHECK_EQ(decode_string(w, 2, tiny, sizeof tiny), 0U);
  CHECK_EQ(tiny[0], 0);
}

TEST_CASE(unit_factors_match_units_ts) {
  double f = 0;
  CHECK(unit_factor("kW", "W", &f) && f == 1000);
  CHECK(unit_factor("Wh", "kWh", &f) && f == 0.001);
  CHECK(unit_factor("", "", &f) && f == 1);
  CHECK(!unit_factor("kWh", "W", &f));
  CHECK(!unit_factor("furlong", "W", &f));
}
