// SecretStore on POSIX: a secret's value is the environment variable of its name (AMPX_API_TOKEN
// for ${env:AMPX_API_TOKEN} and ${secret:AMPX_API_TOKEN} alike), read at the moment of use.
#pragma once

#include <cstdlib>

#include "ampx_uploader.h"

namespace ampx::posix {

class EnvSecrets final : public SecretStore {
 public:
  bool secret(const SecretRef& ref, const char** value) override {
    if (ref.name == nullptr) return false;
    const char* found = std::getenv(ref.name);
    if (found == nullptr) return false;
    *value = found;
    return true;
  }
};

}  // namespace ampx::posix
