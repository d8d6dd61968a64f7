// The gateway firmware as a process on a PC (the `native` build): the same loop as the ESP32
// (app/gateway.h) over the POSIX platform layer. Settings that differ between a PC and the device
// come from the environment:
//
//   AMPX_STATE_DIR     folder of the upload backlog (ring.bin)                    default ./ampx-state
//   AMPX_RING_BYTES    size of the backlog file                                   default: room for 96 payloads
//   AMPX_UPLOAD_URL    upload here instead of the site's upload.url (http:// only)
//   AMPX_SERIAL_PORT   RS485 sites: the serial device (the generated header has no path) default /dev/ttyUSB0
//   AMPX_HTTP_BIND     address of the local web endpoints                         default 127.0.0.1
//   AMPX_HTTP_PORT     their port; 0 picks a free one                             default 8080
//   AMPX_READ_LOG      append every Modbus read (time, block, result, words), each start and each
//                      closed interval to this file as JSON lines (the tests replay it through the engine)
//   <secret name>      each secret the upload needs, by its name in the site file (e.g. AMPX_API_TOKEN)
//
// It prints one JSON line per event on stdout ({"event":"ready",…}, "interval", "upload", "meter")
// and stops on SIGINT or SIGTERM.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/stat.h>

#include "app/gateway.h"
#include "posix/posix_clock.h"
#include "posix/posix_http.h"
#include "posix/posix_secrets.h"
#include "posix/posix_serial.h"
#include "posix/posix_tcp.h"
#include "posix/posix_web.h"
#include "site_config.h"

namespace {

using namespace ampx;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

const char* env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != 0 ? value : fallback;
}

void json_string(std::FILE* out, const char* text) {
  if (text == nullptr) {
    std::fputs("null", out);
    return;
  }
  char buffer[512];
  JsonWriter w(buffer, sizeof buffer);
  w.string(text, std::strlen(text));
  std::fwrite(buffer, 1, w.overflow() ? 0 : w.length(), out);
}

/** Events as JSON lines on stdout, and every read in the read log when one is asked for. */
class StdoutEvents final : public app::Events {
 public:
  StdoutEvents(const SiteConfig& site, std::FILE* read_log) : site_(site), read_log_(read_log) {}

  void read(const PollTask& task, const ModbusResponse& response, const std::uint16_t* words,
            std::int64_t epoch_ms) override {
    if (read_log_ == nullptr) return;
    const BlockConfig& b = site_.blocks[task.block];
    std::fprintf(read_log_,
                 "{\"t\":%lld,\"meter\":\"%s\",\"block\":%u,\"function\":%u,\"start\":%u,\"count\":%u,"
                 "\"attempt\":%u,\"result\":\"%s\",\"words\":[",
                 static_cast<long long>(epoch_ms), site_.meters[task.meter].id, static_cast<unsigned>(task.block),
                 static_cast<unsigned>(b.function), static_cast<unsigned>(b.start), static_cast<unsigned>(b.count),
                 static_cast<unsigned>(task.attempt), result_name(response.result));
    const std::size_t n = response.result == ModbusResult::ok ? response.word_count : 0;
    for (std::size_t i = 0; i < n; ++i) std::fprintf(read_log_, i == 0 ? "%u" : ",%u", words[i]);
    std::fputs("]}\n", read_log_);
    std::fflush(read_log_);
  }
  void meter_state(std::size_t meter, MeterState state) override {
    std::printf("{\"event\":\"meter\",\"meter\":\"%s\",\"state\":\"%s\"}\n", site_.meters[meter].id,
                meter_state_name(state));
    std::fflush(stdout);
  }
  void interval_closed(std::int64_t start_ms, std::int64_t end_ms, std::size_t payloads, std::size_t queued,
                       std::size_t failed) override {
    if (read_log_ != nullptr) {
      std::fprintf(read_log_, "{\"closed\":%lld}\n", static_cast<long long>(start_ms));
      std::fflush(read_log_);
    }
    std::printf("{\"event\":\"interval\",\"start\":%lld,\"end\":%lld,\"payloads\":%zu,\"failed\":%zu,\"queued\":%zu}\n",
                static_cast<long long>(start_ms), static_cast<long long>(end_ms), payloads, failed, queued);
    std::fflush(stdout);
  }
  void uploaded(std::size_t accepted, int last_status, std::size_t queued) override {
    std::printf("{\"event\":\"upload\",\"accepted\":%zu,\"status\":%d,\"queued\":%zu}\n", accepted, last_status,
                queued);
    std::fflush(stdout);
  }
  void missing_secret() override {
    std::printf("{\"event\":\"missing_secret\",\"message\":\"set the upload's secret in the environment\"}\n");
    std::fflush(stdout);
  }

 private:
  const SiteConfig& site_;
  std::FILE* read_log_;
};

// Everything lives in static storage, as on the device.
posix::PosixClock g_clock;
posix::PosixSerial g_serial;
posix::PosixTcpClient g_tcp[app::kMaxTcpBuses];
TcpClient* g_tcp_list[app::kMaxTcpBuses];
posix::PosixHttpPoster g_http;
posix::EnvSecrets g_secrets;
FileStorage g_storage;
posix::PosixWebServer g_web;
app::Gateway g_gateway;

