// Stub (declarations only): Arduino-ESP32 2.0.17 libraries/LittleFS/src/LittleFS.h.
#pragma once
#include "Arduino.h"

namespace fs {
class LittleFSFS {
 public:
  bool begin(bool formatOnFail = false, const char* basePath = "/littlefs", uint8_t maxOpenFiles = 10,
             const char* partitionLabel = "spiffs");
};
}  // namespace fs
extern fs::LittleFSFS LittleFS;
