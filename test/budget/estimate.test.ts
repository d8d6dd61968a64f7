import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  busBudgetDiagnostics,
  estimateBusTime,
  formatEstimate,
  formatSeconds,
  rtuTransactionMs,
} from "../../engine/budget/index.js";
import { loadSiteOrThrow } from "../../engine/config/index.js";
import { planMeter } from "../../engine/plan/index.js";
import { loadTestSite, meters, writeSite } from "./site.js";

const rtu = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: "rtu",
  port: "/dev/ttyUSB0",
  baudRate: 9600,
  ...extra,
});

describe("rtuTransactionMs", () => {
  it("adds request, meter response, answer and the gateway's pause at 9600 8N1", () => {
    const char = 10 / 9.6; // ms per character: 10 bits at 9600 baud
    const line = { baudRate: 9600, dataBits: 8, parity: "none", stopBits: 1 } as const;
    const t = rtuTransactionMs(10, { ...line, turnaroundDelayMs: 5, interFrameDelayMs: 3.5 * char });
    // 8-byte request, 3.5 characters of meter response, 5 + 2×10 byte answer, 5 ms turnaround (> 3.5 chars),
    // 2 ms of the gateway's own overhead
    expect(t).toBeCloseTo((8 + 3.5 + 25) * char + 5 + 2, 9);
  });

  it("counts the parity bit and the stop bits, and the longer of the two delays", () => {
    const char = 12 / 19.2; // 8E2: 12 bits at 19200 baud
    const t = rtuTransactionMs(
      2,
      {
        baudRate: 19200,
        dataBits: 8,
        parity: "even",
        stopBits: 2,
        turnaroundDelayMs: 1,
        interFrameDelayMs: 4,
      },
      0,
      0,
    );
    expect(t).toBeCloseTo((8 + 9) * char + 4, 9);
  });
});

describe("estimateBusTime", () => {
  it("sums every meter's planned blocks per poll class on an RS485 bus", () => {
    const site = loadTestSite({
      transport: rtu(),
      pollClasses: { live: { interval: "5s" } },
      meters: meters(32, "meatrol/me237"),
    });
    const profile = site.meters[0]!.profile;
    const [bus] = estimateBusTime(site).buses;
    expect(bus?.kind).toBe("rtu");
    expect(bus?.line).toBe("9600 8N1");
    const live = bus!.classes.find((c) => c.pollClass === "live")!;
    const blocks = planMeter(profile, "live");
    expect(live.meters).toBe(32);
    expect(live.blocks).toBe(32 * blocks.length);
    expect(live.blocksPerMeter).toBe(blocks.length);
    expect(live.registers).toBe(32 * blocks.reduce((n, b) => n + b.count, 0));
    const t = site.transport.type === "rtu" ? site.transport : undefined;
    const oneMeter = blocks.reduce((sum, b) => sum + rtuTransactionMs(b.count, t!), 0);
    expect(live.cycleMs).toBeCloseTo(32 * oneMeter, 6);
    expect(live.intervalMs).toBe(5000);
    expect(live.load).toBeCloseTo(live.cycleMs / 5000, 9);
    expect(bus!.load).toBeCloseTo(
      bus!.classes.reduce((s, c) => s + c.load, 0),
      9,
    );
  });

  it("leaves disabled meters out and gives each TCP host:port a bus of its own", () => {
    const site = loadTestSite({
      transport: { type: "tcp" },
      meters: [
        { id: "a", profile: "eastron/sdm630", host: "10.0.0.1", unitId: 1 },
        { id: "b", profile: "eastron/sdm630", host: "10.0.0.1", unitId: 2 },
        { id: "c", profile: "chint/dtsu666", host: "10.0.0.2", unitId: 1 },
        { id: "d", profile: "chint/dtsu666", host: "10.0.0.3", unitId: 1, enabled: false },
      ],
    });
    const estimate = estimateBusTime(site, { tcpRoundTripMs: 10 });
    expect(estimate.buses.map((b) => [b.bus, b.meters])).toEqual([
      ["10.0.0.1:502", 2],
      ["10.0.0.2:502", 1],
    ]);
    const live = estimate.buses[0]!.classes.find((c) => c.pollClass === "live")!;
    expect(live.cycleMs).toBe(10 * live.blocks);
  });

  it("a faster baud rate shortens the cycle", () => {
    const at = (baudRate: number): number =>
      estimateBusTime(loadTestSite({ transport: rtu({ baudRate }), meters: meters(4, "meatrol/mp440") }))
        .buses[0]!.classes[0]!.cycleMs;
    expect(at(38400)).toBeLessThan(at(9600) / 2);
  });
});

