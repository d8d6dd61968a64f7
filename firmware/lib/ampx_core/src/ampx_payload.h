// The payload writer. Code generation compiles a site's handlebars template into payload programs
// (ampx_site_types.h): literal chunks with value slots between them. Rendering copies the chunks and
// writes each slot's value for the interval being closed, byte for byte as the engine's template
// rendering does (reference: engine/codegen/payload/format.ts), into a fixed buffer with overflow
// detection.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_aggregate.h"
#include "ampx_identity.h"
#include "ampx_json.h"
#include "ampx_site_types.h"

namespace ampx {

/** A slot's value before formatting: missing, a number, a string or a boolean. */
struct SlotValue {
  enum class Type : std::uint8_t { missing, number, string, boolean };
  Type type;
  double number;
  const char* text;
  std::size_t length;
  bool flag;

  static SlotValue missing() { return SlotValue{Type::missing, 0, nullptr, 0, false}; }
  static SlotValue of(double v) { return SlotValue{Type::number, v, nullptr, 0, false}; }
  static SlotValue of(const char* t, std::size_t n) { return SlotValue{Type::string, 0, t, n, false}; }
  static SlotValue of_bool(bool b) { return SlotValue{Type::boolean, 0, nullptr, 0, b}; }
};

/** The interval a payload describes, as the renderer reads it. */
class IntervalView {
 public:
  virtual std::int64_t start_ms() const = 0;
  virtual std::int64_t end_ms() const = 0;
  /** The aggregate of a row of SiteConfig::quantities; false when there is none (identity quantities). */
  virtual bool aggregate(std::size_t quantity, AggregateResult* result) const = 0;
  /** The latest value of an identity quantity as text; false while unknown. */
  virtual bool identity(std::size_t quantity, const char** text, std::size_t* length) const = 0;

 protected:
  ~IntervalView() = default;
};

/** An IntervalView over the Aggregator's open interval (render before opening the next one). */
class AggregatorView final : public IntervalView {
 public:
  AggregatorView(const SiteConfig& site, const Aggregator& aggregator, const IdentityStore* identities = nullptr)
      : site_(site), aggregator_(aggregator), identities_(identities) {}
  std::int64_t start_ms() const override { return aggregator_.start(); }
  std::int64_t end_ms() const override { return aggregator_.end(); }
  bool aggregate(std::size_t quantity, AggregateResult* result) const override;
  bool identity(std::size_t quantity, const char** text, std::size_t* length) const override {
    return identities_ != nullptr && identities_->get(quantity, text, length);
  }

 private:
  const SiteConfig& site_;
  const Aggregator& aggregator_;
  const IdentityStore* identities_;
};

/** The value a slot shows for an interval: its source, then its arithmetic step (numbers only). */
SlotValue slot_value(const PayloadSlot& slot, const IntervalView& interval, char* scratch, std::size_t scratch_size);

/** Writes a value in a slot format (json, json_inner, text, text_escaped). */
void write_slot_value(JsonWriter& out, const SlotValue& value, SlotFormat format);

struct RenderResult {
  /** Bytes written to the buffer. */
  std::size_t length;
  /** Bytes the payload needs; more than the buffer's capacity when overflow. */
  std::size_t required;
  bool overflow;
};

/** Renders one payload program for an interval into buffer[0, capacity); on overflow the buffer holds a prefix. */
RenderResult render_payload(const SiteConfig& site, const PayloadProgram& program, const IntervalView& interval,
                            char* buffer, std::size_t capacity);

}  // namespace ampx
