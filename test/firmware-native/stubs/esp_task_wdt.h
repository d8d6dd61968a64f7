// Stub (declarations only): ESP-IDF 4.4 components/esp_system/include/esp_task_wdt.h.
#pragma once
#include <cstdint>
#include "freertos/FreeRTOS.h"
typedef int esp_err_t;
esp_err_t esp_task_wdt_init(uint32_t timeout, bool panic);
esp_err_t esp_task_wdt_add(TaskHandle_t handle);
esp_err_t esp_task_wdt_reset(void);
