// Runs every registered test case: ampx_tests --vectors <dir> [name-substring ...]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

#include "ampx_test.h"

namespace ampx_test {

namespace {
const char* g_current = "";
int g_failures = 0;
bool g_case_failed = false;
std::string g_vectors = "test/vectors";
std::string g_temp;
}  // namespace

std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

void fail(const char* file, int line, const std::string& message) {
  ++g_failures;
  g_case_failed = true;
  std::fprintf(stderr, "  FAIL %s (%s:%d): %s\n", g_current, file, line, message.c_str());
}

const std::string& vectors_dir() { return g_vectors; }

const std::string& temp_dir() {
  if (g_temp.empty()) {
    char pattern[] = "/tmp/ampx-core-test-XXXXXX";
    const char* dir = ::mkdtemp(pattern);
    g_temp = dir != nullptr ? dir : "/tmp";
  }
  return g_temp;
}

}  // namespace ampx_test

int main(int argc, char** argv) {
  std::vector<std::string> filters;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--vectors") == 0 && i + 1 < argc) {
      ampx_test::g_vectors = argv[++i];
    } else {
      filters.emplace_back(argv[i]);
    }
  }
  int run = 0;
  int failed_cases = 0;
  for (const auto& c : ampx_test::registry()) {
    bool selected = filters.empty();
    for (const auto& f : filters) selected = selected || std::strstr(c.name, f.c_str()) != nullptr;
    if (!selected) continue;
    ampx_test::g_current = c.name;
    ampx_test::g_case_failed = false;
    c.run();
    ++run;
    if (ampx_test::g_case_failed) ++failed_cases;
    std::printf("%s %s\n", ampx_test::g_case_failed ? "FAIL" : "ok  ", c.name);
  }
  if (!ampx_test::g_temp.empty()) {
    const std::string cleanup = "rm -rf '" + ampx_test::g_temp + "'";
    if (std::system(cleanup.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", ampx_test::g_temp.c_str());
  }
  std::printf("%d test cases, %d failed, %d failed checks\n", run, failed_cases, ampx_test::g_failures);
  return ampx_test::g_failures == 0 && run > 0 ? 0 : 1;
}
