// The uploader: oldest first, removed only when accepted, retry delay doubling, headers and auth.
#include <cstring>
#include <string>
#include <vector>

#include "ampx_ring.h"
#include "ampx_test.h"
#include "ampx_uploader.h"

using namespace ampx;

namespace {

struct Post {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class FakeApi final : public HttpPoster {
 public:
  std::vector<Post> posts;
  std::vector<int> statuses;  // consumed in order; 201 when empty
  int post(const char* url, const Header* headers, std::size_t count, const char* body, std::size_t length,
           std::uint32_t) override {
    Post p{url, {}, std::string(body, length)};
    for (std::size_t i = 0; i < count; ++i) p.headers.emplace_back(headers[i].name, headers[i].value);
    posts.push_back(p);
    if (statuses.empty()) return 201;
    const int s = statuses.front();
    statuses.erase(statuses.begin());
    return s;
  }
};

class Secrets final : public SecretStore {
 public:
  bool secret(const SecretRef& ref, const char** value) override {
    if (std::strcmp(ref.name, "API_TOKEN") != 0) return false;
    *value = "s3cret";
    return true;
  }
};

constexpr std::size_t kStorage = 2 * RingBuffer::kMetaBytes + 8 * (RingBuffer::kSlotHeaderBytes + 128);

UploadConfig config() {
  UploadConfig c{};
  c.enabled = true;
  c.url = "http://127.0.0.1:8080/intervals";
  c.mode = UploadMode::site;
  c.timeout_ms = 1000;
  c.retry_delay_ms = 5000;
  c.retry_delay_max_ms = 15000;
  c.batch_size = 20;
  c.auth_kind = AuthKind::none;
  c.auth_secret = SecretRef{SecretSource::none, nullptr, nullptr};
  return c;
}

std::string header(const Post& p, const char* name) {
  for (const auto& h : p.headers) {
    if (h.first == name) return h.second;
  }
  return "<none>";
}

}  // namespace

TEST_CASE(base64_of_rfc4648_examples) {
  char out[16];
  const char* cases[][2] = {{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& c : cases) {
    base64_encode(c[0], std::strlen(c[0]), out, sizeof out);
    CHECK_EQ(std::string(out), std::string(c[1]));
  }
  CHECK_EQ(base64_encode("foobar", 6, out, 8), 0U);
}

TEST_CASE(uploader_sends_oldest_first_and_pops_when_accepted) {
  static MemoryStorage<kStorage> storage;
  RingBuffer ring;
  ring.open(storage, 128);
  ring.push("{\"n\":1}", 7);
  ring.push("{\"n\":2}", 7);
  FakeApi api;
  static char buffer[128];
  const UploadConfig c = config();
  Uploader up;
  up.begin(c, ring, api, nullptr, buffer, sizeof buffer);
  CHECK_EQ(up.tick(0), 2U);
  CHECK_EQ(api.posts.size(), 2U);
  CHECK_EQ(api.posts[0].body, std::string("{\"n\":1}"));
  CHECK_EQ(api.posts[1].body, std::string("{\"n\":2}"));
  CHECK_EQ(header(api.posts[0], "Content-Type"), std::string("application/json"));
  CHECK_EQ(ring.count(), 0U);
  CHECK_EQ(up.accepted(), 2U);
}

TEST_CASE(uploader_retries_with_a_doubling_delay) {
  static MemoryStorage<kStorage> storage;
  RingBuffer ring;
  ring.open(storage, 128);
  ring.push("{\"n\":1}", 7);
  FakeApi api;
  api.statuses = {503, -1, 500, 500};
  static char buffer[128];
  UploadConfig c = config();
  const std::uint16_t only[] = {201};
  c.success_status = only;
  c.success_status_count = 1;
  Uploader up;
  up.begin(c, ring, api, nullptr, buffer, sizeof buffer);
  CHECK_EQ(up.tick(0), 0U);
  CHECK_EQ(up.next_attempt_ms(), 5000U);
  CHECK_EQ(up.tick(4999), 0U);
  CHECK_EQ(api.posts.size(), 1U);  // not before the delay
  up.tick(5000);                   // no answer (-1)
  CHECK_EQ(up.next_attempt_ms(), 15000U);
  up.tick(15000);
  CHECK_EQ(up.next_attempt_ms(), 30000U);  // capped at 15 s
  up.tick(30000);
  CHECK_EQ(up.next_attempt_ms(), 45000U);
  CHECK_EQ(ring.count(), 1U);  // nothing lost while the API is down
  api.statuses = {200};        // 2xx but not in success_status: still a failure
  up.tick(45000);
  CHECK_EQ(ring.count(), 1U);
  CHECK_EQ(up.tick(60000), 1U);
  CHECK_EQ(ring.count(), 0U);
  CHECK_EQ(up.failures(), 5U);
  CHECK_EQ(up.last_status(), 201);
}

TEST_CASE(uploader_auth_headers_and_secrets) {
  static MemoryStorage<kStorage> storage;
  RingBuffer ring;
  ring.open(storage, 128);
  ring.push("{}", 2);
  FakeApi api;
  Secrets secrets;
  static char buffer[128];
  UploadConfig c = config();
  c.auth_kind = AuthKind::bearer;
  c.auth_secret = SecretRef{SecretSource::env, "API_TOKEN", nullptr};
  const HeaderConfig extra[] = {{"X-Gateway", {SecretSource::literal, nullptr, "gw-1"}}};
  c.headers = extra;
  c.header_count = 1;
  Uploader up;
  up.begin(c, ring, api, &secrets, buffer, sizeof buffer);
  up.tick(0);
  CHECK_EQ(header(api.posts.at(0), "Authorization"), std::string("Bearer s3cret"));
  CHECK_EQ(header(api.posts.at(0), "X-Gateway"), std::string("gw-1"));

  ring.push("{}", 2);
  c.auth_kind = AuthKind::basic;
  c.auth_username = "Aladdin";
  c.auth_secret = SecretRef{SecretSource::literal, nullptr, "open sesame"};
  up.tick(0);
  CHECK_EQ(header(api.posts.at(1), "Authorization"), std::string("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));

  ring.push("{}", 2);
  c.auth_kind = AuthKind::header;
  c.auth_header = "X-AmpX-Api-Key";
  c.auth_secret = SecretRef{SecretSource::secrets_file, "NOT_PROVISIONED", nullptr};
  CHECK_EQ(up.tick(0), 0U);
  CHECK(up.missing_secret());
  CHECK_EQ(api.posts.size(), 2U);  // nothing sent without the key
  CHECK_EQ(ring.count(), 1U);
  c.enabled = false;
  c.auth_secret = SecretRef{SecretSource::env, "API_TOKEN", nullptr};
  CHECK_EQ(up.tick(0), 0U);  // disabled: kept in the ring
  c.enabled = true;
  CHECK_EQ(up.tick(0), 1U);
  CHECK_EQ(header(api.posts.at(2), "X-AmpX-Api-Key"), std::string("s3cret"));
}
