#include "app/gateway.h"

#include "app/snapshot.h"

namespace ampx::app {

namespace {

// One buffer renders each closed interval's payloads (after their key line) and then carries the
// oldest one to the API: both happen in the same loop, never at once.
char g_payload[kKeyPrefixBytes + kPayloadBufferSize];

/** Sends every decoded sample to two sinks (the interval recorder and the live table). */
class Tee final : public SampleSink {
 public:
  Tee(SampleSink& a, SampleSink& b) : a_(a), b_(b) {}
  void sample(const BlockSample& s) override {
    a_.sample(s);
    b_.sample(s);
  }

 private:
  SampleSink& a_;
  SampleSink& b_;
};

/** Before the wall clock is known nothing is aggregated, but identity values are still kept. */
class IdentityOnly final : public SampleSink {
 public:
  IdentityOnly(const SiteConfig& site, IdentityStore& identities) : site_(site), identities_(identities) {}
  void sample(const BlockSample& s) override {
    if (site_.quantities[s.quantity].kind != QuantityKind::identity) return;
    if (s.text != nullptr) {
      identities_.set_text(s.quantity, s.text, s.length);
    } else if (s.quality == Quality::invalid) {
      identities_.clear(s.quantity);
    } else {
      identities_.set_number(s.quantity, s.value);
    }
  }

