// CRC-16/MODBUS: reflected polynomial 0xA001, initial value 0xFFFF, no final xor. On the wire the
// low byte goes first.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ampx {

/** Continues a CRC over more bytes (start with 0xFFFF). */
constexpr std::uint16_t crc16_modbus_update(std::uint16_t crc, const std::uint8_t* data, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) {
    crc = static_cast<std::uint16_t>(crc ^ data[i]);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1U) != 0 ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001U) : static_cast<std::uint16_t>(crc >> 1);
    }
  }
  return crc;
}

constexpr std::uint16_t crc16_modbus(const std::uint8_t* data, std::size_t length) {
  return crc16_modbus_update(0xFFFF, data, length);
}

}  // namespace ampx
