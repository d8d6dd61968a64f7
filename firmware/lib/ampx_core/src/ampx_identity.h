// The latest value of each identity quantity (serial number, firmware version, ...) as text, for
// payload slots of SlotSource::identity: strings as decoded, numbers as format_json_number. Each
// identity quantity gets a fixed region of one arena, sized from its register count at begin().
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_limits.h"
#include "ampx_site_types.h"

namespace ampx {

/** Identity quantities per site. */
constexpr std::size_t kMaxIdentityValues = 64;
/** Bytes for all identity texts together. */
constexpr std::size_t kIdentityArenaBytes = 4096;

class IdentityStore {
 public:
  /** Reserves a region per identity quantity of the site; false when they do not fit. */
  bool begin(const SiteConfig& site);

  /** Stores a decoded string (UTF-8). False for an unknown quantity. */
  bool set_text(std::size_t quantity, const char* text, std::size_t length);
  /** Stores a number as its JSON text. */
  bool set_number(std::size_t quantity, double value);
  /** Forgets a value (the read failed to decode). */
  void clear(std::size_t quantity);

  /** The text of a quantity's latest value; false while none is known. */
  bool get(std::size_t quantity, const char** text, std::size_t* length) const;

  /** Bytes a quantity of this many registers needs: 4 UTF-8 bytes per register (or a number's text). */
  static std::size_t region_bytes(std::uint8_t register_count);

 private:
  struct Entry {
    std::uint16_t quantity;
    std::uint16_t offset;
    std::uint16_t capacity;
    std::uint16_t length;
    bool known;
  };
  Entry* find(std::size_t quantity);
  const Entry* find(std::size_t quantity) const;

  Entry entries_[kMaxIdentityValues] = {};
  std::size_t count_ = 0;
  char arena_[kIdentityArenaBytes] = {};
};

}  // namespace ampx
