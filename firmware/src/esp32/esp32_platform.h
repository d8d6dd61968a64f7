// The ESP32 platform layer (Arduino-ESP32 2.0.17): each class implements one interface of the core
// (ampx_platform.h, ampx_uploader.h) or of the loop (app/platform_io.h), and each method is a
// direct use of one documented Arduino / ESP-IDF API. No decisions here: they are all in the core
// and in app/gateway, which are compiled and tested on a PC (test/firmware-native). This file is
// not compiled on the development machine; test/firmware-native/esp32-stubs.test.ts only checks it
// against stub declarations of the APIs it calls.
#pragma once

#include <Arduino.h>
#include <ESPAsyncWebServer.h>
#include <HTTPClient.h>
#include <Preferences.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>

#include "ampx_platform.h"
#include "ampx_uploader.h"
#include "app/platform_io.h"

#if defined(AMPX_TRANSPORT_W5500)
#include <Ethernet.h>
#endif

namespace ampx::esp32 {

/** esp_timer for the monotonic clock; the system time SNTP sets (configTime) for the wall clock. */
class Esp32Clock final : public Clock {
 public:
  std::uint64_t monotonic_ms() override;
  /** False until SNTP has set the time (the clock still reads 1970). */
  bool wall_ms(std::int64_t* epoch_ms) override;
};

/** A MAX485 on a UART: RO → RX pin, DI → TX pin, DE and /RE tied to one GPIO. */
class Rs485Serial final : public SerialPort {
 public:
  Rs485Serial(HardwareSerial& uart, int de_re_pin) : uart_(uart), de_re_pin_(de_re_pin) {}
  void begin(std::uint32_t baud, std::uint32_t config, int rx_pin, int tx_pin);
  void set_transmit(bool transmit) override;
  std::size_t write(const std::uint8_t* data, std::size_t length) override;
  void flush() override;
  std::size_t read(std::uint8_t* data, std::size_t capacity) override;
  void discard_input() override;

 private:
  HardwareSerial& uart_;
  int de_re_pin_;
};

#if defined(AMPX_TRANSPORT_W5500)
/** One Modbus TCP connection through the W5500 (Arduino Ethernet library; its connect blocks up to the timeout). */
class W5500Client final : public TcpClient {
 public:
  void set_timeout(std::uint16_t connect_timeout_ms) { client_.setConnectionTimeout(connect_timeout_ms); }
  bool connect(const char* host, std::uint16_t port) override;
  State state() override;
  std::size_t write(const std::uint8_t* data, std::size_t length) override;
  std::size_t read(std::uint8_t* data, std::size_t capacity) override;
  void close() override;

 private:
  EthernetClient client_;
};
#endif

/** Secrets and settings provisioned into NVS (namespace "ampx"); keys are at most 15 characters. */
class NvsSecrets final : public SecretStore {
 public:
  static constexpr std::size_t kKeyChars = 15;
  bool begin();
  bool secret(const SecretRef& ref, const char** value) override;
  /** A setting (Wi-Fi, CA certificate, static IP) into out; false when not provisioned. */
  bool setting(const char* key, char* out, std::size_t capacity);

 private:
  struct Entry {
    char key[kKeyChars + 1];
    char value[kMaxAuthValueBytes];
  };
  Preferences prefs_;
  Entry entries_[kMaxUploadHeaders] = {};
  std::size_t next_ = 0;
};

/** HTTPClient over WiFiClient (http://) or WiFiClientSecure with the provisioned CA (https://). */
class Esp32HttpPoster final : public HttpPoster {
 public:
  /** No CA certificate provisioned for an https:// URL: nothing is sent. */
  static constexpr int kNoCaCertificate = -100;
  void begin(const char* ca_certificate) { ca_ = ca_certificate; }
  int post(const char* url, const Header* headers, std::size_t header_count, const char* body, std::size_t length,
           std::uint32_t timeout_ms) override;

 private:
  const char* ca_ = nullptr;
  WiFiClient plain_;
  WiFiClientSecure secure_;
};

/** Live updates over the page's WebSocket (AsyncWebSocket, at /ws). */
class WsLivePush final : public app::LivePush {
 public:
  explicit WsLivePush(AsyncWebSocket& ws) : ws_(ws) {}
  bool listening() override;
  void send(const char* text, std::size_t length) override;

 private:
  AsyncWebSocket& ws_;
};

/** Events as JSON lines on the USB serial console (115200 baud). */
class SerialEvents final : public app::Events {
 public:
  explicit SerialEvents(const SiteConfig& site) : site_(site) {}
  void meter_state(std::size_t meter, MeterState state) override;
  void interval_closed(std::int64_t start_ms, std::int64_t end_ms, std::size_t payloads, std::size_t queued,
                       std::size_t failed) override;
  void uploaded(std::size_t accepted, int last_status, std::size_t queued) override;
  void missing_secret() override;

 private:
  const SiteConfig& site_;
};

}  // namespace ampx::esp32
