// Helpers for tests that build Modbus frames by hand.
#pragma once

#include <cstdint>
#include <vector>

#include "ampx_crc.h"

namespace ampx_test {

/** The frame with its CRC-16/MODBUS appended, low byte first. */
inline std::vector<std::uint8_t> with_crc(std::vector<std::uint8_t> frame) {
  const std::uint16_t crc = ampx::crc16_modbus(frame.data(), frame.size());
  frame.push_back(static_cast<std::uint8_t>(crc & 0xFF));
  frame.push_back(static_cast<std::uint8_t>(crc >> 8));
  return frame;
}

}  // namespace ampx_test
