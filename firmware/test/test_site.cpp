// The site configuration checks and lookups the core does on the generated header.
#include <cstring>

#include "ampx_site.h"
#include "ampx_test.h"
#include "test_site.h"

using namespace ampx;

TEST_CASE(test_site_is_valid) {
  const SiteCheck check = validate_site(test_site::kSite);
  CHECK_MSG(check.error == SiteError::ok, site_error_name(check.error));
}

TEST_CASE(validate_site_names_the_broken_row) {
  // A quantity that claims more registers than its block holds.
  QuantityConfig quantities[6];
  std::memcpy(quantities, test_site::kQuantities, sizeof quantities);
  quantities[1].word_offset = 3;
  SiteConfig site = test_site::kSite;
  site.quantities = quantities;
  SiteCheck check = validate_site(site);
  CHECK_EQ(check.error, SiteError::bad_quantity);
  CHECK_EQ(check.meter, 0);
  CHECK_EQ(check.quantity, 1);

  // An identity quantity must not own a series; an aggregated one must.
  std::memcpy(quantities, test_site::kQuantities, sizeof quantities);
  quantities[3].series = -1;
  check = validate_site(site);
  CHECK_EQ(check.error, SiteError::bad_series);
  CHECK_EQ(check.quantity, 3);

  site = test_site::kSite;
  site.meter_count = 33;
  CHECK_EQ(validate_site(site).error, SiteError::too_many_meters);

  site = test_site::kSite;
  site.chunk_count = 12;  // the program needs 13 chunks
  CHECK_EQ(validate_site(site).error, SiteError::bad_payload);
}

TEST_CASE(block_requests_use_the_block_function) {
  const ModbusRequest r = block_request(test_site::kSite, 1);
  CHECK_EQ(r.unit_id, 1);
  CHECK_EQ(r.function, FunctionCode::read_input_registers);
  CHECK_EQ(r.address, 100);
  CHECK_EQ(r.count, 4);
  CHECK_EQ(block_request(test_site::kSite, 2).function, FunctionCode::read_holding_registers);
}

TEST_CASE(buses_rtu_shared_tcp_per_host_and_port) {
  std::uint8_t bus[kMaxMeters];
  CHECK_EQ(assign_buses(test_site::kSite, bus), 1U);
  CHECK(bus[0] == 0 && bus[3] == 0);

  MeterConfig meters[4];
  std::memcpy(meters, test_site::kMeters, sizeof meters);
  meters[0].host = "10.0.0.5";
  meters[0].port = 502;
  meters[1].host = "10.0.0.6";
  meters[1].port = 502;
  meters[2].host = "10.0.0.5";  // a gateway with two meters behind it
  meters[2].port = 502;
  meters[3].host = "10.0.0.5";
  meters[3].port = 1502;
  SiteConfig site = test_site::kSite;
  site.transport = TransportKind::tcp;
  site.meters = meters;
  CHECK_EQ(assign_buses(site, bus), 3U);
  CHECK_EQ(bus[0], 0);
  CHECK_EQ(bus[1], 1);
  CHECK_EQ(bus[2], 0);
  CHECK_EQ(bus[3], 2);
}

TEST_CASE(series_from_the_site) {
  SeriesConfig series[kMaxSeries];
  CHECK_EQ(build_series(test_site::kSite, series, kMaxSeries), 6U);
  CHECK_EQ(series[2].kind, QuantityKind::counter);
  CHECK_EQ(series[2].poll_interval_ms, 10000U);
  CHECK_EQ(series[3].meter, 1);
}
