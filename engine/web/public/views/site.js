// The site table: one row per meter with status, age and the key quantities, updated live; below it the
// energy summary (import/export per meter and the site total), as the old firmware's front page had.
import { h, setText } from "../dom.js";
import { formatValue } from "../format.js";
import { KEY_COLUMNS, ageText, badge, meterLink, pick, setValue, updateBadge, valueCell } from "./common.js";

export function mountSite(root, { state, serverNow }) {
  const site = state.site;
  const rows = new Map();
  const summaryRows = new Map();

  const online = h("span", { id: "online-count" });
  const tbody = h("tbody");
  const table = h(
    "table",
    { class: "live cards", id: "meters" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", null, "Meter"),
        h("th", null, "Profile"),
        h("th", null, "Status"),
        h("th", null, "Updated"),
        KEY_COLUMNS.map((c) =>
          h("th", { class: "num" }, c.label, c.unit ? h("span", { class: "u" }, ` ${c.unit}`) : null),
        ),
      ),
    ),
    tbody,
  );

  for (const mv of site.meters) {
    const cells = {};
    const status = badge("unknown");
    const age = h("td", { class: "age", data: { label: "Updated" } }, "never");
    const tr = h(
      "tr",
      { data: { meter: mv.id } },
      h("td", { class: "name", data: { label: "Meter" } }, meterLink(mv), h("span", { class: "id" }, mv.id)),
      h("td", { class: "profile", data: { label: "Profile" } }, mv.profile.id),
      h("td", { class: "status", data: { label: "Status" } }, status),
      age,
      KEY_COLUMNS.map((c) => {
        const quantity = pick(mv, c.candidates);
        const sum = quantity ? [] : (c.sumOf ?? []).filter((q) => mv.quantities.includes(q));
        const cell = valueCell(c.col, c.label);
        if (!quantity && sum.length === 0) cell.classList.add("absent");
        if (sum.length > 0) cell.dataset.sum = sum.join("+");
        cells[c.col] = { cell, quantity, sum };
        return cell;
      }),
    );
    tbody.appendChild(tr);
    rows.set(mv.id, { mv, tr, status, age, cells });
  }

  const summaryBody = h("tbody");
  const totalImport = h("td", { class: "num", data: { label: "Import" } });
  const totalExport = h("td", { class: "num", data: { label: "Export" } });
  for (const mv of site.meters) {
    const imp = h("td", { class: "num", data: { label: "Import" } });
    const exp = h("td", { class: "num", data: { label: "Export" } });
    summaryBody.appendChild(
      h("tr", { data: { meter: mv.id } }, h("td", { data: { label: "Meter" } }, meterLink(mv)), imp, exp),
    );
    summaryRows.set(mv.id, { imp, exp });
  }
  const summary = h(
    "table",
    { class: "summary", id: "energy-summary" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        h("th", null, "Meter"),
        h("th", { class: "num" }, "Import kWh"),
        h("th", { class: "num" }, "Export kWh"),
      ),
    ),
    summaryBody,
    h("tfoot", null, h("tr", null, h("th", { scope: "row" }, "Site total"), totalImport, totalExport)),
  );

  root.append(
    h(
      "section",
      { class: "panel" },
      h("div", { class: "panel-head" }, h("h1", null, "Meters"), online),
      h("div", { class: "scroll" }, table),
    ),
    h("section", { class: "panel" }, h("h2", null, "Energy summary"), h("div", { class: "scroll" }, summary)),
  );

  const energyText = (v) => (typeof v === "number" ? formatValue(v, "kWh").text : "—");

  function refreshRow(id) {
    const row = rows.get(id);
    const m = state.meters.get(id);
    if (!row || !m) return;
    updateBadge(row.status, m.status);
    row.tr.dataset.status = m.status;
    for (const { cell, quantity, sum } of Object.values(row.cells)) {
      if (quantity) {
        const value = m.values[quantity];
        const info = site.quantities[quantity];
        setValue(cell, formatValue(value?.v, info?.unit ?? ""), value?.q);
      } else if (sum.length > 0) {
        const values = sum.map((q) => m.values[q]).filter((v) => v && typeof v.v === "number");
        const total = values.length === sum.length ? values.reduce((a, v) => a + v.v, 0) : null;
        const bad = values.find((v) => v.q !== "good");
        setValue(cell, formatValue(total, site.quantities[sum[0]]?.unit ?? ""), bad?.q);
        if (!bad) cell.title = `sum of ${sum.map((q) => site.quantities[q]?.label ?? q).join(", ")}`;
      }
    }
    const s = summaryRows.get(id);
    setText(s.imp, energyText(m.values.active_energy_import?.v));
    setText(s.exp, energyText(m.values.active_energy_export?.v));
  }

  function refreshTotals() {
    let imp = 0;
    let exp = 0;
    let anyImp = false;
    let anyExp = false;
    let up = 0;
    let enabled = 0;
    for (const m of state.meters.values()) {
      const i = m.values.active_energy_import?.v;
      const e = m.values.active_energy_export?.v;
      if (typeof i === "number") {
        imp += i;
        anyImp = true;
      }
      if (typeof e === "number") {
        exp += e;
        anyExp = true;
      }
      if (m.status !== "disabled") enabled++;
      if (m.status === "online") up++;
    }
    setText(totalImport, anyImp ? energyText(imp) : "—");
    setText(totalExport, anyExp ? energyText(exp) : "—");
    setText(online, `${up} of ${enabled} online`);
  }

  function tick() {
    const now = serverNow();
    for (const [id, row] of rows) setText(row.age, ageText(state.meters.get(id)?.lastUpdate, now));
  }

  for (const id of rows.keys()) refreshRow(id);
  refreshTotals();
  tick();
  // Time to the first filled table, for the benchmark (bench/web-fanout.ts) and the browser's own tools.
  if (performance.getEntriesByName("ampx:table-rendered").length === 0)
    performance.mark("ampx:table-rendered");

  return {
    update(changed) {
      for (const { id } of changed) refreshRow(id);
      refreshTotals();
      tick();
    },
    tick,
  };
}
