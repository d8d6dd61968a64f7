// Persistent byte storage for the upload ring buffer: a fixed-size region addressed by offset.
// The platform implements it (LittleFS file on the ESP32); the core ships an in-memory backend and
// a stdio file backend (POSIX hosts, and any libc with a file system).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace ampx {

class Storage {
 public:
  /** Bytes the region holds. */
  virtual std::size_t size() const = 0;
  /** Reads length bytes at offset; bytes never written read as 0. False on an I/O error. */
  virtual bool read(std::size_t offset, void* data, std::size_t length) = 0;
  virtual bool write(std::size_t offset, const void* data, std::size_t length) = 0;
  /** Makes earlier writes durable (fsync). */
  virtual bool sync() = 0;

 protected:
  ~Storage() = default;
};

/** RAM-backed storage of N bytes (lost at reset; for tests and boards without flash to spare). */
template <std::size_t N>
class MemoryStorage final : public Storage {
 public:
  std::size_t size() const override { return N; }
  bool read(std::size_t offset, void* data, std::size_t length) override {
    if (offset > N || length > N - offset) return false;
    std::memcpy(data, bytes_ + offset, length);
    return true;
  }
  bool write(std::size_t offset, const void* data, std::size_t length) override {
    if (offset > N || length > N - offset) return false;
    std::memcpy(bytes_ + offset, data, length);
    return true;
  }
  bool sync() override { return true; }
  /** Raw access, so tests can damage the contents. */
  std::uint8_t* bytes() { return bytes_; }

 private:
  std::uint8_t bytes_[N] = {};
};

/** A file of a fixed size through stdio (created when missing). Open at start-up: fopen may allocate. */
class FileStorage final : public Storage {
 public:
  FileStorage() = default;
  FileStorage(const FileStorage&) = delete;
  FileStorage& operator=(const FileStorage&) = delete;
  ~FileStorage() { close(); }

  bool open(const char* path, std::size_t size);
  void close();
  bool is_open() const { return file_ != nullptr; }

  std::size_t size() const override { return size_; }
  bool read(std::size_t offset, void* data, std::size_t length) override;
  bool write(std::size_t offset, const void* data, std::size_t length) override;
  bool sync() override;

 private:
  std::FILE* file_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace ampx
