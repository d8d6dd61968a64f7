#include "esp32/esp32_platform.h"

#include <cstring>
#include <esp_timer.h>
#include <sys/time.h>

namespace ampx::esp32 {

namespace {
/** Before SNTP the system clock starts at 1970; anything before 2024 is "not set yet". */
constexpr std::int64_t kEarliestValidSeconds = 1704067200;
}  // namespace

std::uint64_t Esp32Clock::monotonic_ms() { return static_cast<std::uint64_t>(esp_timer_get_time() / 1000); }

bool Esp32Clock::wall_ms(std::int64_t* epoch_ms) {
  timeval tv{};
  gettimeofday(&tv, nullptr);
  if (tv.tv_sec < kEarliestValidSeconds) return false;
  *epoch_ms = static_cast<std::int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
  return true;
}

void Rs485Serial::begin(std::uint32_t baud, std::uint32_t config, int rx_pin, int tx_pin) {
  pinMode(de_re_pin_, OUTPUT);
  digitalWrite(de_re_pin_, LOW);
  uart_.setRxBufferSize(1024);
  uart_.begin(baud, config, rx_pin, tx_pin);
}

void Rs485Serial::set_transmit(bool transmit) { digitalWrite(de_re_pin_, transmit ? HIGH : LOW); }

std::size_t Rs485Serial::write(const std::uint8_t* data, std::size_t length) { return uart_.write(data, length); }

// Waits until the last stop bit has left the UART, so that DE/RE may drop right after.
void Rs485Serial::flush() { uart_.flush(); }

std::size_t Rs485Serial::read(std::uint8_t* data, std::size_t capacity) {
  const int available = uart_.available();
  if (available <= 0) return 0;
  return uart_.read(data, static_cast<std::size_t>(available) < capacity ? static_cast<std::size_t>(available) : capacity);
}

void Rs485Serial::discard_input() {
  while (uart_.available() > 0) uart_.read();
}

#if defined(AMPX_TRANSPORT_W5500)
bool W5500Client::connect(const char* host, std::uint16_t port) {
  IPAddress address;
  const int ok = address.fromString(host) ? client_.connect(address, port) : client_.connect(host, port);
  return ok == 1;
}

TcpClient::State W5500Client::state() { return client_.connected() ? State::connected : State::closed; }

std::size_t W5500Client::write(const std::uint8_t* data, std::size_t length) { return client_.write(data, length); }

std::size_t W5500Client::read(std::uint8_t* data, std::size_t capacity) {
  const int available = client_.available();
  if (available <= 0) return 0;
  const int n = client_.read(data, static_cast<std::size_t>(available) < capacity ? static_cast<std::size_t>(available) : capacity);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void W5500Client::close() { client_.stop(); }
#endif

bool NvsSecrets::begin() { return prefs_.begin("ampx", true); }

bool NvsSecrets::setting(const char* key, char* out, std::size_t capacity) {
  return prefs_.getString(key, out, capacity) > 0;
}

bool NvsSecrets::secret(const SecretRef& ref, const char** value) {
  if (ref.name == nullptr) return false;
  char key[kKeyChars + 1] = {};
  std::strncpy(key, ref.name, kKeyChars);
  // One entry per name, reused; the uploader asks for at most kMaxUploadHeaders secrets per request.
  Entry* entry = nullptr;
  for (auto& e : entries_) {
    if (std::strcmp(e.key, key) == 0) entry = &e;
  }
  if (entry == nullptr) {
    entry = &entries_[next_];
    next_ = (next_ + 1) % kMaxUploadHeaders;
    std::memcpy(entry->key, key, sizeof key);
  }
  if (prefs_.getString(key, entry->value, sizeof entry->value) == 0) return false;
  *value = entry->value;
  return true;
}

int Esp32HttpPoster::post(const char* url, const Header* headers, std::size_t header_count, const char* body,
                          std::size_t length, std::uint32_t timeout_ms) {
  const bool tls = std::strncmp(url, "https://", 8) == 0;
  if (tls && ca_ == nullptr) return kNoCaCertificate;
  if (tls) secure_.setCACert(ca_);
  HTTPClient http;
  if (!http.begin(tls ? secure_ : plain_, url)) return HTTPC_ERROR_CONNECTION_REFUSED;
  http.setConnectTimeout(static_cast<std::int32_t>(timeout_ms));
  http.setTimeout(static_cast<std::uint16_t>(timeout_ms > 65535 ? 65535 : timeout_ms));
  for (std::size_t i = 0; i < header_count; ++i) http.addHeader(headers[i].name, headers[i].value);
  const int status = http.POST(reinterpret_cast<std::uint8_t*>(const_cast<char*>(body)), length);
  http.end();
  return status;
}

bool WsLivePush::listening() { return ws_.count() > 0; }

void WsLivePush::send(const char* text, std::size_t length) { ws_.textAll(text, length); }

void SerialEvents::meter_state(std::size_t meter, MeterState state) {
  Serial.printf("{\"event\":\"meter\",\"meter\":\"%s\",\"state\":\"%s\"}\n", site_.meters[meter].id,
                meter_state_name(state));
}

void SerialEvents::interval_closed(std::int64_t start_ms, std::int64_t end_ms, std::size_t payloads,
                                   std::size_t queued, std::size_t failed) {
  Serial.printf("{\"event\":\"interval\",\"start\":%lld,\"end\":%lld,\"payloads\":%u,\"failed\":%u,\"queued\":%u}\n",
                static_cast<long long>(start_ms), static_cast<long long>(end_ms), static_cast<unsigned>(payloads),
                static_cast<unsigned>(failed), static_cast<unsigned>(queued));
}

void SerialEvents::uploaded(std::size_t accepted, int last_status, std::size_t queued) {
  Serial.printf("{\"event\":\"upload\",\"accepted\":%u,\"status\":%d,\"queued\":%u}\n",
                static_cast<unsigned>(accepted), last_status, static_cast<unsigned>(queued));
}

void SerialEvents::missing_secret() {
  Serial.printf("{\"event\":\"missing_secret\",\"message\":\"provision the upload's secret into NVS\"}\n");
}

}  // namespace ampx::esp32
