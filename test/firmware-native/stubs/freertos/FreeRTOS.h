// Stub (declarations only): ESP-IDF 4.4 FreeRTOS types.
#pragma once
#include <cstdint>
typedef void* TaskHandle_t;
typedef void* SemaphoreHandle_t;
typedef uint32_t TickType_t;
typedef int BaseType_t;
#define pdTRUE 1
#define portMAX_DELAY 0xffffffffUL
#define pdMS_TO_TICKS(ms) ((TickType_t)(ms))
