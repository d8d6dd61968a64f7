// Building DOM without HTML strings: every text goes in through a text node (textContent), so a meter
// name like <img onerror=…> is shown as those characters and never parsed.

/**
 * h("td", { class: "num", data: { col: "power" } }, "12", " kW")
 * @param {string} tag
 * @param {Record<string, unknown> | null} [props] class, id, href (internal "#…" only), title, type, name,
 *   value, placeholder, disabled, data: {…} (data-* attributes), on: { event: handler }, and other plain attributes
 * @param {...(Node | string | number | null | undefined | false | Array<unknown>)} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = String(value);
    else if (key === "data") for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    else if (key === "on") for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (key === "href") el.setAttribute("href", safeHref(String(value)));
    else if (key === "value") el.value = String(value);
    else if (key === "disabled" || key === "checked" || key === "selected") el[key] = Boolean(value);
    else if (key.startsWith("on")) throw new Error("use on: { … } for event handlers");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children: strings and numbers become text nodes; arrays are flattened; empty values skipped. */
export function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Sets text only when it changed (keeps selections and avoids layout work). */
export function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

/** Only in-page links: a data value can never turn into javascript: or another site. */
function safeHref(href) {
  return href.startsWith("#") || href.startsWith("/") ? href : "#";
}
