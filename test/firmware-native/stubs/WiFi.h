// Stub (declarations only): Arduino-ESP32 2.0.17 libraries/WiFi (WiFi.h, WiFiClient.h, WiFiType.h).
#pragma once
#include "Arduino.h"

typedef enum { WL_IDLE_STATUS = 0, WL_CONNECTED = 3, WL_DISCONNECTED = 6 } wl_status_t;
typedef enum { WIFI_MODE_NULL = 0, WIFI_STA = 1 } wifi_mode_t;

class WiFiClass {
 public:
  bool mode(wifi_mode_t);
  bool setAutoReconnect(bool autoReconnect);
  wl_status_t begin(const char* ssid, const char* passphrase = nullptr, int32_t channel = 0,
                    const uint8_t* bssid = nullptr, bool connect = true);
  static wl_status_t status();
};
extern WiFiClass WiFi;

class WiFiClient : public Client {
 public:
  int connect(IPAddress ip, uint16_t port) override;
  int connect(const char* host, uint16_t port) override;
  size_t write(uint8_t) override;
  int available() override;
  int read() override;
  int read(uint8_t* buf, size_t size) override;
  uint8_t connected() override;
  void stop() override;
};
