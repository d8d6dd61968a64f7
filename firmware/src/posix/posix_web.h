// The local web endpoints on POSIX: a tiny HTTP/1.1 server (one request per connection) serving
// GET / (the table page, gzipped as in the ESP32's flash) and GET /api/snapshot (the JSON snapshot).
// The page updates itself by polling the snapshot here; on the ESP32 a WebSocket pushes each read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <poll.h>

#include "app/gateway.h"

namespace ampx::posix {

class PosixWebServer {
 public:
  static constexpr std::size_t kMaxConnections = 8;
  static constexpr std::size_t kMaxRequestBytes = 2048;

  PosixWebServer() = default;
  PosixWebServer(const PosixWebServer&) = delete;
  PosixWebServer& operator=(const PosixWebServer&) = delete;
  ~PosixWebServer() { close(); }

  /** Listens on bind:port (port 0 picks a free one); false with errno set. */
  bool listen(const char* bind, std::uint16_t port);
  void close();
  std::uint16_t port() const { return port_; }

  /** Adds the sockets to wait on; returns how many were added (at most kMaxConnections + 1). */
  std::size_t poll_fds(pollfd* out) const;
  /** Accepts connections, reads requests and answers the complete ones. */
  void service(const app::Gateway& gateway, std::uint64_t now_ms);

 private:
  struct Connection {
    int fd;
    std::uint64_t opened_ms;
    std::size_t received;
    char request[kMaxRequestBytes];
  };
  void answer(Connection& c, const app::Gateway& gateway);
  void drop(Connection& c);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  Connection connections_[kMaxConnections] = {};
};

}  // namespace ampx::posix
