// Stub (declarations only): ESP-IDF 4.4 components/esp_timer/include/esp_timer.h.
#pragma once
#include <cstdint>
int64_t esp_timer_get_time(void);
