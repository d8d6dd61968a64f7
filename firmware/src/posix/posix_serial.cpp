#include "posix/posix_serial.h"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace ampx::posix {

namespace {

bool baud_constant(std::uint32_t baud, speed_t* out) {
  switch (baud) {
    case 1200: *out = B1200; return true;
    case 2400: *out = B2400; return true;
    case 4800: *out = B4800; return true;
    case 9600: *out = B9600; return true;
    case 19200: *out = B19200; return true;
    case 38400: *out = B38400; return true;
    case 57600: *out = B57600; return true;
    case 115200: *out = B115200; return true;
    case 230400: *out = B230400; return true;
    default: return false;
  }
}

}  // namespace

bool PosixSerial::open(const char* path, const RtuConfig& line) {
  close();
  speed_t speed = B9600;
  if (!baud_constant(line.baud_rate, &speed)) {
    errno = EINVAL;
    return false;
  }
  fd_ = ::open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) return false;
  termios tio{};
  if (tcgetattr(fd_, &tio) != 0) {
    close();
    return false;
  }
  cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~(CSIZE | PARENB | PARODD | CSTOPB);
  tio.c_cflag |= line.data_bits == 7 ? CS7 : CS8;
  if (line.parity != Parity::none) tio.c_cflag |= PARENB;
  if (line.parity == Parity::odd) tio.c_cflag |= PARODD;
  if (line.stop_bits == 2) tio.c_cflag |= CSTOPB;
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  cfsetispeed(&tio, speed);
  cfsetospeed(&tio, speed);
  if (tcsetattr(fd_, TCSANOW, &tio) != 0) {
    close();
    return false;
  }
  tcflush(fd_, TCIOFLUSH);
  return true;
}

void PosixSerial::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::size_t PosixSerial::write(const std::uint8_t* data, std::size_t length) {
  std::size_t sent = 0;
  // A request frame is at most 256 bytes: wait briefly for room instead of giving up on EAGAIN.
  for (int attempts = 0; sent < length && attempts < 100; ++attempts) {
    const ssize_t n = ::write(fd_, data + sent, length - sent);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      break;
    } else {
      pollfd p{fd_, POLLOUT, 0};
      ::poll(&p, 1, 10);
    }
  }
  return sent;
}

void PosixSerial::flush() { tcdrain(fd_); }

std::size_t PosixSerial::read(std::uint8_t* data, std::size_t capacity) {
  if (capacity == 0) return 0;
  const ssize_t n = ::read(fd_, data, capacity);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void PosixSerial::discard_input() { tcflush(fd_, TCIFLUSH); }

}  // namespace ampx::posix
