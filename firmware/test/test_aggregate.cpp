// Interval aggregation against test/vectors/aggregate.json (expected values computed independently
// by test/firmware/vectors/aggregate.ts; the engine's aggregator is checked against the same file).
// Values must be identical, not merely close: both sides sum in arrival order in double precision.
#include <cmath>
#include <string>
#include <vector>

#include "ampx_aggregate.h"
#include "ampx_test.h"
#include "json_reader.h"

using namespace ampx;
using ampx_test::Json;

namespace {

Quality quality_of(const std::string& s) {
  if (s == "good") return Quality::good;
  if (s == "out_of_range") return Quality::out_of_range;
  if (s == "stale") return Quality::stale;
  return Quality::invalid;
}

void check_interval(const std::string& where, const Aggregator& agg, const Json& e) {
  const AggregateResult r = agg.result(0);
  CHECK_MSG(agg.start() == static_cast<std::int64_t>(e.get("start")->number), where + ": start");
  CHECK_MSG(agg.end() == static_cast<std::int64_t>(e.get("end")->number), where + ": end");
  CHECK_MSG(r.count == e.get("count")->number, where + ": count " + std::to_string(r.count));
  CHECK_MSG(r.bad_count == e.get("badCount")->number, where + ": badCount " + std::to_string(r.bad_count));
  CHECK_MSG(r.coverage == e.get("coverage")->number, where + ": coverage " + ampx_test::show(r.coverage));
  CHECK_MSG(interval_quality_name(r.quality) == e.get("quality")->text, where + ": quality");
  const struct {
    const char* name;
    double value;
  } fields[] = {{"avg", r.avg}, {"min", r.min}, {"max", r.max}, {"first", r.first}, {"last", r.last}, {"delta", r.delta}};
  for (const auto& f : fields) {
    const Json* expected = e.get(f.name);
    if (expected == nullptr) {
      CHECK_MSG(std::isnan(f.value), where + ": " + f.name + " should be absent");
    } else {
      CHECK_MSG(f.value == expected->number, where + ": " + f.name + " " + ampx_test::show(f.value) + " != " +
                                                 ampx_test::show(expected->number));
    }
  }
  if (const Json* reset = e.get("reset")) CHECK_MSG(r.reset == reset->boolean, where + ": reset");
}

}  // namespace

TEST_CASE(aggregate_vectors_match) {
  Json doc;
  std::string error;
  if (!ampx_test::read_json_file(ampx_test::vectors_dir() + "/aggregate.json", &doc, &error)) {
    CHECK_MSG(false, error);
    return;
  }
  const Json* cases = doc.get("cases");
  CHECK(cases != nullptr && cases->items.size() >= 10);
  if (cases == nullptr) return;
  for (const Json& c : cases->items) {
    const std::string name = c.get("name")->text;
    const SeriesConfig series{0,
                              c.get("kind")->text == "counter" ? QuantityKind::counter : QuantityKind::instantaneous,
                              static_cast<std::uint32_t>(c.get("pollIntervalMs")->number)};
    static Aggregator agg;  // ~25 KB: keep it off the stack
    agg.begin(&series, 1, static_cast<std::uint32_t>(c.get("intervalMs")->number));
    const std::vector<Json>& expected = c.get("expected")->items;
    std::size_t closed = 0;
    auto close = [&]() {
      if (closed < expected.size()) check_interval(name + " #" + std::to_string(closed), agg, expected[closed]);
      ++closed;
    };
    for (const Json& s : c.get("samples")->items) {
      const auto t = static_cast<std::int64_t>(s.get("t")->number);
      const Json* v = s.get("value");
      const double value = v->is_null() ? NAN : v->number;
      const Quality q = quality_of(s.get("quality")->text);
      // Close every interval up to the sample's, empty ones included (the firmware loop does the same).
      while (agg.due(t)) {
        close();
        agg.open(agg.end());
      }
      CHECK_MSG(agg.add(0, t, value, q) == AddResult::added, name + ": sample not added");
    }
    close();
    CHECK_MSG(closed == expected.size(), name + ": " + std::to_string(closed) + " intervals, expected " +
                                             std::to_string(expected.size()));
  }
}

TEST_CASE(aggregator_alignment_and_late_samples) {
  CHECK_EQ(interval_start(1796378400000 + 899999, 900000), 1796378400000);
  CHECK_EQ(interval_start(-1, 900000), -900000);
  const SeriesConfig series[] = {{0, QuantityKind::instantaneous, 1000}, {0, QuantityKind::identity, 1000}};
  static Aggregator agg;
  agg.begin(series, 2, 60000);
  CHECK(!agg.is_open());
  CHECK_EQ(agg.add(0, 125000, 1.0, Quality::good), AddResult::added);
  CHECK_EQ(agg.start(), 120000);
  CHECK_EQ(agg.add(0, 119999, 1.0, Quality::good), AddResult::too_old);
  CHECK_EQ(agg.add(0, 180000, 1.0, Quality::good), AddResult::after_end);
  CHECK_EQ(agg.add(1, 125000, 1.0, Quality::good), AddResult::ignored);
  CHECK_EQ(agg.add(7, 125000, 1.0, Quality::good), AddResult::ignored);
  CHECK(agg.due(180000));
  CHECK(!agg.due(179999));
  // A good but non-finite value counts as bad, as in the engine.
  CHECK_EQ(agg.add(0, 125001, INFINITY, Quality::good), AddResult::added);
  CHECK_EQ(agg.result(0).bad_count, 1U);
  CHECK_EQ(agg.result(0).count, 1U);
}
