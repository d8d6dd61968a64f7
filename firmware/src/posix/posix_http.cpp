#include "posix/posix_http.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ampx::posix {

namespace {

std::int64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int wait_for(int fd, short events, std::int64_t deadline) {
  const std::int64_t left = deadline - now_ms();
  if (left <= 0) return 0;
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, static_cast<int>(left));
}

int connect_until(const HttpUrl& url, std::int64_t deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  char service[8];
  std::snprintf(service, sizeof service, "%u", static_cast<unsigned>(url.port));
  addrinfo* found = nullptr;
  if (getaddrinfo(url.host, service, &hints, &found) != 0 || found == nullptr) return -1;
  int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd >= 0 && ::connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
    int error = errno;
    if (error == EINPROGRESS && wait_for(fd, POLLOUT, deadline) > 0) {
      socklen_t length = sizeof error;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    }
    if (error != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  return fd;
}

bool send_all(int fd, const char* data, std::size_t length, std::int64_t deadline) {
  std::size_t sent = 0;
  while (sent < length) {
    const ssize_t n = ::send(fd, data + sent, length - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return false;
    } else if (wait_for(fd, POLLOUT, deadline) <= 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool parse_http_url(const char* url, HttpUrl* out) {
  static const char kScheme[] = "http://";
  if (std::strncmp(url, kScheme, sizeof kScheme - 1) != 0) return false;
  const char* host = url + sizeof kScheme - 1;
  const char* end = host + std::strcspn(host, ":/");
  const std::size_t host_length = static_cast<std::size_t>(end - host);
  if (host_length == 0 || host_length >= sizeof out->host) return false;
  std::memcpy(out->host, host, host_length);
  out->host[host_length] = 0;
  out->port = 80;
  if (*end == ':') {
    char* after = nullptr;
    const long port = std::strtol(end + 1, &after, 10);
    if (after == end + 1 || port <= 0 || port > 65535 || (*after != '/' && *after != 0)) return false;
    out->port = static_cast<std::uint16_t>(port);
    end = after;
  }
  out->path = *end == '/' ? end : "/";
  return true;
}

int PosixHttpPoster::post(const char* url, const Header* headers, std::size_t header_count, const char* body,
                          std::size_t length, std::uint32_t timeout_ms) {
  HttpUrl target{};
  if (!parse_http_url(url, &target)) return -2;
  const std::int64_t deadline = now_ms() + timeout_ms;
  const int fd = connect_until(target, deadline);
  if (fd < 0) return -1;

  char head[4096];
  int n = std::snprintf(head, sizeof head,
                        "POST %s HTTP/1.1\r\nHost: %s:%u\r\nContent-Length: %zu\r\nConnection: close\r\n",
                        target.path, target.host, static_cast<unsigned>(target.port), length);
  for (std::size_t i = 0; i < header_count && n > 0 && static_cast<std::size_t>(n) < sizeof head; ++i) {
    n += std::snprintf(head + n, sizeof head - static_cast<std::size_t>(n), "%s: %s\r\n", headers[i].name,
                       headers[i].value);
  }
  if (n <= 0 || static_cast<std::size_t>(n) + 3 > sizeof head) {
    ::close(fd);
    return -1;
  }
  n += std::snprintf(head + n, sizeof head - static_cast<std::size_t>(n), "\r\n");
  if (!send_all(fd, head, static_cast<std::size_t>(n), deadline) || !send_all(fd, body, length, deadline)) {
    ::close(fd);
    return -1;
  }

  // The status line is all the uploader needs: the connection is closed as soon as it is in.
  char response[512];
  std::size_t got = 0;
  int status = -4;
  bool timed_out = false;
  for (;;) {
    if (wait_for(fd, POLLIN, deadline) <= 0) {
      timed_out = true;
      break;
    }
    char scratch[512];
    char* into = got < sizeof response - 1 ? response + got : scratch;
    const std::size_t room = got < sizeof response - 1 ? sizeof response - 1 - got : sizeof scratch;
    const ssize_t r = ::recv(fd, into, room, 0);
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (r <= 0) break;
    if (into == response + got) got += static_cast<std::size_t>(r);
    response[got] = 0;
    int code = 0;
    if (status < 0 && std::strchr(response, '\n') != nullptr && std::sscanf(response, "HTTP/%*d.%*d %d", &code) == 1) {
      status = code;
      break;
    }
  }
  ::close(fd);
  if (status < 0 && timed_out) return -3;
  return status;
}

}  // namespace ampx::posix
