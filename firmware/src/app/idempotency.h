// The idempotency key of each payload, as the engine sends it: `site id:meter id (or "site"):interval
// start` (engine/upload/idempotency.ts) in an Idempotency-Key header, so that the API drops a payload
// sent twice (a restart between an accepted upload and its removal from the ring). The ring keeps
// payload bodies only, so the key travels in front of the body inside the ring slot (SOH, key, LF),
// and KeyedPoster, wrapped around the platform's HttpPoster, turns it back into the header.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_platform.h"
#include "ampx_site_types.h"
#include "ampx_uploader.h"

namespace ampx::app {

/** Bytes reserved in front of each payload for its key line. */
constexpr std::size_t kKeyPrefixBytes = 192;

/** Writes SOH + key + LF for a program's payload of the interval starting at start_ms; returns its length (0: too long). */
std::size_t write_key_prefix(const SiteConfig& site, const PayloadProgram& program, std::int64_t start_ms, char* out,
                             std::size_t capacity);

/** Posts through `inner`, sending a body's key prefix as the Idempotency-Key header. */
class KeyedPoster final : public HttpPoster {
 public:
  void begin(HttpPoster& inner) { inner_ = &inner; }
  int post(const char* url, const Header* headers, std::size_t header_count, const char* body, std::size_t length,
           std::uint32_t timeout_ms) override;

 private:
  HttpPoster* inner_ = nullptr;
  char key_[kKeyPrefixBytes] = {};
};

}  // namespace ampx::app
