// Stub (declarations only): ESP-IDF 4.4 FreeRTOS semphr.h (macros there, functions here).
#pragma once
#include "FreeRTOS.h"
SemaphoreHandle_t xSemaphoreCreateMutex();
BaseType_t xSemaphoreTake(SemaphoreHandle_t semaphore, TickType_t ticks);
BaseType_t xSemaphoreGive(SemaphoreHandle_t semaphore);
