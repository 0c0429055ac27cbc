import { el } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLORS = { success: '#2e9d57', not_interested: '#d0453b', no_answer: '#9aa3b2', no_further_action: '#6b7385', open: '#2454d6', other: '#e09a1a' };

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** Bars of dialogues opened per UTC hour, each split by outcome (the rest still without one). */
export function chart(box, stats) {
  const hours = stats.hours;
  const max = Math.max(1, ...hours.map(h => h.opened));
  const width = 720;
  const height = 200;
  const pad = 28;
  const step = (width - pad) / hours.length;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height + 24}`, role: 'img',
    'aria-label': `${stats.opened} dialogues opened in the last ${hours.length} hours` });
  root.append(svg('line', { x1: pad, y1: height, x2: width, y2: height, stroke: '#aab2c0' }));
  const label = svg('text', { x: 0, y: 12, 'font-size': 11, fill: '#5b6475' });
  label.textContent = String(max);
  root.append(label);
  const seen = new Set();
  hours.forEach((h, i) => {
    const x = pad + i * step + 2;
    let y = height;
    const parts = Object.entries(h.outcomes || {});
    const withOutcome = parts.reduce((s, [, n]) => s + n, 0);
    for (const [name, n] of [...parts, ['open', h.opened - withOutcome]]) {
      if (n <= 0) continue;
      const key = COLORS[name] ? name : 'other';
      seen.add(key);
      const barHeight = (height - 16) * n / max;
      y -= barHeight;
      const rect = svg('rect', { x, y, width: Math.max(2, step - 4), height: barHeight, fill: COLORS[key] });
      const title = svg('title', {});
      title.textContent = `${h.hour.slice(11, 13)}:00 UTC: ${n} ${name === 'open' ? 'without outcome yet' : name}`;
      rect.append(title);
      root.append(rect);
    }
    if (i % 3 === 0) {
      const t = svg('text', { x, y: height + 16, 'font-size': 11, fill: '#5b6475' });
      t.textContent = h.hour.slice(11, 13);
      root.append(t);
    }
  });
  const legend = el('div', { class: 'legend' }, [...seen].map(k => {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = COLORS[k];
    return el('span', {}, swatch, k === 'open' ? 'no outcome yet' : k.replace(/_/g, ' '));
  }));
  box.replaceChildren(el('p', { class: 'muted', text: `${stats.opened} dialogues opened since ${new Date(stats.from).toLocaleString()}.` }),
    root, legend);
}
