#include "ampx_decode.h"

#include <cmath>
#include <cstring>

namespace ampx {

namespace {

bool reverses_words(WordOrder order) { return order == WordOrder::CDAB || order == WordOrder::DCBA; }
bool swaps_bytes(WordOrder order) { return order == WordOrder::BADC || order == WordOrder::DCBA; }

// The value's bytes, most significant first (words.ts wordsToBytes).
void words_to_bytes(const std::uint16_t* words, std::size_t n, WordOrder order, std::uint8_t* bytes) {
  for (std::size_t wire = 0; wire < n; ++wire) {
    const std::size_t logical = reverses_words(order) ? n - 1 - wire : wire;
    const auto hi = static_cast<std::uint8_t>(words[wire] >> 8);
    const auto lo = static_cast<std::uint8_t>(words[wire] & 0xFF);
    bytes[logical * 2] = swaps_bytes(order) ? lo : hi;
    bytes[logical * 2 + 1] = swaps_bytes(order) ? hi : lo;
  }
}

std::uint64_t be_uint(const std::uint8_t* bytes, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | bytes[i];
  return v;
}

struct UnitEntry {
  const char* raw;
  const char* canonical;
  double factor;
};

// The same closed table as engine/decode/units.ts.
constexpr UnitEntry kUnits[] = {
    {"kV", "V", 1000},        {"V", "V", 1},           {"mV", "V", 0.001},      {"kA", "A", 1000},
    {"A", "A", 1},            {"mA", "A", 0.001},      {"MW", "W", 1000000},    {"kW", "W", 1000},
    {"W", "W", 1},            {"Mvar", "var", 1000000}, {"kvar", "var", 1000},  {"var", "var", 1},
    {"MVA", "VA", 1000000},   {"kVA", "VA", 1000},     {"VA", "VA", 1},         {"MWh", "kWh", 1000},
    {"kWh", "kWh", 1},        {"Wh", "kWh", 0.001},    {"Mvarh", "kvarh", 1000}, {"kvarh", "kvarh", 1},
    {"varh", "kvarh", 0.001}, {"MVAh", "kVAh", 1000},  {"kVAh", "kVAh", 1},     {"VAh", "kVAh", 0.001},
    {"Hz", "Hz", 1},          {"%", "%", 1},           {"", "", 1},
};

}  // namespace

const char* quality_name(Quality quality) {
  switch (quality) {
    case Quality::good: return "good";
    case Quality::invalid: return "invalid";
    case Quality::out_of_range: return "out_of_range";
    case Quality::stale: return "stale";
  }
  return "invalid";
}

const char* interval_quality_name(IntervalQuality quality) {
  switch (quality) {
    case IntervalQuality::missing: return "missing";
    case IntervalQuality::good: return "good";
    case IntervalQuality::partial: return "partial";
  }
  return "missing";
}

RawValue read_raw(RegisterType type, WordOrder order, const std::uint16_t* words) {
  std::uint8_t b[8] = {};
  const std::size_t n = register_width(type);
  words_to_bytes(words, n, order, b);
  const std::uint64_t u = be_uint(b, n * 2);
  switch (type) {
    case RegisterType::u16:
    case RegisterType::u32:
      return RawValue{static_cast<double>(u), static_cast<double>(u)};
    case RegisterType::s16:
      return RawValue{static_cast<double>(static_cast<std::int16_t>(u)), static_cast<double>(u)};
    case RegisterType::s32:
      return RawValue{static_cast<double>(static_cast<std::int32_t>(u)), static_cast<double>(u)};
    case RegisterType::f32: {
      const auto bits = static_cast<std::uint32_t>(u);
      float f;
      std::memcpy(&f, &bits, sizeof f);
      return RawValue{static_cast<double>(f), static_cast<double>(u)};
    }
    case RegisterType::u64:
      // uint64 → double rounds to nearest, ties to even, as JavaScript's Number(bigint).
      return RawValue{static_cast<double>(u), static_cast<double>(u)};
    case RegisterType::s64:
      return RawValue{static_cast<double>(static_cast<std::int64_t>(u)), static_cast<double>(u)};
    case RegisterType::f64: {
      double d;
      std::memcpy(&d, &u, sizeof d);
      return RawValue{d, static_cast<double>(u)};
    }
    case RegisterType::string: break;
  }
  return RawValue{NAN, NAN};
}

DecodedNumber decode_number(const DecodeSpec& spec, const std::uint16_t* words, std::size_t word_count) {
  const std::uint8_t width = register_width(spec.type);
  if (width == 0 || spec.count != width || word_count != width) return DecodedNumber{0, Quality::invalid};

  const RawValue raw = read_raw(spec.type, spec.word_order, words);
  for (std::size_t i = 0; i < spec.sentinel_count; ++i) {
    if (spec.sentinels[i] == raw.value || spec.sentinels[i] == raw.bits) return DecodedNumber{0, Quality::invalid};
  }
  // Three separate roundings, as (raw × multiplier + offset) × factor in JavaScript.
  double value = raw.value * spec.multiplier;
  value = value + spec.offset;
  value = value * spec.unit_factor;
  if (!std::isfinite(value)) return DecodedNumber{0, Quality::invalid};
  if ((spec.has_min && value < spec.min) || (spec.has_max && value > spec.max)) {
    return DecodedNumber{value, Quality::out_of_range};
  }
  return DecodedNumber{value, Quality::good};
}

std::size_t decode_string(const std::uint16_t* words, std::size_t word_count, char* out, std::size_t capacity) {
  std::size_t bytes = word_count * 2;
  auto byte_at = [words](std::size_t i) -> std::uint8_t {
    const std::uint16_t w = words[i / 2];
    return static_cast<std::uint8_t>(i % 2 == 0 ? w >> 8 : w & 0xFF);
  };
  while (bytes > 0 && (byte_at(bytes - 1) == 0 || byte_at(bytes - 1) == ' ')) --bytes;

  std::size_t length = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    const std::uint8_t c = byte_at(i);
    const std::size_t need = c < 0x80 ? 1 : 2;
    if (length + need + 1 > capacity) {
      if (capacity > 0) out[0] = 0;
      return 0;
    }
    if (c < 0x80) {
      out[length++] = static_cast<char>(c);
    } else {
      out[length++] = static_cast<char>(0xC0 | (c >> 6));
      out[length++] = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  if (capacity > 0) out[length] = 0;
  return length;
}

bool unit_factor(const char* raw_unit, const char* canonical_unit, double* factor) {
  for (const UnitEntry& entry : kUnits) {
    if (std::strcmp(entry.raw, raw_unit) == 0) {
      if (std::strcmp(entry.canonical, canonical_unit) != 0) return false;
      *factor = entry.factor;
      return true;
    }
  }
  return false;
}

}  // namespace ampx
