// Stub (declarations only): ESP-IDF 4.4 components/esp_hw_support/include/esp_mac.h.
#pragma once
#include <cstdint>
typedef int esp_err_t;
typedef enum { ESP_MAC_WIFI_STA, ESP_MAC_WIFI_SOFTAP, ESP_MAC_BT, ESP_MAC_ETH } esp_mac_type_t;
esp_err_t esp_read_mac(uint8_t* mac, esp_mac_type_t type);
