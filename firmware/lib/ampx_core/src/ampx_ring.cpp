#include "ampx_ring.h"

#include <cstring>

#include "ampx_crc.h"

namespace ampx {

namespace {

constexpr std::uint32_t kMetaMagic = 0x414D5852;  // "AMXR"
constexpr std::uint32_t kSlotMagic = 0x414D5853;  // "AMXS"
constexpr std::uint16_t kVersion = 1;

void put32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Metadata record (36 bytes): magic, version, slot count, slot capacity, generation, head, next,
// dropped, CRC-16 of the first 32 bytes.
struct Meta {
  std::uint32_t generation;
  std::uint32_t head;
  std::uint32_t next;
  std::uint32_t dropped;
};

}  // namespace

const char* ring_status_name(RingStatus status) {
  switch (status) {
    case RingStatus::ok: return "ok";
    case RingStatus::empty: return "empty";
    case RingStatus::too_large: return "too_large";
    case RingStatus::buffer_too_small: return "buffer_too_small";
    case RingStatus::io_error: return "io_error";
    case RingStatus::no_space: return "no_space";
    case RingStatus::not_open: return "not_open";
  }
  return "unknown";
}

std::size_t RingBuffer::slot_offset(std::uint32_t sequence) const {
  return 2 * kMetaBytes + (sequence % slot_count_) * (kSlotHeaderBytes + slot_capacity_);
}

RingStatus RingBuffer::open(Storage& storage, std::size_t slot_capacity) {
  storage_ = nullptr;
  const std::size_t size = storage.size();
  if (slot_capacity == 0 || size < 2 * kMetaBytes) return RingStatus::no_space;
  std::size_t slots = (size - 2 * kMetaBytes) / (kSlotHeaderBytes + slot_capacity);
  if (slots > kMaxRingSlots) slots = kMaxRingSlots;
  if (slots == 0) return RingStatus::no_space;
  storage_ = &storage;
  slot_capacity_ = slot_capacity;
  slot_count_ = slots;
  head_ = next_ = dropped_ = generation_ = 0;

  Meta a{}, b{};
  const bool has_a = read_meta(0, &a);
  const bool has_b = read_meta(1, &b);
  if (has_a || has_b) {
    // Generations count up by one per write, alternating records; the newer one wins.
    const Meta& m = !has_b || (has_a && static_cast<std::int32_t>(a.generation - b.generation) > 0) ? a : b;
    generation_ = m.generation;
    head_ = m.head;
    next_ = m.next;
    dropped_ = m.dropped;
  }
  return RingStatus::ok;
}

bool RingBuffer::read_meta(std::size_t index, void* out) {
  std::uint8_t raw[kMetaBytes];
  if (!storage_->read(index * kMetaBytes, raw, kMetaBytes)) return false;
  if (get32(raw) != kMetaMagic || get32(raw + 4) != kVersion) return false;
  if (crc16_modbus(raw, 32) != get32(raw + 32)) return false;
  if (get32(raw + 8) != slot_count_ || get32(raw + 12) != slot_capacity_) return false;
  Meta m{get32(raw + 16), get32(raw + 20), get32(raw + 24), get32(raw + 28)};
  if (m.next - m.head > slot_count_) return false;
  *static_cast<Meta*>(out) = m;
  return true;
}

bool RingBuffer::write_meta() {
  ++generation_;
  std::uint8_t raw[kMetaBytes];
  put32(raw, kMetaMagic);
  put32(raw + 4, kVersion);
  put32(raw + 8, static_cast<std::uint32_t>(slot_count_));
  put32(raw + 12, static_cast<std::uint32_t>(slot_capacity_));
  put32(raw + 16, generation_);
  put32(raw + 20, head_);
  put32(raw + 24, next_);
  put32(raw + 28, dropped_);
  put32(raw + 32, crc16_modbus(raw, 32));
  return storage_->write((generation_ % 2) * kMetaBytes, raw, kMetaBytes) && storage_->sync();
}

RingStatus RingBuffer::push(const char* data, std::size_t length) {
  if (storage_ == nullptr) return RingStatus::not_open;
  if (length > slot_capacity_) return RingStatus::too_large;
  const std::uint32_t sequence = next_;
  std::uint8_t header[kSlotHeaderBytes] = {};
  put32(header, kSlotMagic);
  put32(header + 4, sequence);
  put32(header + 8, static_cast<std::uint32_t>(length));
  put32(header + 12, crc16_modbus(reinterpret_cast<const std::uint8_t*>(data), length));
  const std::size_t offset = slot_offset(sequence);
  if (!storage_->write(offset + kSlotHeaderBytes, data, length) || !storage_->write(offset, header, sizeof header) ||
      !storage_->sync()) {
    return RingStatus::io_error;
  }
  if (count() == slot_count_) {
    ++head_;
    ++dropped_;
  }
  ++next_;
  return write_meta() ? RingStatus::ok : RingStatus::io_error;
}

bool RingBuffer::check_slot(std::uint32_t sequence, std::uint32_t* length) {
  std::uint8_t header[kSlotHeaderBytes];
  const std::size_t offset = slot_offset(sequence);
  if (!storage_->read(offset, header, sizeof header)) return false;
  if (get32(header) != kSlotMagic || get32(header + 4) != sequence || get32(header + 8) > slot_capacity_) return false;
  *length = get32(header + 8);
  std::uint16_t crc = 0xFFFF;
  std::uint8_t chunk[64];
  for (std::uint32_t done = 0; done < *length;) {
    const std::uint32_t n = *length - done < sizeof chunk ? *length - done : static_cast<std::uint32_t>(sizeof chunk);
    if (!storage_->read(offset + kSlotHeaderBytes + done, chunk, n)) return false;
    crc = crc16_modbus_update(crc, chunk, n);
    done += n;
  }
  return crc == (get32(header + 12) & 0xFFFF);
}

RingStatus RingBuffer::peek(char* buffer, std::size_t capacity, std::size_t* length) {
  if (storage_ == nullptr) return RingStatus::not_open;
  while (count() > 0) {
    std::uint32_t stored = 0;
    if (check_slot(head_, &stored)) {
      if (stored > capacity) return RingStatus::buffer_too_small;
      if (!storage_->read(slot_offset(head_) + kSlotHeaderBytes, buffer, stored)) return RingStatus::io_error;
      *length = stored;
      return RingStatus::ok;
    }
    // Damaged or overwritten before the metadata caught up: skip it, and say so.
    ++head_;
    ++dropped_;
    if (!write_meta()) return RingStatus::io_error;
  }
  return RingStatus::empty;
}

RingStatus RingBuffer::pop() {
  if (storage_ == nullptr) return RingStatus::not_open;
  if (count() == 0) return RingStatus::empty;
  ++head_;
  return write_meta() ? RingStatus::ok : RingStatus::io_error;
}

}  // namespace ampx
