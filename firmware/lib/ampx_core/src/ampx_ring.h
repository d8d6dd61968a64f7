// The outbox of the firmware: rendered interval payloads waiting to be uploaded, in a ring of fixed
// slots on a Storage. Oldest first: peek the oldest, upload it, pop it once the API acknowledged it.
// When the ring is full, push overwrites the oldest payload and counts it in dropped().
//
// Layout: two metadata records (written alternately, each with a generation and a CRC, so that a
// torn write leaves the other intact), then the slots. A slot has a header (magic, sequence number,
// length, CRC of the data); payload number s lives in slot s % slot_count. A slot whose header does
// not match the expected sequence or CRC (a crash between a slot write and the metadata write) is
// skipped and counted as dropped. Delivery is at least once: a crash after an upload but before pop
// sends that payload again, which the API deduplicates by its idempotency key.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_limits.h"
#include "ampx_storage.h"

namespace ampx {

enum class RingStatus : std::uint8_t {
  ok,
  empty,
  /** The payload is larger than a slot. */
  too_large,
  /** The caller's buffer is smaller than the payload. */
  buffer_too_small,
  io_error,
  /** The storage cannot hold even one slot of this size. */
  no_space,
  not_open,
};

const char* ring_status_name(RingStatus status);

class RingBuffer {
 public:
  static constexpr std::size_t kMetaBytes = 36;
  static constexpr std::size_t kSlotHeaderBytes = 16;

  /**
   * Opens the ring on storage with slots of slot_capacity data bytes; as many slots as fit (at most
   * kMaxRingSlots). Restores the queue from the newer valid metadata record; a storage written with
   * another geometry (or never) starts empty.
   */
  RingStatus open(Storage& storage, std::size_t slot_capacity);

  /** Appends a payload; overwrites the oldest one when full (dropped() counts it). */
  RingStatus push(const char* data, std::size_t length);

  /** Copies the oldest payload into buffer; its length goes to *length. */
  RingStatus peek(char* buffer, std::size_t capacity, std::size_t* length);

  /** Removes the oldest payload (after the API acknowledged it). */
  RingStatus pop();

  std::size_t count() const { return static_cast<std::size_t>(next_ - head_); }
  std::size_t slot_count() const { return slot_count_; }
  std::size_t slot_capacity() const { return slot_capacity_; }
  /** Payloads lost to overwriting or damaged slots since the storage was formatted. */
  std::uint32_t dropped() const { return dropped_; }
  /** Sequence number of the oldest payload (increases by one per payload ever pushed). */
  std::uint32_t head_sequence() const { return head_; }

 private:
  std::size_t slot_offset(std::uint32_t sequence) const;
  bool write_meta();
  bool read_meta(std::size_t index, void* meta);
  bool check_slot(std::uint32_t sequence, std::uint32_t* length);

  Storage* storage_ = nullptr;
  std::size_t slot_capacity_ = 0;
  std::size_t slot_count_ = 0;
  std::uint32_t head_ = 0;
  std::uint32_t next_ = 0;
  std::uint32_t dropped_ = 0;
  std::uint32_t generation_ = 0;
};

}  // namespace ampx
