#include "app/idempotency.h"

#include <cstring>

#include "ampx_json.h"

namespace ampx::app {

namespace {
constexpr char kStart = '\x01';  // never the first byte of a JSON text
}

std::size_t write_key_prefix(const SiteConfig& site, const PayloadProgram& program, std::int64_t start_ms, char* out,
                             std::size_t capacity) {
  const char* meter = program.meter == kNoMeter ? "site" : site.meters[program.meter].id;
  char iso[32];
  format_iso_timestamp(start_ms, iso);
  const std::size_t site_length = std::strlen(site.id), meter_length = std::strlen(meter), iso_length = std::strlen(iso);
  const std::size_t length = 1 + site_length + 1 + meter_length + 1 + iso_length + 1;
  if (length > capacity) return 0;
  char* p = out;
  *p++ = kStart;
  std::memcpy(p, site.id, site_length);
  p += site_length;
  *p++ = ':';
  std::memcpy(p, meter, meter_length);
  p += meter_length;
  *p++ = ':';
  std::memcpy(p, iso, iso_length);
  p += iso_length;
  *p++ = '\n';
  return length;
}

int KeyedPoster::post(const char* url, const Header* headers, std::size_t header_count, const char* body,
                      std::size_t length, std::uint32_t timeout_ms) {
  if (length == 0 || body[0] != kStart) return inner_->post(url, headers, header_count, body, length, timeout_ms);
  const void* end = std::memchr(body, '\n', length < kKeyPrefixBytes ? length : kKeyPrefixBytes);
  if (end == nullptr) return inner_->post(url, headers, header_count, body, length, timeout_ms);
  const std::size_t key_length = static_cast<std::size_t>(static_cast<const char*>(end) - body) - 1;
  std::memcpy(key_, body + 1, key_length);
  key_[key_length] = 0;
  Header list[kMaxUploadHeaders + 1];
  std::size_t n = 0;
  for (; n < header_count && n < kMaxUploadHeaders; ++n) list[n] = headers[n];
  list[n++] = Header{"Idempotency-Key", key_};
  const std::size_t skip = key_length + 2;
  return inner_->post(url, list, n, body + skip, length - skip, timeout_ms);
}

}  // namespace ampx::app
