#include "ampx_transaction.h"

#include <cstring>

namespace ampx {

namespace {

// Keeps a copy of the values to write: the caller's array need not outlive start().
ModbusRequest keep(const ModbusRequest& request, std::uint16_t* values) {
  ModbusRequest copy = request;
  if (request.values != nullptr) {
    const std::size_t n = request.function == FunctionCode::write_multiple_registers ? request.count : 1;
    if (n <= kMaxWriteRegisters) std::memcpy(values, request.values, n * sizeof *values);
    copy.values = values;
  }
  return copy;
}

}  // namespace

void RtuMaster::begin(SerialPort& port, std::uint32_t response_timeout_ms) {
  port_ = &port;
  timeout_ms_ = response_timeout_ms;
  state_ = State::idle;
}

void RtuMaster::finish(const ModbusResponse& response) {
  response_ = response;
  state_ = State::done;
}

bool RtuMaster::start(const ModbusRequest& request, std::uint64_t now_ms) {
  request_ = keep(request, values_);
  std::uint8_t out[kMaxRtuFrameBytes];
  const std::size_t length = rtu_build_request(request_, out, sizeof out);
  if (port_ == nullptr || length == 0) {
    finish(ModbusResponse{ModbusResult::invalid_request, 0, 0});
    return false;
  }
  port_->discard_input();
  port_->set_transmit(true);
  const std::size_t written = port_->write(out, length);
  port_->flush();
  port_->set_transmit(false);
  if (written != length) {
    finish(ModbusResponse{ModbusResult::connection_error, 0, 0});
    return false;
  }
  received_ = 0;
  deadline_ms_ = now_ms + timeout_ms_;
  state_ = State::waiting;
  return true;
}

void RtuMaster::poll(std::uint64_t now_ms) {
  if (state_ != State::waiting) return;
  received_ += port_->read(frame_ + received_, sizeof frame_ - received_);
  const std::size_t expected = rtu_expected_response_length(request_, frame_, received_);
  if (received_ >= expected) {
    // Bytes after the expected frame are line noise or another device's answer; ignore them.
    finish(rtu_parse_response(request_, frame_, expected, words_, kMaxReadRegisters));
  } else if (now_ms >= deadline_ms_) {
    // Silence is a timeout; a fragment is judged as it is (usually a CRC error or a wrong length).
    finish(received_ == 0 ? ModbusResponse{ModbusResult::timeout, 0, 0}
                          : rtu_parse_response(request_, frame_, received_, words_, kMaxReadRegisters));
  }
}

void TcpMaster::begin(TcpClient& client, const char* host, std::uint16_t port, const Timing& timing) {
  client_ = &client;
  host_ = host;
  port_ = port;
  timing_ = timing;
  state_ = State::idle;
  reconnect_delay_ms_ = timing.reconnect_delay_ms;
  retry_at_ms_ = 0;
}

void TcpMaster::finish(const ModbusResponse& response) {
  response_ = response;
  state_ = State::done;
}

void TcpMaster::fail(ModbusResult result, std::uint64_t now_ms) {
  client_->close();
  retry_at_ms_ = now_ms + reconnect_delay_ms_;
  reconnect_delay_ms_ = reconnect_delay_ms_ > timing_.reconnect_delay_max_ms / 2 ? timing_.reconnect_delay_max_ms
                                                                                : reconnect_delay_ms_ * 2;
  finish(ModbusResponse{result, 0, 0});
}

bool TcpMaster::start(const ModbusRequest& request, std::uint64_t now_ms) {
  request_ = keep(request, values_);
  std::uint8_t probe[kMaxTcpFrameBytes];
  if (client_ == nullptr || tcp_build_request(request_, 0, probe, sizeof probe) == 0) {
    finish(ModbusResponse{ModbusResult::invalid_request, 0, 0});
    return false;
  }
  const TcpClient::State link = client_->state();
  if (link == TcpClient::State::connected) {
    send(now_ms);
    return state_ == State::waiting;
  }
  if (now_ms < retry_at_ms_) {
    finish(ModbusResponse{ModbusResult::connection_error, 0, 0});
    return false;
  }
  if (link != TcpClient::State::connecting && !client_->connect(host_, port_)) {
    fail(ModbusResult::connection_error, now_ms);
    return false;
  }
  deadline_ms_ = now_ms + timing_.connect_timeout_ms;
  state_ = State::connecting;
  return true;
}

void TcpMaster::send(std::uint64_t now_ms) {
  std::uint8_t out[kMaxTcpFrameBytes];
  ++transaction_;
  const std::size_t length = tcp_build_request(request_, transaction_, out, sizeof out);
  // A late answer to an earlier request may still be in the socket: drop it.
  std::uint8_t stale[64];
  while (client_->read(stale, sizeof stale) > 0) {
  }
  if (client_->write(out, length) != length) {
    fail(ModbusResult::connection_error, now_ms);
    return;
  }
  received_ = 0;
  deadline_ms_ = now_ms + timing_.response_timeout_ms;
  state_ = State::waiting;
}

void TcpMaster::poll(std::uint64_t now_ms) {
  if (state_ == State::connecting) {
    const TcpClient::State link = client_->state();
    if (link == TcpClient::State::connected) {
      reconnect_delay_ms_ = timing_.reconnect_delay_ms;
      send(now_ms);
    } else if (link == TcpClient::State::failed || link == TcpClient::State::closed || now_ms >= deadline_ms_) {
      fail(ModbusResult::connection_error, now_ms);
    }
    return;
  }
  if (state_ != State::waiting) return;
  if (client_->state() != TcpClient::State::connected) {
    fail(ModbusResult::connection_error, now_ms);
    return;
  }
  for (;;) {
    received_ += client_->read(frame_ + received_, sizeof frame_ - received_);
    const std::size_t expected = tcp_expected_frame_length(frame_, received_);
    if (expected == 0 || received_ < expected) break;
    if (expected > sizeof frame_) {
      fail(ModbusResult::bad_length, now_ms);
      return;
    }
    const ModbusResponse r = tcp_parse_response(request_, transaction_, frame_, expected, words_, kMaxReadRegisters);
    // Skip an answer to an earlier transaction that arrived late; anything else ends this one.
    std::memmove(frame_, frame_ + expected, received_ - expected);
    received_ -= expected;
    if (r.result != ModbusResult::wrong_transaction) {
      finish(r);
      return;
    }
  }
  if (now_ms >= deadline_ms_) {
    // The connection stays up: Modbus TCP servers answer late rather than never.
    finish(ModbusResponse{ModbusResult::timeout, 0, 0});
  }
}

}  // namespace ampx
