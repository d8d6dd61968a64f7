#include "ampx_site.h"

#include <cstring>

#include "ampx_limits.h"

namespace ampx {

const char* site_error_name(SiteError error) {
  switch (error) {
    case SiteError::ok: return "ok";
    case SiteError::too_many_meters: return "too_many_meters";
    case SiteError::too_many_blocks: return "too_many_blocks";
    case SiteError::too_many_quantities: return "too_many_quantities";
    case SiteError::too_many_series: return "too_many_series";
    case SiteError::too_many_poll_classes: return "too_many_poll_classes";
    case SiteError::too_many_buses: return "too_many_buses";
    case SiteError::bad_poll_class: return "bad_poll_class";
    case SiteError::bad_block: return "bad_block";
    case SiteError::bad_quantity: return "bad_quantity";
    case SiteError::bad_series: return "bad_series";
    case SiteError::bad_payload: return "bad_payload";
  }
  return "unknown";
}

namespace {

SiteCheck fail(SiteError e, std::size_t m = 0, std::size_t b = 0, std::size_t q = 0) {
  return SiteCheck{e, static_cast<std::uint16_t>(m), static_cast<std::uint16_t>(b), static_cast<std::uint16_t>(q)};
}

bool quantity_fits(const QuantityConfig& qc, const BlockConfig& block) {
  const DecodeSpec& d = qc.decode;
  const std::uint8_t width = register_width(d.type);
  if (width == 0) {
    if (d.type != RegisterType::string || d.count < 1 || d.count > kMaxStringRegisters) return false;
  } else if (d.count != width) {
    return false;
  }
  return d.sentinel_count <= kMaxSentinels && (d.sentinel_count == 0 || d.sentinels != nullptr) &&
         qc.word_offset + d.count <= block.count;
}

SiteCheck check_quantity(const SiteConfig& site, std::size_t m, std::size_t b, std::size_t q) {
  const QuantityConfig& qc = site.quantities[q];
  const BlockConfig& block = site.blocks[b];
  if (qc.meter != m || qc.block != b || qc.poll_class != block.poll_class || !quantity_fits(qc, block)) {
    return fail(SiteError::bad_quantity, m, b, q);
  }
  if (qc.kind == QuantityKind::identity ? qc.series != -1
                                        : (qc.series < 0 || static_cast<std::size_t>(qc.series) >= site.series_count)) {
    return fail(SiteError::bad_series, m, b, q);
  }
  return fail(SiteError::ok);
}

}  // namespace

SiteCheck validate_site(const SiteConfig& site) {
  if (site.meter_count > kMaxMeters) return fail(SiteError::too_many_meters);
  if (site.series_count > kMaxSeries) return fail(SiteError::too_many_series);
  if (site.poll_class_count > kMaxPollClasses) return fail(SiteError::too_many_poll_classes);
  for (std::size_t p = 0; p < site.poll_class_count; ++p) {
    if (site.poll_classes[p].interval_ms == 0) return fail(SiteError::bad_poll_class);
  }
  for (std::size_t m = 0; m < site.meter_count; ++m) {
    const MeterConfig& meter = site.meters[m];
    if (meter.block_count > kMaxBlocksPerMeter) return fail(SiteError::too_many_blocks, m);
    if (meter.quantity_count > kMaxQuantitiesPerMeter) return fail(SiteError::too_many_quantities, m);
    if (meter.first_block + meter.block_count > site.block_count) return fail(SiteError::bad_block, m);
    for (std::size_t b = meter.first_block; b < meter.first_block + meter.block_count; ++b) {
      const BlockConfig& block = site.blocks[b];
      if (block.meter != m || block.poll_class >= site.poll_class_count || block.count == 0 ||
          block.count > kMaxReadRegisters ||
          (block.function != RegisterFunction::holding && block.function != RegisterFunction::input) ||
          block.first_quantity + block.quantity_count > site.quantity_count) {
        return fail(SiteError::bad_block, m, b);
      }
      for (std::size_t q = block.first_quantity; q < block.first_quantity + block.quantity_count; ++q) {
        const SiteCheck check = check_quantity(site, m, b, q);
        if (check.error != SiteError::ok) return check;
      }
    }
  }
  // Each series belongs to exactly one quantity.
  for (std::size_t s = 0; s < site.series_count; ++s) {
    std::size_t owners = 0;
    for (std::size_t q = 0; q < site.quantity_count; ++q) owners += site.quantities[q].series == static_cast<int>(s);
    if (owners != 1) return fail(SiteError::bad_series, 0, 0, s);
  }
  std::uint8_t buses[kMaxMeters];
  if (assign_buses(site, buses) > kMaxBuses) return fail(SiteError::too_many_buses);
  for (std::size_t p = 0; p < site.program_count; ++p) {
    const PayloadProgram& program = site.programs[p];
    if (program.first_chunk + program.slot_count + 1U > site.chunk_count ||
        program.first_slot + program.slot_count > site.slot_count ||
        (program.meter != kNoMeter && program.meter >= site.meter_count)) {
      return fail(SiteError::bad_payload, 0, 0, p);
    }
    for (std::size_t i = program.first_slot; i < program.first_slot + program.slot_count; ++i) {
      if (site.slots[i].source == SlotSource::aggregate && site.slots[i].quantity >= site.quantity_count) {
        return fail(SiteError::bad_payload, 0, 0, p);
      }
    }
  }
  return fail(SiteError::ok);
}

ModbusRequest block_request(const SiteConfig& site, std::size_t block) {
  const BlockConfig& b = site.blocks[block];
  return ModbusRequest{site.meters[b.meter].unit_id, read_function(b.function), b.start, b.count, nullptr};
}

std::size_t assign_buses(const SiteConfig& site, std::uint8_t* bus_of_meter) {
  std::size_t buses = 0;
  for (std::size_t m = 0; m < site.meter_count; ++m) {
    const MeterConfig& meter = site.meters[m];
    bus_of_meter[m] = static_cast<std::uint8_t>(buses);
    if (site.transport == TransportKind::rtu) {
      bus_of_meter[m] = 0;
      buses = 1;
      continue;
    }
    bool shared = false;
    for (std::size_t o = 0; o < m && !shared; ++o) {
      const MeterConfig& other = site.meters[o];
      if (other.port == meter.port && other.host != nullptr && meter.host != nullptr &&
          std::strcmp(other.host, meter.host) == 0) {
        bus_of_meter[m] = bus_of_meter[o];
        shared = true;
      }
    }
    if (!shared) ++buses;
  }
  return buses;
}

std::size_t build_series(const SiteConfig& site, SeriesConfig* series, std::size_t capacity) {
  std::size_t count = site.series_count < capacity ? site.series_count : capacity;
  for (std::size_t q = 0; q < site.quantity_count; ++q) {
    const QuantityConfig& qc = site.quantities[q];
    if (qc.series < 0 || static_cast<std::size_t>(qc.series) >= count) continue;
    series[qc.series] = SeriesConfig{qc.meter, qc.kind, site.poll_classes[qc.poll_class].interval_ms};
  }
  return count;
}

}  // namespace ampx
