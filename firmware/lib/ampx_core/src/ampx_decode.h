// Register words → value and quality, bit for bit as engine/decode/decode.ts:
//   1. raw: the integer or float the words hold in the register's word order;
//   2. raw equal to a sentinel (as the typed value or as its unsigned bits, compared as doubles) → invalid;
//   3. value = raw × multiplier + offset (double);
//   4. value × unit factor → canonical unit;
//   5. NaN or ±Inf → invalid;
//   6. outside [min, max] → out_of_range, the value kept.
// Build with -ffp-contract=off so that step 3 is never fused into one rounding (JavaScript rounds twice).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_types.h"

namespace ampx {

/** How to decode one register; the generated decode table holds one per quantity. */
struct DecodeSpec {
  RegisterType type;
  WordOrder word_order;
  /** Registers the value occupies (the string length for strings). */
  std::uint8_t count;
  double multiplier;
  double offset;
  /** Raw unit → canonical unit (see unit_factor). */
  double unit_factor;
  bool has_min;
  double min;
  bool has_max;
  double max;
  const double* sentinels;
  std::uint8_t sentinel_count;
};

struct DecodedNumber {
  /** Meaningful unless quality is invalid (then the value is null). */
  double value;
  Quality quality;
};

/** Decodes a numeric register from exactly spec.count words. A count that does not fit the type is invalid. */
DecodedNumber decode_number(const DecodeSpec& spec, const std::uint16_t* words, std::size_t word_count);

/**
 * Decodes a string register: two characters per register, high byte first, trailing NULs and
 * spaces trimmed. Bytes are Latin-1 characters (as String.fromCharCode), written as UTF-8 with a
 * NUL terminator. Returns the length, or 0 with out[0] = 0 when `capacity` is too small
 * (kMaxStringBytes always suffices).
 */
std::size_t decode_string(const std::uint16_t* words, std::size_t word_count, char* out, std::size_t capacity);

/** The typed raw value and its unsigned bits of a numeric register, as decode.ts readRaw. */
struct RawValue {
  double value;
  double bits;
};
RawValue read_raw(RegisterType type, WordOrder order, const std::uint16_t* words);

/**
 * Factor from a raw unit to a canonical unit (engine/decode/units.ts): kW→W 1000, Wh→kWh 0.001, ...
 * Returns false when the raw unit is unknown or measures something else.
 */
bool unit_factor(const char* raw_unit, const char* canonical_unit, double* factor);

}  // namespace ampx
