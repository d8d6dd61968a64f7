// Stub (declarations only): Arduino-ESP32 2.0.17 libraries/WiFiClientSecure/src/WiFiClientSecure.h.
#pragma once
#include "WiFi.h"

class WiFiClientSecure : public WiFiClient {
 public:
  void setCACert(const char* rootCA);
};
