// The upload ring buffer: order, overwrite-oldest with a dropped count, persistence across a
// reopen (memory and file backends), damaged slots and metadata.
#include <cstdio>
#include <cstring>
#include <string>

#include "ampx_ring.h"
#include "ampx_test.h"

using namespace ampx;

namespace {

constexpr std::size_t kSlot = 64;
// Room for two metadata records and exactly four slots.
constexpr std::size_t kFourSlots = 2 * RingBuffer::kMetaBytes + 4 * (RingBuffer::kSlotHeaderBytes + kSlot);

std::string payload(int i) { return "{\"interval\":" + std::to_string(i) + "}"; }

std::string peek(RingBuffer& ring, RingStatus* status = nullptr) {
  char buf[kSlot];
  std::size_t n = 0;
  const RingStatus s = ring.peek(buf, sizeof buf, &n);
  if (status != nullptr) *status = s;
  return s == RingStatus::ok ? std::string(buf, n) : std::string();
}

void push(RingBuffer& ring, int i) {
  const std::string p = payload(i);
  CHECK_EQ(ring.push(p.data(), p.size()), RingStatus::ok);
}

}  // namespace

TEST_CASE(ring_oldest_first_and_pop_after_ack) {
  static MemoryStorage<kFourSlots> storage;
  RingBuffer ring;
  CHECK_EQ(ring.open(storage, kSlot), RingStatus::ok);
  CHECK_EQ(ring.slot_count(), 4U);
  RingStatus status{};
  peek(ring, &status);
  CHECK_EQ(status, RingStatus::empty);
  push(ring, 1);
  push(ring, 2);
  CHECK_EQ(ring.count(), 2U);
  CHECK_EQ(peek(ring), payload(1));
  CHECK_EQ(peek(ring), payload(1));  // peek does not remove
  CHECK_EQ(ring.pop(), RingStatus::ok);
  CHECK_EQ(peek(ring), payload(2));
  CHECK_EQ(ring.pop(), RingStatus::ok);
  CHECK_EQ(ring.pop(), RingStatus::empty);
  CHECK_EQ(ring.dropped(), 0U);
}

TEST_CASE(ring_full_overwrites_oldest_and_counts_it) {
  static MemoryStorage<kFourSlots> storage;
  RingBuffer ring;
  CHECK_EQ(ring.open(storage, kSlot), RingStatus::ok);
  for (int i = 1; i <= 6; ++i) push(ring, i);
  CHECK_EQ(ring.count(), 4U);
  CHECK_EQ(ring.dropped(), 2U);
  for (int i = 3; i <= 6; ++i) {
    CHECK_EQ(peek(ring), payload(i));
    ring.pop();
  }
  CHECK_EQ(ring.count(), 0U);
}

TEST_CASE(ring_refuses_what_does_not_fit) {
  static MemoryStorage<kFourSlots> storage;
  RingBuffer ring;
  CHECK_EQ(ring.open(storage, kSlot), RingStatus::ok);
  char big[kSlot + 1] = {};
  CHECK_EQ(ring.push(big, sizeof big), RingStatus::too_large);
  push(ring, 12345);
  char tiny[4];
  std::size_t n = 0;
  CHECK_EQ(ring.peek(tiny, sizeof tiny, &n), RingStatus::buffer_too_small);
  static MemoryStorage<40> cramped;
  CHECK_EQ(ring.open(cramped, kSlot), RingStatus::no_space);
  CHECK_EQ(ring.push("x", 1), RingStatus::not_open);
}

TEST_CASE(ring_survives_reopen_and_detects_damage) {
  static MemoryStorage<kFourSlots> storage;
  {
    RingBuffer ring;
    ring.open(storage, kSlot);
    for (int i = 1; i <= 5; ++i) push(ring, i);  // drops 1
    ring.pop();                                  // acknowledges 2
  }
  RingBuffer again;
  CHECK_EQ(again.open(storage, kSlot), RingStatus::ok);
  CHECK_EQ(again.count(), 3U);
  CHECK_EQ(again.dropped(), 1U);
  CHECK_EQ(peek(again), payload(3));

  // A flipped bit in the oldest payload: skipped and counted, the next one is served.
  storage.bytes()[2 * RingBuffer::kMetaBytes + (again.head_sequence() % 4) * (RingBuffer::kSlotHeaderBytes + kSlot) +
                  RingBuffer::kSlotHeaderBytes + 2] ^= 0x01;
  CHECK_EQ(peek(again), payload(4));
  CHECK_EQ(again.dropped(), 2U);
  CHECK_EQ(again.count(), 2U);

  // The newer metadata record torn: the older one still describes a consistent queue.
  RingBuffer third;
  third.open(storage, kSlot);
  const std::uint32_t head = third.head_sequence();
  for (std::size_t record = 0; record < 2; ++record) {
    RingBuffer probe;
    MemoryStorage<kFourSlots> copy;
    std::memcpy(copy.bytes(), storage.bytes(), kFourSlots);
    copy.bytes()[record * RingBuffer::kMetaBytes + 20] ^= 0xFF;
    CHECK_EQ(probe.open(copy, kSlot), RingStatus::ok);
    CHECK(probe.head_sequence() <= head);
    CHECK(probe.count() <= 4);
    CHECK(!peek(probe).empty());
  }

  // Another geometry (a new firmware with larger slots) starts empty rather than misreading.
  RingBuffer other;
  CHECK_EQ(other.open(storage, kSlot / 2), RingStatus::ok);
  CHECK_EQ(other.count(), 0U);
}

TEST_CASE(ring_on_a_file_keeps_the_backlog_across_restarts) {
  const std::string path = ampx_test::temp_dir() + "/backlog.bin";
  {
    FileStorage file;
    CHECK(file.open(path.c_str(), kFourSlots));
    RingBuffer ring;
    CHECK_EQ(ring.open(file, kSlot), RingStatus::ok);
    for (int i = 1; i <= 3; ++i) push(ring, i);
    ring.pop();
  }
  FileStorage file;
  CHECK(file.open(path.c_str(), kFourSlots));
  RingBuffer ring;
  CHECK_EQ(ring.open(file, kSlot), RingStatus::ok);
  CHECK_EQ(ring.count(), 2U);
  CHECK_EQ(peek(ring), payload(2));
  ring.pop();
  CHECK_EQ(peek(ring), payload(3));
  FileStorage missing_dir;
  CHECK(!missing_dir.open("/nonexistent-dir/x.bin", 100));
  std::remove(path.c_str());
}
