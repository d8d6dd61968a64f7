#include "ampx_storage.h"

// ESP-IDF's VFS (LittleFS on the ESP32) has fsync too; without it LittleFS commits only on close.
#if defined(__unix__) || defined(__APPLE__) || defined(ESP_PLATFORM)
#include <unistd.h>
#define AMPX_HAVE_FSYNC 1
#endif

namespace ampx {

bool FileStorage::open(const char* path, std::size_t size) {
  close();
  file_ = std::fopen(path, "r+b");
  if (file_ == nullptr) file_ = std::fopen(path, "w+b");
  size_ = file_ != nullptr ? size : 0;
  return file_ != nullptr;
}

void FileStorage::close() {
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  size_ = 0;
}

bool FileStorage::read(std::size_t offset, void* data, std::size_t length) {
  if (file_ == nullptr || offset > size_ || length > size_ - offset) return false;
  if (std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0) return false;
  const std::size_t got = std::fread(data, 1, length, file_);
  if (got < length) {
    if (std::ferror(file_) != 0) return false;
    // Past the end of a file not yet grown to its size: never written, reads as zeros.
    std::memset(static_cast<std::uint8_t*>(data) + got, 0, length - got);
    std::clearerr(file_);
  }
  return true;
}

bool FileStorage::write(std::size_t offset, const void* data, std::size_t length) {
  if (file_ == nullptr || offset > size_ || length > size_ - offset) return false;
  if (std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0) return false;
  return std::fwrite(data, 1, length, file_) == length;
}

bool FileStorage::sync() {
  if (file_ == nullptr || std::fflush(file_) != 0) return false;
#ifdef AMPX_HAVE_FSYNC
  return ::fsync(fileno(file_)) == 0;
#else
  return true;
#endif
}

}  // namespace ampx
