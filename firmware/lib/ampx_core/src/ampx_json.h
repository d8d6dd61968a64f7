// JSON text the way JavaScript writes it, so that firmware and engine payloads are byte-identical:
// numbers as JSON.stringify(number), strings escaped as JSON.stringify(string), timestamps as
// "YYYY-MM-DDTHH:MM:SSZ" (UTC, whole seconds).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ampx {

/** Longest text format_json_number writes, without the NUL: "-0.0000012345678901234567" (25). */
constexpr std::size_t kMaxJsonNumberChars = 25;

/**
 * JSON.stringify(value): the shortest decimal that reads back as the same double, in JavaScript's
 * notation (plain digits for 1e-7 < |x| < 1e21, otherwise d.ddde+NN / d.ddde-NN); -0 → "0";
 * NaN and ±Inf → "null". Writes a NUL-terminated string to out (at least kMaxJsonNumberChars + 1
 * bytes) and returns its length.
 */
std::size_t format_json_number(double value, char* out);

/** Epoch milliseconds → "YYYY-MM-DDTHH:MM:SSZ" (milliseconds dropped, rounding down). 21 bytes with the NUL. */
std::size_t format_iso_timestamp(std::int64_t epoch_ms, char* out);

/**
 * Appends JSON text to a fixed buffer. Never writes past the buffer; once something does not fit
 * it keeps counting, so required() tells how large the buffer would have to be.
 */
class JsonWriter {
 public:
  JsonWriter(char* buffer, std::size_t capacity) : buffer_(buffer), capacity_(capacity) {}

  void raw(const char* text, std::size_t length);
  void number(double value);
  void null();
  void boolean(bool value);
  /** A quoted, escaped string from UTF-8 bytes. */
  void string(const char* text, std::size_t length);
  /** The escaped string without its quotes (text placed inside a JSON string literal). */
  void string_inner(const char* text, std::size_t length);
  /** A quoted ISO-8601 UTC timestamp. */
  void timestamp(std::int64_t epoch_ms);

  /** Bytes in the buffer (all of them when !overflow()). */
  std::size_t length() const { return written_; }
  /** Bytes the whole text needs. */
  std::size_t required() const { return required_; }
  bool overflow() const { return required_ > capacity_; }

 private:
  void put(char c);
  char* buffer_;
  std::size_t capacity_;
  std::size_t written_ = 0;
  std::size_t required_ = 0;
};

}  // namespace ampx
