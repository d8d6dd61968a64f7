// Modbus framing: CRC-16/MODBUS, RTU and TCP requests, and response validation. The expected frames
// were computed with pymodbus 3.0 (computeCRC) and match the Modbus specification's examples.
#include <cstring>
#include <vector>

#include "ampx_crc.h"
#include "ampx_limits.h"
#include "ampx_modbus.h"
#include "ampx_test.h"
#include "test_frames.h"

using namespace ampx;
using ampx_test::with_crc;

namespace {

std::vector<std::uint8_t> built(std::size_t (*build)(const ModbusRequest&, std::uint8_t*, std::size_t),
                                const ModbusRequest& request) {
  std::uint8_t out[kMaxRtuFrameBytes];
  return std::vector<std::uint8_t>(out, out + build(request, out, sizeof out));
}

const ModbusRequest kRead{0x11, FunctionCode::read_holding_registers, 0x0064, 2, nullptr};

}  // namespace

TEST_CASE(crc16_check_value) {
  const char* text = "123456789";
  CHECK_EQ(crc16_modbus(reinterpret_cast<const std::uint8_t*>(text), 9), 0x4B37);
  static_assert(crc16_modbus(nullptr, 0) == 0xFFFF, "empty input leaves the initial value");
}

TEST_CASE(rtu_read_requests_match_pymodbus) {
  CHECK(built(rtu_build_request, {1, FunctionCode::read_holding_registers, 0, 1, nullptr}) ==
        (std::vector<std::uint8_t>{0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A}));
  CHECK(built(rtu_build_request, {1, FunctionCode::read_input_registers, 0, 10, nullptr}) ==
        (std::vector<std::uint8_t>{0x01, 0x04, 0x00, 0x00, 0x00, 0x0A, 0x70, 0x0D}));
  CHECK(built(rtu_build_request, kRead) ==
        (std::vector<std::uint8_t>{0x11, 0x03, 0x00, 0x64, 0x00, 0x02, 0x87, 0x44}));
}

TEST_CASE(rtu_write_requests_match_pymodbus) {
  const std::uint16_t one[] = {0x000A};
  CHECK(built(rtu_build_request, {1, FunctionCode::write_single_register, 1, 1, one}) ==
        (std::vector<std::uint8_t>{0x01, 0x06, 0x00, 0x01, 0x00, 0x0A, 0x58, 0x0D}));
  const std::uint16_t two[] = {0x000A, 0x0102};
  CHECK(built(rtu_build_request, {1, FunctionCode::write_multiple_registers, 1, 2, two}) ==
        (std::vector<std::uint8_t>{0x01, 0x10, 0x00, 0x01, 0x00, 0x02, 0x04, 0x00, 0x0A, 0x01, 0x02, 0x92, 0x30}));
}

TEST_CASE(invalid_requests_are_refused) {
  std::uint8_t out[kMaxRtuFrameBytes];
  CHECK_EQ(rtu_build_request({1, FunctionCode::read_holding_registers, 0, 0, nullptr}, out, sizeof out), 0U);
  CHECK_EQ(rtu_build_request({1, FunctionCode::read_holding_registers, 0, 126, nullptr}, out, sizeof out), 0U);
  CHECK_EQ(rtu_build_request({1, FunctionCode::read_holding_registers, 0, 125, nullptr}, out, sizeof out), 8U);
  CHECK_EQ(rtu_build_request({1, FunctionCode::write_single_register, 0, 1, nullptr}, out, sizeof out), 0U);
  CHECK_EQ(rtu_build_request(kRead, out, 7), 0U);  // too small for 8 bytes
}

TEST_CASE(rtu_response_ok) {
  const auto frame = with_crc({0x11, 0x03, 0x04, 0x12, 0x34, 0xAB, 0xCD});
  std::uint16_t words[2] = {};
  const ModbusResponse r = rtu_parse_response(kRead, frame.data(), frame.size(), words, 2);
  CHECK_EQ(r.result, ModbusResult::ok);
  CHECK_EQ(r.word_count, 2);
  CHECK_EQ(words[0], 0x1234);
  CHECK_EQ(words[1], 0xABCD);
  CHECK_EQ(rtu_expected_response_length(kRead, frame.data(), 2), 9U);
}

TEST_CASE(rtu_response_errors) {
  std::uint16_t words[8] = {};
  auto parse = [&](const std::vector<std::uint8_t>& f) { return rtu_parse_response(kRead, f.data(), f.size(), words, 8); };

  auto damaged = with_crc({0x11, 0x03, 0x04, 0x12, 0x34, 0xAB, 0xCD});
  damaged[4] ^= 0x01;
  CHECK_EQ(parse(damaged).result, ModbusResult::crc_error);
  CHECK_EQ(parse(with_crc({0x12, 0x03, 0x04, 0x12, 0x34, 0xAB, 0xCD})).result, ModbusResult::wrong_unit);
  CHECK_EQ(parse(with_crc({0x11, 0x04, 0x04, 0x12, 0x34, 0xAB, 0xCD})).result, ModbusResult::wrong_function);
  // Byte count says 2 registers' worth but 1 was asked... and the reverse.
  CHECK_EQ(parse(with_crc({0x11, 0x03, 0x02, 0x12, 0x34})).result, ModbusResult::bad_length);
  CHECK_EQ(parse(with_crc({0x11, 0x03, 0x06, 0x12, 0x34, 0xAB, 0xCD, 0x00, 0x00})).result, ModbusResult::bad_length);
  // Byte count right, data short.
  CHECK_EQ(parse(with_crc({0x11, 0x03, 0x04, 0x12, 0x34, 0xAB})).result, ModbusResult::bad_length);
  CHECK_EQ(parse({0x11, 0x03, 0x04}).result, ModbusResult::bad_length);

  const auto exception = with_crc({0x11, 0x83, 0x02});
  const ModbusResponse r = parse(exception);
  CHECK_EQ(r.result, ModbusResult::exception);
  CHECK_EQ(r.exception_code, 2);
  CHECK_EQ(rtu_expected_response_length(kRead, exception.data(), 2), 5U);
  // The exception example of the Modbus specification, CRC from pymodbus.
  const std::uint8_t spec[] = {0x01, 0x83, 0x02, 0xC0, 0xF1};
  const ModbusRequest read1{1, FunctionCode::read_holding_registers, 0, 1, nullptr};
  CHECK_EQ(rtu_parse_response(read1, spec, 5, words, 8).result, ModbusResult::exception);
}

