// TcpClient on POSIX: one non-blocking BSD socket to a Modbus TCP server.
#pragma once

#include "ampx_platform.h"

namespace ampx::posix {

class PosixTcpClient final : public TcpClient {
 public:
  PosixTcpClient() = default;
  PosixTcpClient(const PosixTcpClient&) = delete;
  PosixTcpClient& operator=(const PosixTcpClient&) = delete;
  ~PosixTcpClient() { close(); }

  bool connect(const char* host, std::uint16_t port) override;
  State state() override;
  std::size_t write(const std::uint8_t* data, std::size_t length) override;
  std::size_t read(std::uint8_t* data, std::size_t capacity) override;
  void close() override;
  int fd() const { return fd_; }
  bool connecting() const { return state_ == State::connecting; }

 private:
  int fd_ = -1;
  State state_ = State::closed;
};

}  // namespace ampx::posix
