// uPlot, loaded the first time a chart is shown (the site table does not need its 50 KB).
let loading = null;

export function loadUPlot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  loading ??= new Promise((resolve, reject) => {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = "/vendor/uPlot.min.css";
    document.head.appendChild(css);
    const script = document.createElement("script");
    script.src = "/vendor/uPlot.iife.min.js";
    script.onload = () => resolve(window.uPlot);
    script.onerror = () => reject(new Error("could not load the chart library"));
    document.head.appendChild(script);
  });
  return loading;
}

/** Colours from the page's CSS variables, so the chart follows light and dark mode. */
function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/**
 * A line chart of one quantity over time.
 * @param {HTMLElement} el
 * @param {{ label: string, unit: string, points: [number, number | null][], timeZone?: string }} opts
 */
export async function lineChart(el, opts) {
  const uPlot = await loadUPlot();
  const xs = opts.points.map((p) => p[0] / 1000);
  const ys = opts.points.map((p) => p[1]);
  const axis = {
    stroke: themeColor("--muted"),
    grid: { stroke: themeColor("--grid"), width: 1 },
    ticks: { stroke: themeColor("--grid") },
  };
  const width = () => Math.max(260, el.clientWidth);
  const plot = new uPlot(
    {
      width: width(),
      height: 240,
      tzDate: opts.timeZone ? (ts) => uPlot.tzDate(new Date(ts * 1e3), opts.timeZone) : undefined,
      series: [
        {},
        {
          label: opts.unit ? `${opts.label} (${opts.unit})` : opts.label,
          stroke: themeColor("--accent"),
          width: 2,
          spanGaps: false,
        },
      ],
      axes: [axis, { ...axis, size: 60 }],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    },
    [xs, ys],
    el,
  );
  const onResize = () => plot.setSize({ width: width(), height: 240 });
  window.addEventListener("resize", onResize);
  return {
    append(t, v, maxAgeMs) {
      xs.push(t / 1000);
      ys.push(v);
      const cutoff = (t - maxAgeMs) / 1000;
      while (xs.length > 0 && xs[0] < cutoff) {
        xs.shift();
        ys.shift();
      }
      plot.setData([xs, ys]);
    },
    destroy() {
      window.removeEventListener("resize", onResize);
      plot.destroy();
    },
  };
}
