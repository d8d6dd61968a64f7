// The latest value of every quantity of the site, for the local table page and its JSON snapshot:
// value and quality per quantity (text quantities are read from the IdentityStore), and the time of
// the last good read per block. Fixed arrays sized by the core's capacities; no heap.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ampx_limits.h"
#include "ampx_sampler.h"
#include "ampx_site_types.h"

namespace ampx::app {

/** Most quantities of a site: every meter with a full profile. */
constexpr std::size_t kMaxSiteQuantities = kMaxMeters * kMaxQuantitiesPerMeter;
/** Most blocks of a site. */
constexpr std::size_t kMaxSiteBlocks = kMaxMeters * kMaxBlocksPerMeter;

class LiveTable final : public SampleSink {
 public:
  void begin(const SiteConfig& site);

  /** The samples that follow come from one read of `block` that answered at epoch_ms (0 when unknown). */
  void begin_block(std::size_t block, std::int64_t epoch_ms);
  void sample(const BlockSample& sample) override;

  /** The latest sample of a quantity: false while none has been read. */
  bool value(std::size_t quantity, double* value, Quality* quality) const;
  /** Wall time of the last good read of a block (0 = never or unknown). */
  std::int64_t block_time(std::size_t block) const { return block < kMaxSiteBlocks ? block_ms_[block] : 0; }
  /** Wall time of the newest good read of any block of a meter (0 = never). */
  std::int64_t meter_time(std::size_t meter) const;

 private:
  static constexpr std::uint8_t kUnknown = 0xFF;
  const SiteConfig* site_ = nullptr;
  std::int64_t block_ms_[kMaxSiteBlocks] = {};
  double value_[kMaxSiteQuantities] = {};
  std::uint8_t quality_[kMaxSiteQuantities] = {};
};

}  // namespace ampx::app
