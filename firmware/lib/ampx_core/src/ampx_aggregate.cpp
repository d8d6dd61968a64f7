#include "ampx_aggregate.h"

#include <cmath>

namespace ampx {

std::int64_t interval_start(std::int64_t epoch_ms, std::uint32_t interval_ms) {
  const std::int64_t length = interval_ms;
  std::int64_t start = epoch_ms - epoch_ms % length;
  if (epoch_ms % length < 0) start -= length;
  return start;
}

void accumulate(Accumulator& acc, QuantityKind kind, double value, Quality quality) {
  if (kind == QuantityKind::identity) return;
  if (quality != Quality::good || !std::isfinite(value)) {
    if (acc.bad_count < 0xFFFF) ++acc.bad_count;
    return;
  }
  if (acc.count == 0xFFFF) return;  // saturated: 65535 samples per interval is the documented limit
  if (kind == QuantityKind::instantaneous) {
    // The sum starts at 0 as in the engine (so that 0 + -0 gives the same +0).
    acc.a = (acc.count == 0 ? 0.0 : acc.a) + value;
    if (acc.count == 0 || value < acc.b) acc.b = value;
    if (acc.count == 0 || value > acc.c) acc.c = value;
  } else {
    if (acc.count == 0) {
      acc.a = value;
      acc.c = 0;
    } else if (value >= acc.b) {
      acc.c = acc.c + (value - acc.b);
    } else {
      acc.c = acc.c + value;  // counter reset: counting restarted from zero
      acc.reset = true;
    }
    acc.b = value;
  }
  ++acc.count;
}

AggregateResult aggregate_result(const Accumulator& acc, QuantityKind kind, std::uint32_t poll_interval_ms,
                                 std::uint32_t interval_ms) {
  AggregateResult r{};
  r.count = acc.count;
  r.bad_count = acc.bad_count;
  const double coverage = static_cast<double>(acc.count) * static_cast<double>(poll_interval_ms) /
                          static_cast<double>(interval_ms);
  r.coverage = coverage < 1 ? coverage : 1;
  r.quality = acc.count == 0 ? IntervalQuality::missing
                             : (r.coverage >= 0.9 ? IntervalQuality::good : IntervalQuality::partial);
  r.avg = r.min = r.max = r.first = r.last = r.delta = NAN;
  r.reset = false;
  if (acc.count == 0) return r;
  if (kind == QuantityKind::instantaneous) {
    r.avg = acc.a / static_cast<double>(acc.count);
    r.min = acc.b;
    r.max = acc.c;
  } else if (kind == QuantityKind::counter) {
    r.first = acc.a;
    r.last = acc.b;
    r.delta = acc.c;
    r.reset = acc.reset;
  }
  return r;
}

void Aggregator::begin(const SeriesConfig* series, std::size_t series_count, std::uint32_t interval_ms) {
  series_ = series;
  series_count_ = series_count < kMaxSeries ? series_count : kMaxSeries;
  interval_ms_ = interval_ms > 0 ? interval_ms : 900000;
  open_ = false;
}

void Aggregator::open(std::int64_t epoch_ms) {
  start_ = interval_start(epoch_ms, interval_ms_);
  for (std::size_t i = 0; i < series_count_; ++i) acc_[i] = Accumulator{};
  open_ = true;
}

AddResult Aggregator::add(std::size_t series, std::int64_t epoch_ms, double value, Quality quality) {
  if (series >= series_count_ || series_[series].kind == QuantityKind::identity) return AddResult::ignored;
  if (!open_) open(epoch_ms);
  if (epoch_ms < start_) return AddResult::too_old;
  if (epoch_ms >= end()) return AddResult::after_end;
  accumulate(acc_[series], series_[series].kind, value, quality);
  return AddResult::added;
}

AggregateResult Aggregator::result(std::size_t series) const {
  if (series >= series_count_) return aggregate_result(Accumulator{}, QuantityKind::identity, 0, interval_ms_);
  return aggregate_result(acc_[series], series_[series].kind, series_[series].poll_interval_ms, interval_ms_);
}

}  // namespace ampx
