#include "app/live_table.h"

namespace ampx::app {

void LiveTable::begin(const SiteConfig& site) {
  site_ = &site;
  for (auto& q : quality_) q = kUnknown;
  for (auto& t : block_ms_) t = 0;
}

void LiveTable::begin_block(std::size_t block, std::int64_t epoch_ms) {
  if (block < kMaxSiteBlocks) block_ms_[block] = epoch_ms;
}

void LiveTable::sample(const BlockSample& s) {
  if (s.quantity >= kMaxSiteQuantities) return;
  value_[s.quantity] = s.value;
  quality_[s.quantity] = static_cast<std::uint8_t>(s.quality);
}

bool LiveTable::value(std::size_t quantity, double* value, Quality* quality) const {
  if (quantity >= kMaxSiteQuantities || quality_[quantity] == kUnknown) return false;
  *value = value_[quantity];
  *quality = static_cast<Quality>(quality_[quantity]);
  return true;
}

std::int64_t LiveTable::meter_time(std::size_t meter) const {
  if (site_ == nullptr || meter >= site_->meter_count) return 0;
  const MeterConfig& m = site_->meters[meter];
  std::int64_t newest = 0;
  for (std::size_t b = m.first_block; b < m.first_block + m.block_count && b < kMaxSiteBlocks; ++b) {
    if (block_ms_[b] > newest) newest = block_ms_[b];
  }
  return newest;
}

}  // namespace ampx::app
