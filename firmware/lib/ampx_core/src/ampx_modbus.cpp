#include "ampx_modbus.h"

#include "ampx_crc.h"
#include "ampx_limits.h"

namespace ampx {

namespace {

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }

void put_be16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v & 0xFF);
}

bool is_read(FunctionCode fc) {
  return fc == FunctionCode::read_holding_registers || fc == FunctionCode::read_input_registers;
}

ModbusResponse fail(ModbusResult result) { return ModbusResponse{result, 0, 0}; }

}  // namespace

const char* result_name(ModbusResult result) {
  switch (result) {
    case ModbusResult::ok: return "ok";
    case ModbusResult::timeout: return "timeout";
    case ModbusResult::crc_error: return "crc_error";
    case ModbusResult::wrong_unit: return "wrong_unit";
    case ModbusResult::wrong_function: return "wrong_function";
    case ModbusResult::bad_length: return "bad_length";
    case ModbusResult::exception: return "exception";
    case ModbusResult::wrong_transaction: return "wrong_transaction";
    case ModbusResult::wrong_protocol: return "wrong_protocol";
    case ModbusResult::invalid_response: return "invalid_response";
    case ModbusResult::connection_error: return "connection_error";
    case ModbusResult::invalid_request: return "invalid_request";
  }
  return "unknown";
}

std::size_t build_pdu(const ModbusRequest& request, std::uint8_t* out, std::size_t capacity) {
  const auto fc = request.function;
  out[0] = static_cast<std::uint8_t>(fc);
  if (is_read(fc)) {
    if (request.count == 0 || request.count > kMaxReadRegisters || capacity < 5) return 0;
    put_be16(out + 1, request.address);
    put_be16(out + 3, request.count);
    return 5;
  }
  if (fc == FunctionCode::write_single_register) {
    if (request.values == nullptr || capacity < 5) return 0;
    put_be16(out + 1, request.address);
    put_be16(out + 3, request.values[0]);
    return 5;
  }
  if (fc == FunctionCode::write_multiple_registers) {
    const std::size_t length = 6 + 2U * request.count;
    if (request.values == nullptr || request.count == 0 || request.count > kMaxWriteRegisters || capacity < length) {
      return 0;
    }
    put_be16(out + 1, request.address);
    put_be16(out + 3, request.count);
    out[5] = static_cast<std::uint8_t>(2U * request.count);
    for (std::size_t i = 0; i < request.count; ++i) put_be16(out + 6 + 2 * i, request.values[i]);
    return length;
  }
  return 0;
}

std::size_t expected_response_pdu_length(const ModbusRequest& request) {
  return is_read(request.function) ? 2U + 2U * request.count : 5U;
}

ModbusResponse parse_pdu(const ModbusRequest& request, const std::uint8_t* pdu, std::size_t length,
                         std::uint16_t* words, std::size_t word_capacity) {
  if (length < 1) return fail(ModbusResult::bad_length);
  const auto fc = static_cast<std::uint8_t>(request.function);
  if (pdu[0] == (fc | 0x80U)) {
    if (length != 2) return fail(ModbusResult::bad_length);
    return ModbusResponse{ModbusResult::exception, pdu[1], 0};
  }
  if (pdu[0] != fc) return fail(ModbusResult::wrong_function);

  if (is_read(request.function)) {
    if (length < 2 || pdu[1] != 2U * request.count || length != 2U + pdu[1]) return fail(ModbusResult::bad_length);
    if (word_capacity < request.count) return fail(ModbusResult::invalid_request);
    for (std::size_t i = 0; i < request.count; ++i) words[i] = be16(pdu + 2 + 2 * i);
    return ModbusResponse{ModbusResult::ok, 0, request.count};
  }
  if (length != 5) return fail(ModbusResult::bad_length);
  if (be16(pdu + 1) != request.address) return fail(ModbusResult::invalid_response);
  const std::uint16_t echoed = be16(pdu + 3);
  if (request.function == FunctionCode::write_single_register) {
    if (request.values == nullptr || echoed != request.values[0]) return fail(ModbusResult::invalid_response);
  } else if (echoed != request.count) {
    return fail(ModbusResult::invalid_response);
  }
  return ModbusResponse{ModbusResult::ok, 0, 0};
}

std::size_t rtu_build_request(const ModbusRequest& request, std::uint8_t* out, std::size_t capacity) {
  if (capacity < 4) return 0;
  out[0] = request.unit_id;
  const std::size_t pdu = build_pdu(request, out + 1, capacity - 3);
  if (pdu == 0) return 0;
  const std::uint16_t crc = crc16_modbus(out, 1 + pdu);
  out[1 + pdu] = static_cast<std::uint8_t>(crc & 0xFF);
  out[2 + pdu] = static_cast<std::uint8_t>(crc >> 8);
  return pdu + 3;
}

ModbusResponse rtu_parse_response(const ModbusRequest& request, const std::uint8_t* frame, std::size_t length,
                                  std::uint16_t* words, std::size_t word_capacity) {
  // The shortest valid answer is an exception: unit, function, code, CRC.
  if (length < 5) return fail(ModbusResult::bad_length);
  // CRC first: on a noisy line every other field of a damaged frame is meaningless.
  const std::uint16_t crc = crc16_modbus(frame, length - 2);
  if (frame[length - 2] != (crc & 0xFF) || frame[length - 1] != (crc >> 8)) return fail(ModbusResult::crc_error);
  if (frame[0] != request.unit_id) return fail(ModbusResult::wrong_unit);
  return parse_pdu(request, frame + 1, length - 3, words, word_capacity);
}

std::size_t rtu_expected_response_length(const ModbusRequest& request, const std::uint8_t* received,
                                         std::size_t length) {
  if (length >= 2 && received[1] == (static_cast<std::uint8_t>(request.function) | 0x80U)) return 5;
  return 1 + expected_response_pdu_length(request) + 2;
}

std::size_t tcp_build_request(const ModbusRequest& request, std::uint16_t transaction_id, std::uint8_t* out,
                              std::size_t capacity) {
  if (capacity < 8) return 0;
  const std::size_t pdu = build_pdu(request, out + 7, capacity - 7);
  if (pdu == 0) return 0;
  put_be16(out, transaction_id);
  put_be16(out + 2, 0);
  put_be16(out + 4, static_cast<std::uint16_t>(pdu + 1));
  out[6] = request.unit_id;
  return pdu + 7;
}

ModbusResponse tcp_parse_response(const ModbusRequest& request, std::uint16_t transaction_id,
                                  const std::uint8_t* frame, std::size_t length, std::uint16_t* words,
                                  std::size_t word_capacity) {
  if (length < 8) return fail(ModbusResult::bad_length);
  if (be16(frame) != transaction_id) return fail(ModbusResult::wrong_transaction);
  if (be16(frame + 2) != 0) return fail(ModbusResult::wrong_protocol);
  if (be16(frame + 4) != length - 6) return fail(ModbusResult::bad_length);
  if (frame[6] != request.unit_id) return fail(ModbusResult::wrong_unit);
  return parse_pdu(request, frame + 7, length - 7, words, word_capacity);
}

std::size_t tcp_expected_frame_length(const std::uint8_t* received, std::size_t length) {
  return length < 6 ? 0 : 6U + be16(received + 4);
}

}  // namespace ampx