describe("budget warnings", () => {
  const dir = mkdtempSync(join(tmpdir(), "ampx-budget-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("warns at the class's interval when 32 meters cannot be read within it", () => {
    const file = writeSite(dir, {
      transport: rtu(),
      pollClasses: { live: { interval: "5s" } },
      meters: meters(32, "meatrol/me237"),
    });
    const site = loadSiteOrThrow(file);
    const live = estimateBusTime(site).buses[0]!.classes.find((c) => c.pollClass === "live")!;
    expect(live.cycleMs).toBeGreaterThan(5000);
    const [warning, ...rest] = busBudgetDiagnostics(site);
    expect(warning).toMatchObject({
      code: "SITE_W_BUS_BUDGET",
      severity: "warning",
      path: "pollClasses.live.interval",
      line:
        readFileSync(file, "utf8")
          .split("\n")
          .findIndex((l) => l.includes("interval: 5s")) + 1,
    });
    expect(warning!.message).toBe(
      `32 meters × ${live.blocksPerMeter} blocks at 9600 baud ≈ ${formatSeconds(live.cycleMs)}; the 'live' class asks for 5 s`,
    );
    expect(rest.filter((d) => d.message.includes("'live'"))).toEqual([]);
  });

  it("says nothing when every class fits, and warns when the classes together overload the bus", () => {
    const fits = loadTestSite({
      transport: rtu(),
      pollClasses: { live: { interval: "30s" }, energy: { interval: "5m" } },
      meters: meters(8, "meatrol/me237"),
    });
    expect(busBudgetDiagnostics(fits)).toEqual([]);
    const total = estimateBusTime(fits).buses[0]!;
    const live = total.classes.find((c) => c.pollClass === "live")!;
    const energy = total.classes.find((c) => c.pollClass === "energy")!;
    // Each class alone fits in 1.2× its cycle, both together do not.
    const crowded = loadTestSite({
      transport: rtu(),
      pollClasses: {
        live: { interval: `${Math.ceil(live.cycleMs * 1.2)}ms` },
        energy: { interval: `${Math.ceil(energy.cycleMs * 1.2)}ms` },
      },
      meters: meters(8, "meatrol/me237"),
    });
    const warnings = busBudgetDiagnostics(crowded);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/^the poll classes together need 1\d\d % of the bus \/dev\/ttyUSB0/);
  });

  it("prints one table row per class with TOO SLOW where a class misses its interval", () => {
    const site = loadTestSite({
      transport: rtu(),
      pollClasses: { live: { interval: "1s" } },
      meters: meters(8, "meatrol/mp440"),
    });
    const text = formatEstimate(estimateBusTime(site));
    expect(text).toMatch(/^RS485 bus \/dev\/ttyUSB0, 9600 8N1, 8 meters$/m);
    expect(text).toMatch(/^ {2}live +1 s +8 .*TOO SLOW$/m);
    expect(text).not.toMatch(/energy.*TOO SLOW/);
  });
});

describe("formatSeconds", () => {
  it("reads like a person would say it", () => {
    expect([250, 1000, 11_840, 90_000, 900_000, 3_600_000, 21_600_000].map(formatSeconds)).toEqual([
      "250 ms",
      "1 s",
      "11.8 s",
      "90 s",
      "15 min",
      "1 h",
      "6 h",
    ]);
  });
});
