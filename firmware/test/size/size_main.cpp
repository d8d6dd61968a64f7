// A firmware-shaped program over a generated site_config.h, linked for a Cortex-M4 only to measure
// what the core costs (bench/firmware-size.ts): every part of the core is reachable from main, the
// platform is a stub (no serial port, flash or network), so the figures are the core's own.
#include <cstring>

#include "ampx_core.h"
#include "site_config.h"

namespace {

using namespace ampx;

// Flash stand-in: keeps nothing, reads zeros.
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

PollScheduler scheduler;
Aggregator aggregator;
IdentityStore identities;
SeriesConfig series[kMaxSeries];
RingBuffer ring;
NullStorage storage;
char payload[kPayloadBufferSize];
std::uint8_t frame[kMaxTcpFrameBytes];
std::uint16_t words[kMaxReadRegisters];
volatile std::uint8_t wire[kMaxTcpFrameBytes];  // what the "bus" answered
volatile std::uint32_t clock_ms;

}  // namespace

int main() {
  const SiteConfig& site = ampx_site::kSite;
  if (validate_site(site).error != SiteError::ok) return 1;
  scheduler.begin(site, SchedulerOptions{}, 0);
  aggregator.begin(series, build_series(site, series, kMaxSeries), site.interval_ms);
  identities.begin(site);
  ring.open(storage, kPayloadBufferSize);
  std::uint16_t transaction = 0;
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
    while (scheduler.next(now, &task)) {
      const ModbusRequest request = block_request(site, task.block);
      std::size_t n = site.transport == TransportKind::rtu ? rtu_build_request(request, frame, sizeof frame)
                                                           : tcp_build_request(request, ++transaction, frame, sizeof frame);
      for (std::size_t i = 0; i < n; ++i) wire[i] = frame[i];
      for (std::size_t i = 0; i < sizeof frame; ++i) frame[i] = wire[i];
      const std::size_t length = rtu_expected_response_length(request, frame, 2);
      const ModbusResponse response =
          site.transport == TransportKind::rtu
              ? rtu_parse_response(request, frame, length, words, kMaxReadRegisters)
              : tcp_parse_response(request, transaction, frame, tcp_expected_frame_length(frame, 6), words,
                                   kMaxReadRegisters);
      if (response.result == ModbusResult::ok) {
        IntervalRecorder recorder(site, aggregator, identities, wall);
        decode_block(site, task.block, words, response.word_count, recorder);
      }
      scheduler.complete(task, response.result, now);
    }
    std::size_t length = 0;
    if (ring.peek(payload, sizeof payload, &length) == RingStatus::ok && wire[0] == 0x42) ring.pop();
  }
}
