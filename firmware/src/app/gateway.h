// The firmware loop, portable: it wires the core (scheduler, Modbus masters, decode, aggregation,
// payload writer, ring buffer, uploader) to a platform's interfaces and runs one pass per step().
// Every decision is the core's or is made here, so the same code runs on the ESP32 and as a host
// process against the simulator (firmware/src/posix, tested by test/firmware-native).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_core.h"
#include "app/idempotency.h"
#include "app/live_table.h"
#include "app/platform_io.h"

#ifndef AMPX_MAX_TCP_BUSES
#define AMPX_MAX_TCP_BUSES 32
#endif

namespace ampx::app {

/** Modbus TCP connections the loop keeps (one per host:port). The W5500 has 8 hardware sockets. */
constexpr std::size_t kMaxTcpBuses = AMPX_MAX_TCP_BUSES;
static_assert(kMaxTcpBuses >= 1 && kMaxTcpBuses <= kMaxBuses, "AMPX_MAX_TCP_BUSES must be 1..kMaxBuses");

/** The platform's side of the loop. Pointers that a site does not need may be null. */
struct Platform {
  Clock* clock;
  /** RS485 sites: the bus. */
  SerialPort* serial;
  /** Modbus TCP sites: one client per bus (host:port), at least as many as the site has buses. */
  TcpClient* const* tcp;
  std::size_t tcp_count;
  HttpPoster* http;
  /** Where the upload backlog lives (a file on LittleFS or on disk). */
  Storage* storage;
  SecretStore* secrets;
  LivePush* live;
  Events* events;
};

struct GatewayOptions {
  /** Upload to this URL instead of the site's (tests: the local sink). */
  const char* upload_url = nullptr;
};

enum class StartError : std::uint8_t { ok, bad_site, no_transport, too_many_tcp_buses, no_storage, ring };
const char* start_error_name(StartError error);

class Gateway {
 public:
  StartError begin(const SiteConfig& site, const Platform& platform, const GatewayOptions& options);

  /**
   * One pass: closes the interval when due, finishes reads whose answer arrived, starts the reads
   * that are due, and uploads when `uplink` is up. Returns the monotonic time of the next thing
   * due; the platform may sleep until then or until bytes arrive.
   */
  std::uint64_t step(bool uplink);

  const SiteConfig& site() const { return *site_; }
  const PollScheduler& scheduler() const { return scheduler_; }
  const LiveTable& live() const { return live_; }
  const IdentityStore& identities() const { return identities_; }
  const RingBuffer& ring() const { return ring_; }
  const Uploader& uploader() const { return uploader_; }
  std::uint64_t started_ms() const { return started_ms_; }
  Clock& clock() const { return *platform_.clock; }
  /** True while a read on this bus waits for its answer. */
  bool reading(std::size_t bus) const { return bus < kMaxBuses && busy_[bus]; }
  /** Samples refused by the aggregator (stamped outside the open interval). */
  std::uint32_t rejected_samples() const { return rejected_; }

 private:
  void roll_interval(std::int64_t utc);
  void start_task(const PollTask& task, std::uint64_t now);
  void finish_task(std::size_t bus, std::uint64_t now, bool have_utc, std::int64_t utc);
  bool master_done(std::size_t bus) const;
  void push_block(std::size_t block, std::int64_t utc);

  const SiteConfig* site_ = nullptr;
  Platform platform_{};
  UploadConfig upload_{};
  PollScheduler scheduler_;
  RtuMaster rtu_;
  TcpMaster tcp_[kMaxTcpBuses];
  PollTask tasks_[kMaxBuses] = {};
  bool busy_[kMaxBuses] = {};
  MeterState states_[kMaxMeters] = {};
  SeriesConfig series_[kMaxSeries] = {};
  Aggregator aggregator_;
  IdentityStore identities_;
  LiveTable live_;
  RingBuffer ring_;
  KeyedPoster poster_;
  Uploader uploader_;
  std::uint64_t started_ms_ = 0;
  std::uint32_t rejected_ = 0;
  std::uint32_t upload_failures_ = 0;
  bool reported_missing_secret_ = false;
};

}  // namespace ampx::app
