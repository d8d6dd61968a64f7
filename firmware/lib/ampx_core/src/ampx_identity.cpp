#include "ampx_identity.h"

#include <cstring>

#include "ampx_json.h"

namespace ampx {

std::size_t IdentityStore::region_bytes(std::uint8_t register_count) {
  const std::size_t text = static_cast<std::size_t>(register_count) * 4;  // 2 Latin-1 bytes → ≤ 4 UTF-8 bytes
  return text > kMaxJsonNumberChars ? text : kMaxJsonNumberChars;
}

bool IdentityStore::begin(const SiteConfig& site) {
  count_ = 0;
  std::size_t used = 0;
  for (std::size_t q = 0; q < site.quantity_count; ++q) {
    const QuantityConfig& qc = site.quantities[q];
    if (qc.kind != QuantityKind::identity) continue;
    const std::size_t bytes = region_bytes(qc.decode.count);
    if (count_ == kMaxIdentityValues || used + bytes > kIdentityArenaBytes) return false;
    entries_[count_++] = Entry{static_cast<std::uint16_t>(q), static_cast<std::uint16_t>(used),
                               static_cast<std::uint16_t>(bytes), 0, false};
    used += bytes;
  }
  return true;
}

IdentityStore::Entry* IdentityStore::find(std::size_t quantity) {
  for (std::size_t i = 0; i < count_; ++i) {
    if (entries_[i].quantity == quantity) return &entries_[i];
  }
  return nullptr;
}

const IdentityStore::Entry* IdentityStore::find(std::size_t quantity) const {
  for (std::size_t i = 0; i < count_; ++i) {
    if (entries_[i].quantity == quantity) return &entries_[i];
  }
  return nullptr;
}

bool IdentityStore::set_text(std::size_t quantity, const char* text, std::size_t length) {
  Entry* e = find(quantity);
  if (e == nullptr || length > e->capacity) return false;
  std::memcpy(arena_ + e->offset, text, length);
  e->length = static_cast<std::uint16_t>(length);
  e->known = true;
  return true;
}

bool IdentityStore::set_number(std::size_t quantity, double value) {
  char text[kMaxJsonNumberChars + 1];
  return set_text(quantity, text, format_json_number(value, text));
}

void IdentityStore::clear(std::size_t quantity) {
  if (Entry* e = find(quantity)) e->known = false;
}

bool IdentityStore::get(std::size_t quantity, const char** text, std::size_t* length) const {
  const Entry* e = find(quantity);
  if (e == nullptr || !e->known) return false;
  *text = arena_ + e->offset;
  *length = e->length;
  return true;
}

}  // namespace ampx
