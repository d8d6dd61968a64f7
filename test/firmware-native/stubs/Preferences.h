// Stub (declarations only): Arduino-ESP32 2.0.17 libraries/Preferences/src/Preferences.h.
#pragma once
#include "Arduino.h"

class Preferences {
 public:
  bool begin(const char* name, bool readOnly = false, const char* partition_label = nullptr);
  size_t getString(const char* key, char* value, size_t maxLen);
};
