// Every fixed capacity of the firmware core, in one place. The core never allocates on the heap:
// each table and buffer below is sized at compile time, and code generation checks a site against
// these numbers before it writes a project (a site that does not fit is an error naming the field).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ampx {

/** Meters per site (the site schema's meters.maxItems). */
constexpr std::size_t kMaxMeters = 32;
/** Read blocks (one Modbus read each) per meter, over all its poll classes. */
constexpr std::size_t kMaxBlocksPerMeter = 16;
/** Decoded quantities per meter. */
constexpr std::size_t kMaxQuantitiesPerMeter = 64;
/** Aggregated series (meter × non-identity quantity) per site; each costs one 32-byte accumulator. */
constexpr std::size_t kMaxSeries = 1536;
/** Poll classes per site (live, energy, identity, ...). */
constexpr std::size_t kMaxPollClasses = 8;
/** Independent buses: one RS485 bus, or one per Modbus TCP host:port. */
constexpr std::size_t kMaxBuses = kMaxMeters;
/** Sentinel values per register. */
constexpr std::size_t kMaxSentinels = 4;

/** Registers in one read (the Modbus maximum for FC03/FC04). */
constexpr std::size_t kMaxReadRegisters = 125;
/** Registers in one write (the Modbus maximum for FC16). */
constexpr std::size_t kMaxWriteRegisters = 123;
/** Largest Modbus PDU (function code + data). */
constexpr std::size_t kMaxPduBytes = 253;
/** Largest RTU frame: unit id + PDU + CRC. */
constexpr std::size_t kMaxRtuFrameBytes = 1 + kMaxPduBytes + 2;
/** Largest Modbus TCP frame: 7-byte MBAP header + PDU (without its unit id, which MBAP holds). */
constexpr std::size_t kMaxTcpFrameBytes = 7 + kMaxPduBytes;

/** Registers of the longest string register (the profile schema's length maximum). */
constexpr std::size_t kMaxStringRegisters = 64;
/** Bytes of a decoded string as UTF-8 plus its NUL: each raw byte is at most two UTF-8 bytes. */
constexpr std::size_t kMaxStringBytes = kMaxStringRegisters * 2 * 2 + 1;

#ifndef AMPX_PAYLOAD_BUFFER_SIZE
#define AMPX_PAYLOAD_BUFFER_SIZE 32768
#endif
/** Bytes of one rendered upload payload (and of one ring buffer slot's data). */
constexpr std::size_t kPayloadBufferSize = AMPX_PAYLOAD_BUFFER_SIZE;

#ifndef AMPX_RING_SLOTS
#define AMPX_RING_SLOTS 96
#endif
/** Most payloads the upload ring buffer holds (96 = one day of 15-minute intervals). */
constexpr std::size_t kMaxRingSlots = AMPX_RING_SLOTS;

}  // namespace ampx