int fail(const char* what, const char* detail) {
  std::fprintf(stderr, "ampx-gateway: %s: %s\n", what, detail);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    std::fprintf(stderr, "usage: %s (settings come from the environment; see the top of src/posix/main.cpp)\n",
                 argv[0]);
    return argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) ? 0 : 2;
  }
  const SiteConfig& site = ampx::site::kSite;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);

  const char* state_dir = env_or("AMPX_STATE_DIR", "ampx-state");
  if (mkdir(state_dir, 0755) != 0 && errno != EEXIST) return fail(state_dir, std::strerror(errno));
  char ring_path[512];
  std::snprintf(ring_path, sizeof ring_path, "%s/ring.bin", state_dir);
  const std::size_t default_ring =
      2 * RingBuffer::kMetaBytes +
      kMaxRingSlots * (RingBuffer::kSlotHeaderBytes + app::kKeyPrefixBytes + kPayloadBufferSize);
  const std::size_t ring_bytes = std::strtoull(env_or("AMPX_RING_BYTES", "0"), nullptr, 10);
  if (!g_storage.open(ring_path, ring_bytes > 0 ? ring_bytes : default_ring)) {
    return fail(ring_path, std::strerror(errno));
  }

  std::FILE* read_log = nullptr;
  if (const char* path = std::getenv("AMPX_READ_LOG")) {
    read_log = std::fopen(path, "a");
    if (read_log == nullptr) return fail(path, std::strerror(errno));
    // Marks a start in the log: the interval that was open before it was lost with the process.
    std::int64_t utc = 0;
    g_clock.wall_ms(&utc);
    std::fprintf(read_log, "{\"boot\":%lld}\n", static_cast<long long>(utc));
    std::fflush(read_log);
  }
  static StdoutEvents events(site, read_log);

  app::Platform platform{};
  platform.clock = &g_clock;
  platform.http = &g_http;
  platform.storage = &g_storage;
  platform.secrets = &g_secrets;
  platform.events = &events;
  const char* serial_path = nullptr;
  if (site.transport == TransportKind::rtu) {
    serial_path = env_or("AMPX_SERIAL_PORT", "/dev/ttyUSB0");
    if (!g_serial.open(serial_path, site.rtu)) return fail(serial_path, std::strerror(errno));
    platform.serial = &g_serial;
  } else {
    for (std::size_t i = 0; i < app::kMaxTcpBuses; ++i) g_tcp_list[i] = &g_tcp[i];
    platform.tcp = g_tcp_list;
    platform.tcp_count = app::kMaxTcpBuses;
  }

  app::GatewayOptions options;
  options.upload_url = std::getenv("AMPX_UPLOAD_URL");
  const app::StartError started = g_gateway.begin(site, platform, options);
  if (started != app::StartError::ok) return fail("cannot start", app::start_error_name(started));

  const char* bind = env_or("AMPX_HTTP_BIND", "127.0.0.1");
  const long http_port = std::strtol(env_or("AMPX_HTTP_PORT", "8080"), nullptr, 10);
  if (http_port < 0 || http_port > 65535 || !g_web.listen(bind, static_cast<std::uint16_t>(http_port))) {
    return fail("web endpoints", std::strerror(errno));
  }

  std::printf("{\"event\":\"ready\",\"site\":");
  json_string(stdout, site.id);
  std::printf(",\"meters\":%u,\"http\":%u,\"serial\":", static_cast<unsigned>(site.meter_count),
              static_cast<unsigned>(g_web.port()));
  if (serial_path != nullptr) {
    json_string(stdout, serial_path);
  } else {
    std::printf("null");
  }
  std::printf(",\"ring\":{\"queued\":%zu,\"slots\":%zu,\"dropped\":%u},\"upload\":",
              g_gateway.ring().count(), g_gateway.ring().slot_count(), g_gateway.ring().dropped());
  json_string(stdout, options.upload_url != nullptr ? options.upload_url : site.upload.url);
  std::printf("}\n");
  std::fflush(stdout);

  pollfd fds[2 + app::kMaxTcpBuses + posix::PosixWebServer::kMaxConnections];
  while (g_stop == 0) {
    const std::uint64_t next = g_gateway.step(true);
    g_web.service(g_gateway, g_clock.monotonic_ms());

    std::size_t n = g_web.poll_fds(fds);
    // Only the buses waiting for an answer: bytes nobody waits for (a late answer) are dropped at
    // the next request, and polling for them would wake the loop for nothing.
    if (g_serial.fd() >= 0 && g_gateway.reading(0)) fds[n++] = pollfd{g_serial.fd(), POLLIN, 0};
    for (std::size_t i = 0; i < app::kMaxTcpBuses; ++i) {
      if (g_tcp[i].fd() >= 0 && g_gateway.reading(i)) {
        fds[n++] = pollfd{g_tcp[i].fd(), static_cast<short>(g_tcp[i].connecting() ? POLLOUT : POLLIN), 0};
      }
    }
    const std::uint64_t now = g_clock.monotonic_ms();
    // At least 1 ms: a due read on a busy bus must not turn the wait into a busy loop.
    const std::uint64_t wait = next > now ? next - now : 1;
    ::poll(fds, n, static_cast<int>(wait > 1000 ? 1000 : wait));
  }
  g_web.close();
  g_storage.close();
  if (read_log != nullptr) std::fclose(read_log);
  std::printf("{\"event\":\"stopped\"}\n");
  std::fflush(stdout);
  return 0;
}
