// A hand-written site configuration in the shape `ampx firmware` generates (ampx_site_types.h):
// four meters on one RS485 bus, two poll classes, one site-mode payload program. Header-only so
// every test file can use it; constexpr, as the generated header is.
#pragma once

#include "ampx_site_types.h"

namespace test_site {

using namespace ampx;

constexpr PollClassConfig kPollClasses[] = {
    {.name = "live", .interval_ms = 1000},
    {.name = "energy", .interval_ms = 10000},
};

constexpr MeterConfig kMeters[] = {
    {.id = "main", .name = "Main \"incomer\"", .profile = "meatrol/me631", .unit_id = 1, .host = nullptr, .port = 0,
     .priority = 5, .enabled = true, .serial_number = nullptr, .first_block = 0, .block_count = 2,
     .first_quantity = 0, .quantity_count = 3},
    {.id = "pv", .name = "PV", .profile = "eastron/sdm630", .unit_id = 2, .host = nullptr, .port = 0, .priority = 5,
     .enabled = true, .serial_number = nullptr, .first_block = 2, .block_count = 1, .first_quantity = 3,
     .quantity_count = 1},
    {.id = "hvac", .name = "HVAC", .profile = "eastron/sdm630", .unit_id = 3, .host = nullptr, .port = 0,
     .priority = 8, .enabled = true, .serial_number = nullptr, .first_block = 3, .block_count = 1,
     .first_quantity = 4, .quantity_count = 1},
    {.id = "spare", .name = "Spare", .profile = "eastron/sdm630", .unit_id = 4, .host = nullptr, .port = 0,
     .priority = 5, .enabled = false, .serial_number = nullptr, .first_block = 4, .block_count = 1,
     .first_quantity = 5, .quantity_count = 1},
};

constexpr BlockConfig kBlocks[] = {
    {.meter = 0, .function = RegisterFunction::holding, .start = 0, .count = 4, .poll_class = 0, .first_quantity = 0,
     .quantity_count = 2},
    {.meter = 0, .function = RegisterFunction::input, .start = 100, .count = 4, .poll_class = 1, .first_quantity = 2,
     .quantity_count = 1},
    {.meter = 1, .function = RegisterFunction::holding, .start = 0, .count = 2, .poll_class = 0, .first_quantity = 3,
     .quantity_count = 1},
    {.meter = 2, .function = RegisterFunction::holding, .start = 0, .count = 2, .poll_class = 0, .first_quantity = 4,
     .quantity_count = 1},
    {.meter = 3, .function = RegisterFunction::holding, .start = 0, .count = 2, .poll_class = 0, .first_quantity = 5,
     .quantity_count = 1},
};

constexpr double kNoValue[] = {65535};

constexpr DecodeSpec kF32 = {.type = RegisterType::f32, .word_order = WordOrder::ABCD, .count = 2, .multiplier = 1,
                             .offset = 0, .unit_factor = 1, .has_min = false, .min = 0, .has_max = false, .max = 0,
                             .sentinels = nullptr, .sentinel_count = 0};
constexpr DecodeSpec kPower = {.type = RegisterType::s32, .word_order = WordOrder::CDAB, .count = 2,
                               .multiplier = 0.1, .offset = 0, .unit_factor = 1000, .has_min = true, .min = -1e6,
                               .has_max = true, .max = 1e6, .sentinels = nullptr, .sentinel_count = 0};

constexpr QuantityConfig kQuantities[] = {
    {.name = "voltage_l1", .unit = "V", .kind = QuantityKind::instantaneous, .meter = 0, .block = 0,
     .word_offset = 0, .poll_class = 0, .series = 0, .decode = kF32},
    {.name = "current_l1", .unit = "A", .kind = QuantityKind::instantaneous, .meter = 0, .block = 0,
     .word_offset = 2, .poll_class = 0, .series = 1, .decode = kF32},
    {.name = "active_energy_import", .unit = "kWh", .kind = QuantityKind::counter, .meter = 0, .block = 1,
     .word_offset = 0, .poll_class = 1, .series = 2,
     .decode = {.type = RegisterType::u64, .word_order = WordOrder::ABCD, .count = 4, .multiplier = 1, .offset = 0,
                .unit_factor = 0.001, .has_min = false, .min = 0, .has_max = false, .max = 0, .sentinels = kNoValue,
                .sentinel_count = 1}},
    {.name = "active_power_total", .unit = "W", .kind = QuantityKind::instantaneous, .meter = 1, .block = 2,
     .word_offset = 0, .poll_class = 0, .series = 3, .decode = kPower},
    {.name = "active_power_total", .unit = "W", .kind = QuantityKind::instantaneous, .meter = 2, .block = 3,
     .word_offset = 0, .poll_class = 0, .series = 4, .decode = kPower},
    {.name = "active_power_total", .unit = "W", .kind = QuantityKind::instantaneous, .meter = 3, .block = 4,
     .word_offset = 0, .poll_class = 0, .series = 5, .decode = kPower},
};

// {"site":"test","start":<iso_seconds>,"end":<epoch_millis>,"main":{"voltage_l1":{"avg":…,"min":…,"quality":…},
//  "energy":{"delta":…,"wh":<delta × 1000>,"reset":…}},"pv":<avg>,"label":"<start iso_millis, json_inner>",
//  "text":"<avg as text>","html":"<meter quality, text_escaped>"}
constexpr PayloadChunk kChunks[] = {
    {.text = "{\"site\":\"test\",\"start\":", .length = 23},
    {.text = ",\"end\":", .length = 7},
    {.text = ",\"main\":{\"voltage_l1\":{\"avg\":", .length = 29},
    {.text = ",\"min\":", .length = 7},
    {.text = ",\"quality\":", .length = 11},
    {.text = "},\"energy\":{\"delta\":", .length = 20},
    {.text = ",\"wh\":", .length = 6},
    {.text = ",\"reset\":", .length = 9},
    {.text = "}},\"pv\":", .length = 8},
    {.text = ",\"label\":\"", .length = 10},
    {.text = "\",\"text\":\"", .length = 10},
    {.text = "\",\"html\":\"", .length = 10},
    {.text = "\"}", .length = 2},
};

constexpr PayloadSlot kSlots[] = {
    {.source = SlotSource::interval_start, .quantity = 0, .field = AggregateField::avg, .time = TimeRepr::iso_seconds,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json},
    {.source = SlotSource::interval_end, .quantity = 0, .field = AggregateField::avg, .time = TimeRepr::epoch_millis,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json},
    {.source = SlotSource::aggregate, .quantity = 0, .field = AggregateField::avg, .time = TimeRepr::none,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json},
    {.source = SlotSource::aggregate, .quantity = 0, .field = AggregateField::min, .time = TimeRepr::none,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json},
    {.source = SlotSource::aggregate, .quantity = 0, .field = AggregateField::quality, .time = TimeRepr::none,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json},
    {.source = SlotSource::aggregate, .quantity = 2, .field = AggregateField::delta, .time = TimeRepr::none,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json},
    {.source = SlotSource::aggregate, .quantity = 2, .field = AggregateField::delta, .time = TimeRepr::none,
     .op = SlotOp::multiply, .operand = 1000, .format = SlotFormat::json},
    {.source = SlotSource::aggregate, .quantity = 2, .field = AggregateField::reset, .time = TimeRepr::none,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json},
    {.source = SlotSource::aggregate, .quantity = 3, .field = AggregateField::avg, .time = TimeRepr::none,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json},
    {.source = SlotSource::interval_start, .quantity = 0, .field = AggregateField::avg, .time = TimeRepr::iso_millis,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::json_inner},
    {.source = SlotSource::aggregate, .quantity = 0, .field = AggregateField::avg, .time = TimeRepr::none,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::text},
    {.source = SlotSource::aggregate, .quantity = 1, .field = AggregateField::quality, .time = TimeRepr::none,
     .op = SlotOp::none, .operand = 0, .format = SlotFormat::text_escaped},
};

constexpr PayloadProgram kPrograms[] = {
    {.meter = kNoMeter, .first_chunk = 0, .first_slot = 0, .slot_count = 12, .max_length = 1024},
};

constexpr SiteConfig kSite = {
    .id = "test",
    .name = "Test site",
    .interval_ms = 900000,
    .transport = TransportKind::rtu,
    .rtu = {.baud_rate = 9600, .parity = Parity::none, .data_bits = 8, .stop_bits = 1, .response_timeout_ms = 500,
            .turnaround_delay_ms = 5, .inter_frame_delay_us = 4010, .retries = 1},
    .tcp = {.connect_timeout_ms = 3000, .response_timeout_ms = 1000, .reconnect_delay_ms = 1000,
            .reconnect_delay_max_ms = 60000, .retries = 1},
    .poll_classes = kPollClasses,
    .poll_class_count = 2,
    .meters = kMeters,
    .meter_count = 4,
    .blocks = kBlocks,
    .block_count = 5,
    .quantities = kQuantities,
    .quantity_count = 6,
    .series_count = 6,
    .upload = {.enabled = true, .url = "http://127.0.0.1:9/intervals", .mode = UploadMode::site, .timeout_ms = 30000,
               .retry_delay_ms = 5000, .retry_delay_max_ms = 900000, .batch_size = 20, .auth_kind = AuthKind::none,
               .auth_header = nullptr, .auth_username = nullptr,
               .auth_secret = {.source = SecretSource::none, .name = nullptr, .literal = nullptr},
               .success_status = nullptr, .success_status_count = 0, .headers = nullptr, .header_count = 0},
    .chunks = kChunks,
    .chunk_count = 13,
    .slots = kSlots,
    .slot_count = 12,
    .programs = kPrograms,
    .program_count = 1,
};

}  // namespace test_site
