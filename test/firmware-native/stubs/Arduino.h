// Stub (declarations only): Arduino-ESP32 2.0.17 cores/esp32/Arduino.h, HardwareSerial.h, IPAddress.h, WString.h.
#pragma once
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <functional>

#define HIGH 0x1
#define LOW 0x0
#define OUTPUT 0x03
#define SERIAL_8N1 0x800001c
#define SERIAL_8E1 0x800001e
#define SERIAL_8O1 0x800001f
#define SERIAL_8N2 0x800003c

void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
void delay(uint32_t ms);
void configTime(long gmtOffset_sec, int daylightOffset_sec, const char* server1, const char* server2 = nullptr,
                const char* server3 = nullptr);

class String {
 public:
  String(const char* cstr = "");
  const char* c_str() const;
};

class Print {
 public:
  virtual ~Print() = default;
  virtual size_t write(uint8_t) = 0;
  virtual size_t write(const uint8_t* buffer, size_t size);
  size_t printf(const char* format, ...) __attribute__((format(printf, 2, 3)));
  size_t println(const char[]);
};

class Stream : public Print {
 public:
  virtual int available() = 0;
  virtual int read() = 0;
};

class HardwareSerial : public Stream {
 public:
  HardwareSerial(int uart_nr);
  void begin(unsigned long baud, uint32_t config = SERIAL_8N1, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeout_ms = 20000UL, uint8_t rxfifo_full_thrhd = 112);
  int available() override;
  int read() override;
  size_t read(uint8_t* buffer, size_t size);
  void flush();
  void flush(bool txOnly);
  size_t write(uint8_t) override;
  size_t write(const uint8_t* buffer, size_t size) override;
  size_t setRxBufferSize(size_t new_size);
};
extern HardwareSerial Serial;

class IPAddress {
 public:
  IPAddress();
  IPAddress(uint8_t a, uint8_t b, uint8_t c, uint8_t d);
  bool fromString(const char* address);
};

class Client : public Stream {
 public:
  virtual int connect(IPAddress ip, uint16_t port) = 0;
  virtual int connect(const char* host, uint16_t port) = 0;
  virtual int read(uint8_t* buf, size_t size) = 0;
  virtual uint8_t connected() = 0;
  virtual void stop() = 0;
};

void setup();
void loop();
