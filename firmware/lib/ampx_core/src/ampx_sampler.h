// One block read → samples: decodes every quantity of the block from the words of the answer and
// hands each sample to a sink. IntervalRecorder is the sink the firmware loop uses: it feeds the
// aggregator (instantaneous and counter quantities) and the identity store (identity quantities).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_aggregate.h"
#include "ampx_identity.h"
#include "ampx_site_types.h"

namespace ampx {

struct BlockSample {
  /** Row of SiteConfig::quantities. */
  std::uint16_t quantity;
  Quality quality;
  /** Numeric quantities; meaningless when quality is invalid. */
  double value;
  /** String quantities (UTF-8), else nullptr. */
  const char* text;
  std::size_t length;
};

class SampleSink {
 public:
  virtual void sample(const BlockSample& sample) = 0;

 protected:
  ~SampleSink() = default;
};

/** Decodes every quantity of block `block` from its words (exactly the block's count). Returns how many. */
std::size_t decode_block(const SiteConfig& site, std::size_t block, const std::uint16_t* words,
                         std::size_t word_count, SampleSink& sink);

/** Feeds decoded samples stamped `epoch_ms` into the aggregator and identity store. */
class IntervalRecorder final : public SampleSink {
 public:
  IntervalRecorder(const SiteConfig& site, Aggregator& aggregator, IdentityStore& identities, std::int64_t epoch_ms)
      : site_(site), aggregator_(aggregator), identities_(identities), epoch_ms_(epoch_ms) {}
  void sample(const BlockSample& sample) override;
  /** Samples the aggregator refused (outside its open interval: close it before recording). */
  std::size_t rejected() const { return rejected_; }

 private:
  const SiteConfig& site_;
  Aggregator& aggregator_;
  IdentityStore& identities_;
  std::int64_t epoch_ms_;
  std::size_t rejected_ = 0;
};

}  // namespace ampx
