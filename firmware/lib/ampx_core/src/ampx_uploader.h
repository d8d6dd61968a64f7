// Drains the upload ring buffer to the central API: oldest payload first, POSTed with the site's
// headers and authentication; removed from the ring only once the API accepted it (a status in
// success_status, or any 2xx when the list is empty). A failure waits retry_delay_ms, doubling up
// to retry_delay_max_ms; a success resets the delay. Secrets are looked up at the moment of use.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_platform.h"
#include "ampx_ring.h"
#include "ampx_site_types.h"

namespace ampx {

/** Headers per request: Content-Type, authentication and the site's own. */
constexpr std::size_t kMaxUploadHeaders = 10;
/** Bytes of the Authorization header value ("Basic " + base64 of user:password, or "Bearer " + token). */
constexpr std::size_t kMaxAuthValueBytes = 384;

/** Where secret values come from on the device (NVS, provisioned under SecretRef::name). */
class SecretStore {
 public:
  /** The value of a secret, or false when it has not been provisioned. */
  virtual bool secret(const SecretRef& ref, const char** value) = 0;

 protected:
  ~SecretStore() = default;
};

/** Base64 (RFC 4648, with padding) of data into out; returns the length or 0 when out is too small. */
std::size_t base64_encode(const char* data, std::size_t length, char* out, std::size_t capacity);

class Uploader {
 public:
  /** buffer receives each payload from the ring (the ring's slot capacity is enough). */
  void begin(const UploadConfig& config, RingBuffer& ring, HttpPoster& http, SecretStore* secrets, char* buffer,
             std::size_t capacity);

  /** When due, POSTs up to batch_size payloads (stopping at the first failure). Returns how many were accepted. */
  std::size_t tick(std::uint64_t now_ms);

  std::uint64_t next_attempt_ms() const { return next_attempt_ms_; }
  int last_status() const { return last_status_; }
  std::uint32_t accepted() const { return accepted_; }
  std::uint32_t failures() const { return failures_; }
  /** A secret the upload needs is not provisioned: nothing is sent. */
  bool missing_secret() const { return missing_secret_; }

 private:
  bool is_success(int status) const;
  bool resolve(const SecretRef& ref, const char** value);
  std::size_t headers(HttpPoster::Header* out);

  const UploadConfig* config_ = nullptr;
  RingBuffer* ring_ = nullptr;
  HttpPoster* http_ = nullptr;
  SecretStore* secrets_ = nullptr;
  char* buffer_ = nullptr;
  std::size_t capacity_ = 0;
  std::uint64_t next_attempt_ms_ = 0;
  std::uint32_t delay_ms_ = 0;
  int last_status_ = 0;
  std::uint32_t accepted_ = 0;
  std::uint32_t failures_ = 0;
  bool missing_secret_ = false;
  char auth_value_[kMaxAuthValueBytes] = {};
};

}  // namespace ampx
