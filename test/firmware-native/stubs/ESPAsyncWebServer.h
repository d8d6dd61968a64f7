// Stub (declarations only): ESP32Async/ESPAsyncWebServer 3.x src/ESPAsyncWebServer.h, AsyncWebSocket.h.
#pragma once
#include "Arduino.h"

#define RESPONSE_TRY_AGAIN 0xFFFFFFFF
typedef enum { HTTP_GET = 0b00000001 } WebRequestMethod;
using AwsResponseFiller = std::function<size_t(uint8_t* buffer, size_t maxLen, size_t index)>;
using ArDisconnectHandler = std::function<void(void)>;

class AsyncWebServerResponse {
 public:
  bool addHeader(const char* name, const char* value, bool replaceExisting = true);
};

class AsyncWebServerRequest {
 public:
  void send(AsyncWebServerResponse* response);
  void send(int code, const char* contentType = "", const char* content = "");
  AsyncWebServerResponse* beginResponse(int code, const char* contentType = "", const char* content = "");
  AsyncWebServerResponse* beginResponse(int code, const char* contentType, const uint8_t* content, size_t len);
  AsyncWebServerResponse* beginChunkedResponse(const char* contentType, AwsResponseFiller callback);
  void onDisconnect(ArDisconnectHandler fn);
};

using ArRequestHandlerFunction = std::function<void(AsyncWebServerRequest* request)>;

class AsyncWebHandler {
 public:
  virtual ~AsyncWebHandler() = default;
};

class AsyncWebSocket : public AsyncWebHandler {
 public:
  explicit AsyncWebSocket(const char* url);
  size_t count() const;
  void textAll(const char* message, size_t len);
  void cleanupClients(uint16_t maxClients = 8);
};

class AsyncWebServer {
 public:
  AsyncWebServer(uint16_t port);
  void begin();
  AsyncWebHandler& addHandler(AsyncWebHandler* handler);
  void on(const char* uri, WebRequestMethod method, ArRequestHandlerFunction onRequest);
  void onNotFound(ArRequestHandlerFunction fn);
};
