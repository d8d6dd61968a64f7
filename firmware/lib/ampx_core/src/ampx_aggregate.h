// 15-minute (any length) interval aggregation, with the rules of IntervalAggregate in engine/model.ts:
// - only samples of quality good (and finite) enter; bad_count counts the others;
// - instantaneous: avg (sum of the good values in arrival order ÷ count), min, max;
// - counter: first and last good value, delta = sum of the increases between consecutive good
//   samples; a decrease is a counter reset: the new value counts as the increase and reset is set;
// - identity quantities are not aggregated;
// - coverage = min(1, count × poll-class interval / interval length);
// - quality: missing when count is 0, good when coverage ≥ 0.9, else partial.
// Intervals are [start, start + length) with start a multiple of the length since the Unix epoch (UTC).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_limits.h"
#include "ampx_types.h"

namespace ampx {

/** One aggregated series (meter × quantity); the generated header lists them. */
struct SeriesConfig {
  /** Index of the meter in the site's meter table. */
  std::uint8_t meter;
  QuantityKind kind;
  /** Interval of the poll class that reads the quantity, for coverage. */
  std::uint32_t poll_interval_ms;
};

/** Running state of one series in the open interval: 32 bytes. */
struct Accumulator {
  std::uint16_t count;
  std::uint16_t bad_count;
  bool reset;
  /** instantaneous: sum, min, max. counter: first, last, delta. */
  double a;
  double b;
  double c;
};

/** A closed (or open) interval's result for one series. Fields that do not apply to the kind are NaN. */
struct AggregateResult {
  std::uint32_t count;
  std::uint32_t bad_count;
  double coverage;
  IntervalQuality quality;
  double avg;
  double min;
  double max;
  double first;
  double last;
  double delta;
  bool reset;
};

/** Start of the interval that contains epoch_ms (floor to a multiple of interval_ms, also before 1970). */
std::int64_t interval_start(std::int64_t epoch_ms, std::uint32_t interval_ms);

/** Adds one sample to an accumulator (value is ignored unless quality is good). */
void accumulate(Accumulator& acc, QuantityKind kind, double value, Quality quality);

/** The aggregate of an accumulator. */
AggregateResult aggregate_result(const Accumulator& acc, QuantityKind kind, std::uint32_t poll_interval_ms,
                                 std::uint32_t interval_ms);

enum class AddResult : std::uint8_t {
  added,
  /** The sample is older than the open interval (it is dropped). */
  too_old,
  /** The sample belongs to a later interval: close the open one first (due() is true). */
  after_end,
  /** Unknown series or an identity quantity. */
  ignored,
};

/**
 * All series of a site over one open interval. Usage in the firmware loop:
 *   if (agg.due(now)) { render a payload from agg.result(...); agg.open(now); }
 *   agg.add(series, sample_time, value, quality);
 */
class Aggregator {
 public:
  /** Binds the series table (at most kMaxSeries; extra series are ignored) and the interval length. */
  void begin(const SeriesConfig* series, std::size_t series_count, std::uint32_t interval_ms);

  /** Opens the interval containing epoch_ms with every accumulator empty. */
  void open(std::int64_t epoch_ms);
  bool is_open() const { return open_; }
  std::int64_t start() const { return start_; }
  std::int64_t end() const { return start_ + interval_ms_; }
  std::uint32_t interval_ms() const { return interval_ms_; }
  std::size_t series_count() const { return series_count_; }

  /** True when an interval is open and now_epoch_ms has reached its end. */
  bool due(std::int64_t now_epoch_ms) const { return open_ && now_epoch_ms >= end(); }

  /** Adds a sample; opens the sample's interval when none is open. */
  AddResult add(std::size_t series, std::int64_t epoch_ms, double value, Quality quality);

  AggregateResult result(std::size_t series) const;

 private:
  // Every member starts as zero so that a static Aggregator lives in .bss, not in .data (RAM and flash).
  const SeriesConfig* series_ = nullptr;
  std::size_t series_count_ = 0;
  std::uint32_t interval_ms_ = 0;
  bool open_ = false;
  std::int64_t start_ = 0;
  Accumulator acc_[kMaxSeries] = {};
};

}  // namespace ampx
