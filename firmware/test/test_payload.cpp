// The payload writer over the test site's program: chunks, slots in every format, arithmetic steps,
// missing values and overflow. Expected text follows engine/codegen/payload/format.ts.
#include <cmath>
#include <cstring>
#include <string>

#include "ampx_payload.h"
#include "ampx_site.h"
#include "ampx_test.h"
#include "test_site.h"

using namespace ampx;

namespace {

const std::int64_t kStart = 1796378400000;  // 2026-12-04T10:00:00Z

Aggregator& fresh_aggregator() {
  static SeriesConfig series[kMaxSeries];
  static Aggregator agg;
  const std::size_t n = build_series(test_site::kSite, series, kMaxSeries);
  agg.begin(series, n, test_site::kSite.interval_ms);
  agg.open(kStart);
  return agg;
}

std::string render(const Aggregator& agg, std::size_t capacity = 2048, RenderResult* result = nullptr) {
  static char buffer[4096];
  const AggregatorView view(test_site::kSite, agg);
  const RenderResult r = render_payload(test_site::kSite, test_site::kPrograms[0], view, buffer, capacity);
  if (result != nullptr) *result = r;
  return std::string(buffer, r.length);
}

std::string formatted(const SlotValue& value, SlotFormat format) {
  char buf[256];
  JsonWriter w(buf, sizeof buf);
  write_slot_value(w, value, format);
  return std::string(buf, w.length());
}

}  // namespace

TEST_CASE(chunk_lengths_match_their_text) {
  for (const PayloadChunk& c : test_site::kChunks) CHECK_EQ(std::strlen(c.text), static_cast<std::size_t>(c.length));
}

TEST_CASE(payload_of_an_interval) {
  Aggregator& agg = fresh_aggregator();
  agg.add(0, kStart + 1000, 230, Quality::good);
  agg.add(0, kStart + 2000, 231, Quality::good);
  agg.add(0, kStart + 3000, 0, Quality::invalid);
  agg.add(2, kStart + 1000, 100, Quality::good);
  agg.add(2, kStart + 11000, 100.5, Quality::good);
  agg.add(2, kStart + 21000, 0.25, Quality::good);  // counter reset
  agg.add(3, kStart + 1000, -1500.5, Quality::good);
  agg.add(3, kStart + 2000, 1000, Quality::good);
  RenderResult r{};
  const std::string text = render(agg, 2048, &r);
  CHECK_EQ(text, std::string("{\"site\":\"test\",\"start\":\"2026-12-04T10:00:00Z\",\"end\":1796379300000,"
                             "\"main\":{\"voltage_l1\":{\"avg\":230.5,\"min\":230,\"quality\":\"partial\"},"
                             "\"energy\":{\"delta\":0.75,\"wh\":750,\"reset\":true}},\"pv\":-250.25,"
                             "\"label\":\"2026-12-04T10:00:00.000Z\",\"text\":\"230.5\",\"html\":\"missing\"}"));
  CHECK(!r.overflow);
  CHECK_EQ(r.required, text.size());
}

TEST_CASE(payload_without_samples_writes_null_and_empty_text) {
  const std::string text = render(fresh_aggregator());
  CHECK_EQ(text, std::string("{\"site\":\"test\",\"start\":\"2026-12-04T10:00:00Z\",\"end\":1796379300000,"
                             "\"main\":{\"voltage_l1\":{\"avg\":null,\"min\":null,\"quality\":\"missing\"},"
                             "\"energy\":{\"delta\":null,\"wh\":null,\"reset\":null}},\"pv\":null,"
                             "\"label\":\"2026-12-04T10:00:00.000Z\",\"text\":\"\",\"html\":\"missing\"}"));
}

TEST_CASE(payload_overflow_is_detected) {
  Aggregator& agg = fresh_aggregator();
  RenderResult full{};
  const std::string whole = render(agg, 2048, &full);
  RenderResult cut{};
  const std::string prefix = render(agg, 40, &cut);
  CHECK(cut.overflow);
  CHECK_EQ(cut.length, 40U);
  CHECK_EQ(cut.required, full.required);
  CHECK_EQ(prefix, whole.substr(0, 40));
  RenderResult exact{};
  render(agg, full.required, &exact);
  CHECK(!exact.overflow);
}

