// Stub (declarations only): Arduino-ESP32 2.0.17 libraries/HTTPClient/src/HTTPClient.h.
#pragma once
#include "WiFi.h"

#define HTTPC_ERROR_CONNECTION_REFUSED (-1)

class HTTPClient {
 public:
  HTTPClient();
  ~HTTPClient();
  bool begin(WiFiClient& client, String url);
  void end(void);
  void setConnectTimeout(int32_t connectTimeout);
  void setTimeout(uint16_t timeout);
  void addHeader(const String& name, const String& value, bool first = false, bool replace = true);
  int POST(uint8_t* payload, size_t size);
};
