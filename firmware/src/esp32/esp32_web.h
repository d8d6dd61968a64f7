// The local web endpoints on the ESP32 (ESPAsyncWebServer on port 80, over Wi-Fi): GET / is the
// table page from flash (gzipped), GET /api/snapshot the JSON snapshot as a chunked response, /ws a
// WebSocket that gets one message per read. Handlers run in the async TCP task; they read the
// gateway under a mutex the loop holds while it steps, and give up a chunk (try again) rather than
// wait for a long upload.
#pragma once

#include <ESPAsyncWebServer.h>
#include <freertos/FreeRTOS.h>
#include <freertos/semphr.h>

#include "app/gateway.h"
#include "app/snapshot.h"

namespace ampx::esp32 {

class LocalWeb {
 public:
  /** Snapshots being sent at once; a third request waits for 503's Retry-After. */
  static constexpr std::size_t kStreams = 2;

  LocalWeb() : server_(80), ws_("/ws") {}
  void begin(const app::Gateway& gateway, SemaphoreHandle_t lock);
  AsyncWebSocket& ws() { return ws_; }
  /** Frees the slots of WebSocket clients that went away (call about once a second). */
  void cleanup() { ws_.cleanupClients(); }

 private:
  struct Stream {
    app::SnapshotStream stream;
    volatile bool busy;
  };
  void snapshot(AsyncWebServerRequest* request);

  const app::Gateway* gateway_ = nullptr;
  SemaphoreHandle_t lock_ = nullptr;
  AsyncWebServer server_;
  AsyncWebSocket ws_;
  Stream streams_[kStreams] = {};
};

}  // namespace ampx::esp32
