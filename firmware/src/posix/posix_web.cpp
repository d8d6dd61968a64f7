#include "posix/posix_web.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "app/snapshot.h"
#include "app/table_page.h"

namespace ampx::posix {

namespace {

constexpr std::uint64_t kRequestTimeoutMs = 5000;

bool send_all(int fd, const char* data, std::size_t length) {
  std::size_t sent = 0;
  while (sent < length) {
    const ssize_t n = ::send(fd, data + sent, length - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // includes the send timeout (SO_SNDTIMEO)
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool send_text(int fd, const char* text) { return send_all(fd, text, std::strlen(text)); }

}  // namespace

bool PosixWebServer::listen(const char* bind, std::uint16_t port) {
  close();
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return false;
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (inet_pton(AF_INET, bind, &address.sin_addr) != 1) {
    errno = EINVAL;
    close();
    return false;
  }
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 16) != 0) {
    close();
    return false;
  }
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  for (auto& c : connections_) c.fd = -1;
  return true;
}

void PosixWebServer::close() {
  for (auto& c : connections_) drop(c);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void PosixWebServer::drop(Connection& c) {
  if (c.fd >= 0) ::close(c.fd);
  c.fd = -1;
  c.received = 0;
}

std::size_t PosixWebServer::poll_fds(pollfd* out) const {
  std::size_t n = 0;
  if (listen_fd_ < 0) return 0;
  out[n++] = pollfd{listen_fd_, POLLIN, 0};
  for (const auto& c : connections_) {
    if (c.fd >= 0) out[n++] = pollfd{c.fd, POLLIN, 0};
  }
  return n;
}

void PosixWebServer::service(const app::Gateway& gateway, std::uint64_t now_ms) {
  if (listen_fd_ < 0) return;
  for (;;) {
    Connection* free_slot = nullptr;
    for (auto& c : connections_) {
      if (c.fd < 0) {
        free_slot = &c;
        break;
      }
    }
    if (free_slot == nullptr) break;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) break;
    free_slot->fd = fd;
    free_slot->opened_ms = now_ms;
    free_slot->received = 0;
  }
  for (auto& c : connections_) {
    if (c.fd < 0) continue;
    const ssize_t n = ::recv(c.fd, c.request + c.received, sizeof c.request - 1 - c.received, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      drop(c);
      continue;
    }
    if (n > 0) c.received += static_cast<std::size_t>(n);
    c.request[c.received] = 0;
    if (std::strstr(c.request, "\r\n\r\n") != nullptr || c.received == sizeof c.request - 1) {
      answer(c, gateway);
      drop(c);
    } else if (now_ms - c.opened_ms > kRequestTimeoutMs) {
      drop(c);
    }
  }
}

void PosixWebServer::answer(Connection& c, const app::Gateway& gateway) {
  // The answer is written with a blocking socket and a send timeout: pages and snapshots are small
  // and the loop's next read waits at most that long for a stuck client.
  const int flags = fcntl(c.fd, F_GETFL);
  fcntl(c.fd, F_SETFL, flags & ~O_NONBLOCK);
  timeval timeout{2, 0};
  setsockopt(c.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);

  char method[8] = {};
  char target[256] = {};
  if (std::sscanf(c.request, "%7s %255s", method, target) != 2) {
    send_text(c.fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  if (std::strcmp(method, "GET") != 0) {
    send_text(c.fd,
              "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  char* query = std::strchr(target, '?');
  if (query != nullptr) *query = 0;
  if (std::strcmp(target, "/") == 0 || std::strcmp(target, "/index.html") == 0) {
    char head[256];
    std::snprintf(head, sizeof head,
                  "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
                  "Content-Length: %zu\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
                  app::kTablePageGzLength);
    if (send_text(c.fd, head)) {
      send_all(c.fd, reinterpret_cast<const char*>(app::kTablePageGz), app::kTablePageGzLength);
    }
    return;
  }
  if (std::strcmp(target, "/api/snapshot") == 0) {
    if (!send_text(c.fd,
                   "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n"
                   "Connection: close\r\n\r\n")) {
      return;
    }
    static app::SnapshotStream stream;
    stream.begin(gateway);
    char chunk[4096];
    for (std::size_t n = stream.read(chunk, sizeof chunk); n > 0; n = stream.read(chunk, sizeof chunk)) {
      if (!send_all(c.fd, chunk, n)) return;
    }
    return;
  }
  send_text(c.fd,
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 55\r\nConnection: close\r\n\r\n"
            "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such page\"}}");
}

}  // namespace ampx::posix