TEST_CASE(rtu_write_echoes) {
  std::uint16_t words[1];
  const std::uint16_t value[] = {0x000A};
  const ModbusRequest single{1, FunctionCode::write_single_register, 1, 1, value};
  const auto echo = with_crc({0x01, 0x06, 0x00, 0x01, 0x00, 0x0A});
  CHECK_EQ(rtu_parse_response(single, echo.data(), echo.size(), words, 0).result, ModbusResult::ok);
  const auto wrong = with_crc({0x01, 0x06, 0x00, 0x01, 0x00, 0x0B});
  CHECK_EQ(rtu_parse_response(single, wrong.data(), wrong.size(), words, 0).result, ModbusResult::invalid_response);

  const std::uint16_t values[] = {1, 2};
  const ModbusRequest multiple{1, FunctionCode::write_multiple_registers, 1, 2, values};
  const auto ack = with_crc({0x01, 0x10, 0x00, 0x01, 0x00, 0x02});
  CHECK_EQ(rtu_parse_response(multiple, ack.data(), ack.size(), words, 0).result, ModbusResult::ok);
  const auto short_ack = with_crc({0x01, 0x10, 0x00, 0x01, 0x00, 0x01});
  CHECK_EQ(rtu_parse_response(multiple, short_ack.data(), short_ack.size(), words, 0).result,
           ModbusResult::invalid_response);
}

TEST_CASE(tcp_request_and_response) {
  std::uint8_t out[kMaxTcpFrameBytes];
  const ModbusRequest read{0x01, FunctionCode::read_input_registers, 0x0010, 3, nullptr};
  const std::size_t n = tcp_build_request(read, 0xBEEF, out, sizeof out);
  CHECK(std::vector<std::uint8_t>(out, out + n) ==
        (std::vector<std::uint8_t>{0xBE, 0xEF, 0x00, 0x00, 0x00, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x03}));

  std::vector<std::uint8_t> answer{0xBE, 0xEF, 0x00, 0x00, 0x00, 0x09, 0x01, 0x04, 0x06, 0, 1, 0, 2, 0xFF, 0xFF};
  std::uint16_t words[3] = {};
  CHECK_EQ(tcp_expected_frame_length(answer.data(), 6), answer.size());
  CHECK_EQ(tcp_expected_frame_length(answer.data(), 5), 0U);
  const ModbusResponse ok = tcp_parse_response(read, 0xBEEF, answer.data(), answer.size(), words, 3);
  CHECK_EQ(ok.result, ModbusResult::ok);
  CHECK_EQ(words[0], 1);
  CHECK_EQ(words[2], 0xFFFF);

  auto variant = [&](std::size_t index, std::uint8_t value) {
    auto copy = answer;
    copy[index] = value;
    return tcp_parse_response(read, 0xBEEF, copy.data(), copy.size(), words, 3).result;
  };
  CHECK_EQ(variant(1, 0xEE), ModbusResult::wrong_transaction);
  CHECK_EQ(variant(3, 0x01), ModbusResult::wrong_protocol);
  CHECK_EQ(variant(5, 0x08), ModbusResult::bad_length);
  CHECK_EQ(variant(6, 0x02), ModbusResult::wrong_unit);
  CHECK_EQ(variant(7, 0x03), ModbusResult::wrong_function);
  CHECK_EQ(variant(8, 0x04), ModbusResult::bad_length);

  const std::uint8_t exception[] = {0xBE, 0xEF, 0x00, 0x00, 0x00, 0x03, 0x01, 0x84, 0x02};
  const ModbusResponse ex = tcp_parse_response(read, 0xBEEF, exception, sizeof exception, words, 3);
  CHECK_EQ(ex.result, ModbusResult::exception);
  CHECK_EQ(ex.exception_code, 2);
  CHECK_EQ(tcp_parse_response(read, 0xBEEF, exception, 7, words, 3).result, ModbusResult::bad_length);
}

TEST_CASE(result_names_are_stable) {
  CHECK(std::strcmp(result_name(ModbusResult::crc_error), "crc_error") == 0);
  CHECK(std::strcmp(result_name(ModbusResult::wrong_transaction), "wrong_transaction") == 0);
  CHECK(std::strcmp(result_name(ModbusResult::timeout), "timeout") == 0);
}
