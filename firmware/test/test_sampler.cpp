// From the words of one block read to aggregates and identity texts, then into a payload.
#include <cmath>
#include <cstring>
#include <string>

#include "ampx_payload.h"
#include "ampx_sampler.h"
#include "ampx_site.h"
#include "ampx_test.h"
#include "test_site.h"

using namespace ampx;

namespace {

struct Collect final : SampleSink {
  BlockSample last[8];
  std::size_t n = 0;
  void sample(const BlockSample& s) override {
    if (n < 8) last[n++] = s;
  }
};

}  // namespace

TEST_CASE(decode_block_yields_each_quantity) {
  // voltage_l1 = 230.5f (0x43668000), current_l1 = NaN (0x7FC00000).
  const std::uint16_t words[] = {0x4366, 0x8000, 0x7FC0, 0x0000};
  Collect sink;
  CHECK_EQ(decode_block(test_site::kSite, 0, words, 4, sink), 2U);
  CHECK_EQ(sink.last[0].quantity, 0);
  CHECK_EQ(sink.last[0].value, 230.5);
  CHECK_EQ(sink.last[0].quality, Quality::good);
  CHECK_EQ(sink.last[1].quality, Quality::invalid);
  // The answer must hold exactly the block's registers.
  CHECK_EQ(decode_block(test_site::kSite, 0, words, 3, sink), 0U);
}

TEST_CASE(recorder_feeds_aggregates_and_identities) {
  static SeriesConfig series[kMaxSeries];
  static Aggregator agg;
  agg.begin(series, build_series(test_site::kSite, series, kMaxSeries), test_site::kSite.interval_ms);
  const std::int64_t t = 1796378400000;
  agg.open(t);
  static IdentityStore ids;
  CHECK(ids.begin(test_site::kSite));  // the test site has no identity quantities: nothing reserved
  IntervalRecorder recorder(test_site::kSite, agg, ids, t + 5000);
  // Energy 0x0000000000BC614E Wh = 12345678 Wh → 12345.678 kWh, then the sentinel 65535.
  const std::uint16_t energy[] = {0x0000, 0x0000, 0x00BC, 0x614E};
  CHECK_EQ(decode_block(test_site::kSite, 1, energy, 4, recorder), 1U);
  const std::uint16_t sentinel[] = {0, 0, 0, 0xFFFF};
  decode_block(test_site::kSite, 1, sentinel, 4, recorder);
  const AggregateResult r = agg.result(2);
  CHECK_EQ(r.count, 1U);
  CHECK_EQ(r.bad_count, 1U);
  CHECK_EQ(r.first, 12345678 * 0.001);
  CHECK_EQ(recorder.rejected(), 0U);
  IntervalRecorder late(test_site::kSite, agg, ids, t + 900000);
  decode_block(test_site::kSite, 1, energy, 4, late);
  CHECK_EQ(late.rejected(), 1U);
}

TEST_CASE(identity_store_regions_and_payload_slot) {
  // A site with a serial number string (8 registers) and a numeric firmware version.
  static QuantityConfig quantities[8];
  std::memcpy(quantities, test_site::kQuantities, sizeof test_site::kQuantities);
  quantities[6] = QuantityConfig{"serial_number", "", QuantityKind::identity, 0, 0, 0, 0, -1,
                                 DecodeSpec{RegisterType::string, WordOrder::ABCD, 8, 1, 0, 1, false, 0, false, 0,
                                            nullptr, 0}};
  quantities[7] = QuantityConfig{"firmware_version", "", QuantityKind::identity, 0, 0, 0, 0, -1,
                                 DecodeSpec{RegisterType::u16, WordOrder::ABCD, 1, 0.01, 0, 1, false, 0, false, 0,
                                            nullptr, 0}};
  SiteConfig site = test_site::kSite;
  site.quantities = quantities;
  site.quantity_count = 8;
  static IdentityStore ids;
  CHECK(ids.begin(site));
  const char* text = nullptr;
  std::size_t length = 0;
  CHECK(!ids.get(6, &text, &length));  // missing until the meter has been read
  CHECK(ids.set_text(6, "ME631-0042", 10));
  CHECK(ids.set_number(7, 1.05));
  CHECK(!ids.set_text(3, "x", 1));  // not an identity quantity
  char too_long[40] = {};
  CHECK(!ids.set_text(6, too_long, sizeof too_long));
  CHECK(ids.get(6, &text, &length));
  CHECK_EQ(std::string(text, length), std::string("ME631-0042"));
  CHECK(ids.get(7, &text, &length));
  CHECK_EQ(std::string(text, length), std::string("1.05"));
  ids.clear(7);
  CHECK(!ids.get(7, &text, &length));

  static SeriesConfig series[kMaxSeries];
  static Aggregator agg;
  agg.begin(series, build_series(site, series, kMaxSeries), site.interval_ms);
  agg.open(0);
  const AggregatorView view(site, agg, &ids);
  char scratch[32];
  const PayloadSlot slot{SlotSource::identity, 6, AggregateField::avg, TimeRepr::none, SlotOp::none, 0,
                         SlotFormat::json};
  char buf[64];
  JsonWriter w(buf, sizeof buf);
  write_slot_value(w, slot_value(slot, view, scratch, sizeof scratch), slot.format);
  CHECK_EQ(std::string(buf, w.length()), std::string("\"ME631-0042\""));
}
