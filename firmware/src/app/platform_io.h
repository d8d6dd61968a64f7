// What the firmware loop needs from a platform beyond the core's interfaces (ampx_platform.h:
// Clock, SerialPort, TcpClient, HttpPoster, Storage; ampx_uploader.h: SecretStore): pushing live
// updates to browsers, and reporting what happens. Both are optional; each platform implements them
// with one direct use of its API (AsyncWebSocket::textAll and Serial on the ESP32, stdout on POSIX).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_modbus.h"
#include "ampx_scheduler.h"

namespace ampx::app {

/** Live updates to the open table pages (a WebSocket on the ESP32; POSIX pages poll the snapshot instead). */
class LivePush {
 public:
  /** True when at least one page listens (nothing is formatted otherwise). */
  virtual bool listening() = 0;
  /** Sends one JSON text message to every listening page. */
  virtual void send(const char* text, std::size_t length) = 0;

 protected:
  ~LivePush() = default;
};

/** What the loop reports. Every method has an empty default: a platform overrides what it shows. */
class Events {
 public:
  /** A read finished (any result); words are valid when response.result is ok. Stamped with the wall clock. */
  virtual void read(const PollTask& task, const ModbusResponse& response, const std::uint16_t* words,
                    std::int64_t epoch_ms) {
    (void)task, (void)response, (void)words, (void)epoch_ms;
  }
  /** A meter went online, offline, ... */
  virtual void meter_state(std::size_t meter, MeterState state) { (void)meter, (void)state; }
  /** An interval closed: `payloads` rendered into the ring, which now holds `queued`. */
  virtual void interval_closed(std::int64_t start_ms, std::int64_t end_ms, std::size_t payloads,
                               std::size_t queued, std::size_t failed) {
    (void)start_ms, (void)end_ms, (void)payloads, (void)queued, (void)failed;
  }
  /** An upload round: how many payloads the API accepted, the last HTTP status (negative: no answer). */
  virtual void uploaded(std::size_t accepted, int last_status, std::size_t queued) {
    (void)accepted, (void)last_status, (void)queued;
  }
  /** The upload needs a secret that has not been provisioned; nothing is sent until it is. */
  virtual void missing_secret() {}

 protected:
  ~Events() = default;
};

}  // namespace ampx::app
