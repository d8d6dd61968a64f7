// The status panel: gateway identity and version, the bus and each meter's link state, the uploader
// (last success, backlog, parked entries and why) and the database size. Refreshed every 5 s.
import { h, replace, setText } from "../dom.js";
import { formatAge, formatBytes, formatDuration, formatTime } from "../format.js";
import { badge, meterLink, updateBadge } from "./common.js";

export function mountStatus(root, { state, api, serverNow }) {
  const site = state.site;
  const uptime = h("dd");
  const serverTime = h("dd");
  const connection = h("dd");
  const busState = h("dd", { id: "bus-state" });
  const uploadEl = h("div", { id: "upload-status" }, h("p", { class: "muted" }, "Loading…"));
  const storageEl = h("div", { id: "storage-status" }, h("p", { class: "muted" }, "Loading…"));
  const t = site.transport;

  const meterRows = new Map();
  const meterBody = h("tbody");
  for (const mv of site.meters) {
    const b = badge("unknown");
    const failures = h("td", { class: "num", data: { label: "Failures in a row" } });
    const error = h("td", { class: "error-text", data: { label: "Last error" } });
    meterBody.appendChild(
      h(
        "tr",
        { data: { meter: mv.id } },
        h("td", { data: { label: "Meter" } }, meterLink(mv)),
        h("td", { data: { label: "Status" } }, b),
        failures,
        error,
      ),
    );
    meterRows.set(mv.id, { b, failures, error });
  }

  root.append(
    h(
      "section",
      { class: "panel" },
      h("h1", null, "Status"),
      h(
        "dl",
        { class: "facts", id: "gateway-facts" },
        fact("Site", `${site.name} (${site.id})`),
        fact("Gateway id", site.gatewayId ?? "—"),
        fact("Version", site.version),
        [h("dt", null, "Uptime"), uptime],
        [h("dt", null, "Gateway time"), serverTime],
        fact("Time zone", site.timezone),
        [h("dt", null, "Dashboard link"), connection],
      ),
    ),
    h(
      "section",
      { class: "panel" },
      h("h2", null, "Bus"),
      h(
        "dl",
        { class: "facts" },
        t.type === "rtu"
          ? fact(
              "Transport",
              `Modbus RTU on ${t.port}, ${t.baudRate} baud, ${t.dataBits}${t.parity[0].toUpperCase()}${t.stopBits}`,
            )
          : fact("Transport", "Modbus TCP"),
        fact(
          "Poll classes",
          Object.entries(site.pollClasses)
            .map(([k, v]) => `${k} ${formatDuration(v)}`)
            .join(", "),
        ),
        [h("dt", null, "Meters answering"), busState],
      ),
      h(
        "div",
        { class: "scroll" },
        h(
          "table",
          { class: "cards" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              h("th", null, "Meter"),
              h("th", null, "Status"),
              h("th", { class: "num" }, "Failures in a row"),
              h("th", null, "Last error"),
            ),
          ),
          meterBody,
        ),
      ),
    ),
    h("section", { class: "panel" }, h("h2", null, "Upload"), uploadEl),
    h("section", { class: "panel" }, h("h2", null, "Storage"), storageEl),
  );

  let startedAt = null;
  let timer = null;
  let destroyed = false;

  async function load() {
    const [health, upload] = await Promise.all([api("/api/health"), api("/api/upload")]);
    if (destroyed) return;
    if (health.status === 200) {
      startedAt = health.body.startedAt;
      const s = health.body.storage;
      replace(
        storageEl,
        s
          ? h(
              "dl",
              { class: "facts" },
              fact("Database size", formatBytes(s.sizeBytes)),
              s.path ? fact("File", s.path) : null,
              s.samples !== undefined ? fact("Samples", String(s.samples)) : null,
              s.intervals !== undefined ? fact("Intervals", String(s.intervals)) : null,
            )
          : h("p", { class: "muted" }, "The gateway runs without a store."),
      );
    }
    renderUpload(upload);
    tick();
  }

  function renderUpload(res) {
    if (res.status !== 200) {
      replace(
        uploadEl,
        h("p", { class: "muted" }, res.body?.error?.message ?? "Upload status is not available."),
      );
      return;
    }
    const u = res.body;
    if (!u.configured) {
      replace(uploadEl, h("p", { class: "muted" }, "No upload is configured for this site."));
      return;
    }
    const now = serverNow();
    const ago = (ms) => (ms ? `${formatTime(ms, site.timezone)} (${formatAge(now - ms)} ago)` : "never");
    replace(
      uploadEl,
      h(
        "dl",
        { class: "facts" },
        fact("State", u.enabled ? "enabled" : "disabled (intervals stay in the outbox)"),
        fact("Endpoint", u.url),
        fact("Interval", formatDuration(u.intervalMs)),
        fact("Last success", ago(u.lastSuccessAt)),
        fact("Last attempt", ago(u.lastAttemptAt)),
        fact(
          "Last error",
          u.lastError
            ? `${u.lastError.message}${u.lastError.status ? ` (HTTP ${u.lastError.status})` : ""}, ${formatAge(now - u.lastError.at)} ago`
            : "none",
        ),
        fact("Waiting in outbox", String(u.backlog)),
        fact(
          "Oldest waiting interval",
          u.oldestPendingStart ? formatTime(u.oldestPendingStart, site.timezone) : "—",
        ),
        fact("Next attempt", u.nextAttemptAt ? formatTime(u.nextAttemptAt, site.timezone) : "—"),
        fact("Parked (gave up)", String(u.parked.length)),
      ),
      u.parked.length
        ? h(
            "div",
            { class: "scroll" },
            h(
              "table",
              { class: "cards", id: "parked" },
              h(
                "thead",
                null,
                h(
                  "tr",
                  null,
                  h("th", null, "Interval"),
                  h("th", null, "Meter"),
                  h("th", null, "Reason"),
                  h("th", { class: "num" }, "Attempts"),
                  h("th", null, "Parked"),
                ),
              ),
              h(
                "tbody",
                null,
                u.parked.map((p) =>
                  h(
                    "tr",
                    null,
                    h("td", { data: { label: "Interval" } }, formatTime(p.intervalStart, site.timezone)),
                    h("td", { data: { label: "Meter" } }, p.meterId ?? "all"),
                    h("td", { class: "error-text", data: { label: "Reason" } }, p.reason),
                    h("td", { class: "num", data: { label: "Attempts" } }, String(p.attempts)),
                    h("td", { data: { label: "Parked" } }, `${formatAge(now - p.parkedAt)} ago`),
                  ),
                ),
              ),
            ),
          )
        : null,
    );
  }

  function refreshMeters() {
    let up = 0;
    let enabled = 0;
    for (const [id, row] of meterRows) {
      const m = state.meters.get(id);
      if (!m) continue;
      updateBadge(row.b, m.status);
      if (m.status !== "disabled") enabled++;
      if (m.status === "online") up++;
      setText(row.failures, m.health ? String(m.health.consecutiveFailures) : "—");
      setText(
        row.error,
        m.health?.lastError ? `${m.health.lastError.message} (${m.health.lastError.code})` : "",
      );
    }
    setText(busState, `${up} of ${enabled} meters online`);
  }

  function tick() {
    const now = serverNow();
    setText(uptime, startedAt ? formatAge(now - startedAt) : "—");
    setText(serverTime, formatTime(now, site.timezone));
    setText(connection, state.connected ? `live (${state.messages} messages)` : "reconnecting…");
  }

  refreshMeters();
  load();
  timer = setInterval(load, 5000);

  return {
    update: refreshMeters,
    tick,
    destroy() {
      destroyed = true;
      clearInterval(timer);
    },
  };
}

function fact(label, value) {
  return [h("dt", null, label), h("dd", null, value)];
}
