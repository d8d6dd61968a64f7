// One meter: every quantity of its profile, the per-phase table of the old firmware, health counters,
// a chart of the last hour of a chosen quantity and its 15-minute intervals.
import { lineChart } from "../chart.js";
import { h, replace, setText } from "../dom.js";
import { formatAge, formatTime, formatValue, formatWithUnit } from "../format.js";
import { ageText, badge, setValue, updateBadge, valueCell } from "./common.js";

const HOUR = 3600000;

/** Rows of the per-phase table: [label, L1, L2, L3, total/average]. */
const PHASE_ROWS = [
  ["Voltage L-N", "voltage_l1", "voltage_l2", "voltage_l3", "voltage_ln_avg"],
  ["Voltage L-L", "voltage_l1_l2", "voltage_l2_l3", "voltage_l3_l1", "voltage_ll_avg"],
  ["Current", "current_l1", "current_l2", "current_l3", "current_avg"],
  ["Active power", "active_power_l1", "active_power_l2", "active_power_l3", "active_power_total"],
  ["Reactive power", "reactive_power_l1", "reactive_power_l2", "reactive_power_l3", "reactive_power_total"],
  ["Apparent power", "apparent_power_l1", "apparent_power_l2", "apparent_power_l3", "apparent_power_total"],
  ["Power factor", "power_factor_l1", "power_factor_l2", "power_factor_l3", "power_factor_total"],
  [
    "Energy import",
    "active_energy_import_l1",
    "active_energy_import_l2",
    "active_energy_import_l3",
    "active_energy_import",
  ],
  [
    "Energy export",
    "active_energy_export_l1",
    "active_energy_export_l2",
    "active_energy_export_l3",
    "active_energy_export",
  ],
];

const HEALTH_FIELDS = [
  ["requests", "Requests"],
  ["responses", "Responses"],
  ["timeouts", "Timeouts"],
  ["crcErrors", "CRC errors"],
  ["exceptions", "Exceptions"],
  ["connectionErrors", "Connection errors"],
  ["invalidResponses", "Invalid answers"],
  ["consecutiveFailures", "Failures in a row"],
];

