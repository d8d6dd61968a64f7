// The dashboard in the browser: one WebSocket for the live state (a snapshot, then changes), a hash router
// for the views, and a one-second tick for ages. Views only read `state` and get told what changed.
import { h, replace, setText } from "./dom.js";
import { mountConfig } from "./views/config.js";
import { mountMeter } from "./views/meter.js";
import { mountSite } from "./views/site.js";
import { mountStatus } from "./views/status.js";

/** @type {{ site: any, meters: Map<string, any>, offset: number, heartbeatMs: number, connected: boolean, messages: number }} */
export const state = {
  site: null,
  meters: new Map(),
  // serverTime - Date.now(): ages are computed against the gateway's clock, not the phone's.
  offset: 0,
  heartbeatMs: 15000,
  connected: false,
  messages: 0,
};

export function serverNow() {
  return Date.now() + state.offset;
}

/** GET/POST JSON; resolves to { status, body }; network failures resolve with status 0. */
export async function api(path, init) {
  try {
    const res = await fetch(path, init);
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    return { status: res.status, body };
  } catch (err) {
    return { status: 0, body: { error: { code: "NETWORK", message: String(err) } } };
  }
}

const view = document.getElementById("view");
const conn = document.getElementById("conn");
const siteName = document.getElementById("site-name");
let current = null;
let currentRoute = "";

function route() {
  const hash = location.hash || "#/";
  const meter = /^#\/meter\/([^/]+)$/.exec(hash);
  if (meter) return { name: "meter", id: decodeURIComponent(meter[1]) };
  if (hash === "#/status") return { name: "status" };
  if (hash === "#/config") return { name: "config" };
  return { name: "site" };
}

function render() {
  const r = route();
  const key = r.name + ":" + (r.id ?? "");
  if (current && key === currentRoute) return;
  current?.destroy?.();
  currentRoute = key;
  for (const a of document.querySelectorAll("nav a")) {
    a.classList.toggle(
      "active",
      a.dataset.route === r.name || (r.name === "meter" && a.dataset.route === "site"),
    );
  }
  if (!state.site) {
    replace(view, h("p", { class: "muted", id: "loading" }, "Connecting to the gateway…"));
    current = null;
    currentRoute = "";
    return;
  }
  view.replaceChildren();
  const ctx = { state, api, serverNow };
  if (r.name === "meter") current = mountMeter(view, ctx, r.id);
  else if (r.name === "status") current = mountStatus(view, ctx);
  else if (r.name === "config") current = mountConfig(view, ctx);
  else current = mountSite(view, ctx);
  window.scrollTo(0, 0);
}

let siteJson = "";

function applySnapshot(msg) {
  const json = JSON.stringify(msg.site);
  const siteChanged = json !== siteJson;
  siteJson = json;
  state.site = msg.site;
  state.heartbeatMs = msg.heartbeatMs ?? state.heartbeatMs;
  state.meters = new Map(msg.meters.map((m) => [m.id, m]));
  setText(siteName, msg.site.name);
  document.title = `${msg.site.name} · AmpX gateway`;
  if (current && (!siteChanged || current.keepOnSiteChange)) {
    // Same site (a resync after falling behind): refresh values in place, keep charts and forms.
    current.update?.(msg.meters.map((m) => ({ id: m.id, delta: m })));
    return;
  }
  // A changed site (renamed meters, new intervals): views are rebuilt from scratch.
  current?.destroy?.();
  current = null;
  currentRoute = "";
  render();
}

function applyChanges(msg) {
  const changed = [];
  for (const [id, delta] of Object.entries(msg.meters)) {
    const m = state.meters.get(id);
    if (!m) continue;
    if (delta.values) Object.assign(m.values, delta.values);
    if (delta.status !== undefined) m.status = delta.status;
    if (delta.lastUpdate !== undefined) m.lastUpdate = delta.lastUpdate;
    if (delta.health !== undefined) m.health = delta.health;
    changed.push({ id, delta });
  }
  current?.update?.(changed);
}

// --- WebSocket with reconnect and a watchdog (browsers cannot see protocol pings) ---
let socket = null;
let lastMessage = 0;
let retryMs = 1000;

function setConnected(on, text) {
  state.connected = on;
  conn.dataset.state = on ? "live" : "down";
  setText(conn, text);
}

function connect() {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
  socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    retryMs = 1000;
    lastMessage = Date.now();
    setConnected(true, "live");
  });
  socket.addEventListener("message", (event) => {
    lastMessage = Date.now();
    state.messages++;
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch {
      return;
    }
    if (typeof msg.serverTime === "number") state.offset = msg.serverTime - Date.now();
    if (msg.type === "snapshot") applySnapshot(msg);
    else if (msg.type === "changes") applyChanges(msg);
  });
  socket.addEventListener("close", () => {
    setConnected(false, "reconnecting…");
    socket = null;
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 15000);
  });
}

setInterval(() => {
  if (socket && state.connected && Date.now() - lastMessage > state.heartbeatMs * 2.5) socket.close();
  current?.tick?.();
}, 1000);

window.addEventListener("hashchange", render);
render();
connect();
