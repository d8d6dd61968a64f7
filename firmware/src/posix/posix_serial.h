// SerialPort on POSIX: a termios serial device (a USB-RS485 adapter, or one end of a socat pty pair
// in tests), raw, non-blocking, with the site's baud rate, parity, data and stop bits.
#pragma once

#include "ampx_platform.h"
#include "ampx_site_types.h"

namespace ampx::posix {

class PosixSerial final : public SerialPort {
 public:
  PosixSerial() = default;
  PosixSerial(const PosixSerial&) = delete;
  PosixSerial& operator=(const PosixSerial&) = delete;
  ~PosixSerial() { close(); }

  /** Opens and configures the device; false with errno set (EINVAL: a baud rate termios does not know). */
  bool open(const char* path, const RtuConfig& line);
  void close();
  int fd() const { return fd_; }

  /**
   * USB-RS485 adapters switch direction by themselves; a UART with a transceiver would use the
   * kernel's RS485 mode (TIOCSRS485) instead. Nothing to drive here.
   */
  void set_transmit(bool) override {}
  std::size_t write(const std::uint8_t* data, std::size_t length) override;
  void flush() override;
  std::size_t read(std::uint8_t* data, std::size_t capacity) override;
  void discard_input() override;

 private:
  int fd_ = -1;
};

}  // namespace ampx::posix
