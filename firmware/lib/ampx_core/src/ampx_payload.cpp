#include "ampx_payload.h"

#include <cmath>
#include <cstring>

namespace ampx {

bool AggregatorView::aggregate(std::size_t quantity, AggregateResult* result) const {
  if (quantity >= site_.quantity_count) return false;
  const std::int16_t series = site_.quantities[quantity].series;
  if (series < 0 || static_cast<std::size_t>(series) >= aggregator_.series_count()) return false;
  *result = aggregator_.result(static_cast<std::size_t>(series));
  return true;
}

namespace {

// "2026-12-04T10:15:00.000Z", as Date.prototype.toISOString.
std::size_t format_iso_millis(std::int64_t epoch_ms, char* out) {
  std::size_t n = format_iso_timestamp(epoch_ms, out);  // "...:SSZ"
  std::int64_t ms = epoch_ms % 1000;
  if (ms < 0) ms += 1000;
  out[n - 1] = '.';
  out[n++] = static_cast<char>('0' + ms / 100);
  out[n++] = static_cast<char>('0' + ms / 10 % 10);
  out[n++] = static_cast<char>('0' + ms % 10);
  out[n++] = 'Z';
  out[n] = 0;
  return n;
}

std::int64_t floor_div_1000(std::int64_t ms) { return ms / 1000 - (ms % 1000 < 0 ? 1 : 0); }

SlotValue time_value(std::int64_t epoch_ms, TimeRepr repr, char* scratch, std::size_t scratch_size) {
  switch (repr) {
    case TimeRepr::iso_millis:
      if (scratch_size < 25) return SlotValue::missing();
      return SlotValue::of(scratch, format_iso_millis(epoch_ms, scratch));
    case TimeRepr::iso_seconds:
      if (scratch_size < 21) return SlotValue::missing();
      return SlotValue::of(scratch, format_iso_timestamp(epoch_ms, scratch));
    case TimeRepr::epoch_millis: return SlotValue::of(static_cast<double>(epoch_ms));
    case TimeRepr::epoch_seconds: return SlotValue::of(static_cast<double>(floor_div_1000(epoch_ms)));
    case TimeRepr::none: break;
  }
  return SlotValue::missing();
}

// A field the aggregate has no value for (NaN in AggregateResult) is missing, as an absent
// property of IntervalAggregate is undefined in the engine.
SlotValue number_or_missing(double v) { return std::isnan(v) ? SlotValue::missing() : SlotValue::of(v); }

SlotValue aggregate_value(const AggregateResult& r, AggregateField field) {
  switch (field) {
    case AggregateField::avg: return number_or_missing(r.avg);
    case AggregateField::min: return number_or_missing(r.min);
    case AggregateField::max: return number_or_missing(r.max);
    case AggregateField::first: return number_or_missing(r.first);
    case AggregateField::last: return number_or_missing(r.last);
    case AggregateField::delta: return number_or_missing(r.delta);
    case AggregateField::count: return SlotValue::of(static_cast<double>(r.count));
    case AggregateField::bad_count: return SlotValue::of(static_cast<double>(r.bad_count));
    case AggregateField::coverage: return SlotValue::of(r.coverage);
    case AggregateField::quality: {
      const char* name = interval_quality_name(r.quality);
      return SlotValue::of(name, std::strlen(name));
    }
    case AggregateField::reset:
      // Only counters with good samples carry reset (delta is set exactly then).
      return std::isnan(r.delta) ? SlotValue::missing() : SlotValue::of_bool(r.reset);
  }
  return SlotValue::missing();
}

// String(number): JSON.stringify for finite numbers, NaN / Infinity / -Infinity otherwise.
std::size_t number_text(double v, char* out) {
  if (std::isnan(v)) {
    std::memcpy(out, "NaN", 4);
    return 3;
  }
  if (std::isinf(v)) {
    const char* t = v > 0 ? "Infinity" : "-Infinity";
    std::memcpy(out, t, std::strlen(t) + 1);
    return std::strlen(t);
  }
  return format_json_number(v, out);
}

void write_html_escaped(JsonWriter& out, const char* text, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) {
    switch (text[i]) {
      case '&': out.raw("&amp;", 5); break;
      case '<': out.raw("&lt;", 4); break;
      case '>': out.raw("&gt;", 4); break;
      case '"': out.raw("&quot;", 6); break;
      case '\'': out.raw("&#x27;", 6); break;
      case '`': out.raw("&#x60;", 6); break;
      case '=': out.raw("&#x3D;", 6); break;
      default: out.raw(text + i, 1);
    }
  }
}

}  // namespace

SlotValue slot_value(const PayloadSlot& slot, const IntervalView& interval, char* scratch, std::size_t scratch_size) {
  SlotValue value = SlotValue::missing();
  switch (slot.source) {
    case SlotSource::interval_start: value = time_value(interval.start_ms(), slot.time, scratch, scratch_size); break;
    case SlotSource::interval_end: value = time_value(interval.end_ms(), slot.time, scratch, scratch_size); break;
    case SlotSource::aggregate: {
      AggregateResult r{};
      if (interval.aggregate(slot.quantity, &r)) value = aggregate_value(r, slot.field);
      break;
    }
    case SlotSource::identity: {
      const char* text = nullptr;
      std::size_t length = 0;
      if (interval.identity(slot.quantity, &text, &length)) value = SlotValue::of(text, length);
      break;
    }
  }
  if (value.type == SlotValue::Type::number) {
    if (slot.op == SlotOp::multiply) value.number = value.number * slot.operand;
    if (slot.op == SlotOp::divide) value.number = value.number / slot.operand;
  }
  return value;
}

void write_slot_value(JsonWriter& out, const SlotValue& value, SlotFormat format) {
  char text[kMaxJsonNumberChars + 8];
  const char* t = nullptr;
  std::size_t n = 0;
  switch (value.type) {
    case SlotValue::Type::missing:
      if (format == SlotFormat::json) out.null();
      return;  // String(undefined) is printed as "" by handlebars
    case SlotValue::Type::number:
      if (format == SlotFormat::json) {
        out.number(value.number);  // non-finite → null
        return;
      }
      n = number_text(value.number, text);
      t = text;
      break;
    case SlotValue::Type::boolean:
      t = value.flag ? "true" : "false";
      n = value.flag ? 4 : 5;
      break;
    case SlotValue::Type::string:
      if (format == SlotFormat::json) {
        out.string(value.text, value.length);
        return;
      }
      t = value.text;
      n = value.length;
      break;
  }
  switch (format) {
    case SlotFormat::json:  // booleans only reach here
    case SlotFormat::text: out.raw(t, n); break;
    case SlotFormat::json_inner: out.string_inner(t, n); break;
    case SlotFormat::text_escaped: write_html_escaped(out, t, n); break;
  }
}

RenderResult render_payload(const SiteConfig& site, const PayloadProgram& program, const IntervalView& interval,
                            char* buffer, std::size_t capacity) {
  JsonWriter out(buffer, capacity);
  auto chunk = [&](std::size_t i) {
    const PayloadChunk& c = site.chunks[program.first_chunk + i];
    out.raw(c.text, c.length);
  };
  chunk(0);
  for (std::size_t i = 0; i < program.slot_count; ++i) {
    const PayloadSlot& slot = site.slots[program.first_slot + i];
    char scratch[32];
    write_slot_value(out, slot_value(slot, interval, scratch, sizeof scratch), slot.format);
    chunk(i + 1);
  }
  return RenderResult{out.length(), out.required(), out.overflow()};
}

}  // namespace ampx
