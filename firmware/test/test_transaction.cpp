// RTU and TCP transactions against in-memory peers: answers in pieces, silence, noise, late
// answers to earlier transactions, refused and dropped connections.
#include <cstring>
#include <deque>
#include <vector>

#include "ampx_crc.h"
#include "ampx_transaction.h"
#include "ampx_test.h"
#include "test_frames.h"

using namespace ampx;
using ampx_test::with_crc;

namespace {

// The RS485 line as the master sees it: what it sent (with DE/RE state) and bytes to deliver,
// `per_read` at a time.
class FakeSerial final : public SerialPort {
 public:
  std::vector<std::uint8_t> sent;
  std::deque<std::uint8_t> incoming;
  bool transmitting = false;
  bool sent_while_receiving = false;
  int flushes = 0;
  std::size_t per_read = 3;

  void set_transmit(bool t) override { transmitting = t; }
  std::size_t write(const std::uint8_t* data, std::size_t n) override {
    if (!transmitting) sent_while_receiving = true;
    sent.insert(sent.end(), data, data + n);
    return n;
  }
  void flush() override { ++flushes; }
  std::size_t read(std::uint8_t* data, std::size_t capacity) override {
    std::size_t n = 0;
    while (n < capacity && n < per_read && !incoming.empty()) {
      data[n++] = incoming.front();
      incoming.pop_front();
    }
    return n;
  }
  void discard_input() override { incoming.clear(); }
  void answer(const std::vector<std::uint8_t>& bytes) { incoming.insert(incoming.end(), bytes.begin(), bytes.end()); }
};

const ModbusRequest kReadInput{7, FunctionCode::read_input_registers, 0x30, 2, nullptr};

}  // namespace

TEST_CASE(rtu_transaction_in_pieces) {
  FakeSerial line;
  static RtuMaster master;
  master.begin(line, 500);
  line.answer({0x99});  // stale byte from before: must be discarded
  CHECK(master.start(kReadInput, 1000));
  CHECK(!line.sent_while_receiving);
  CHECK(!line.transmitting);  // DE/RE back to receive after the frame left
  CHECK_EQ(line.flushes, 1);
  CHECK(line.sent == with_crc({7, 0x04, 0x00, 0x30, 0x00, 0x02}));
  line.answer(with_crc({7, 0x04, 0x04, 0x43, 0x66, 0x80, 0x00}));
  line.answer({0xEE, 0xEE});  // trailing noise is ignored
  int polls = 0;
  for (std::uint64_t t = 1000; !master.done() && polls < 10; t += 10, ++polls) master.poll(t);
  CHECK(master.done());
  CHECK_EQ(polls, 3);  // 9 bytes, 3 per read
  CHECK_EQ(master.response().result, ModbusResult::ok);
  CHECK_EQ(master.words()[0], 0x4366);
  CHECK_EQ(master.words()[1], 0x8000);
}

TEST_CASE(rtu_transaction_timeout_and_fragments) {
  FakeSerial line;
  static RtuMaster master;
  master.begin(line, 500);
  master.start(kReadInput, 0);
  master.poll(499);
  CHECK(master.busy());
  master.poll(500);
  CHECK(master.done());
  CHECK_EQ(master.response().result, ModbusResult::timeout);

  master.start(kReadInput, 1000);
  line.answer({7, 0x04, 0x04, 0x43, 0x66, 0x80});  // the meter stopped mid-answer
  master.poll(1100);
  master.poll(1200);
  CHECK(master.busy());
  master.poll(1500);
  CHECK_EQ(master.response().result, ModbusResult::crc_error);
  master.start(kReadInput, 1600);
  line.answer({7, 0x04});  // too short to judge
  master.poll(2100);
  CHECK_EQ(master.response().result, ModbusResult::bad_length);

  master.start(kReadInput, 2200);
  line.answer(with_crc({7, 0x84, 0x02}));
  master.poll(2001);
  master.poll(2002);
  CHECK_EQ(master.response().result, ModbusResult::exception);
  CHECK_EQ(master.response().exception_code, 2);

  const std::uint16_t values[] = {1, 2, 3};
  CHECK(master.start({7, FunctionCode::write_multiple_registers, 10, 3, values}, 3000));
  line.answer(with_crc({7, 0x10, 0x00, 0x0A, 0x00, 0x03}));
  for (int i = 0; i < 3; ++i) master.poll(3001);
  CHECK_EQ(master.response().result, ModbusResult::ok);

  CHECK(!master.start({7, FunctionCode::read_input_registers, 0, 0, nullptr}, 4000));
  CHECK_EQ(master.response().result, ModbusResult::invalid_request);
}

