// The shape of a generated site configuration (include/site_config.h, written by `ampx firmware`).
// The generator (engine/codegen) fills these structs with designated initializers, every field in
// declaration order; the hand-written core (lib/ampx_core) reads them. Only data lives here: no
// functions, no heap, everything constexpr so that the tables stay in flash.
//
// Contract between engine/codegen and lib/ampx_core: a field is added at the END of a struct and
// the generator updated in the same commit (designated initializers must follow declaration order).
// The YAML → C++ enum names come from one table, engine/codegen/enums.ts.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ampx {

enum class TransportKind : uint8_t { Rtu, Tcp };
enum class Parity : uint8_t { None, Even, Odd };
/** The value is the Modbus function code that reads the register. */
enum class RegisterFunction : uint8_t { Holding = 3, Input = 4 };
enum class RegisterType : uint8_t { U16, S16, U32, S32, U64, S64, F32, F64, String };
/** See engine/decode/words.ts for the exact meaning of each order. */
enum class WordOrder : uint8_t { ABCD, CDAB, BADC, DCBA };
enum class QuantityKind : uint8_t { Instantaneous, Counter, Identity };
enum class UploadMode : uint8_t { Site, Meter };
enum class AuthKind : uint8_t { None, Bearer, Basic, Header };
/** Where a secret comes from on the gateway PC; on the device both are provisioned into NVS under `name`. */
enum class SecretSource : uint8_t { None, Literal, Env, SecretsFile };

/** One field of an interval aggregate (engine/model.ts IntervalAggregate). */
enum class AggregateField : uint8_t {
  Avg,
  Min,
  Max,
  First,
  Last,
  Delta,
  Count,
  BadCount,
  Coverage,
  Quality,  // "good" | "partial" | "missing"
  Reset,    // bool, counters only
};

/** What a payload slot is filled with. */
enum class SlotSource : uint8_t {
  Aggregate,      // one field of one quantity's interval aggregate (slot.quantity, slot.field)
  IntervalStart,  // epoch ms of the interval start (UTC)
  IntervalEnd,    // epoch ms of the interval end (UTC)
};

/**
 * How a slot's value becomes text. Must match engine/codegen/payload/fill.ts byte for byte.
 * Missing = the aggregate has no such field (e.g. avg when count is 0).
 */
enum class SlotFormat : uint8_t {
  Json,          // JSON.stringify: number shortest round-trip (as JavaScript prints it), non-finite and missing → null,
                 // strings quoted and escaped, bool true/false
  Text,          // String(value): as Json for finite numbers and bools, strings as is, NaN → NaN, missing → ""
  TextEscaped,   // Text, then & < > " ' ` = HTML-escaped as handlebars does (&amp; &lt; &gt; &quot; &#x27; &#x60; &#x3D;)
  IsoMillis,     // time: 2026-12-04T10:15:00.000Z (Date.prototype.toISOString)
  IsoSeconds,    // time: 2026-12-04T10:15:00Z
  EpochMillis,   // time: integer milliseconds
  EpochSeconds,  // time: integer seconds (floor)
};

/** An arithmetic step applied to a numeric value before formatting, in double precision, in order. */
enum class SlotOp : uint8_t { None, Multiply, Divide, Round };

struct PollClassConfig {
  const char* name;
  uint32_t intervalMs;
};

struct MeterConfig {
  const char* id;
  const char* name;
  const char* profile;  // "<vendor>/<model>"
  uint8_t unitId;
  const char* host;  // TCP only, else nullptr
  uint16_t port;     // TCP only, else 0
  uint8_t priority;  // 1 (lowest) … 10 (highest)
  bool enabled;
  const char* serialNumber;  // from the site file, or nullptr
  uint16_t firstBlock;       // index into SiteConfig::blocks
  uint16_t blockCount;
  uint16_t firstQuantity;  // index into SiteConfig::quantities
  uint16_t quantityCount;
};

/** One Modbus read, as engine/plan planMeter computes it. */
struct BlockConfig {
  uint8_t meter;  // index into SiteConfig::meters
  RegisterFunction function;
  uint16_t start;  // wire (PDU) address
  uint16_t count;  // registers
  uint8_t pollClass;  // index into SiteConfig::pollClasses
  uint16_t firstQuantity;  // the quantities decoded from this block: index into SiteConfig::quantities
  uint16_t quantityCount;
};

/**
 * One row of the decode table: one quantity of one meter. Decode order (as engine/decode):
 * raw → sentinel check on raw → raw × multiplier + valueOffset → × unitFactor → NaN/Inf → invalid;
 * outside [min, max] → out_of_range (value kept).
 */
