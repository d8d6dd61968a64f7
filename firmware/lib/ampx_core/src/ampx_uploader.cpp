#include "ampx_uploader.h"

#include <cstring>

namespace ampx {

std::size_t base64_encode(const char* data, std::size_t length, char* out, std::size_t capacity) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::size_t needed = (length + 2) / 3 * 4;
  if (needed + 1 > capacity) return 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < length; i += 3) {
    const auto b0 = static_cast<std::uint8_t>(data[i]);
    const auto b1 = i + 1 < length ? static_cast<std::uint8_t>(data[i + 1]) : 0;
    const auto b2 = i + 2 < length ? static_cast<std::uint8_t>(data[i + 2]) : 0;
    out[n++] = kAlphabet[b0 >> 2];
    out[n++] = kAlphabet[((b0 & 0x03) << 4) | (b1 >> 4)];
    out[n++] = i + 1 < length ? kAlphabet[((b1 & 0x0F) << 2) | (b2 >> 6)] : '=';
    out[n++] = i + 2 < length ? kAlphabet[b2 & 0x3F] : '=';
  }
  out[n] = 0;
  return n;
}

void Uploader::begin(const UploadConfig& config, RingBuffer& ring, HttpPoster& http, SecretStore* secrets,
                     char* buffer, std::size_t capacity) {
  config_ = &config;
  ring_ = &ring;
  http_ = &http;
  secrets_ = secrets;
  buffer_ = buffer;
  capacity_ = capacity;
  next_attempt_ms_ = 0;
  delay_ms_ = config.retry_delay_ms;
}

bool Uploader::is_success(int status) const {
  if (config_->success_status_count == 0) return status >= 200 && status <= 299;
  for (std::size_t i = 0; i < config_->success_status_count; ++i) {
    if (config_->success_status[i] == status) return true;
  }
  return false;
}

bool Uploader::resolve(const SecretRef& ref, const char** value) {
  if (ref.source == SecretSource::literal) {
    *value = ref.literal != nullptr ? ref.literal : "";
    return true;
  }
  if (ref.source == SecretSource::none) return false;
  return secrets_ != nullptr && secrets_->secret(ref, value);
}

std::size_t Uploader::headers(HttpPoster::Header* out) {
  std::size_t n = 0;
  out[n++] = HttpPoster::Header{"Content-Type", "application/json"};
  const char* secret = nullptr;
  switch (config_->auth_kind) {
    case AuthKind::none: break;
    case AuthKind::bearer:
      if (!resolve(config_->auth_secret, &secret) || std::strlen(secret) + 8 > sizeof auth_value_) return 0;
      std::memcpy(auth_value_, "Bearer ", 7);
      std::memcpy(auth_value_ + 7, secret, std::strlen(secret) + 1);
      out[n++] = HttpPoster::Header{"Authorization", auth_value_};
      break;
    case AuthKind::basic: {
      if (!resolve(config_->auth_secret, &secret)) return 0;
      char pair[kMaxAuthValueBytes];
      const char* user = config_->auth_username != nullptr ? config_->auth_username : "";
      const std::size_t ul = std::strlen(user), pl = std::strlen(secret);
      if (ul + 1 + pl > sizeof pair) return 0;
      std::memcpy(pair, user, ul);
      pair[ul] = ':';
      std::memcpy(pair + ul + 1, secret, pl);
      std::memcpy(auth_value_, "Basic ", 6);
      if (base64_encode(pair, ul + 1 + pl, auth_value_ + 6, sizeof auth_value_ - 6) == 0) return 0;
      out[n++] = HttpPoster::Header{"Authorization", auth_value_};
      break;
    }
    case AuthKind::header:
      if (!resolve(config_->auth_secret, &secret)) return 0;
      out[n++] = HttpPoster::Header{config_->auth_header, secret};
      break;
  }
  for (std::size_t i = 0; i < config_->header_count && n < kMaxUploadHeaders; ++i) {
    const char* value = nullptr;
    if (!resolve(config_->headers[i].value, &value)) return 0;
    out[n++] = HttpPoster::Header{config_->headers[i].name, value};
  }
  return n;
}

std::size_t Uploader::tick(std::uint64_t now_ms) {
  if (config_ == nullptr || !config_->enabled || now_ms < next_attempt_ms_) return 0;
  HttpPoster::Header list[kMaxUploadHeaders];
  std::size_t sent = 0;
  const std::size_t batch = config_->batch_size > 0 ? config_->batch_size : 1;
  while (sent < batch && ring_->count() > 0) {
    const std::size_t header_count = headers(list);
    missing_secret_ = header_count == 0;
    if (missing_secret_) return sent;
    std::size_t length = 0;
    const RingStatus status = ring_->peek(buffer_, capacity_, &length);
    if (status == RingStatus::empty) break;
    if (status != RingStatus::ok) {
      // A payload the buffer cannot hold would block the queue for ever: count it and move on.
      ++failures_;
      if (status == RingStatus::buffer_too_small) ring_->pop();
      break;
    }
    last_status_ = http_->post(config_->url, list, header_count, buffer_, length, config_->timeout_ms);
    if (!is_success(last_status_)) {
      ++failures_;
      next_attempt_ms_ = now_ms + delay_ms_;
      delay_ms_ = delay_ms_ > config_->retry_delay_max_ms / 2 ? config_->retry_delay_max_ms : delay_ms_ * 2;
      return sent;
    }
    ring_->pop();
    ++accepted_;
    ++sent;
    delay_ms_ = config_->retry_delay_ms;
  }
  return sent;
}

}  // namespace ampx
