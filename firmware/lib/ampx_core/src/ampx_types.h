// The words of the model (engine/model.ts) as C++ enums, shared by the core and the generated site
// header. The enumerator names are the YAML/TypeScript names, so code generation maps them 1:1.
#pragma once

#include <cstdint>

namespace ampx {

/** How register words are read (the profile schema's RegisterType). */
enum class RegisterType : std::uint8_t { u16, s16, u32, s32, u64, s64, f32, f64, string };

/** Byte order on the wire, A = most significant byte (see engine/decode/words.ts). */
enum class WordOrder : std::uint8_t { ABCD, CDAB, BADC, DCBA };

/** A sample's quality (model.ts Quality). */
enum class Quality : std::uint8_t { good, invalid, out_of_range, stale };

/** A quantity's kind (schema/quantities.json). */
enum class QuantityKind : std::uint8_t { instantaneous, counter, identity };

/** An interval aggregate's quality (model.ts IntervalAggregate.quality). */
enum class IntervalQuality : std::uint8_t { missing, good, partial };

/** Registers a value of this type occupies; 0 for string (its length is per register). */
constexpr std::uint8_t register_width(RegisterType type) {
  switch (type) {
    case RegisterType::u16:
    case RegisterType::s16: return 1;
    case RegisterType::u32:
    case RegisterType::s32:
    case RegisterType::f32: return 2;
    case RegisterType::u64:
    case RegisterType::s64:
    case RegisterType::f64: return 4;
    case RegisterType::string: return 0;
  }
  return 0;
}

const char* quality_name(Quality quality);
const char* interval_quality_name(IntervalQuality quality);

}  // namespace ampx
