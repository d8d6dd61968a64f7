// The shape of a generated site configuration (include/site_config.h, written by `ampx firmware`).
// The generator (engine/codegen) fills these structs with designated initializers, every field in
// declaration order; the hand-written core (lib/ampx_core) reads them. Only data lives here: no
// functions, no heap, everything constexpr so that the tables stay in flash.
//
// Contract between engine/codegen and lib/ampx_core (docs/firmware-codegen.md):
// - enumerator names are the YAML / TypeScript names (as in ampx_types.h); the YAML → C++ mapping
//   lives in one table, engine/codegen/enums.ts;
// - a field is added at the END of a struct and the generator updated in the same commit
//   (designated initializers must follow declaration order).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_decode.h"
#include "ampx_types.h"

namespace ampx {

enum class TransportKind : std::uint8_t { rtu, tcp };
enum class Parity : std::uint8_t { none, even, odd };
/** The value is the Modbus function code that reads the register. */
enum class RegisterFunction : std::uint8_t { holding = 3, input = 4 };
enum class UploadMode : std::uint8_t { site, meter };
enum class AuthKind : std::uint8_t { none, bearer, basic, header };
/** Where a secret comes from on a PC gateway; on the device every secret is provisioned into NVS under its name. */
enum class SecretSource : std::uint8_t { none, literal, env, secrets_file };

/** One field of an interval aggregate (engine/model.ts IntervalAggregate). */
enum class AggregateField : std::uint8_t {
  avg,
  min,
  max,
  first,
  last,
  delta,
  count,
  bad_count,
  coverage,
  quality,  // string: "good" | "partial" | "missing"
  reset,    // bool, counters only
};

/** What a payload slot is filled with. */
enum class SlotSource : std::uint8_t {
  aggregate,       // one field of one quantity's interval aggregate (slot.quantity, slot.field)
  interval_start,  // the interval start (UTC), as slot.time says
  interval_end,    // the interval end (UTC), as slot.time says
  identity,        // the latest value of an identity quantity (slot.quantity), as text: strings as they are,
                   // numbers as format_json_number; missing until the meter has been read
};

/** How a time source becomes a value, before SlotFormat applies. */
enum class TimeRepr : std::uint8_t {
  none,           // not a time slot
  iso_millis,     // string 2026-12-04T10:15:00.000Z (Date.prototype.toISOString)
  iso_seconds,    // string 2026-12-04T10:15:00Z
  epoch_millis,   // integer milliseconds
  epoch_seconds,  // integer seconds (floor)
};

/** An arithmetic step applied to a numeric value before formatting, in double precision. */
enum class SlotOp : std::uint8_t {
  none,
  multiply,  // value * operand
  divide,    // value / operand
};

/**
 * How a slot's value becomes text; engine/codegen/payload/fill.ts is the reference, byte for byte.
 * "Missing" = the aggregate has no such field (e.g. avg when count is 0).
 */
enum class SlotFormat : std::uint8_t {
  json,          // JSON.stringify: numbers as format_json_number (non-finite → null), missing → null,
                 // strings quoted and escaped, bools true/false
  json_inner,    // json of the value as a string, without the surrounding quotes (text inside a JSON string)
  text,          // String(value): finite numbers as json, NaN, Infinity, -Infinity, strings as is, missing → ""
  text_escaped,  // text, then & < > " ' ` = escaped as handlebars does: &amp; &lt; &gt; &quot; &#x27; &#x60; &#x3D;
};

struct PollClassConfig {
  const char* name;
  std::uint32_t interval_ms;
};

struct MeterConfig {
  const char* id;
  const char* name;
  const char* profile;  // "<vendor>/<model>"
  std::uint8_t unit_id;
  const char* host;     // TCP only, else nullptr
  std::uint16_t port;   // TCP only, else 0
  std::uint8_t priority;  // 1 (lowest) … 10 (highest)
  bool enabled;
  const char* serial_number;  // as the site file gives it, else nullptr
  std::uint16_t first_block;  // index into SiteConfig::blocks
  std::uint16_t block_count;
  std::uint16_t first_quantity;  // index into SiteConfig::quantities
  std::uint16_t quantity_count;
};

/** One Modbus read, exactly as engine/plan planMeter computes it for the engine. */
struct BlockConfig {
  std::uint8_t meter;  // index into SiteConfig::meters
  RegisterFunction function;
  std::uint16_t start;  // wire (PDU) address
  std::uint16_t count;  // registers
  std::uint8_t poll_class;  // index into SiteConfig::poll_classes
  std::uint16_t first_quantity;  // the quantities decoded from this block: index into SiteConfig::quantities
  std::uint16_t quantity_count;
};

/** One row of the decode table: one quantity of one meter. */
struct QuantityConfig {
  const char* name;  // canonical quantity name, e.g. "voltage_l1"
  const char* unit;  // canonical unit, e.g. "V" ("" when dimensionless)
  QuantityKind kind;
  std::uint8_t meter;  // index into SiteConfig::meters
  std::uint16_t block;  // index into SiteConfig::blocks
  std::uint16_t word_offset;  // first register of the value, counted from the block's start
  std::uint8_t poll_class;  // index into SiteConfig::poll_classes
  std::int16_t series;  // index of its interval accumulator (non-identity quantities), else -1
  DecodeSpec decode;
};

struct RtuConfig {
  std::uint32_t baud_rate;
  Parity parity;
  std::uint8_t data_bits;
  std::uint8_t stop_bits;
  std::uint32_t response_timeout_ms;
  std::uint32_t turnaround_delay_ms;
  std::uint32_t inter_frame_delay_us;
  std::uint8_t retries;
};

struct TcpConfig {
  std::uint32_t connect_timeout_ms;
  std::uint32_t response_timeout_ms;
  std::uint32_t reconnect_delay_ms;
  std::uint32_t reconnect_delay_max_ms;
  std::uint8_t retries;
};

/** A secret as the site file references it. Its value is generated only when the file holds it literally. */
struct SecretRef {
  SecretSource source;
  const char* name;     // env var / secrets-file key = the NVS key the value is provisioned under
  const char* literal;  // SecretSource::literal only, else nullptr
};

struct HeaderConfig {
  const char* name;
  SecretRef value;  // header values may be secrets; plain values are SecretSource::literal
};

struct UploadConfig {
  bool enabled;
  const char* url;
  UploadMode mode;
  std::uint32_t timeout_ms;
  std::uint32_t retry_delay_ms;
  std::uint32_t retry_delay_max_ms;
  std::uint16_t batch_size;
  AuthKind auth_kind;
  const char* auth_header;    // AuthKind::header: the header name, else nullptr
  const char* auth_username;  // AuthKind::basic, else nullptr
  SecretRef auth_secret;      // bearer token, basic password or header value
  const std::uint16_t* success_status;  // empty = any 2xx
  std::uint8_t success_status_count;
  const HeaderConfig* headers;
  std::uint8_t header_count;
};

/** A literal piece of payload text; use length (the text is a C string too, for convenience). */
struct PayloadChunk {
  const char* text;
  std::uint16_t length;
};

/** A value the payload writer writes between two chunks. */
struct PayloadSlot {
  SlotSource source;
  std::uint16_t quantity;  // SlotSource::aggregate: index into SiteConfig::quantities, else 0
  AggregateField field;
  TimeRepr time;    // time sources only, else TimeRepr::none
  SlotOp op;        // numeric values only, else SlotOp::none
  double operand;   // SlotOp::multiply / divide
  SlotFormat format;
};

constexpr std::uint8_t kNoMeter = 0xFF;

/**
 * One request body: chunks[first_chunk], slots[first_slot], chunks[first_chunk + 1], …,
 * slots[first_slot + slot_count - 1], chunks[first_chunk + slot_count]. Site mode has one program;
 * meter mode one per enabled meter, each sent as its own request.
 */
struct PayloadProgram {
  std::uint8_t meter;  // kNoMeter in site mode
  std::uint16_t first_chunk;
  std::uint16_t first_slot;
  std::uint16_t slot_count;
  std::uint32_t max_length;  // upper bound of the body in bytes: literal text + the widest text of each slot
};

struct SiteConfig {
  const char* id;
  const char* name;
  std::uint32_t interval_ms;  // aggregation / upload interval, aligned to UTC
  TransportKind transport;
  RtuConfig rtu;
  TcpConfig tcp;
  const PollClassConfig* poll_classes;
  std::uint8_t poll_class_count;
  const MeterConfig* meters;
  std::uint8_t meter_count;
  const BlockConfig* blocks;
  std::uint16_t block_count;
  const QuantityConfig* quantities;
  std::uint16_t quantity_count;
  std::uint16_t series_count;  // quantities with an interval accumulator
  UploadConfig upload;
  const PayloadChunk* chunks;
  std::uint16_t chunk_count;
  const PayloadSlot* slots;
  std::uint16_t slot_count;
  const PayloadProgram* programs;
  std::uint8_t program_count;
};

}  // namespace ampx
