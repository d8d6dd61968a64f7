#include "posix/posix_tcp.h"

#include <cerrno>
#include <cstdio>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ampx::posix {

bool PosixTcpClient::connect(const char* host, std::uint16_t port) {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  char service[8];
  std::snprintf(service, sizeof service, "%u", static_cast<unsigned>(port));
  addrinfo* found = nullptr;
  if (getaddrinfo(host, service, &hints, &found) != 0 || found == nullptr) {
    state_ = State::failed;
    return false;
  }
  fd_ = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int result = -1;
  if (fd_ >= 0) {
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    result = ::connect(fd_, found->ai_addr, found->ai_addrlen);
  }
  freeaddrinfo(found);
  if (fd_ >= 0 && result == 0) {
    state_ = State::connected;
  } else if (fd_ >= 0 && errno == EINPROGRESS) {
    state_ = State::connecting;
  } else {
    close();
    state_ = State::failed;
    return false;
  }
  return true;
}

TcpClient::State PosixTcpClient::state() {
  if (state_ == State::connecting) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, 0) > 0) {
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
      state_ = error == 0 ? State::connected : State::failed;
    }
  }
  return state_;
}

std::size_t PosixTcpClient::write(const std::uint8_t* data, std::size_t length) {
  if (state_ != State::connected) return 0;
  std::size_t sent = 0;
  for (int attempts = 0; sent < length && attempts < 100; ++attempts) {
    const ssize_t n = ::send(fd_, data + sent, length - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      state_ = State::failed;
      break;
    } else {
      pollfd p{fd_, POLLOUT, 0};
      ::poll(&p, 1, 10);
    }
  }
  return sent;
}

std::size_t PosixTcpClient::read(std::uint8_t* data, std::size_t capacity) {
  if (state_ != State::connected || capacity == 0) return 0;
  const ssize_t n = ::recv(fd_, data, capacity, 0);
  if (n > 0) return static_cast<std::size_t>(n);
  if (n == 0) {
    state_ = State::closed;  // the server closed the connection
  } else if (errno != EAGAIN && errno != EINTR) {
    state_ = State::failed;
  }
  return 0;
}

void PosixTcpClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  state_ = State::closed;
}

}  // namespace ampx::posix
