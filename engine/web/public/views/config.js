// Basic configuration: the site file with secrets redacted, and a form for the safe settings (meter names,
// poll intervals, upload URL and interval). Saving needs the dashboard token (or user and password); the
// credentials stay in this page's memory only.
import { h, replace } from "../dom.js";

let credentials = { token: "", username: "", password: "" };

function authorization() {
  if (credentials.token) return `Bearer ${credentials.token}`;
  if (credentials.username || credentials.password) {
    const bytes = new TextEncoder().encode(`${credentials.username}:${credentials.password}`);
    return `Basic ${btoa(String.fromCharCode(...bytes))}`;
  }
  return null;
}

export function mountConfig(root, { api }) {
  const body = h("div", null, h("p", { class: "muted" }, "Loading…"));
  root.append(body);
  let destroyed = false;

  async function load(message) {
    const res = await api("/api/config");
    if (destroyed) return;
    if (res.status !== 200) {
      replace(
        body,
        h(
          "section",
          { class: "panel" },
          h("h1", null, "Configuration"),
          h("p", { class: "muted" }, res.body?.error?.message ?? "The configuration is not available."),
        ),
      );
      return;
    }
    render(res.body, message);
  }

  function render(cfg, message) {
    const e = cfg.editable;
    const inputs = { meters: new Map(), pollClasses: new Map(), upload: {} };
    const result = h("div", { id: "config-result", role: "status", "aria-live": "polite" });
    if (message) showResult(result, message);

    const meterFields = e.meters.map((m) => {
      const input = h("input", {
        type: "text",
        id: `name-${m.id}`,
        name: `name-${m.id}`,
        value: m.name,
        maxlength: "80",
        required: "",
      });
      inputs.meters.set(m.id, { input, initial: m.name });
      return h("div", { class: "field" }, h("label", { for: `name-${m.id}` }, m.id), input);
    });
    const pollFields = Object.entries(e.pollClasses).map(([name, interval]) => {
      const input = h("input", {
        type: "text",
        id: `poll-${name}`,
        value: interval,
        pattern: "[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)",
        inputmode: "text",
      });
      inputs.pollClasses.set(name, { input, initial: interval });
      return h("div", { class: "field" }, h("label", { for: `poll-${name}` }, name), input);
    });
    let uploadFields = [h("p", { class: "muted" }, "No upload section in the site file.")];
    if (e.upload) {
      inputs.upload.url = {
        input: h("input", { type: "url", id: "upload-url", value: e.upload.url }),
        initial: e.upload.url,
      };
      inputs.upload.interval = {
        input: h("input", { type: "text", id: "upload-interval", value: e.upload.interval }),
        initial: e.upload.interval,
      };
      uploadFields = [
        h("div", { class: "field wide" }, h("label", { for: "upload-url" }, "URL"), inputs.upload.url.input),
        h(
          "div",
          { class: "field" },
          h("label", { for: "upload-interval" }, "Interval"),
          inputs.upload.interval.input,
        ),
      ];
    }

    const token = h("input", {
      type: "password",
      id: "auth-token",
      autocomplete: "current-password",
      value: credentials.token,
    });
    const username = h("input", {
      type: "text",
      id: "auth-username",
      autocomplete: "username",
      value: credentials.username,
    });
    const password = h("input", {
      type: "password",
      id: "auth-password",
      autocomplete: "current-password",
      value: credentials.password,
    });
    const save = h(
      "button",
      { type: "submit", id: "config-save", disabled: !cfg.writable },
      "Save and apply",
    );

    const form = h(
      "form",
      { id: "config-form", on: { submit: (ev) => (ev.preventDefault(), submit()) } },
      h("fieldset", null, h("legend", null, "Meter names"), meterFields),
      h("fieldset", null, h("legend", null, "Poll intervals"), pollFields),
      h("fieldset", null, h("legend", null, "Upload"), uploadFields),
      h(
        "fieldset",
        null,
        h("legend", null, "Credentials"),
        cfg.writable
          ? [
              h("div", { class: "field wide" }, h("label", { for: "auth-token" }, "Dashboard token"), token),
              h("p", { class: "muted small" }, "or user name and password:"),
              h("div", { class: "field" }, h("label", { for: "auth-username" }, "User name"), username),
              h("div", { class: "field" }, h("label", { for: "auth-password" }, "Password"), password),
            ]
          : h(
              "p",
              { class: "muted" },
              "Changes are disabled: set web.auth (a token or user name and password) in the site file.",
            ),
      ),
      h("div", { class: "actions" }, save),
      result,
    );

    replace(
      body,
      h(
        "section",
        { class: "panel" },
        h("h1", null, "Configuration"),
        h(
          "p",
          { class: "muted small" },
          "Changes are checked like ",
          h("code", null, "ampx check"),
          " does, written to ",
          h("code", null, cfg.file),
          " (the previous file is kept as ",
          h("code", null, `${cfg.file}.bak`),
          ") and applied without a restart.",
        ),
        form,
      ),
      h(
        "section",
        { class: "panel" },
        h("h2", null, cfg.file),
        h("pre", { class: "yaml", id: "config-yaml" }, cfg.yaml),
      ),
    );

    async function submit() {
      credentials = { token: token.value, username: username.value, password: password.value };
      const change = {};
      const meters = [...inputs.meters]
        .filter(([, f]) => f.input.value.trim() !== f.initial)
        .map(([id, f]) => ({ id, name: f.input.value.trim() }));
      if (meters.length) change.meters = meters;
      const polls = [...inputs.pollClasses].filter(([, f]) => f.input.value.trim() !== f.initial);
      if (polls.length)
        change.pollClasses = Object.fromEntries(polls.map(([n, f]) => [n, f.input.value.trim()]));
      if (inputs.upload.url) {
        const upload = {};
        if (inputs.upload.url.input.value.trim() !== inputs.upload.url.initial)
          upload.url = inputs.upload.url.input.value.trim();
        if (inputs.upload.interval.input.value.trim() !== inputs.upload.interval.initial)
          upload.interval = inputs.upload.interval.input.value.trim();
        if (Object.keys(upload).length) change.upload = upload;
      }
      if (Object.keys(change).length === 0) {
        showResult(result, { ok: false, text: "Nothing changed." });
        return;
      }
      const headers = { "Content-Type": "application/json" };
      const auth = authorization();
      if (auth) headers.Authorization = auth;
      save.disabled = true;
      const res = await api("/api/config", { method: "POST", headers, body: JSON.stringify(change) });
      save.disabled = !cfg.writable;
      if (destroyed) return;
      if (res.status === 200) {
        load({ ok: true, text: "Saved and applied." });
        return;
      }
      const err = res.body?.error ?? { message: `HTTP ${res.status}` };
      showResult(result, { ok: false, text: err.message, problems: err.problems });
    }
  }

  function showResult(el, { ok, text, problems }) {
    replace(
      el,
      h("p", { class: ok ? "ok" : "error-text" }, text),
      problems?.length
        ? h(
            "ul",
            { class: "problems" },
            problems.map((p) =>
              h("li", null, `${p.path || "(file)"}: ${p.message}${p.hint ? ` (${p.hint})` : ""}`),
            ),
          )
        : null,
    );
    el.dataset.result = ok ? "ok" : "error";
  }

  load();
  return {
    // The page reloads the file itself after saving; a new site snapshot must not wipe the result message.
    keepOnSiteChange: true,
    destroy() {
      destroyed = true;
    },
  };
}