namespace {

// A Modbus TCP server as the client sees it: connect outcome, sent bytes, bytes to deliver.
class FakeTcp final : public TcpClient {
 public:
  State link = State::closed;
  State after_connect = State::connected;
  int connects = 0;
  int closes = 0;
  std::vector<std::uint8_t> sent;
  std::deque<std::uint8_t> incoming;

  bool connect(const char*, std::uint16_t) override {
    ++connects;
    link = State::connecting;
    return true;
  }
  State state() override {
    if (link == State::connecting) link = after_connect;
    return link;
  }
  std::size_t write(const std::uint8_t* data, std::size_t n) override {
    sent.insert(sent.end(), data, data + n);
    return link == State::connected ? n : 0;
  }
  std::size_t read(std::uint8_t* data, std::size_t capacity) override {
    std::size_t n = 0;
    while (n < capacity && !incoming.empty()) {
      data[n++] = incoming.front();
      incoming.pop_front();
    }
    return n;
  }
  void close() override {
    ++closes;
    link = State::closed;
  }
  void answer(std::uint16_t tid, const std::vector<std::uint8_t>& pdu_with_unit) {
    const std::size_t len = pdu_with_unit.size();
    const std::uint8_t head[] = {static_cast<std::uint8_t>(tid >> 8), static_cast<std::uint8_t>(tid), 0, 0,
                                 static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)};
    incoming.insert(incoming.end(), head, head + 6);
    incoming.insert(incoming.end(), pdu_with_unit.begin(), pdu_with_unit.end());
  }
};

const TcpMaster::Timing kTiming{3000, 1000, 1000, 4000};

}  // namespace

TEST_CASE(tcp_transaction_connects_and_skips_late_answers) {
  FakeTcp server;
  static TcpMaster master;
  master.begin(server, "10.0.0.9", 502, kTiming);
  CHECK(master.start(kReadInput, 0));
  CHECK(master.busy());
  CHECK(server.sent.empty());  // still connecting
  master.poll(10);             // connected: the request goes out
  CHECK_EQ(server.connects, 1);
  const std::uint16_t tid = master.transaction_id();
  CHECK_EQ(server.sent.size(), 12U);
  CHECK_EQ(server.sent[0] * 256 + server.sent[1], tid);
  server.answer(static_cast<std::uint16_t>(tid - 1), {7, 0x04, 0x04, 0, 0, 0, 0});  // late answer to an old request
  server.answer(tid, {7, 0x04, 0x04, 0x12, 0x34, 0x56, 0x78});
  master.poll(20);
  CHECK(master.done());
  CHECK_EQ(master.response().result, ModbusResult::ok);
  CHECK_EQ(master.words()[1], 0x5678);

  // Next request on the same connection; silence → timeout, the connection stays.
  CHECK(master.start(kReadInput, 100));
  CHECK_EQ(master.transaction_id(), static_cast<std::uint16_t>(tid + 1));
  master.poll(1099);
  CHECK(master.busy());
  master.poll(1100);
  CHECK_EQ(master.response().result, ModbusResult::timeout);
  CHECK_EQ(server.closes, 0);
  CHECK_EQ(server.connects, 1);
}

TEST_CASE(tcp_transaction_reconnect_backoff) {
  FakeTcp server;
  server.after_connect = TcpClient::State::failed;
  static TcpMaster master;
  master.begin(server, "10.0.0.9", 502, kTiming);
  master.start(kReadInput, 0);
  master.poll(1);
  CHECK_EQ(master.response().result, ModbusResult::connection_error);
  // Within the reconnect delay (1 s) a request fails at once, without a connect attempt.
  CHECK(!master.start(kReadInput, 500));
  CHECK_EQ(server.connects, 1);
  master.start(kReadInput, 1001);
  master.poll(1002);
  CHECK_EQ(server.connects, 2);
  // The delay doubled: 2 s now.
  CHECK(!master.start(kReadInput, 2500));
  CHECK_EQ(server.connects, 2);
  server.after_connect = TcpClient::State::connected;
  master.start(kReadInput, 3003);
  master.poll(3004);
  CHECK(master.busy());
  CHECK_EQ(server.connects, 3);
  // A dropped connection while waiting is a connection error.
  server.link = TcpClient::State::closed;
  master.poll(3005);
  CHECK_EQ(master.response().result, ModbusResult::connection_error);
}

TEST_CASE(tcp_connect_timeout) {
  FakeTcp server;
  server.after_connect = TcpClient::State::connecting;  // never completes
  static TcpMaster master;
  master.begin(server, "10.0.0.9", 502, kTiming);
  master.start(kReadInput, 0);
  master.poll(2999);
  CHECK(master.busy());
  master.poll(3000);
  CHECK_EQ(master.response().result, ModbusResult::connection_error);
  CHECK_EQ(server.closes, 1);
}
