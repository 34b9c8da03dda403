// Funnel plot as SVG: each area a point (hover or tab to read it), 95% and 99.8% limits, the average.
import { escapeXml, linear, niceTicks, px, svgOpen } from './svg.js';

export interface FunnelPoint {
  label: string;
  /** Short text drawn beside the point when it is labelled or highlighted. */
  shortLabel: string;
  x: number;
  y: number;
  /** high-99.8, high-95, low-95, low-99.8 or none. */
  signal: 'high-99.8' | 'high-95' | 'none' | 'low-95' | 'low-99.8';
  highlight?: boolean;
  /** Draw the short label beside the point (the highlighted point always has one). */
  labelled?: boolean;
  /** What hover or focus shows. */
  details: string;
}

export interface FunnelCurve {
  name: 'lower2s' | 'upper2s' | 'lower3s' | 'upper3s';
  points: { x: number; y: number }[];
}

const width = 720;
const height = 400;
const margin = { left: 72, right: 24, top: 16, bottom: 56 };

export function funnelChartSvg(
  points: readonly FunnelPoint[],
  curves: readonly FunnelCurve[],
  baseline: number,
  options: {
    id: string;
    title: string;
    description: string;
    xLabel: string;
    yLabel: string;
    formatX: (v: number) => string;
    formatY: (v: number) => string;
  },
): string {
  const xMax = Math.max(...points.map((p) => p.x)) * 1.05;
  const yValues = [...points.map((p) => p.y), baseline];
  const yTop = Math.max(...yValues) * 1.1;
  const yBottom = Math.max(0, Math.min(...yValues) * 0.9);
  const xTicks = niceTicks(xMax, 5);
  const yTicks = niceTicks(yTop, 5).filter((t) => t >= yBottom - 1e-9);
  const yFloor = Math.min(yBottom, yTicks[0] ?? 0);
  const x = linear([0, xTicks.at(-1)!], [margin.left, width - margin.right]);
  const y = linear([yFloor, Math.max(yTop, yTicks.at(-1)!)], [height - margin.bottom, margin.top]);
  const inside = (p: { x: number; y: number }) =>
    p.x >= 0 && p.x <= xTicks.at(-1)! && p.y >= yFloor && p.y <= Math.max(yTop, yTicks.at(-1)!);
  const parts = [
    ...svgOpen({
      id: options.id,
      title: options.title,
      description: options.description,
      width,
      height,
      className: 'app-chart app-funnel',
      role: 'group',
    }),
  ];
  for (const t of yTicks) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(t))}" y2="${px(y(t))}" class="app-chart__grid"/>`,
      `<text x="${margin.left - 6}" y="${px(y(t) + 4)}" text-anchor="end" class="app-chart__tick">${escapeXml(options.formatY(t))}</text>`,
    );
  }
  for (const t of xTicks) {
    parts.push(
      `<text x="${px(x(t))}" y="${height - margin.bottom + 16}" text-anchor="middle" class="app-chart__tick">${escapeXml(options.formatX(t))}</text>`,
    );
  }
  parts.push(
    `<text x="${px((margin.left + width - margin.right) / 2)}" y="${height - 12}" text-anchor="middle" class="app-chart__label">${escapeXml(options.xLabel)}</text>`,
    `<text x="14" y="${px((margin.top + height - margin.bottom) / 2)}" text-anchor="middle" transform="rotate(-90 14 ${px((margin.top + height - margin.bottom) / 2)})" class="app-chart__label">${escapeXml(options.yLabel)}</text>`,
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(baseline))}" y2="${px(y(baseline))}" class="app-funnel__baseline"/>`,
  );
  for (const curve of curves) {
    const visible = curve.points.filter(inside).sort((a, b) => a.x - b.x);
    if (visible.length > 1) {
      parts.push(
        `<polyline points="${visible.map((p) => `${px(x(p.x))},${px(y(p.y))}`).join(' ')}" class="app-funnel__limit app-funnel__limit--${curve.name.endsWith('3s') ? 'outer' : 'inner'}"/>`,
      );
    }
  }
  // Highlighted points last, so they sit on top.
  const ordered = [...points].sort(
    (a, b) => Number(a.highlight ?? false) - Number(b.highlight ?? false),
  );
  for (const p of ordered) {
    const cx = px(x(p.x));
    const cy = px(y(p.y));
    const classes = `app-funnel__point app-funnel__point--${p.signal}${p.highlight ? ' app-funnel__point--highlight' : ''}`;
    const showLabel = p.highlight || p.labelled;
    const tipX = Math.min(Number(cx) + 8, width - 260);
    const tipY = Math.max(Number(cy) - 34, margin.top);
    parts.push(
      `<g class="app-funnel__item" tabindex="0" role="img" aria-label="${escapeXml(p.details)}">`,
      `<circle cx="${cx}" cy="${cy}" r="${p.highlight ? 6 : 4}" class="${classes}"/>`,
      showLabel
        ? `<text x="${px(Number(cx) + 8)}" y="${px(Number(cy) + 4)}" class="app-funnel__label">${escapeXml(p.shortLabel)}</text>`
        : '',
      `<g class="app-funnel__tip"><rect x="${px(tipX)}" y="${px(tipY)}" width="252" height="26" rx="3"/><text x="${px(tipX + 6)}" y="${px(tipY + 17)}">${escapeXml(p.details.length > 44 ? `${p.details.slice(0, 43)}…` : p.details)}</text></g>`,
      `</g>`,
    );
  }
  parts.push('</svg>');
  return parts.filter(Boolean).join('\n');
}