export function mountMeter(root, { state, api, serverNow }, id) {
  const site = state.site;
  const mv = site.meters.find((m) => m.id === id);
  if (!mv) {
    root.append(
      h(
        "section",
        { class: "panel" },
        h("h1", null, "Unknown meter"),
        h("p", null, "This site has no meter with id ", h("code", null, id), "."),
        h("a", { href: "#/" }, "Back to all meters"),
      ),
    );
    return {};
  }
  const q = (name) => site.quantities[name] ?? { label: name, unit: "", kind: "instantaneous" };
  const has = (name) => mv.quantities.includes(name);
  const cells = new Map(); // quantity → [cell, ...]
  const addCell = (quantity, cell) => {
    if (!cells.has(quantity)) cells.set(quantity, []);
    cells.get(quantity).push(cell);
    return cell;
  };

  // Header
  const status = badge("unknown");
  const age = h("span", { class: "age" });
  const head = h(
    "section",
    { class: "panel" },
    h("a", { href: "#/", class: "back" }, "← All meters"),
    h("div", { class: "panel-head" }, h("h1", { id: "meter-name" }, mv.name), status),
    h(
      "dl",
      { class: "facts" },
      fact("Id", mv.id),
      fact("Profile", `${mv.profile.id} (${mv.profile.vendor} ${mv.profile.model}, ${mv.profile.status})`),
      fact("Unit id", String(mv.unitId)),
      mv.host ? fact("Address", `${mv.host}:${mv.port ?? 502}`) : null,
      fact("Serial number", mv.serialNumber ?? "—", "serial"),
      fact("Updated", age),
    ),
  );
  const serialEl = head.querySelector('[data-fact="serial"]');

  // Per-phase table
  const phaseRows = PHASE_ROWS.filter((r) => r.slice(1).some(has));
  const phase = phaseRows.length
    ? h(
        "section",
        { class: "panel" },
        h("h2", null, "Per phase"),
        h(
          "div",
          { class: "scroll" },
          h(
            "table",
            { class: "phase" },
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                h("th", null, ""),
                h("th", { class: "num" }, "L1"),
                h("th", { class: "num" }, "L2"),
                h("th", { class: "num" }, "L3"),
                h("th", { class: "num" }, "Total"),
              ),
            ),
            h(
              "tbody",
              null,
              phaseRows.map(([label, ...qs]) =>
                h(
                  "tr",
                  null,
                  h("th", { scope: "row" }, label),
                  qs.map((name) =>
                    has(name) ? addCell(name, valueCell(name, label)) : h("td", { class: "num absent" }, ""),
                  ),
                ),
              ),
            ),
          ),
        ),
      )
    : null;

  // All quantities
  const allBody = h("tbody");
  for (const name of mv.quantities) {
    const info = q(name);
    const ageCell = h("td", { class: "age opt" });
    const qualityCell = h("td", { class: "quality opt" });
    allBody.appendChild(
      h(
        "tr",
        { data: { quantity: name } },
        h("td", null, info.label),
        addCell(name, valueCell(name, "Value")),
        qualityCell,
        ageCell,
      ),
    );
    addCell(name, { quality: qualityCell, age: ageCell });
  }
  const all = h(
    "section",
    { class: "panel" },
    h("h2", null, "All quantities"),
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        { class: "quantities", id: "quantities" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", null, "Quantity"),
            h("th", { class: "num" }, "Value"),
            h("th", { class: "opt" }, "Quality"),
            h("th", { class: "opt" }, "Updated"),
          ),
        ),
        allBody,
      ),
    ),
  );

  // Health
  const healthEls = {};
  const latency = h("dd");
  const lastError = h("dd");
  const lastGood = h("dd");
  const health = h(
    "section",
    { class: "panel" },
    h("h2", null, "Health"),
    h(
      "dl",
      { class: "facts health", id: "health" },
      HEALTH_FIELDS.map(([key, label]) => [
        h("dt", null, label),
        (healthEls[key] = h("dd", { data: { health: key } }, "—")),
      ]),
      h("dt", null, "Latency p50 / p95"),
      latency,
      h("dt", null, "Last good read"),
      lastGood,
      h("dt", null, "Last error"),
      lastError,
    ),
  );

  // Chart and intervals
  const numeric = mv.quantities.filter((n) => q(n).kind !== "identity");
  let chosen = numeric.includes("active_power_total") ? "active_power_total" : numeric[0];
  const select = h(
    "select",
    { id: "chart-quantity", "aria-label": "Quantity to chart", on: { change: () => choose(select.value) } },
    numeric.map((n) => h("option", { value: n, selected: n === chosen }, q(n).label)),
  );
  const chartEl = h("div", { class: "chart", id: "chart" });
  const chartNote = h("p", { class: "muted small" });
  const intervalsEl = h("div", { class: "scroll", id: "intervals" });
  const chartPanel = h(
    "section",
    { class: "panel" },
    h("div", { class: "panel-head" }, h("h2", null, "Last hour"), select),
    chartEl,
    chartNote,
    h("h2", null, "15-minute intervals (last 24 h)"),
    intervalsEl,
  );

  root.append(head, phase, all, health, chartPanel);

  let chart = null;
  let destroyed = false;
  let generation = 0;

  async function choose(name) {
    chosen = name;
    const gen = ++generation;
    chart?.destroy();
    chart = null;
    chartEl.replaceChildren();
    const info = q(name);
    const res = await api(
      `/api/meters/${encodeURIComponent(mv.id)}/history?quantity=${encodeURIComponent(name)}&since=${serverNow() - HOUR}`,
    );
    if (destroyed || gen !== generation) return;
    if (res.status !== 200) {
      setText(chartNote, res.body?.error?.message ?? "No history available.");
      return;
    }
    setText(
      chartNote,
      res.body.source === "memory"
        ? "Kept in memory by the dashboard (one point per 10 s); the store keeps every sample."
        : "",
    );
    try {
      const c = await lineChart(chartEl, {
        label: info.label,
        unit: info.unit,
        points: res.body.points,
        timeZone: site.timezone,
      });
      if (destroyed || gen !== generation) c.destroy();
      else chart = c;
    } catch (err) {
      setText(chartNote, String(err.message ?? err));
    }
    loadIntervals(name, gen);
  }

  async function loadIntervals(name, gen) {
    const to = serverNow();
    const res = await api(
      `/api/meters/${encodeURIComponent(mv.id)}/intervals?from=${to - 24 * HOUR}&to=${to}`,
    );
    if (destroyed || gen !== generation) return;
    if (res.status !== 200) {
      replace(
        intervalsEl,
        h("p", { class: "muted" }, res.body?.error?.message ?? "Intervals are not available."),
      );
      return;
    }
    const info = q(name);
    const rows = res.body.intervals
      .filter((i) => i.quantity === name)
      .reverse()
      .slice(0, 96);
    if (rows.length === 0) {
      replace(intervalsEl, h("p", { class: "muted" }, "No closed intervals of this quantity yet."));
      return;
    }
    const counter = info.kind === "counter";
    const fmt = (v) => (typeof v === "number" ? formatWithUnit(v, info.unit) : "—");
    replace(
      intervalsEl,
      h(
        "table",
        { class: "cards intervals" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", null, "Start"),
            counter
              ? [h("th", { class: "num" }, "Delta"), h("th", { class: "num" }, "Last")]
              : [
                  h("th", { class: "num" }, "Avg"),
                  h("th", { class: "num" }, "Min"),
                  h("th", { class: "num" }, "Max"),
                ],
            h("th", { class: "num" }, "Coverage"),
            h("th", null, "Quality"),
          ),
        ),
        h(
          "tbody",
          null,
          rows.map((i) =>
            h(
              "tr",
              null,
              h("td", { data: { label: "Start" } }, formatTime(i.start, site.timezone)),
              counter
                ? [
                    h("td", { class: "num", data: { label: "Delta" } }, fmt(i.delta)),
                    h("td", { class: "num", data: { label: "Last" } }, fmt(i.last)),
                  ]
                : [
                    h("td", { class: "num", data: { label: "Avg" } }, fmt(i.avg)),
                    h("td", { class: "num", data: { label: "Min" } }, fmt(i.min)),
                    h("td", { class: "num", data: { label: "Max" } }, fmt(i.max)),
                  ],
              h(
                "td",
                { class: "num", data: { label: "Coverage" } },
                `${Math.round((i.coverage ?? 0) * 100)} %`,
              ),
              h("td", { class: `quality q-${i.quality}`, data: { label: "Quality" } }, i.quality),
            ),
          ),
        ),
      ),
    );
  }

  function refresh() {
    const m = state.meters.get(mv.id);
    if (!m) return;
    updateBadge(status, m.status);
    for (const [name, list] of cells) {
      const value = m.values[name];
      for (const cell of list) {
        // Identity fields (serial number, codes) are labels, not measurements: shown as read, never grouped.
        const shown =
          q(name).kind === "identity" && typeof value?.v === "number" ? String(value.v) : value?.v;
        if (cell instanceof HTMLElement) setValue(cell, formatValue(shown, q(name).unit), value?.q);
        else setText(cell.quality, value ? value.q : "—");
      }
    }
    const sn = m.values.serial_number?.v;
    if (serialEl && (typeof sn === "string" || typeof sn === "number") && sn !== "")
      setText(serialEl, String(sn));
    const hh = m.health;
    for (const [key] of HEALTH_FIELDS) setText(healthEls[key], hh ? String(hh[key]) : "—");
    setText(
      latency,
      hh && hh.latencyP50Ms !== null
        ? `${Math.round(hh.latencyP50Ms)} ms / ${Math.round(hh.latencyP95Ms ?? 0)} ms`
        : "—",
    );
    lastError.classList.toggle("error-text", Boolean(hh?.lastError));
    setText(
      lastError,
      hh?.lastError
        ? `${hh.lastError.message} (${hh.lastError.code}, ${formatAge(serverNow() - hh.lastError.at)} ago)`
        : "none",
    );
    tick();
  }

  function tick() {
    const m = state.meters.get(mv.id);
    if (!m) return;
    const now = serverNow();
    setText(age, ageText(m.lastUpdate, now));
    setText(lastGood, m.health?.lastGoodRead ? `${formatAge(now - m.health.lastGoodRead)} ago` : "never");
    for (const [name, list] of cells) {
      const value = m.values[name];
      for (const cell of list)
        if (!(cell instanceof HTMLElement)) setText(cell.age, value ? ageText(value.t, now) : "never");
    }
  }

  refresh();
  if (chosen) choose(chosen);
  else setText(chartNote, "This meter has no numeric quantities.");

  return {
    update(changed) {
      const mine = changed.find((c) => c.id === mv.id);
      if (!mine) return;
      refresh();
      const v = mine.delta.values?.[chosen];
      if (chart && v && typeof v.v === "number") chart.append(v.t, v.q === "good" ? v.v : null, HOUR);
    },
    tick,
    destroy() {
      destroyed = true;
      chart?.destroy();
    },
  };
}

function fact(label, value, key) {
  return [h("dt", null, label), h("dd", key ? { data: { fact: key } } : null, value)];
}
