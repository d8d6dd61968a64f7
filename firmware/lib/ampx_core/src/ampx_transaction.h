// Modbus transactions over the platform's byte pipes, as non-blocking state machines: start() sends
// a request, poll(now) reads what has arrived and decides, done() says when the result is ready.
// All timing is the monotonic millisecond clock passed in, so the logic is tested on the host with
// in-memory pipes and the device loop never blocks on a slow meter.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_limits.h"
#include "ampx_modbus.h"
#include "ampx_platform.h"

namespace ampx {

/** Modbus RTU on an RS485 bus: one transaction at a time. */
class RtuMaster {
 public:
  void begin(SerialPort& port, std::uint32_t response_timeout_ms);

  /**
   * Sends a request: drops stale input, drives DE/RE high, writes the frame, waits for the last byte
   * to leave (flush), drives DE/RE low. False (and done() with invalid_request) when it cannot be framed.
   */
  bool start(const ModbusRequest& request, std::uint64_t now_ms);

  /** Reads the bytes that have arrived; finishes on a complete answer or at the response timeout. */
  void poll(std::uint64_t now_ms);

  bool busy() const { return state_ == State::waiting; }
  bool done() const { return state_ == State::done; }
  const ModbusResponse& response() const { return response_; }
  /** The registers of a successful read (response().word_count of them). */
  const std::uint16_t* words() const { return words_; }

 private:
  enum class State : std::uint8_t { idle, waiting, done };
  void finish(const ModbusResponse& response);

  SerialPort* port_ = nullptr;
  std::uint32_t timeout_ms_ = 0;
  State state_ = State::idle;
  ModbusRequest request_{};
  std::uint64_t deadline_ms_ = 0;
  std::uint8_t frame_[kMaxRtuFrameBytes] = {};
  std::size_t received_ = 0;
  ModbusResponse response_{};
  std::uint16_t words_[kMaxReadRegisters] = {};
  std::uint16_t values_[kMaxWriteRegisters] = {};
};

/** Modbus TCP to one host:port: connects on demand, reconnects with a doubling delay. */
class TcpMaster {
 public:
  struct Timing {
    std::uint32_t connect_timeout_ms;
    std::uint32_t response_timeout_ms;
    std::uint32_t reconnect_delay_ms;
    std::uint32_t reconnect_delay_max_ms;
  };

  void begin(TcpClient& client, const char* host, std::uint16_t port, const Timing& timing);

  /** Starts a transaction: connects first when needed. A request during the reconnect delay fails at once. */
  bool start(const ModbusRequest& request, std::uint64_t now_ms);
  void poll(std::uint64_t now_ms);

  bool busy() const { return state_ == State::connecting || state_ == State::waiting; }
  bool done() const { return state_ == State::done; }
  const ModbusResponse& response() const { return response_; }
  const std::uint16_t* words() const { return words_; }
  std::uint16_t transaction_id() const { return transaction_; }

 private:
  enum class State : std::uint8_t { idle, connecting, waiting, done };
  void send(std::uint64_t now_ms);
  void fail(ModbusResult result, std::uint64_t now_ms);
  void finish(const ModbusResponse& response);

  TcpClient* client_ = nullptr;
  const char* host_ = nullptr;
  std::uint16_t port_ = 0;
  Timing timing_{};
  State state_ = State::idle;
  ModbusRequest request_{};
  std::uint16_t transaction_ = 0;
  std::uint64_t deadline_ms_ = 0;
  std::uint64_t retry_at_ms_ = 0;
  std::uint32_t reconnect_delay_ms_ = 0;
  std::uint8_t frame_[kMaxTcpFrameBytes] = {};
  std::size_t received_ = 0;
  ModbusResponse response_{};
  std::uint16_t words_[kMaxReadRegisters] = {};
  std::uint16_t values_[kMaxWriteRegisters] = {};
};

}  // namespace ampx
