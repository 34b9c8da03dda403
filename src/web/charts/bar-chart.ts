// Paired horizontal bars: for each row (a rule, a practice, the group) two amounts side by side, e.g.
// what a rule asks against what the plan has, or a fair share against actual spend.
import { escapeXml, linear, niceTicks, px, svgOpen } from './svg.js';

export interface BarRow {
  label: string;
  /** The first and second amount; null is drawn as no bar. */
  values: [number | null, number | null];
}

const width = 720;
const rowHeight = 34;
const margin = { left: 220, right: 24, top: 12, bottom: 56 };

export function pairedBarChartSvg(
  rows: readonly BarRow[],
  options: {
    id: string;
    title: string;
    description: string;
    /** Names of the two amounts, for the legend. */
    names: [string, string];
    format: (v: number) => string;
  },
): string {
  const height = margin.top + margin.bottom + rows.length * rowHeight;
  const all = rows.flatMap((r) => r.values).filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.max(1, ...all.map((v) => Math.max(0, v))), 4);
  const x = linear([0, ticks[ticks.length - 1]!], [margin.left, width - margin.right]);
  const parts = [
    ...svgOpen({
      id: options.id,
      title: options.title,
      description: options.description,
      width,
      height,
    }),
  ];
  const bottom = height - margin.bottom;
  for (const t of ticks)
    parts.push(
      `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${margin.top}" y2="${bottom}" class="app-chart__grid"/>`,
      `<text x="${px(x(t))}" y="${bottom + 16}" text-anchor="middle" class="app-chart__tick">${escapeXml(options.format(t))}</text>`,
    );
  rows.forEach((r, i) => {
    const top = margin.top + i * rowHeight;
    const label = r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label;
    parts.push(
      `<text x="${margin.left - 8}" y="${px(top + rowHeight / 2 + 4)}" text-anchor="end" class="app-chart__label">${escapeXml(label)}</text>`,
    );
    r.values.forEach((v, j) => {
      if (v === null) return;
      const w = Math.max(0, x(Math.max(0, v)) - margin.left);
      parts.push(
        `<rect x="${margin.left}" y="${px(top + 4 + j * 13)}" width="${px(w)}" height="12" class="app-chart__pair app-chart__pair--${j === 0 ? 'first' : 'second'}"/>`,
      );
    });
  });
  options.names.forEach((name, j) => {
    const lx = 16 + j * 240;
    parts.push(
      `<rect x="${lx}" y="${height - 22}" width="16" height="12" class="app-chart__pair app-chart__pair--${j === 0 ? 'first' : 'second'}"/>`,
      `<text x="${lx + 22}" y="${height - 12}" class="app-chart__tick">${escapeXml(name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
