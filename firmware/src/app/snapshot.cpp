#include "app/snapshot.h"

#include <cstring>

#include "ampx_json.h"

namespace ampx::app {

namespace {

void lit(JsonWriter& w, const char* text) { w.raw(text, std::strlen(text)); }
void str(JsonWriter& w, const char* text) {
  if (text == nullptr) {
    w.null();
  } else {
    w.string(text, std::strlen(text));
  }
}
void key(JsonWriter& w, const char* name) {
  str(w, name);
  w.raw(":", 1);
}
void time_or_null(JsonWriter& w, std::int64_t epoch_ms) {
  if (epoch_ms > 0) {
    w.number(static_cast<double>(epoch_ms));
  } else {
    w.null();
  }
}

const char* kind_name(QuantityKind kind) {
  switch (kind) {
    case QuantityKind::instantaneous: return "instantaneous";
    case QuantityKind::counter: return "counter";
    case QuantityKind::identity: return "identity";
  }
  return "instantaneous";
}

const char* meter_status(const Gateway& g, std::size_t meter) {
  if (!g.site().meters[meter].enabled) return "disabled";
  return meter_state_name(g.scheduler().health(meter).state);
}

/** Monotonic ms → wall ms, through the current reading of both clocks (0 when the wall clock is unknown). */
std::int64_t to_wall(const Gateway& g, std::uint64_t monotonic_ms) {
  std::int64_t utc = 0;
  if (!g.clock().wall_ms(&utc)) return 0;
  const std::uint64_t now = g.clock().monotonic_ms();
  return utc - static_cast<std::int64_t>(now - monotonic_ms);
}

/** `"name":{"v":…,"q":…,"t":…}` for a quantity with a known value; false (nothing written) otherwise. */
bool write_value(JsonWriter& w, const Gateway& g, std::size_t q) {
  const QuantityConfig& qc = g.site().quantities[q];
  const std::int64_t t = g.live().block_time(qc.block);
  if (qc.decode.type == RegisterType::string) {
    const char* text = nullptr;
    std::size_t length = 0;
    if (!g.identities().get(q, &text, &length)) return false;
    key(w, qc.name);
    lit(w, "{\"v\":");
    w.string(text, length);
    lit(w, ",\"q\":\"good\"");
  } else {
    double value = 0;
    Quality quality = Quality::invalid;
    if (!g.live().value(q, &value, &quality)) return false;
    key(w, qc.name);
    lit(w, "{\"v\":");
    if (quality == Quality::invalid) {
      w.null();
    } else {
      w.number(value);
    }
    lit(w, ",\"q\":");
    str(w, quality_name(quality));
  }
  lit(w, ",\"t\":");
  time_or_null(w, t);
  lit(w, "}");
  return true;
}

void write_health(JsonWriter& w, const Gateway& g, std::size_t meter) {
  const MeterHealth& h = g.scheduler().health(meter);
  const struct {
    const char* name;
    std::uint32_t value;
  } counters[] = {{"requests", h.requests},
                  {"responses", h.responses},
                  {"timeouts", h.timeouts},
                  {"crcErrors", h.crc_errors},
                  {"exceptions", h.exceptions},
                  {"connectionErrors", h.connection_errors},
                  {"invalidResponses", h.invalid_responses},
                  {"consecutiveFailures", h.consecutive_failures}};
  lit(w, "{\"state\":");
  str(w, meter_state_name(h.state));
  for (const auto& c : counters) {
    lit(w, ",");
    key(w, c.name);
    w.number(c.value);
  }
  lit(w, ",\"lastGoodRead\":");
  time_or_null(w, h.has_good_read ? to_wall(g, h.last_good_read_ms) : 0);
  lit(w, ",\"lastError\":");
  if (h.last_error == ModbusResult::ok || h.last_error_ms == 0) {
    w.null();
  } else {
    lit(w, "{\"code\":");
    str(w, result_name(h.last_error));
    lit(w, ",\"at\":");
    time_or_null(w, to_wall(g, h.last_error_ms));
    lit(w, "}");
  }
  lit(w, ",\"lastLatencyMs\":");
  w.number(h.last_latency_ms);
  lit(w, "}");
}

/** True when an earlier row of the quantity table has the same name (the quantities map lists each once). */
bool seen_before(const SiteConfig& site, std::size_t q) {
  const char* name = site.quantities[q].name;
  for (std::size_t i = 0; i < q; ++i) {
    if (site.quantities[i].name == name || std::strcmp(site.quantities[i].name, name) == 0) return true;
  }
  return false;
}

}  // namespace

std::size_t write_block_update(const Gateway& g, std::size_t block, std::int64_t epoch_ms, char* out,
                               std::size_t capacity) {
  const SiteConfig& site = g.site();
  const BlockConfig& b = site.blocks[block];
  JsonWriter w(out, capacity);
  lit(w, "{\"type\":\"values\",\"meter\":");
  str(w, site.meters[b.meter].id);
  lit(w, ",\"status\":");
  str(w, meter_status(g, b.meter));
  lit(w, ",\"lastUpdate\":");
  time_or_null(w, epoch_ms);
  lit(w, ",\"values\":{");
  bool first = true;
  for (std::size_t q = b.first_quantity; q < b.first_quantity + b.quantity_count; ++q) {
    char piece[kValueBytes];
    JsonWriter p(piece, sizeof piece);
    if (!write_value(p, g, q) || p.overflow()) continue;
    if (!first) lit(w, ",");
    first = false;
    w.raw(piece, p.length());
  }
  lit(w, "}}");
  return w.overflow() ? 0 : w.length();
}

void SnapshotStream::begin(const Gateway& gateway) {
  gateway_ = &gateway;
  phase_ = Phase::head;
  index_ = 0;
  meter_ = 0;
  first_ = true;
  length_ = 0;
  offset_ = 0;
}

bool SnapshotStream::next_piece() {
  const Gateway& g = *gateway_;
  const SiteConfig& site = g.site();
  JsonWriter w(piece_, sizeof piece_);
  for (;;) {
    switch (phase_) {
      case Phase::head: {
        std::int64_t utc = 0;
        const bool known = g.clock().wall_ms(&utc);
        lit(w, "{\"site\":{\"id\":");
        str(w, site.id);
        lit(w, ",\"name\":");
        str(w, site.name);
        lit(w, "},\"serverTime\":");
        time_or_null(w, known ? utc : 0);
        lit(w, ",\"uptimeMs\":");
        w.number(static_cast<double>(g.clock().monotonic_ms() - g.started_ms()));
        lit(w, ",\"upload\":{\"enabled\":");
        w.boolean(site.upload.enabled);
        lit(w, ",\"queued\":");
        w.number(static_cast<double>(g.ring().count()));
        lit(w, ",\"slots\":");
        w.number(static_cast<double>(g.ring().slot_count()));
        lit(w, ",\"dropped\":");
        w.number(g.ring().dropped());
        lit(w, ",\"accepted\":");
        w.number(g.uploader().accepted());
        lit(w, ",\"failures\":");
        w.number(g.uploader().failures());
        lit(w, ",\"lastStatus\":");
        w.number(g.uploader().last_status());
        lit(w, ",\"missingSecret\":");
        w.boolean(g.uploader().missing_secret());
        lit(w, "},\"quantities\":{");
        phase_ = Phase::quantities;
        index_ = 0;
        first_ = true;
        break;
      }
      case Phase::quantities: {
        if (index_ >= site.quantity_count) {
          phase_ = Phase::meters_open;
          continue;
        }
        const std::size_t q = index_++;
        if (seen_before(site, q)) continue;
        if (!first_) lit(w, ",");
        first_ = false;
        key(w, site.quantities[q].name);
        lit(w, "{\"unit\":");
        str(w, site.quantities[q].unit);
        lit(w, ",\"kind\":");
        str(w, kind_name(site.quantities[q].kind));
        lit(w, "}");
        break;
      }
      case Phase::meters_open:
        lit(w, "},\"meters\":[");
        phase_ = Phase::meter_head;
        meter_ = 0;
        break;
      case Phase::meter_head: {
        if (meter_ >= site.meter_count) {
          phase_ = Phase::tail;
          continue;
        }
        const MeterConfig& m = site.meters[meter_];
        if (meter_ > 0) lit(w, ",");
        lit(w, "{\"id\":");
        str(w, m.id);
        lit(w, ",\"name\":");
        str(w, m.name);
        lit(w, ",\"enabled\":");
        w.boolean(m.enabled);
        lit(w, ",\"unitId\":");
        w.number(m.unit_id);
        if (m.host != nullptr) {
          lit(w, ",\"host\":");
          str(w, m.host);
          lit(w, ",\"port\":");
          w.number(m.port);
        }
        lit(w, ",\"priority\":");
        w.number(m.priority);
        if (m.serial_number != nullptr) {
          lit(w, ",\"serialNumber\":");
          str(w, m.serial_number);
        }
        lit(w, ",\"profile\":{\"id\":");
        str(w, m.profile);
        lit(w, "},\"status\":");
        str(w, meter_status(g, meter_));
        lit(w, ",\"lastUpdate\":");
        time_or_null(w, g.live().meter_time(meter_));
        lit(w, ",\"health\":");
        write_health(w, g, meter_);
        lit(w, ",\"values\":{");
        phase_ = Phase::meter_values;
        index_ = m.first_quantity;
        first_ = true;
        break;
      }
      case Phase::meter_values: {
        const MeterConfig& m = site.meters[meter_];
        if (index_ >= static_cast<std::size_t>(m.first_quantity) + m.quantity_count) {
          phase_ = Phase::meter_tail;
          continue;
        }
        const std::size_t q = index_++;
        char value[kValueBytes];
        JsonWriter v(value, sizeof value);
        if (!write_value(v, g, q) || v.overflow()) continue;
        if (!first_) lit(w, ",");
        first_ = false;
        w.raw(value, v.length());
        break;
      }
      case Phase::meter_tail:
        lit(w, "}}");
        ++meter_;
        phase_ = Phase::meter_head;
        break;
      case Phase::tail:
        lit(w, "]}");
        phase_ = Phase::done;
        break;
      case Phase::done: return false;
    }
    length_ = w.overflow() ? 0 : w.length();
    offset_ = 0;
    return true;
  }
}

std::size_t SnapshotStream::read(char* out, std::size_t capacity) {
  std::size_t n = 0;
  while (n < capacity) {
    if (offset_ == length_ && !next_piece()) break;
    std::size_t chunk = length_ - offset_;
    if (chunk > capacity - n) chunk = capacity - n;
    std::memcpy(out + n, piece_ + offset_, chunk);
    offset_ += chunk;
    n += chunk;
  }
  return n;
}

}  // namespace ampx::app
