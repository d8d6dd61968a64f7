// The gateway firmware on the ESP32-WROOM-32U: setup() brings up the transport of the build
// (AMPX_TRANSPORT_RS485: a MAX485 on UART2; AMPX_TRANSPORT_W5500: Modbus TCP through a W5500),
// Wi-Fi for the uplink and the local web page, SNTP, LittleFS for the upload backlog and the task
// watchdog; loop() runs app/gateway's step(), the same loop the PC build runs in the tests.
// Settings and secrets are provisioned into NVS (namespace "ampx", docs/firmware.md).
#include <Arduino.h>
#include <LittleFS.h>
#include <WiFi.h>
#include <esp_mac.h>
#include <esp_task_wdt.h>
#include <freertos/FreeRTOS.h>
#include <freertos/semphr.h>

#include "app/gateway.h"
#include "esp32/esp32_platform.h"
#include "esp32/esp32_web.h"
#include "site_config.h"

#if defined(AMPX_TRANSPORT_W5500)
#include <Ethernet.h>
#include <SPI.h>
#elif !defined(AMPX_TRANSPORT_RS485)
#error "build the esp32-rs485 or the esp32-w5500 environment (platformio.ini sets AMPX_TRANSPORT_*)"
#endif

namespace {

using namespace ampx;

/** Bytes of the backlog file on LittleFS (huge_app.csv leaves 896 KB for the file system). */
constexpr std::size_t kRingBytes = 768 * 1024;
constexpr const char* kRingPath = "/littlefs/ampx-ring.bin";
/** Longer than the longest blocking call of the loop: one upload (its timeout) plus the TLS handshake. */
constexpr std::uint32_t kWatchdogSlackMs = 15000;

const SiteConfig& kSiteConfig = ampx::site::kSite;
esp32::Esp32Clock g_clock;
esp32::NvsSecrets g_nvs;
esp32::Esp32HttpPoster g_http;
esp32::SerialEvents g_events(kSiteConfig);
esp32::LocalWeb g_web;
esp32::WsLivePush g_live(g_web.ws());
FileStorage g_storage;
app::Gateway g_gateway;
SemaphoreHandle_t g_lock;
char g_ca[4000];
bool g_started = false;
std::uint64_t g_last_cleanup_ms = 0;

#if defined(AMPX_TRANSPORT_RS485)
HardwareSerial g_uart(AMPX_RS485_UART);
esp32::Rs485Serial g_serial(g_uart, AMPX_RS485_DE_RE_PIN);
#else
esp32::W5500Client g_tcp[app::kMaxTcpBuses];
TcpClient* g_tcp_list[app::kMaxTcpBuses];

/** Brings the W5500 up: reset pulse, SPI, the ESP32's own Ethernet MAC, static address from NVS or DHCP. */
void begin_ethernet() {
  pinMode(AMPX_W5500_RST_PIN, OUTPUT);
  digitalWrite(AMPX_W5500_RST_PIN, LOW);
  delay(1);
  digitalWrite(AMPX_W5500_RST_PIN, HIGH);
  delay(200);
  SPI.begin(AMPX_W5500_SCK_PIN, AMPX_W5500_MISO_PIN, AMPX_W5500_MOSI_PIN, AMPX_W5500_CS_PIN);
  Ethernet.init(AMPX_W5500_CS_PIN);
  std::uint8_t mac[6];
  esp_read_mac(mac, ESP_MAC_ETH);
  char ip[16], gateway[16], mask[16];
  IPAddress address, router, subnet;
  if (g_nvs.setting("eth_ip", ip, sizeof ip) && g_nvs.setting("eth_gw", gateway, sizeof gateway) &&
      g_nvs.setting("eth_mask", mask, sizeof mask) && address.fromString(ip) && router.fromString(gateway) &&
      subnet.fromString(mask)) {
    Ethernet.begin(mac, address, router, router, subnet);
  } else {
    Ethernet.begin(mac, 10000, 4000);
  }
  for (std::size_t i = 0; i < app::kMaxTcpBuses; ++i) {
    g_tcp[i].set_timeout(static_cast<std::uint16_t>(kSiteConfig.tcp.connect_timeout_ms));
    g_tcp_list[i] = &g_tcp[i];
  }
}
#endif

/** Wi-Fi station with the provisioned network; reconnects by itself. Polling never waits for it. */
void begin_wifi() {
  char ssid[33], password[65];
  if (!g_nvs.setting("wifi_ssid", ssid, sizeof ssid)) {
    Serial.println("{\"event\":\"no_wifi\",\"message\":\"provision wifi_ssid and wifi_pass into NVS\"}");
    return;
  }
  if (!g_nvs.setting("wifi_pass", password, sizeof password)) password[0] = 0;
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  WiFi.begin(ssid, password);
}

}  // namespace

void setup() {
  Serial.begin(115200);
  g_lock = xSemaphoreCreateMutex();
  g_nvs.begin();
  g_http.begin(g_nvs.setting("ca_cert", g_ca, sizeof g_ca) ? g_ca : nullptr);
  begin_wifi();
  char ntp[64];
  configTime(0, 0, g_nvs.setting("ntp_server", ntp, sizeof ntp) ? ntp : "pool.ntp.org", "time.google.com");

  app::Platform platform{};
  platform.clock = &g_clock;
  platform.http = &g_http;
  platform.secrets = &g_nvs;
  platform.live = &g_live;
  platform.events = &g_events;
  if (LittleFS.begin(true) && g_storage.open(kRingPath, kRingBytes)) platform.storage = &g_storage;
#if defined(AMPX_TRANSPORT_RS485)
  g_serial.begin(AMPX_RS485_BAUD, AMPX_RS485_CONFIG, AMPX_RS485_RX_PIN, AMPX_RS485_TX_PIN);
  platform.serial = &g_serial;
#else
  begin_ethernet();
  platform.tcp = g_tcp_list;
  platform.tcp_count = app::kMaxTcpBuses;
#endif
  const app::StartError started = g_gateway.begin(kSiteConfig, platform, app::GatewayOptions{});
  g_started = started == app::StartError::ok;
  Serial.printf("{\"event\":\"ready\",\"site\":\"%s\",\"started\":\"%s\",\"ring\":%u}\n", kSiteConfig.id,
                app::start_error_name(started), static_cast<unsigned>(g_gateway.ring().count()));
  if (g_started) g_web.begin(g_gateway, g_lock);

  esp_task_wdt_init((kSiteConfig.upload.timeout_ms + kWatchdogSlackMs) / 1000, true);
  esp_task_wdt_add(nullptr);
}

void loop() {
  esp_task_wdt_reset();
  if (!g_started) {
    delay(1000);
    return;
  }
  xSemaphoreTake(g_lock, portMAX_DELAY);
  const std::uint64_t next = g_gateway.step(WiFi.status() == WL_CONNECTED);
  xSemaphoreGive(g_lock);
#if defined(AMPX_TRANSPORT_W5500)
  Ethernet.maintain();
#endif
  const std::uint64_t now = g_clock.monotonic_ms();
  if (now - g_last_cleanup_ms >= 1000) {
    g_web.cleanup();
    g_last_cleanup_ms = now;
  }
  // A short sleep lets the other tasks (Wi-Fi, web server) run; an answer in the UART buffer waits at most 2 ms.
  delay(next > now + 2 ? 2 : 1);
}
