#include "esp32/esp32_web.h"

#include "app/table_page.h"

namespace ampx::esp32 {

void LocalWeb::begin(const app::Gateway& gateway, SemaphoreHandle_t lock) {
  gateway_ = &gateway;
  lock_ = lock;
  server_.on("/", HTTP_GET, [](AsyncWebServerRequest* request) {
    AsyncWebServerResponse* response =
        request->beginResponse(200, "text/html; charset=utf-8", app::kTablePageGz, app::kTablePageGzLength);
    response->addHeader("Content-Encoding", "gzip");
    response->addHeader("Cache-Control", "no-cache");
    request->send(response);
  });
  server_.on("/api/snapshot", HTTP_GET, [this](AsyncWebServerRequest* request) { snapshot(request); });
  server_.addHandler(&ws_);
  server_.onNotFound([](AsyncWebServerRequest* request) {
    request->send(404, "application/json", "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such page\"}}");
  });
  server_.begin();
}

void LocalWeb::snapshot(AsyncWebServerRequest* request) {
  Stream* slot = nullptr;
  for (auto& s : streams_) {
    if (!s.busy) {
      slot = &s;
      break;
    }
  }
  if (slot == nullptr) {
    AsyncWebServerResponse* busy = request->beginResponse(503, "application/json", "{\"error\":{\"code\":\"BUSY\"}}");
    busy->addHeader("Retry-After", "1");
    request->send(busy);
    return;
  }
  slot->busy = true;
  slot->stream.begin(*gateway_);  // only remembers the gateway; the pieces are read under the lock
  request->onDisconnect([slot]() { slot->busy = false; });
  AsyncWebServerResponse* response = request->beginChunkedResponse(
      "application/json", [this, slot](std::uint8_t* buffer, std::size_t max_length, std::size_t) -> std::size_t {
        if (xSemaphoreTake(lock_, pdMS_TO_TICKS(20)) != pdTRUE) return RESPONSE_TRY_AGAIN;
        const std::size_t n = slot->stream.read(reinterpret_cast<char*>(buffer), max_length);
        xSemaphoreGive(lock_);
        if (n == 0) slot->busy = false;
        return n;
      });
  response->addHeader("Cache-Control", "no-store");
  request->send(response);
}

}  // namespace ampx::esp32
