# The `native` environment without PlatformIO: builds the gateway as a process on this machine with
# g++ (make -f native.mk -j2), from the same sources and flags as `pio run -e native`. The payload
# buffer size is read from platformio.ini, which code generation wrote for this site.
#   make -f native.mk                          → build/native/ampx-gateway
#   make -f native.mk EXTRA_FLAGS=-Werror      (the tests build it so)
#   make -f native.mk BUILD=/tmp/x             (objects and binary elsewhere)

CXX ?= g++
BUILD ?= build/native
PAYLOAD_BUFFER := $(shell sed -n 's/^ *-DAMPX_PAYLOAD_BUFFER_SIZE=\([0-9][0-9]*\).*/\1/p' platformio.ini | head -n 1)
ifeq ($(PAYLOAD_BUFFER),)
$(error platformio.ini does not set -DAMPX_PAYLOAD_BUFFER_SIZE: generate the project with `ampx firmware`)
endif

# -ffp-contract=off: never fuse a*b+c into one rounding; the engine (JavaScript) rounds twice.
FLAGS := -std=gnu++17 -fno-exceptions -fno-rtti -ffp-contract=off -O2 -Wall -Wextra \
         -DAMPX_PLATFORM_POSIX -DAMPX_PAYLOAD_BUFFER_SIZE=$(PAYLOAD_BUFFER) \
         -Iinclude -Ilib/ampx_core/src -Isrc $(EXTRA_FLAGS)

# As build_src_filter of [env:native]: everything in src/ but src/esp32/.
SOURCES := $(wildcard lib/ampx_core/src/*.cpp) $(filter-out src/esp32/%,$(wildcard src/*.cpp src/*/*.cpp))
OBJECTS := $(patsubst %.cpp,$(BUILD)/%.o,$(SOURCES))

$(BUILD)/ampx-gateway: $(OBJECTS)
	$(CXX) -o $@ $^

$(BUILD)/%.o: %.cpp platformio.ini
	@mkdir -p $(dir $@)
	$(CXX) $(FLAGS) -MMD -MP -c $< -o $@

.PHONY: clean
clean:
	rm -rf $(BUILD)

-include $(OBJECTS:.o=.d)
