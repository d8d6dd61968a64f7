// HttpPoster on POSIX: one HTTP/1.1 POST over a plain socket (Content-Length, Connection: close),
// answering with the status of the response's status line. http:// only: TLS is the ESP32 layer's
// job (HTTPClient with WiFiClientSecure); on a PC the tests post to the local sink.
#pragma once

#include "ampx_platform.h"

namespace ampx::posix {

/** The parts of an http:// URL. */
struct HttpUrl {
  char host[128];
  std::uint16_t port;
  const char* path;  // points into the URL; "/" when it has none
};

/** Splits http://host[:port][/path]; false for another scheme or a malformed URL. */
bool parse_http_url(const char* url, HttpUrl* out);

class PosixHttpPoster final : public HttpPoster {
 public:
  /** Statuses below 0: -1 no connection, -2 not http://, -3 timeout, -4 no status line. */
  int post(const char* url, const Header* headers, std::size_t header_count, const char* body, std::size_t length,
           std::uint32_t timeout_ms) override;
};

}  // namespace ampx::posix
