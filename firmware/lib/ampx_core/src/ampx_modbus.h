// Modbus framing: request building and response validation for the PDU, RTU (unit id + PDU +
// CRC-16) and TCP (MBAP header + PDU). Pure functions over caller-owned buffers; the platform layer
// moves the bytes and the transaction classes (ampx_transaction.h) drive them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ampx {

enum class FunctionCode : std::uint8_t {
  read_holding_registers = 0x03,
  read_input_registers = 0x04,
  write_single_register = 0x06,
  write_multiple_registers = 0x10,
};

/** The outcome of one Modbus transaction. Everything but ok is a failed read. */
enum class ModbusResult : std::uint8_t {
  ok,
  /** No (complete) answer in time; set by the transaction driver, never by the parsers. */
  timeout,
  crc_error,
  /** The answer came from another unit id. */
  wrong_unit,
  /** The answer's function code is neither the request's nor its exception code. */
  wrong_function,
  /** Frame length, byte count or MBAP length do not fit the request. */
  bad_length,
  /** The meter answered with an exception (function code | 0x80); see exception_code. */
  exception,
  /** Modbus TCP: the answer carries another transaction id. */
  wrong_transaction,
  /** Modbus TCP: the MBAP protocol id is not 0. */
  wrong_protocol,
  /** A write's echo does not repeat the request's address, value or count. */
  invalid_response,
  /** The transport could not send or connect (serial error, TCP refused or closed). */
  connection_error,
  /** The request itself cannot be framed (count 0 or above the maximum, missing values). */
  invalid_request,
};

/** Stable lower-case name of a result, e.g. "crc_error". */
const char* result_name(ModbusResult result);

/** One request. For reads `count` registers from `address`; FC06 writes values[0]; FC16 writes count values. */
struct ModbusRequest {
  std::uint8_t unit_id;
  FunctionCode function;
  std::uint16_t address;
  std::uint16_t count;
  const std::uint16_t* values;
};

struct ModbusResponse {
  ModbusResult result;
  /** The exception code when result is exception (1 illegal function, 2 illegal address, ...). */
  std::uint8_t exception_code;
  /** Register words written to the caller's buffer (reads only). */
  std::uint16_t word_count;
};

/** Builds the PDU (function code + data). Returns its length, or 0 for an invalid request or a too small buffer. */
std::size_t build_pdu(const ModbusRequest& request, std::uint8_t* out, std::size_t capacity);

/**
 * Validates a response PDU against its request: function code (or exception), byte count = 2 × count,
 * write echoes. Register words of a read go to `words` (at least request.count of them).
 */
ModbusResponse parse_pdu(const ModbusRequest& request, const std::uint8_t* pdu, std::size_t length,
                         std::uint16_t* words, std::size_t word_capacity);

/** Length of the response PDU a request expects when it succeeds. */
std::size_t expected_response_pdu_length(const ModbusRequest& request);

/** RTU request frame: unit id, PDU, CRC (low byte first). Returns its length or 0. */
std::size_t rtu_build_request(const ModbusRequest& request, std::uint8_t* out, std::size_t capacity);

/** Validates an RTU response frame: length, CRC, unit id, then the PDU. */
ModbusResponse rtu_parse_response(const ModbusRequest& request, const std::uint8_t* frame, std::size_t length,
                                  std::uint16_t* words, std::size_t word_capacity);

/**
 * How many bytes the RTU response to `request` has, judged from the bytes received so far: the
 * success length, or 5 once the second byte shows an exception. Lets a driver stop reading early.
 */
std::size_t rtu_expected_response_length(const ModbusRequest& request, const std::uint8_t* received,
                                         std::size_t length);

/** Modbus TCP request frame: MBAP (transaction id, protocol 0, length, unit id) + PDU. Returns its length or 0. */
std::size_t tcp_build_request(const ModbusRequest& request, std::uint16_t transaction_id, std::uint8_t* out,
                              std::size_t capacity);

/** Validates a Modbus TCP response: MBAP transaction id, protocol id, length, unit id, then the PDU. */
ModbusResponse tcp_parse_response(const ModbusRequest& request, std::uint16_t transaction_id,
                                  const std::uint8_t* frame, std::size_t length, std::uint16_t* words,
                                  std::size_t word_capacity);

/** Total length of a Modbus TCP frame once its first 6 bytes are in (6 + the MBAP length field), else 0. */
std::size_t tcp_expected_frame_length(const std::uint8_t* received, std::size_t length);

}  // namespace ampx
