// Spread of a budget's outturn against population size: a 5th–95th percentile bar per size, log scale.
import { escapeXml, linear, px, svgOpen } from './svg.js';

export interface SpreadPoint {
  people: number;
  p5: number;
  p50: number;
  p95: number;
  highlight?: boolean;
  label: string;
}

const width = 720;
const height = 320;
const margin = { left: 64, right: 16, top: 16, bottom: 72 };

export function spreadChartSvg(
  points: readonly SpreadPoint[],
  options: {
    id: string;
    title: string;
    description: string;
    marker?: { people: number; text: string };
  },
): string {
  const extent = Math.max(1, ...points.flatMap((p) => [Math.abs(p.p5), Math.abs(p.p95)]));
  const top = Math.ceil(extent / 5) * 5;
  const y = linear([-top, top], [height - margin.bottom, margin.top]);
  const logs = points.map((p) => Math.log10(p.people));
  const x = linear(
    [Math.min(...logs) - 0.15, Math.max(...logs) + 0.15],
    [margin.left, width - margin.right],
  );
  const parts = [
    ...svgOpen({
      id: options.id,
      title: options.title,
      description: options.description,
      width,
      height,
    }),
  ];
  for (let t = -top; t <= top; t += top / 4) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(t))}" y2="${px(y(t))}" class="app-chart__grid"/>`,
      `<text x="${margin.left - 6}" y="${px(y(t) + 4)}" text-anchor="end" class="app-chart__tick">${t > 0 ? '+' : ''}${escapeXml(t.toFixed(0))}%</text>`,
    );
  }
  if (options.marker) {
    const mx = px(x(Math.log10(options.marker.people)));
    parts.push(
      `<line x1="${mx}" x2="${mx}" y1="${margin.top}" y2="${height - margin.bottom}" class="app-chart__decile"/>`,
      `<text x="${mx}" y="${margin.top + 12}" dx="4" class="app-chart__tick">${escapeXml(options.marker.text)}</text>`,
    );
  }
  for (const p of points) {
    const cx = px(x(Math.log10(p.people)));
    const cls = p.highlight ? 'app-chart__series--highlight' : 'app-chart__series--group';
    parts.push(
      `<line x1="${cx}" x2="${cx}" y1="${px(y(p.p5))}" y2="${px(y(p.p95))}" class="app-chart__series ${cls}"/>`,
      `<circle cx="${cx}" cy="${px(y(p.p50))}" r="3.5" class="app-chart__point--group"/>`,
      p.highlight
        ? `<text x="${cx}" y="${px(y(p.p95) - 8)}" text-anchor="middle" class="app-chart__label">${escapeXml(p.label)}</text>`
        : `<text x="${cx}" y="${height - margin.bottom + 16}" text-anchor="middle" class="app-chart__tick">${escapeXml(p.label)}</text>`,
    );
  }
  parts.push(
    `<text x="${(margin.left + width) / 2}" y="${height - 20}" text-anchor="middle" class="app-chart__tick">Registered population (log scale); bars: 5th to 95th percentile of spend against budget</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
