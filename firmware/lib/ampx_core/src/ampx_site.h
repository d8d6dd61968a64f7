// Reading the generated site configuration. Its shape (SiteConfig, MeterConfig, BlockConfig,
// QuantityConfig, payload programs) is the contract in firmware/include/ampx_site_types.h, written by
// engine/codegen; this header adds the checks and lookups the core needs on top of it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_aggregate.h"
#include "ampx_modbus.h"
#include "ampx_site_types.h"

namespace ampx {

enum class SiteError : std::uint8_t {
  ok,
  too_many_meters,
  too_many_blocks,
  too_many_quantities,
  too_many_series,
  too_many_poll_classes,
  too_many_buses,
  bad_poll_class,
  bad_block,
  bad_quantity,
  bad_series,
  bad_payload,
};

/** Which check failed, and where (indices into the site's tables, when they apply). */
struct SiteCheck {
  SiteError error;
  std::uint16_t meter;
  std::uint16_t block;
  std::uint16_t quantity;
};

const char* site_error_name(SiteError error);

/**
 * Checks a site against the core's capacities and its cross-table indices (meter → blocks →
 * quantities, poll classes, series, payload programs). Code generation guarantees all of them;
 * the firmware calls this once at start-up so that a hand-edited header fails loudly, not strangely.
 */
SiteCheck validate_site(const SiteConfig& site);

/** The Modbus function code that reads a block. */
constexpr FunctionCode read_function(RegisterFunction function) {
  return function == RegisterFunction::input ? FunctionCode::read_input_registers
                                             : FunctionCode::read_holding_registers;
}

/** The read request of a block. */
ModbusRequest block_request(const SiteConfig& site, std::size_t block);

/**
 * The bus of every meter: 0 for all on RTU; on TCP one bus per distinct host:port (in order of
 * first appearance). Writes site.meter_count entries; returns the number of buses.
 */
std::size_t assign_buses(const SiteConfig& site, std::uint8_t* bus_of_meter);

/** The aggregated series of a site (kind and poll interval per QuantityConfig::series). Returns the count. */
std::size_t build_series(const SiteConfig& site, SeriesConfig* series, std::size_t capacity);

}  // namespace ampx