 private:
  const SiteConfig& site_;
  IdentityStore& identities_;
};

}  // namespace

const char* start_error_name(StartError error) {
  switch (error) {
    case StartError::ok: return "ok";
    case StartError::bad_site: return "bad_site";
    case StartError::no_transport: return "no_transport";
    case StartError::too_many_tcp_buses: return "too_many_tcp_buses";
    case StartError::no_storage: return "no_storage";
    case StartError::ring: return "ring";
  }
  return "unknown";
}

StartError Gateway::begin(const SiteConfig& site, const Platform& platform, const GatewayOptions& options) {
  if (validate_site(site).error != SiteError::ok) return StartError::bad_site;
  site_ = &site;
  platform_ = platform;
  started_ms_ = platform.clock->monotonic_ms();

  SchedulerOptions scheduling;
  if (site.transport == TransportKind::rtu) {
    if (platform.serial == nullptr) return StartError::no_transport;
    scheduling.retries = site.rtu.retries;
    scheduling.bus_gap_ms = site.rtu.turnaround_delay_ms;
    rtu_.begin(*platform.serial, site.rtu.response_timeout_ms);
  } else {
    scheduling.retries = site.tcp.retries;
  }
  scheduler_.begin(site, scheduling, started_ms_);
  if (site.transport == TransportKind::tcp) {
    const std::size_t buses = scheduler_.bus_count();
    if (buses > kMaxTcpBuses || buses > platform.tcp_count) return StartError::too_many_tcp_buses;
    const TcpMaster::Timing timing{site.tcp.connect_timeout_ms, site.tcp.response_timeout_ms,
                                   site.tcp.reconnect_delay_ms, site.tcp.reconnect_delay_max_ms};
    // Each bus is one host:port; its first meter names it.
    for (std::size_t bus = 0; bus < buses; ++bus) {
      for (std::size_t m = 0; m < site.meter_count; ++m) {
        if (scheduler_.bus_of(m) != bus) continue;
        tcp_[bus].begin(*platform.tcp[bus], site.meters[m].host, site.meters[m].port, timing);
        break;
      }
    }
  }
  for (std::size_t m = 0; m < site.meter_count; ++m) states_[m] = scheduler_.health(m).state;

  aggregator_.begin(series_, build_series(site, series_, kMaxSeries), site.interval_ms);
  identities_.begin(site);
  live_.begin(site);

  upload_ = site.upload;
  if (options.upload_url != nullptr && options.upload_url[0] != 0) upload_.url = options.upload_url;
  if (upload_.enabled && site.program_count > 0) {
    if (platform.storage == nullptr || platform.http == nullptr) return StartError::no_storage;
    if (ring_.open(*platform.storage, sizeof g_payload) != RingStatus::ok) return StartError::ring;
    poster_.begin(*platform.http);
    uploader_.begin(upload_, ring_, poster_, platform.secrets, g_payload, sizeof g_payload);
  }
  return StartError::ok;
}

void Gateway::roll_interval(std::int64_t utc) {
  if (!aggregator_.is_open()) {
    // The first interval starts now, part-way through: its coverage says how much of it was seen.
    aggregator_.open(utc);
    return;
  }
  if (!aggregator_.due(utc)) return;
  std::size_t pushed = 0, failed = 0;
  if (upload_.enabled && ring_.slot_count() > 0) {
    const AggregatorView view(*site_, aggregator_, &identities_);
    for (std::size_t p = 0; p < site_->program_count; ++p) {
      const PayloadProgram& program = site_->programs[p];
      const std::size_t key = write_key_prefix(*site_, program, aggregator_.start(), g_payload, kKeyPrefixBytes);
      const RenderResult r = render_payload(*site_, program, view, g_payload + key, kPayloadBufferSize);
      if (!r.overflow && ring_.push(g_payload, key + r.length) == RingStatus::ok) {
        ++pushed;
      } else {
        ++failed;
      }
    }
  }
  const std::int64_t start = aggregator_.start(), end = aggregator_.end();
  aggregator_.open(utc);
  if (platform_.events != nullptr) platform_.events->interval_closed(start, end, pushed, ring_.count(), failed);
}

bool Gateway::master_done(std::size_t bus) const {
  return site_->transport == TransportKind::rtu ? rtu_.done() : tcp_[bus].done();
}

void Gateway::start_task(const PollTask& task, std::uint64_t now) {
  tasks_[task.bus] = task;
  busy_[task.bus] = true;
  const ModbusRequest request = block_request(*site_, task.block);
  if (site_->transport == TransportKind::rtu) {
    rtu_.start(request, now);
  } else {
    tcp_[task.bus].start(request, now);
  }
}

void Gateway::finish_task(std::size_t bus, std::uint64_t now, bool have_utc, std::int64_t utc) {
  const bool rtu = site_->transport == TransportKind::rtu;
  const ModbusResponse& response = rtu ? rtu_.response() : tcp_[bus].response();
  const std::uint16_t* words = rtu ? rtu_.words() : tcp_[bus].words();
  const PollTask task = tasks_[bus];
  busy_[bus] = false;
  const std::int64_t stamp = have_utc ? utc : 0;
  if (platform_.events != nullptr) platform_.events->read(task, response, words, stamp);
  if (response.result == ModbusResult::ok) {
    live_.begin_block(task.block, stamp);
    if (have_utc) {
      IntervalRecorder recorder(*site_, aggregator_, identities_, utc);
      Tee tee(recorder, live_);
      decode_block(*site_, task.block, words, response.word_count, tee);
      rejected_ += static_cast<std::uint32_t>(recorder.rejected());
    } else {
      IdentityOnly identity(*site_, identities_);
      Tee tee(identity, live_);
      decode_block(*site_, task.block, words, response.word_count, tee);
    }
    push_block(task.block, stamp);
  }
  scheduler_.complete(task, response.result, now);
  const MeterState state = scheduler_.health(task.meter).state;
  if (state != states_[task.meter]) {
    states_[task.meter] = state;
    if (platform_.events != nullptr) platform_.events->meter_state(task.meter, state);
  }
}

void Gateway::push_block(std::size_t block, std::int64_t utc) {
  if (platform_.live == nullptr || !platform_.live->listening()) return;
  static char message[kLiveMessageBytes];
  const std::size_t length = write_block_update(*this, block, utc, message, sizeof message);
  if (length > 0) platform_.live->send(message, length);
}

std::uint64_t Gateway::step(bool uplink) {
  Clock& clock = *platform_.clock;
  std::uint64_t now = clock.monotonic_ms();
  std::int64_t utc = 0;
  const bool have_utc = clock.wall_ms(&utc);
  if (have_utc) roll_interval(utc);

  for (std::size_t bus = 0; bus < scheduler_.bus_count(); ++bus) {
    if (!busy_[bus]) continue;
    if (site_->transport == TransportKind::rtu) {
      rtu_.poll(now);
    } else {
      tcp_[bus].poll(now);
    }
    if (master_done(bus)) finish_task(bus, now, have_utc, utc);
  }

  PollTask task{};
  while (scheduler_.next(now, &task)) {
    start_task(task, now);
    // A request that could not be sent (no connection yet, reconnect delay) is done at once.
    if (master_done(task.bus)) finish_task(task.bus, now, have_utc, utc);
  }

  if (uplink && ring_.slot_count() > 0 && ring_.count() > 0 && now >= uploader_.next_attempt_ms()) {
    const std::uint32_t failures = uploader_.failures();
    const std::size_t accepted = uploader_.tick(now);
    if (uploader_.missing_secret()) {
      if (!reported_missing_secret_ && platform_.events != nullptr) platform_.events->missing_secret();
      reported_missing_secret_ = true;
    } else if ((accepted > 0 || uploader_.failures() != failures) && platform_.events != nullptr) {
      platform_.events->uploaded(accepted, uploader_.last_status(), ring_.count());
    }
    now = clock.monotonic_ms();
  }

  // When to look again: the next due read, a read in flight (its answer or its timeout), the next
  // upload attempt, or the end of the open interval.
  std::uint64_t next = scheduler_.next_event_ms();
  for (std::size_t bus = 0; bus < scheduler_.bus_count(); ++bus) {
    if (busy_[bus] && now + 10 < next) next = now + 10;
  }
  if (ring_.slot_count() > 0 && ring_.count() > 0 && !uploader_.missing_secret()) {
    const std::uint64_t at = uploader_.next_attempt_ms() > now ? uploader_.next_attempt_ms() : now + 100;
    if (at < next) next = at;
  }
  if (have_utc && aggregator_.is_open()) {
    const std::int64_t left = aggregator_.end() - utc;
    const std::uint64_t at = now + static_cast<std::uint64_t>(left > 0 ? left : 0);
    if (at < next) next = at;
  }
  if (!have_utc && now + 1000 < next) next = now + 1000;
  return next;
}

}  // namespace ampx::app
