// A tiny test framework for the host tests of the firmware core (no external dependencies).
// TEST_CASE registers a function; CHECK / CHECK_EQ / CHECK_NEAR record failures and go on.
#pragma once

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace ampx_test {

struct Case {
  const char* name;
  void (*run)();
};

std::vector<Case>& registry();

struct Registrar {
  Registrar(const char* name, void (*run)()) { registry().push_back(Case{name, run}); }
};

/** Records a failure of the running test case. */
void fail(const char* file, int line, const std::string& message);

/** Directory of the shared test vectors (test/vectors), from --vectors. */
const std::string& vectors_dir();

/** A scratch directory for this run (created on first use). */
const std::string& temp_dir();

template <class T>
std::string show(const T& value) {
  std::ostringstream out;
  if constexpr (std::is_enum_v<T>) {
    out << static_cast<long long>(value);
  } else if constexpr (std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int8_t> ||
                       std::is_same_v<T, char> || std::is_same_v<T, bool>) {
    out << static_cast<int>(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    out.precision(17);
    out << value;
  } else {
    out << value;
  }
  return out.str();
}

/** Relative tolerance 1e-9, absolute 1e-12 near zero (the decode vectors' rule). */
inline bool near(double a, double b) {
  if (a == b) return true;
  const double diff = std::fabs(a - b);
  return diff <= 1e-12 || diff <= 1e-9 * std::fmax(std::fabs(a), std::fabs(b));
}

}  // namespace ampx_test

#define TEST_CASE(name)                                                  \
  static void name();                                                    \
  static const ::ampx_test::Registrar name##_registrar(#name, name);     \
  static void name()

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) ::ampx_test::fail(__FILE__, __LINE__, "CHECK(" #cond ") failed");   \
  } while (0)

#define CHECK_EQ(actual, expected)                                                                           \
  do {                                                                                                       \
    const auto& ampx_a_ = (actual);                                                                          \
    const auto& ampx_e_ = (expected);                                                                        \
    if (!(ampx_a_ == ampx_e_)) {                                                                             \
      ::ampx_test::fail(__FILE__, __LINE__,                                                                  \
                        "CHECK_EQ(" #actual ", " #expected "): " + ::ampx_test::show(ampx_a_) + " != " +     \
                            ::ampx_test::show(ampx_e_));                                                     \
    }                                                                                                        \
  } while (0)

#define CHECK_MSG(cond, message)                                            \
  do {                                                                      \
    if (!(cond)) ::ampx_test::fail(__FILE__, __LINE__, std::string(message)); \
  } while (0)
