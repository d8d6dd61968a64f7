// What the core needs from a platform (ESP32 Arduino, POSIX host): small, non-blocking interfaces.
// Each method is one direct use of a platform API; all decisions stay in the core.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_storage.h"

namespace ampx {

/** Monotonic and wall clocks. */
class Clock {
 public:
  /** Milliseconds since start-up, never going back (esp_timer_get_time() / 1000, CLOCK_MONOTONIC). */
  virtual std::uint64_t monotonic_ms() = 0;
  /** Milliseconds since the Unix epoch (UTC); false until the time is known (SNTP not synced yet). */
  virtual bool wall_ms(std::int64_t* epoch_ms) = 0;

 protected:
  ~Clock() = default;
};

/** A UART wired to an RS485 transceiver (MAX485): DE/RE high while sending, low while listening. */
class SerialPort {
 public:
  /** Drives DE/RE: true = transmit, false = receive. */
  virtual void set_transmit(bool transmit) = 0;
  /** Queues bytes for sending; returns how many were accepted. */
  virtual std::size_t write(const std::uint8_t* data, std::size_t length) = 0;
  /** Blocks until the last byte has left the shift register (then DE/RE may drop). */
  virtual void flush() = 0;
  /** Reads the bytes already received, up to capacity, without waiting. */
  virtual std::size_t read(std::uint8_t* data, std::size_t capacity) = 0;
  /** Discards bytes received so far (stale answers before a new request). */
  virtual void discard_input() = 0;

 protected:
  ~SerialPort() = default;
};

/** One TCP connection to a Modbus TCP server. */
class TcpClient {
 public:
  enum class State : std::uint8_t { closed, connecting, connected, failed };
  /** Starts connecting (may complete later; poll state()). */
  virtual bool connect(const char* host, std::uint16_t port) = 0;
  virtual State state() = 0;
  virtual std::size_t write(const std::uint8_t* data, std::size_t length) = 0;
  /** Reads the bytes already received, up to capacity, without waiting. */
  virtual std::size_t read(std::uint8_t* data, std::size_t capacity) = 0;
  virtual void close() = 0;

 protected:
  ~TcpClient() = default;
};

/** One HTTP(S) POST of a payload. */
class HttpPoster {
 public:
  struct Header {
    const char* name;
    const char* value;
  };
  /** Sends body to url with the headers; returns the HTTP status, or a negative value when no answer came. */
  virtual int post(const char* url, const Header* headers, std::size_t header_count, const char* body,
                   std::size_t length, std::uint32_t timeout_ms) = 0;

 protected:
  ~HttpPoster() = default;
};

}  // namespace ampx