struct QuantityConfig {
  const char* name;  // canonical quantity name, e.g. "voltage_l1"
  const char* unit;  // canonical unit, e.g. "V" ("" for dimensionless)
  QuantityKind kind;
  uint8_t meter;      // index into SiteConfig::meters
  uint16_t block;     // index into SiteConfig::blocks
  uint16_t wordOffset;  // first register of the value, counted from the block's start
  uint16_t wordCount;   // registers of the value
  RegisterType type;
  WordOrder wordOrder;
  double multiplier;
  double valueOffset;
  double unitFactor;  // raw unit → canonical unit
  bool hasMin;
  double min;
  bool hasMax;
  double max;
  uint16_t firstSentinel;  // index into SiteConfig::sentinels (raw values that mean "not available")
  uint8_t sentinelCount;
  uint8_t pollClass;  // index into SiteConfig::pollClasses
};

struct RtuConfig {
  uint32_t baudRate;
  Parity parity;
  uint8_t dataBits;
  uint8_t stopBits;
  uint32_t responseTimeoutMs;
  uint32_t turnaroundDelayMs;
  uint32_t interFrameDelayUs;
  uint8_t retries;
};

struct TcpConfig {
  uint32_t connectTimeoutMs;
  uint32_t responseTimeoutMs;
  uint32_t reconnectDelayMs;
  uint32_t reconnectDelayMaxMs;
  uint8_t retries;
};

/** A secret as the site file references it. The value is never generated unless the file holds it literally. */
struct SecretRef {
  SecretSource source;
  const char* name;     // env var / secrets-file key = the NVS key the value is provisioned under
  const char* literal;  // only for SecretSource::Literal, else nullptr
};

struct HeaderConfig {
  const char* name;
  SecretRef value;  // header values may be secrets; plain values are SecretSource::Literal
};

struct UploadConfig {
  bool enabled;
  const char* url;
  UploadMode mode;
  uint32_t timeoutMs;
  uint32_t retryDelayMs;
  uint32_t retryDelayMaxMs;
  uint16_t batchSize;
  AuthKind authKind;
  const char* authHeader;    // AuthKind::Header: header name, else nullptr
  const char* authUsername;  // AuthKind::Basic, else nullptr
  SecretRef authSecret;      // bearer token, basic password or header value
  const uint16_t* successStatus;  // empty = any 2xx
  uint8_t successStatusCount;
  const HeaderConfig* headers;
  uint8_t headerCount;
};

/** A literal piece of payload text (not NUL-terminated by contract: use length). */
struct PayloadChunk {
  const char* text;
  uint16_t length;
};

/** A value the firmware writes between two chunks. */
struct PayloadSlot {
  SlotSource source;
  uint16_t quantity;  // SlotSource::Aggregate: index into SiteConfig::quantities
  AggregateField field;
  SlotOp op;       // applied to numeric values before formatting; None for others
  double operand;  // Multiply/Divide: the factor; Round: decimals
  SlotFormat format;
};

/**
 * One request body: chunks[firstChunk], slots[firstSlot], chunks[firstChunk + 1], …,
 * slots[firstSlot + slotCount - 1], chunks[firstChunk + slotCount]. Site mode has one program;
 * meter mode one per enabled meter (meter = its index), sent as separate requests.
 */
struct PayloadProgram {
  uint8_t meter;  // kNoMeter in site mode
  uint16_t firstChunk;
  uint16_t firstSlot;
  uint16_t slotCount;
  uint32_t maxLength;  // upper bound of the rendered body in bytes (literal text + widest slot texts)
};

constexpr uint8_t kNoMeter = 0xFF;

struct SiteConfig {
  const char* id;
  const char* name;
  uint32_t intervalMs;  // aggregation / upload interval, aligned to UTC
  TransportKind transport;
  RtuConfig rtu;
  TcpConfig tcp;
  const PollClassConfig* pollClasses;
  uint8_t pollClassCount;
  const MeterConfig* meters;
  uint8_t meterCount;
  const BlockConfig* blocks;
  uint16_t blockCount;
  const QuantityConfig* quantities;
  uint16_t quantityCount;
  const double* sentinels;
  uint16_t sentinelCount;
  UploadConfig upload;
  const PayloadChunk* chunks;
  uint16_t chunkCount;
  const PayloadSlot* slots;
  uint16_t slotCount;
  const PayloadProgram* programs;
  uint8_t programCount;
};

}  // namespace ampx
