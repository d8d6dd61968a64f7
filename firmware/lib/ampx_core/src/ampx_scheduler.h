// The poll scheduler: decides which block to read next on each bus, from the generated block table
// and a monotonic millisecond clock passed in (so tests run without sleeping).
//
// Rules:
// - each block is due every interval of its poll class, phase kept (a late read does not shift the
//   cadence; whole missed periods are skipped, not caught up);
// - one request at a time per bus (the RS485 bus, or one TCP host:port); buses run in parallel;
// - among due blocks on a bus: first those overdue by a whole period or more (so nothing starves),
//   then higher meter priority, then round-robin across meters (the meter after the one served
//   last goes first), then the earliest due;
// - a read that timed out or failed its CRC is retried at once, `retries` times, before it counts
//   as failed;
// - a meter fails after a failed read of any block; after `offline_after` consecutive failed reads
//   it is offline: nothing is sent to it for a back-off delay (doubling from backoff_initial_ms up
//   to backoff_max_ms); then one probe read; any good answer brings it back online. An exception
//   answer is a failed read but proves the meter is there, so it does not count towards offline.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_limits.h"
#include "ampx_modbus.h"
#include "ampx_site.h"

namespace ampx {

struct SchedulerOptions {
  /** Extra attempts after a timeout or CRC error. */
  std::uint8_t retries = 1;
  /** Consecutive failed reads that make a meter offline. */
  std::uint8_t offline_after = 3;
  std::uint32_t backoff_initial_ms = 10000;
  std::uint32_t backoff_max_ms = 300000;
  /** Quiet time on a bus after each answer (RS485 turnaround). */
  std::uint32_t bus_gap_ms = 0;
};

enum class MeterState : std::uint8_t { unknown, online, offline, disabled };

const char* meter_state_name(MeterState state);

/** Per-meter counters (model.ts MeterHealth; times are monotonic ms). */
struct MeterHealth {
  MeterState state;
  std::uint32_t requests;
  std::uint32_t responses;
  std::uint32_t timeouts;
  std::uint32_t crc_errors;
  std::uint32_t exceptions;
  std::uint32_t connection_errors;
  std::uint32_t invalid_responses;
  std::uint32_t consecutive_failures;
  bool has_good_read;
  std::uint64_t last_good_read_ms;
  ModbusResult last_error;
  std::uint64_t last_error_ms;
  /** Offline until then (0 when not backed off). */
  std::uint64_t backoff_until_ms;
  /** Time from dispatch to completion of the last transaction. */
  std::uint32_t last_latency_ms;
};

struct PollTask {
  std::uint8_t meter;
  /** Index into SiteConfig::blocks. */
  std::uint16_t block;
  std::uint8_t bus;
  /** 0 for the first attempt, then 1… for retries. */
  std::uint8_t attempt;
};

class PollScheduler {
 public:
  static constexpr std::uint64_t kNever = ~static_cast<std::uint64_t>(0);

  /** Every enabled block is due at now_ms. The site must pass validate_site(). Block indices are the site's. */
  void begin(const SiteConfig& site, const SchedulerOptions& options, std::uint64_t now_ms);

  /**
   * The next read to send on an idle bus, if any is due: marks the bus busy. Call repeatedly to fill
   * every idle bus; each task must be completed with complete().
   */
  bool next(std::uint64_t now_ms, PollTask* task);

  /** Reports a task's outcome and frees its bus. */
  void complete(const PollTask& task, ModbusResult result, std::uint64_t now_ms);

  /** Earliest time next() can return a task (now_ms or earlier when one is ready; kNever when none will be). */
  std::uint64_t next_event_ms() const;

  const MeterHealth& health(std::size_t meter) const { return health_[meter]; }
  bool bus_busy(std::size_t bus) const { return buses_[bus].busy; }
  /** When a block (index into SiteConfig::blocks) is next due. */
  std::uint64_t due_ms(std::size_t block) const;
  std::uint8_t bus_of(std::size_t meter) const { return bus_of_meter_[meter]; }
  std::size_t bus_count() const { return bus_count_; }

 private:
  struct Bus {
    bool busy;
    bool has_retry;
    std::uint8_t last_meter;
    std::uint64_t ready_ms;
    std::uint64_t dispatched_ms;
    PollTask retry;
  };

  bool pick(std::size_t bus, std::uint64_t now_ms, PollTask* task) const;
  void dispatch(const PollTask& task, std::uint64_t now_ms);
  std::uint32_t interval_of(std::size_t block) const;

  // Options as plain fields without initialisers: a static scheduler then lives in .bss, not .data.
  struct Settings {
    std::uint8_t retries;
    std::uint8_t offline_after;
    std::uint32_t backoff_initial_ms;
    std::uint32_t backoff_max_ms;
    std::uint32_t bus_gap_ms;
  };

  const SiteConfig* site_ = nullptr;
  Settings options_;
  /** Next due time per meter, per block of the meter (block - meter.first_block). */
  std::uint64_t due_[kMaxMeters][kMaxBlocksPerMeter] = {};
  MeterHealth health_[kMaxMeters] = {};
  std::uint32_t backoff_step_ms_[kMaxMeters] = {};
  Bus buses_[kMaxBuses] = {};
  std::uint8_t bus_of_meter_[kMaxMeters] = {};
  std::size_t bus_count_ = 0;
  std::uint8_t bus_cursor_ = 0;
};

}  // namespace ampx
