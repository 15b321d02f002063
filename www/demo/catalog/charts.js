// Small SVG charts drawn by hand (no chart library): stacked bars, horizontal bars, columns and a
// verdict timeline. Every chart is an <svg role="img"> with a text title and description that
// say what it shows in words, so a screen reader gets the numbers too. Labels are set with
// textContent: data never becomes markup.

const NS = "http://www.w3.org/2000/svg";

export const VERDICT_COLOURS = {
  allow: "#2e7d32",
  warn: "#b26a00",
  approval: "#1565c0",
  deny: "#c62828",
  unknown: "#616161",
};

let uid = 0;

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** An accessible SVG root with a title and a description. */
function frame(width, height, title, desc) {
  const id = `c${++uid}`;
  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-labelledby": `${id}-t ${id}-d`,
    preserveAspectRatio: "xMinYMin meet", class: "svg-chart",
  });
  svg.append(el("title", { id: `${id}-t` }, title), el("desc", { id: `${id}-d` }, desc));
  return svg;
}

function empty(container, text) {
  const p = document.createElement("p");
  p.className = "empty";
  p.textContent = text;
  container.replaceChildren(p);
}

/**
 * Stacked horizontal bars: one row per group, one segment per series.
 * rows: [{ label, values: { series: n } }], series: [{ key, label, colour }]
 */
export function stackedBars(container, { title, rows, series }) {
  const total = rows.reduce((n, r) => n + series.reduce((m, s) => m + (r.values[s.key] ?? 0), 0), 0);
  if (!total) return empty(container, "No apps yet.");
  const labelW = 92;
  const barW = 300;
  const rowH = 26;
  const legendH = 24;
  const height = rows.length * rowH + legendH + 8;
  const max = Math.max(...rows.map((r) => series.reduce((m, s) => m + (r.values[s.key] ?? 0), 0)), 1);
  const desc = rows.map((r) => `${r.label}: ${series.map((s) => `${r.values[s.key] ?? 0} ${s.label}`).join(", ")}`).join("; ");
  const svg = frame(labelW + barW + 40, height, title, desc);
  rows.forEach((r, i) => {
    const y = i * rowH + 4;
    svg.append(el("text", { x: labelW - 6, y: y + 15, "text-anchor": "end", class: "lbl" }, r.label));
    let x = labelW;
    let sum = 0;
    for (const s of series) {
      const v = r.values[s.key] ?? 0;
      if (!v) continue;
      const w = (v / max) * barW;
      const rect = el("rect", { x, y, width: Math.max(w, 1), height: rowH - 8, fill: s.colour });
      rect.append(el("title", {}, `${r.label}, ${s.label}: ${v}`));
      svg.append(rect);
      x += w;
      sum += v;
    }
    svg.append(el("text", { x: x + 4, y: y + 15, class: "num" }, String(sum)));
  });
  let lx = labelW;
  const ly = rows.length * rowH + 12;
  for (const s of series) {
    svg.append(el("rect", { x: lx, y: ly, width: 10, height: 10, fill: s.colour }));
    const t = el("text", { x: lx + 14, y: ly + 9, class: "lgd" }, s.label);
    svg.append(t);
    lx += 14 + s.label.length * 7 + 14;
  }
  container.replaceChildren(svg);
}

/** Horizontal bars with their value: [{ label, value, colour? }]. */
export function bars(container, { title, items, unit = "" }) {
  if (!items.length) return empty(container, "Nothing to show yet.");
  const labelW = 210;
  const barW = 150;
  const rowH = 22;
  const max = Math.max(...items.map((i) => i.value), 1);
  const desc = items.map((i) => `${i.label}: ${i.value}${unit}`).join("; ");
  const svg = frame(labelW + barW + 40, items.length * rowH + 6, title, desc);
  items.forEach((it, i) => {
    const y = i * rowH + 3;
    svg.append(el("text", { x: labelW - 6, y: y + 13, "text-anchor": "end", class: "lbl small" }, it.label));
    const w = Math.max((it.value / max) * barW, 1);
    svg.append(el("rect", { x: labelW, y, width: w, height: rowH - 7, fill: it.colour ?? "#455a64" }));
    svg.append(el("text", { x: labelW + w + 4, y: y + 13, class: "num" }, `${it.value}${unit}`));
  });
  container.replaceChildren(svg);
}

/** Columns per day, two series side by side: [{ label, a, b }]. */
export function columns(container, { title, items, a, b }) {
  if (!items.length) return empty(container, "No approval requests yet.");
  const h = 120;
  const colW = Math.max(8, Math.min(28, Math.floor(330 / items.length)));
  const width = items.length * colW + 40;
  const max = Math.max(...items.map((i) => Math.max(i.a, i.b)), 1);
  const desc = items.map((i) => `${i.label}: ${i.a} ${a.label}, ${i.b} ${b.label}`).join("; ");
  const svg = frame(Math.max(width, 220), h + 44, title, desc);
  items.forEach((it, i) => {
    const x = 30 + i * colW;
    for (const [k, s, dx] of [["a", a, 0], ["b", b, colW / 2 - 1]]) {
      const v = it[k];
      const bh = (v / max) * h;
      const r = el("rect", { x: x + dx, y: 8 + h - bh, width: colW / 2 - 2, height: Math.max(bh, v ? 1 : 0), fill: s.colour });
      r.append(el("title", {}, `${it.label}: ${v} ${s.label}`));
      svg.append(r);
    }
  });
  svg.append(el("line", { x1: 28, x2: 30 + items.length * colW, y1: 8 + h, y2: 8 + h, stroke: "#757575" }));
  svg.append(el("text", { x: 24, y: 16, "text-anchor": "end", class: "num" }, String(max)));
  svg.append(el("text", { x: 30, y: h + 22, class: "num" }, items[0].label));
  if (items.length > 1) {
    svg.append(el("text", { x: 30 + items.length * colW, y: h + 22, "text-anchor": "end", class: "num" }, items[items.length - 1].label));
  }
  svg.append(el("rect", { x: 30, y: h + 30, width: 10, height: 10, fill: a.colour }));
  svg.append(el("text", { x: 44, y: h + 39, class: "lgd" }, a.label));
  svg.append(el("rect", { x: 130, y: h + 30, width: 10, height: 10, fill: b.colour }));
  svg.append(el("text", { x: 144, y: h + 39, class: "lgd" }, b.label));
  container.replaceChildren(svg);
}

/** The verdict of each scan, oldest first, with its number of problems as the bar height. */
export function verdictTimeline(container, { title, scans }) {
  if (!scans.length) return empty(container, "No scans recorded.");
  const h = 70;
  const step = Math.max(6, Math.min(24, Math.floor(560 / scans.length)));
  const max = Math.max(...scans.map((s) => s.problems), 1);
  const desc = scans.map((s) => `${s.label}: ${s.verdict}, ${s.problems} findings`).join("; ");
  const svg = frame(scans.length * step + 20, h + 20, title, desc);
  scans.forEach((s, i) => {
    const bh = Math.max(4, (s.problems / max) * h);
    const r = el("rect", {
      x: 10 + i * step, y: 4 + h - bh, width: step - 2, height: bh, fill: VERDICT_COLOURS[s.verdict] ?? VERDICT_COLOURS.unknown,
    });
    r.append(el("title", {}, `${s.label}: ${s.verdict}, ${s.problems} findings`));
    svg.append(r);
  });
  svg.append(el("line", { x1: 8, x2: 10 + scans.length * step, y1: h + 4, y2: h + 4, stroke: "#757575" }));
  container.replaceChildren(svg);
}
