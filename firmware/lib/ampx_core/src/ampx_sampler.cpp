#include "ampx_sampler.h"

#include "ampx_decode.h"
#include "ampx_limits.h"

namespace ampx {

std::size_t decode_block(const SiteConfig& site, std::size_t block, const std::uint16_t* words,
                         std::size_t word_count, SampleSink& sink) {
  const BlockConfig& b = site.blocks[block];
  if (word_count != b.count) return 0;
  std::size_t decoded = 0;
  for (std::size_t q = b.first_quantity; q < b.first_quantity + b.quantity_count; ++q) {
    const QuantityConfig& qc = site.quantities[q];
    const DecodeSpec& spec = qc.decode;
    if (qc.word_offset + spec.count > word_count) continue;
    const std::uint16_t* at = words + qc.word_offset;
    BlockSample s{static_cast<std::uint16_t>(q), Quality::good, 0, nullptr, 0};
    char text[kMaxStringBytes];
    if (spec.type == RegisterType::string) {
      s.length = decode_string(at, spec.count, text, sizeof text);
      s.text = text;
    } else {
      const DecodedNumber n = decode_number(spec, at, spec.count);
      s.value = n.value;
      s.quality = n.quality;
    }
    sink.sample(s);
    ++decoded;
  }
  return decoded;
}

void IntervalRecorder::sample(const BlockSample& s) {
  const QuantityConfig& qc = site_.quantities[s.quantity];
  if (qc.kind == QuantityKind::identity) {
    if (s.text != nullptr) {
      identities_.set_text(s.quantity, s.text, s.length);
    } else if (s.quality == Quality::invalid) {
      identities_.clear(s.quantity);
    } else {
      identities_.set_number(s.quantity, s.value);
    }
    return;
  }
  if (qc.series < 0) return;
  if (aggregator_.add(static_cast<std::size_t>(qc.series), epoch_ms_, s.value, s.quality) != AddResult::added) {
    ++rejected_;
  }
}

}  // namespace ampx