TEST_CASE(slot_formats_follow_format_ts) {
  const char tricky[] = "a&b<c>d\"e'f`g=h\n";
  const SlotValue s = SlotValue::of(tricky, sizeof tricky - 1);
  CHECK_EQ(formatted(s, SlotFormat::json), std::string("\"a&b<c>d\\\"e'f`g=h\\n\""));
  CHECK_EQ(formatted(s, SlotFormat::json_inner), std::string("a&b<c>d\\\"e'f`g=h\\n"));
  CHECK_EQ(formatted(s, SlotFormat::text), std::string(tricky));
  CHECK_EQ(formatted(s, SlotFormat::text_escaped), std::string("a&amp;b&lt;c&gt;d&quot;e&#x27;f&#x60;g&#x3D;h\n"));

  CHECK_EQ(formatted(SlotValue::of(NAN), SlotFormat::json), std::string("null"));
  CHECK_EQ(formatted(SlotValue::of(NAN), SlotFormat::text), std::string("NaN"));
  CHECK_EQ(formatted(SlotValue::of(-INFINITY), SlotFormat::text), std::string("-Infinity"));
  CHECK_EQ(formatted(SlotValue::of(INFINITY), SlotFormat::json_inner), std::string("Infinity"));
  CHECK_EQ(formatted(SlotValue::of(1e21), SlotFormat::text), std::string("1e+21"));
  CHECK_EQ(formatted(SlotValue::of(-0.0), SlotFormat::text), std::string("0"));

  CHECK_EQ(formatted(SlotValue::missing(), SlotFormat::json), std::string("null"));
  CHECK_EQ(formatted(SlotValue::missing(), SlotFormat::text), std::string(""));
  CHECK_EQ(formatted(SlotValue::missing(), SlotFormat::json_inner), std::string(""));
  CHECK_EQ(formatted(SlotValue::of_bool(false), SlotFormat::json), std::string("false"));
  CHECK_EQ(formatted(SlotValue::of_bool(true), SlotFormat::text_escaped), std::string("true"));
}

TEST_CASE(slot_time_representations_and_ops) {
  struct View final : IntervalView {
    std::int64_t start_ms() const override { return 1796378400123; }
    std::int64_t end_ms() const override { return -1; }
    bool aggregate(std::size_t, AggregateResult* r) const override {
      *r = AggregateResult{};
      r->count = 3;
      r->delta = 2.5;
      r->avg = r->min = r->max = r->first = r->last = NAN;
      return true;
    }
    bool identity(std::size_t quantity, const char** text, std::size_t* length) const override {
      if (quantity != 7) return false;
      *text = "SN-42";
      *length = 5;
      return true;
    }
  } view;
  char scratch[32];
  PayloadSlot slot{SlotSource::interval_start, 0, AggregateField::avg, TimeRepr::epoch_seconds, SlotOp::none, 0,
                   SlotFormat::json};
  CHECK_EQ(slot_value(slot, view, scratch, sizeof scratch).number, 1796378400.0);
  slot.source = SlotSource::interval_end;
  CHECK_EQ(slot_value(slot, view, scratch, sizeof scratch).number, -1.0);  // Math.floor(-1 / 1000)
  slot.time = TimeRepr::iso_millis;
  slot.source = SlotSource::interval_start;
  const SlotValue iso = slot_value(slot, view, scratch, sizeof scratch);
  CHECK_EQ(std::string(iso.text, iso.length), std::string("2026-12-04T10:00:00.123Z"));

  PayloadSlot delta{SlotSource::aggregate, 0, AggregateField::delta, TimeRepr::none, SlotOp::divide, 4,
                    SlotFormat::json};
  CHECK_EQ(slot_value(delta, view, scratch, sizeof scratch).number, 0.625);
  PayloadSlot avg{SlotSource::aggregate, 0, AggregateField::avg, TimeRepr::none, SlotOp::multiply, 2,
                  SlotFormat::json};
  CHECK_EQ(slot_value(avg, view, scratch, sizeof scratch).type, SlotValue::Type::missing);  // missing stays missing
  PayloadSlot count{SlotSource::aggregate, 0, AggregateField::count, TimeRepr::none, SlotOp::none, 0,
                    SlotFormat::json};
  CHECK_EQ(slot_value(count, view, scratch, sizeof scratch).number, 3.0);
  PayloadSlot serial{SlotSource::identity, 7, AggregateField::avg, TimeRepr::none, SlotOp::multiply, 2,
                     SlotFormat::json};
  const SlotValue sn = slot_value(serial, view, scratch, sizeof scratch);
  CHECK_EQ(std::string(sn.text, sn.length), std::string("SN-42"));  // text; the op does not apply
  serial.quantity = 6;
  CHECK_EQ(slot_value(serial, view, scratch, sizeof scratch).type, SlotValue::Type::missing);
}
