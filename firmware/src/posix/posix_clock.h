// Clock on POSIX: CLOCK_MONOTONIC and CLOCK_REALTIME (a PC's clock is set by its own NTP client).
#pragma once

#include <ctime>

#include "ampx_platform.h"

namespace ampx::posix {

class PosixClock final : public Clock {
 public:
  std::uint64_t monotonic_ms() override {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec / 1000000);
  }
  bool wall_ms(std::int64_t* epoch_ms) override {
    timespec ts{};
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return false;
    *epoch_ms = static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
    return true;
  }
};

}  // namespace ampx::posix
