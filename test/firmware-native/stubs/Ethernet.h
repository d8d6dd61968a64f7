// Stub (declarations only): arduino-libraries/Ethernet 2.0.2 src/Ethernet.h.
#pragma once
#include "Arduino.h"

class EthernetClass {
 public:
  static int begin(uint8_t* mac, unsigned long timeout = 60000, unsigned long responseTimeout = 4000);
  static int maintain();
  static void begin(uint8_t* mac, IPAddress ip, IPAddress dns, IPAddress gateway, IPAddress subnet);
  static void init(uint8_t sspin = 10);
};
extern EthernetClass Ethernet;

class EthernetClient : public Client {
 public:
  int connect(IPAddress ip, uint16_t port) override;
  int connect(const char* host, uint16_t port) override;
  size_t write(uint8_t) override;
  size_t write(const uint8_t* buf, size_t size) override;
  int available() override;
  int read() override;
  int read(uint8_t* buf, size_t size) override;
  uint8_t connected() override;
  void stop() override;
  void setConnectionTimeout(uint16_t timeout);
};
