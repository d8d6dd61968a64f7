// The local web endpoints' JSON: the snapshot of every meter's latest values (GET /api/snapshot,
// shaped like the engine's GET /api/meters: the same meter ids, quantity names and {v, q, t} values),
// and the live update sent to the table page after each read. The snapshot of a 32-meter site is
// tens of kilobytes, so it is written as a stream of small pieces into whatever buffer the web
// server offers (a socket write on POSIX, a chunk of AsyncWebServer's chunked response on the ESP32).
#pragma once

#include <cstddef>
#include <cstdint>

#include "app/gateway.h"

namespace ampx::app {

/** Bytes of one live update message (one block: at most 64 quantities). */
constexpr std::size_t kLiveMessageBytes = 8192;
/** Bytes of one quantity's value text: a 64-register string, every byte escaped, fits. */
constexpr std::size_t kValueBytes = 1536;
/** Bytes of the largest snapshot piece: a meter's head with its health, or one value and a comma. */
constexpr std::size_t kSnapshotPieceBytes = 2048;

/** One read's values as a live update: {"type":"values","meter":id,"status":…,"lastUpdate":…,"values":{…}}. 0 when it does not fit. */
std::size_t write_block_update(const Gateway& gateway, std::size_t block, std::int64_t epoch_ms, char* out,
                               std::size_t capacity);

/**
 * The snapshot as a stream: begin(), then read() until it returns 0. Each read copies up to
 * `capacity` bytes, so any buffer size works. Holds its own small piece buffer, no heap.
 */
class SnapshotStream {
 public:
  void begin(const Gateway& gateway);
  std::size_t read(char* out, std::size_t capacity);
  bool done() const { return phase_ == Phase::done && offset_ == length_; }

 private:
  enum class Phase : std::uint8_t { head, quantities, meters_open, meter_head, meter_values, meter_tail, tail, done };
  /** Writes the next piece into piece_; false when the stream has ended. */
  bool next_piece();

  const Gateway* gateway_ = nullptr;
  Phase phase_ = Phase::done;
  std::size_t index_ = 0;
  std::size_t meter_ = 0;
  bool first_ = true;
  char piece_[kSnapshotPieceBytes] = {};
  std::size_t length_ = 0;
  std::size_t offset_ = 0;
};

}  // namespace ampx::app
