#include "ampx_scheduler.h"

namespace ampx {

const char* meter_state_name(MeterState state) {
  switch (state) {
    case MeterState::unknown: return "unknown";
    case MeterState::online: return "online";
    case MeterState::offline: return "offline";
    case MeterState::disabled: return "disabled";
  }
  return "unknown";
}

std::uint32_t PollScheduler::interval_of(std::size_t block) const {
  return site_->poll_classes[site_->blocks[block].poll_class].interval_ms;
}

std::uint64_t PollScheduler::due_ms(std::size_t block) const {
  const BlockConfig& b = site_->blocks[block];
  return due_[b.meter][block - site_->meters[b.meter].first_block];
}

void PollScheduler::begin(const SiteConfig& site, const SchedulerOptions& options, std::uint64_t now_ms) {
  site_ = &site;
  options_ = Settings{options.retries, options.offline_after, options.backoff_initial_ms, options.backoff_max_ms,
                      options.bus_gap_ms};
  bus_cursor_ = 0;
  bus_count_ = assign_buses(site, bus_of_meter_);
  for (std::size_t b = 0; b < kMaxBuses; ++b) {
    // Round-robin starts with the first meter of each bus.
    buses_[b] = Bus{false, false, static_cast<std::uint8_t>(site.meter_count - 1), 0, 0, PollTask{}};
  }
  for (std::size_t m = 0; m < site.meter_count; ++m) {
    health_[m] = MeterHealth{};
    health_[m].state = site.meters[m].enabled ? MeterState::unknown : MeterState::disabled;
    backoff_step_ms_[m] = 0;
    for (std::size_t k = 0; k < site.meters[m].block_count; ++k) due_[m][k] = now_ms;
  }
}

bool PollScheduler::pick(std::size_t bus, std::uint64_t now_ms, PollTask* task) const {
  const std::size_t meters = site_->meter_count;
  bool found = false;
  bool best_starving = false;
  std::uint8_t best_priority = 0;
  std::size_t best_distance = 0;
  std::uint64_t best_due = 0;
  for (std::size_t m = 0; m < meters; ++m) {
    const MeterConfig& meter = site_->meters[m];
    if (bus_of_meter_[m] != bus || !meter.enabled || now_ms < health_[m].backoff_until_ms) continue;
    const std::size_t distance = (m + meters - buses_[bus].last_meter - 1) % meters;
    for (std::size_t k = 0; k < meter.block_count; ++k) {
      const std::uint64_t due = due_[m][k];
      if (due > now_ms) continue;
      const std::size_t block = meter.first_block + k;
      const bool starving = now_ms - due >= interval_of(block);
      // Ranking: starving first, then priority, then round-robin distance, then the earliest due.
      bool better = !found;
      if (!better) {
        if (starving != best_starving) better = starving;
        else if (meter.priority != best_priority) better = meter.priority > best_priority;
        else if (distance != best_distance) better = distance < best_distance;
        else better = due < best_due;
      }
      if (better) {
        found = true;
        best_starving = starving;
        best_priority = meter.priority;
        best_distance = distance;
        best_due = due;
        *task = PollTask{static_cast<std::uint8_t>(m), static_cast<std::uint16_t>(block),
                         static_cast<std::uint8_t>(bus), 0};
      }
    }
  }
  return found;
}

void PollScheduler::dispatch(const PollTask& task, std::uint64_t now_ms) {
  Bus& bus = buses_[task.bus];
  bus.busy = true;
  bus.has_retry = false;
  bus.last_meter = task.meter;
  bus.dispatched_ms = now_ms;
  ++health_[task.meter].requests;
  if (task.attempt == 0) {
    // Keep the phase: the next read is due one period after this one was due, skipping whole
    // periods that have already passed (they are not caught up).
    const std::uint64_t interval = interval_of(task.block);
    std::uint64_t& due = due_[task.meter][task.block - site_->meters[task.meter].first_block];
    due += interval;
    if (due <= now_ms) due += ((now_ms - due) / interval + 1) * interval;
  }
}

bool PollScheduler::next(std::uint64_t now_ms, PollTask* task) {
  if (site_ == nullptr) return false;
  for (std::size_t i = 0; i < bus_count_; ++i) {
    const std::size_t b = (bus_cursor_ + i) % bus_count_;
    Bus& bus = buses_[b];
    if (bus.busy || now_ms < bus.ready_ms) continue;
    if (bus.has_retry) {
      *task = bus.retry;
    } else if (!pick(b, now_ms, task)) {
      continue;
    }
    dispatch(*task, now_ms);
    bus_cursor_ = static_cast<std::uint8_t>((b + 1) % bus_count_);
    return true;
  }
  return false;
}

void PollScheduler::complete(const PollTask& task, ModbusResult result, std::uint64_t now_ms) {
  Bus& bus = buses_[task.bus];
  bus.busy = false;
  bus.ready_ms = now_ms + options_.bus_gap_ms;
  MeterHealth& h = health_[task.meter];
  h.last_latency_ms = static_cast<std::uint32_t>(now_ms - bus.dispatched_ms);

  if (result == ModbusResult::ok || result == ModbusResult::exception) {
    ++h.responses;
    if (result == ModbusResult::ok) {
      h.has_good_read = true;
      h.last_good_read_ms = now_ms;
    } else {
      // The meter answered: it is on the bus, only this block is refused.
      ++h.exceptions;
      h.last_error = result;
      h.last_error_ms = now_ms;
    }
    h.state = MeterState::online;
    h.consecutive_failures = 0;
    h.backoff_until_ms = 0;
    backoff_step_ms_[task.meter] = 0;
    return;
  }
  switch (result) {
    case ModbusResult::timeout: ++h.timeouts; break;
    case ModbusResult::crc_error: ++h.crc_errors; break;
    case ModbusResult::connection_error: ++h.connection_errors; break;
    default: ++h.invalid_responses; break;
  }
  h.last_error = result;
  h.last_error_ms = now_ms;

  const bool retryable = result == ModbusResult::timeout || result == ModbusResult::crc_error;
  if (retryable && task.attempt < options_.retries) {
    bus.has_retry = true;
    bus.retry = task;
    ++bus.retry.attempt;
    return;
  }
  ++h.consecutive_failures;
  if (h.consecutive_failures >= options_.offline_after) {
    std::uint32_t& step = backoff_step_ms_[task.meter];
    if (step == 0) {
      step = options_.backoff_initial_ms;
    } else {
      step = step > options_.backoff_max_ms / 2 ? options_.backoff_max_ms : step * 2;
    }
    h.state = MeterState::offline;
    h.backoff_until_ms = now_ms + step;
  }
}

std::uint64_t PollScheduler::next_event_ms() const {
  if (site_ == nullptr) return kNever;
  std::uint64_t earliest = kNever;
  for (std::size_t b = 0; b < bus_count_; ++b) {
    const Bus& bus = buses_[b];
    if (bus.busy) continue;
    if (bus.has_retry) {
      if (bus.ready_ms < earliest) earliest = bus.ready_ms;
      continue;
    }
    for (std::size_t m = 0; m < site_->meter_count; ++m) {
      const MeterConfig& meter = site_->meters[m];
      if (bus_of_meter_[m] != b || !meter.enabled) continue;
      for (std::size_t k = 0; k < meter.block_count; ++k) {
        std::uint64_t t = due_[m][k];
        if (t < health_[m].backoff_until_ms) t = health_[m].backoff_until_ms;
        if (t < bus.ready_ms) t = bus.ready_ms;
        if (t < earliest) earliest = t;
      }
    }
  }
  return earliest;
}

}  // namespace ampx
