#include "ampx_json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ampx {

std::size_t format_json_number(double value, char* out) {
  if (!std::isfinite(value)) {
    std::memcpy(out, "null", 5);
    return 4;
  }
  if (value == 0) {  // also -0, which JSON.stringify writes as 0
    std::memcpy(out, "0", 2);
    return 1;
  }
  // The shortest precision whose correctly rounded decimal reads back as the same double is the
  // one JavaScript prints (ECMA-262 Number::toString picks the closest such decimal; printf's
  // correctly rounded output is exactly that one).
  char sci[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(sci, sizeof sci, "%.*e", precision - 1, value);
    if (std::strtod(sci, nullptr) == value) break;
  }
  // sci is "-d.ddde+XX": collect the significant digits and the decimal exponent.
  const char* p = sci;
  bool negative = false;
  if (*p == '-') {
    negative = true;
    ++p;
  }
  char digits[20];
  int k = 0;
  while (*p != 'e' && *p != 0) {
    if (*p != '.') digits[k++] = *p;
    ++p;
  }
  while (k > 1 && digits[k - 1] == '0') --k;
  const int exponent = std::atoi(p + 1);  // skips the 'e'; atoi reads the sign
  const int n = exponent + 1;             // position of the decimal point after the first digit

  std::size_t len = 0;
  if (negative) out[len++] = '-';
  if (k <= n && n <= 21) {
    for (int i = 0; i < k; ++i) out[len++] = digits[i];
    for (int i = k; i < n; ++i) out[len++] = '0';
  } else if (0 < n && n <= 21) {
    for (int i = 0; i < n; ++i) out[len++] = digits[i];
    out[len++] = '.';
    for (int i = n; i < k; ++i) out[len++] = digits[i];
  } else if (-6 < n && n <= 0) {
    out[len++] = '0';
    out[len++] = '.';
    for (int i = 0; i < -n; ++i) out[len++] = '0';
    for (int i = 0; i < k; ++i) out[len++] = digits[i];
  } else {
    out[len++] = digits[0];
    if (k > 1) {
      out[len++] = '.';
      for (int i = 1; i < k; ++i) out[len++] = digits[i];
    }
    len += static_cast<std::size_t>(std::snprintf(out + len, 8, "e%c%d", n - 1 < 0 ? '-' : '+', std::abs(n - 1)));
  }
  out[len] = 0;
  return len;
}

std::size_t format_iso_timestamp(std::int64_t epoch_ms, char* out) {
  std::int64_t seconds = epoch_ms / 1000;
  if (epoch_ms % 1000 < 0) --seconds;
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // civil_from_days (H. Hinnant): proleptic Gregorian calendar, no time zone tables needed.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const int written = std::snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(year),
                                    static_cast<int>(month), static_cast<int>(day), static_cast<int>(rem / 3600),
                                    static_cast<int>(rem % 3600 / 60), static_cast<int>(rem % 60));
  return written < 0 ? 0 : static_cast<std::size_t>(written);
}

void JsonWriter::put(char c) {
  if (written_ < capacity_ && required_ == written_) buffer_[written_++] = c;
  ++required_;
}

void JsonWriter::raw(const char* text, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) put(text[i]);
}

void JsonWriter::number(double value) {
  char text[kMaxJsonNumberChars + 8];
  raw(text, format_json_number(value, text));
}

void JsonWriter::null() { raw("null", 4); }

void JsonWriter::boolean(bool value) { value ? raw("true", 4) : raw("false", 5); }

void JsonWriter::string(const char* text, std::size_t length) {
  put('"');
  string_inner(text, length);
  put('"');
}

void JsonWriter::string_inner(const char* text, std::size_t length) {
  static const char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < length; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"': raw("\\\"", 2); break;
      case '\\': raw("\\\\", 2); break;
      case '\b': raw("\\b", 2); break;
      case '\f': raw("\\f", 2); break;
      case '\n': raw("\\n", 2); break;
      case '\r': raw("\\r", 2); break;
      case '\t': raw("\\t", 2); break;
      default:
        if (c < 0x20) {
          const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          raw(escape, 6);
        } else {
          put(static_cast<char>(c));
        }
    }
  }
}

void JsonWriter::timestamp(std::int64_t epoch_ms) {
  char text[24];
  put('"');
  raw(text, format_iso_timestamp(epoch_ms, text));
  put('"');
}

}  // namespace ampx
