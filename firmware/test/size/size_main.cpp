// A firmware-shaped program over a generated site_config.h, linked for a Cortex-M4 only to measure
// what the core costs (bench/firmware-size.ts): every part of the core is reachable from main; the
// platform (RS485 line, flash, HTTP) is a stub, so the figures are the core's own plus newlib.
#include <cstring>

#include "ampx_core.h"
#include "site_config.h"

namespace {

using namespace ampx;

// Whatever the stubs last "received" sits in `wire`, volatile so that nothing is optimised away.
volatile std::uint8_t wire[kMaxTcpFrameBytes];
volatile int http_status;
volatile std::uint32_t clock_ms;

class NullStorage final : public Storage {
 public:
  std::size_t size() const override { return 64 * 1024; }
  bool read(std::size_t, void* data, std::size_t length) override {
    std::memset(data, 0, length);
    return true;
  }
  bool write(std::size_t, const void*, std::size_t) override { return true; }
  bool sync() override { return true; }
};

class StubSerial final : public SerialPort {
 public:
  void set_transmit(bool) override {}
  std::size_t write(const std::uint8_t* data, std::size_t length) override {
    for (std::size_t i = 0; i < length && i < sizeof wire; ++i) wire[i] = data[i];
    return length;
  }
  void flush() override {}
  std::size_t read(std::uint8_t* data, std::size_t capacity) override {
    for (std::size_t i = 0; i < capacity && i < sizeof wire; ++i) data[i] = wire[i];
    return capacity < sizeof wire ? capacity : sizeof wire;
  }
  void discard_input() override {}
};

class StubHttp final : public HttpPoster {
 public:
  int post(const char*, const Header*, std::size_t, const char* body, std::size_t length, std::uint32_t) override {
    for (std::size_t i = 0; i < length && i < sizeof wire; ++i) wire[i] = static_cast<std::uint8_t>(body[i]);
    return http_status;
  }
};

PollScheduler scheduler;
RtuMaster rtu;
Aggregator aggregator;
IdentityStore identities;
SeriesConfig series[kMaxSeries];
RingBuffer ring;
Uploader uploader;
NullStorage storage;
StubSerial serial;
StubHttp http;
// One buffer for rendering and uploading: both run in the same loop, never at once.
char payload[kPayloadBufferSize];

}  // namespace

int main() {
  const SiteConfig& site = ampx_site::kSite;
  if (validate_site(site).error != SiteError::ok) return 1;
  scheduler.begin(site, SchedulerOptions{}, 0);
  aggregator.begin(series, build_series(site, series, kMaxSeries), site.interval_ms);
  identities.begin(site);
  ring.open(storage, kPayloadBufferSize);
  rtu.begin(serial, site.rtu.response_timeout_ms);
  uploader.begin(site.upload, ring, http, nullptr, payload, sizeof payload);
  for (;;) {
    const std::uint64_t now = clock_ms;
    const std::int64_t wall = 1796378400000 + static_cast<std::int64_t>(now);
    if (aggregator.due(wall) || !aggregator.is_open()) {
      if (aggregator.is_open()) {
        const AggregatorView view(site, aggregator, &identities);
        for (std::size_t p = 0; p < site.program_count; ++p) {
          const RenderResult r = render_payload(site, site.programs[p], view, payload, sizeof payload);
          if (!r.overflow) ring.push(payload, r.length);
        }
      }
      aggregator.open(wall);
    }
    PollTask task{};
    if (scheduler.next(now, &task)) {
      rtu.start(block_request(site, task.block), now);
      while (!rtu.done()) rtu.poll(clock_ms);
      const ModbusResponse& response = rtu.response();
      if (response.result == ModbusResult::ok) {
        IntervalRecorder recorder(site, aggregator, identities, wall);
        decode_block(site, task.block, rtu.words(), response.word_count, recorder);
      }
      scheduler.complete(task, response.result, clock_ms);
    }
    uploader.tick(now);
  }
}
