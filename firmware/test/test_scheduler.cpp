// The poll scheduler, driven by a simulated millisecond clock: order (priority, round-robin), one
// request per bus, cadence, retries, back-off of failing meters, starvation guard, parallel TCP buses.
#include <cstring>
#include <functional>
#include <vector>

#include "ampx_scheduler.h"
#include "ampx_test.h"
#include "test_site.h"

using namespace ampx;

namespace {

struct Read {
  std::uint64_t at;
  PollTask task;
};

// Runs the scheduler from `from` to `until`: every read takes `latency` ms and ends with outcome(task, time).
std::vector<Read> simulate(PollScheduler& s, std::uint64_t from, std::uint64_t until, std::uint64_t latency,
                           const std::function<ModbusResult(const PollTask&, std::uint64_t)>& outcome) {
  std::vector<Read> reads;
  struct Pending {
    PollTask task;
    std::uint64_t done;
  };
  std::vector<Pending> pending;
  std::uint64_t now = from;
  for (int guard = 0; guard < 1000000 && now < until; ++guard) {
    PollTask task{};
    while (s.next(now, &task)) {
      reads.push_back(Read{now, task});
      pending.push_back(Pending{task, now + latency});
    }
    // Advance to the next completion or the next due read, whichever is first.
    std::uint64_t next = s.next_event_ms();
    for (const Pending& p : pending) next = p.done < next ? p.done : next;
    if (next == PollScheduler::kNever) break;
    now = next > now ? next : now;
    for (std::size_t i = 0; i < pending.size();) {
      if (pending[i].done <= now) {
        s.complete(pending[i].task, outcome(pending[i].task, now), now);
        pending.erase(pending.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
  }
  return reads;
}

ModbusResult always_ok(const PollTask&, std::uint64_t) { return ModbusResult::ok; }

std::size_t reads_of(const std::vector<Read>& reads, std::size_t meter, std::uint64_t from = 0,
                     std::uint64_t until = ~0ULL) {
  std::size_t n = 0;
  for (const Read& r : reads) n += r.task.meter == meter && r.at >= from && r.at < until;
  return n;
}

}  // namespace

TEST_CASE(scheduler_order_priority_then_round_robin) {
  static PollScheduler s;
  s.begin(test_site::kSite, SchedulerOptions{}, 0);
  std::vector<std::pair<int, int>> order;
  PollTask t{};
  while (s.next(0, &t)) {
    order.emplace_back(t.meter, t.block);
    CHECK(s.bus_busy(0));
    PollTask other{};
    CHECK(!s.next(0, &other));  // one request at a time on the RS485 bus
    s.complete(t, ModbusResult::ok, 0);
  }
  // hvac (priority 8) first, then main and pv in turn, then main's energy block; the disabled meter never.
  const std::vector<std::pair<int, int>> expected{{2, 3}, {0, 0}, {1, 2}, {0, 1}};
  CHECK(order == expected);
  CHECK_EQ(s.health(3).state, MeterState::disabled);
  CHECK_EQ(s.health(0).state, MeterState::online);
  CHECK_EQ(s.next_event_ms(), 1000U);
  CHECK(!s.next(999, &t));
  CHECK(s.next(1000, &t));
}

TEST_CASE(scheduler_keeps_cadence_and_skips_missed_periods) {
  static PollScheduler s;
  s.begin(test_site::kSite, SchedulerOptions{}, 0);
  const std::vector<Read> reads = simulate(s, 0, 10000, 20, always_ok);
  // Three live blocks at 1 s over 10 s, plus main's energy block once: 3 × 10 + 1.
  CHECK_EQ(reads.size(), 31U);
  CHECK_EQ(s.due_ms(0), 10000U);
  CHECK_EQ(s.due_ms(1), 10000U);
  // A read 3.5 periods late: the next is due on the original phase, not 1 s after the late read.
  static PollScheduler late;
  late.begin(test_site::kSite, SchedulerOptions{}, 0);
  PollTask t{};
  CHECK(late.next(3500, &t));
  CHECK_EQ(late.due_ms(t.block) % 1000, 0U);
  CHECK_EQ(late.due_ms(t.block), 4000U);
}

TEST_CASE(scheduler_retries_timeouts_then_counts_a_failure) {
  static PollScheduler s;
  SchedulerOptions options;
  options.retries = 2;
  s.begin(test_site::kSite, options, 0);
  PollTask t{};
  CHECK(s.next(0, &t));
  const PollTask first = t;
  s.complete(t, ModbusResult::timeout, 100);
  CHECK(s.next(100, &t));
  CHECK_EQ(t.block, first.block);
  CHECK_EQ(t.attempt, 1);
  s.complete(t, ModbusResult::crc_error, 200);
  CHECK(s.next(200, &t));
  CHECK_EQ(t.attempt, 2);
  CHECK_EQ(s.health(t.meter).consecutive_failures, 0U);
  s.complete(t, ModbusResult::timeout, 300);
  const MeterHealth& h = s.health(first.meter);
  CHECK_EQ(h.consecutive_failures, 1U);
  CHECK_EQ(h.timeouts, 2U);
  CHECK_EQ(h.crc_errors, 1U);
  CHECK_EQ(h.requests, 3U);
  CHECK_EQ(h.last_error, ModbusResult::timeout);
  // A wrong answer is not retried.
  CHECK(s.next(300, &t));
  const PollTask wrong = t;
  s.complete(t, ModbusResult::bad_length, 310);
  CHECK(s.next(310, &t));
  CHECK_EQ(t.attempt, 0);
  CHECK(t.block != wrong.block);
  CHECK_EQ(s.health(wrong.meter).invalid_responses, 1U);
}

TEST_CASE(scheduler_backs_off_a_dead_meter_and_it_comes_back) {
  static PollScheduler s;
  SchedulerOptions options;
  options.retries = 1;
  options.offline_after = 3;
  options.backoff_initial_ms = 5000;
  options.backoff_max_ms = 20000;
  s.begin(test_site::kSite, options, 0);
  // pv (meter 1) is unplugged for the first 60 s.
  const auto outcome = [](const PollTask& t, std::uint64_t now) {
    return t.meter == 1 && now < 60000 ? ModbusResult::timeout : ModbusResult::ok;
  };
  bool went_offline = false;
  std::uint64_t offline_at = 0;
  std::vector<Read> reads;
  for (std::uint64_t from = 0; from < 100000; from += 1000) {
    const auto part = simulate(s, from, from + 1000, 30, outcome);
    reads.insert(reads.end(), part.begin(), part.end());
    if (!went_offline && s.health(1).state == MeterState::offline) {
      went_offline = true;
      offline_at = from;
    }
  }
  CHECK(went_offline);
  CHECK(offline_at < 5000);
  // Offline: only probes (after 5, 10, 20, 20 s back-off), each with its one retry.
  const std::size_t while_dead = reads_of(reads, 1, offline_at + 1000, 60000);
  CHECK_MSG(while_dead >= 2 && while_dead <= 10, "probes while dead: " + std::to_string(while_dead));
  // The healthy meters kept their cadence meanwhile.
  CHECK(reads_of(reads, 0, 0, 60000) >= 60);
  CHECK(reads_of(reads, 2, 0, 60000) >= 59);
  // Back by itself after the cable is back, then polled every second again.
  CHECK_EQ(s.health(1).state, MeterState::online);
  CHECK_EQ(s.health(1).consecutive_failures, 0U);
  CHECK(reads_of(reads, 1, 85000, 100000) >= 14);
}

TEST_CASE(scheduler_exceptions_do_not_make_a_meter_offline) {
  static PollScheduler s;
  s.begin(test_site::kSite, SchedulerOptions{}, 0);
  const auto outcome = [](const PollTask& t, std::uint64_t) {
    return t.meter == 0 && t.block == 1 ? ModbusResult::exception : ModbusResult::ok;
  };
  simulate(s, 0, 60000, 10, outcome);
  CHECK_EQ(s.health(0).state, MeterState::online);
  CHECK(s.health(0).exceptions >= 6);
  CHECK_EQ(s.health(0).last_error, ModbusResult::exception);
}

TEST_CASE(scheduler_starvation_guard_on_an_overloaded_bus) {
  static PollScheduler s;
  s.begin(test_site::kSite, SchedulerOptions{}, 0);
  // 600 ms per read, three 1 s blocks: the bus can serve well under half of what is asked.
  const std::vector<Read> reads = simulate(s, 0, 60000, 600, always_ok);
  const std::size_t hvac = reads_of(reads, 2), main = reads_of(reads, 0), pv = reads_of(reads, 1);
  CHECK_MSG(main >= 15 && pv >= 15, "main " + std::to_string(main) + ", pv " + std::to_string(pv));
  CHECK_MSG(hvac >= main && hvac >= pv, "priority still counts: hvac " + std::to_string(hvac));
}

TEST_CASE(scheduler_tcp_buses_run_in_parallel) {
  static MeterConfig meters[4];
  std::memcpy(meters, test_site::kMeters, sizeof meters);
  const char* hosts[] = {"10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3"};
  for (int i = 0; i < 4; ++i) {
    meters[i].host = hosts[i];
    meters[i].port = 502;
  }
  static SiteConfig site = test_site::kSite;
  site.transport = TransportKind::tcp;
  site.meters = meters;
  static PollScheduler s;
  s.begin(site, SchedulerOptions{}, 0);
  CHECK_EQ(s.bus_count(), 3U);
  std::vector<PollTask> in_flight;
  PollTask t{};
  while (s.next(0, &t)) in_flight.push_back(t);
  // Buses 0 (meters 0 and 2) and 1 (meter 1) at once; bus 2 has only the disabled meter.
  CHECK_EQ(in_flight.size(), 2U);
  CHECK(in_flight[0].bus != in_flight[1].bus);
}

TEST_CASE(scheduler_bus_gap_after_each_answer) {
  static PollScheduler s;
  SchedulerOptions options;
  options.bus_gap_ms = 5;
  s.begin(test_site::kSite, options, 0);
  PollTask t{};
  CHECK(s.next(0, &t));
  s.complete(t, ModbusResult::ok, 40);
  CHECK_EQ(s.health(t.meter).last_latency_ms, 40U);
  CHECK(!s.next(44, &t));
  CHECK(s.next(45, &t));
}
