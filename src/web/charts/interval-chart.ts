// Dot-and-whisker chart as SVG: one row per item, its value with a confidence interval, and comparators.
import { escapeXml, linear, niceTicks, px, svgOpen } from './svg.js';

export interface IntervalRow {
  label: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  comparators: { value: number | null; kind: 'group' | 'england' }[];
}

const width = 640;
const labelWidth = 240;
const rowHeight = 22;
const top = 12;

export function intervalChartSvg(
  rows: readonly IntervalRow[],
  options: { id: string; title: string; description: string; unit: string },
): string {
  const values = rows
    .flatMap((r) => [r.upper, r.value, ...r.comparators.map((c) => c.value)])
    .filter((v): v is number => v !== null);
  const ticks = niceTicks(Math.max(1, ...values), 4);
  const x = linear([0, ticks[ticks.length - 1]!], [labelWidth, width - 16]);
  const height = top + rows.length * rowHeight + 40;
  const parts = [
    ...svgOpen({
      id: options.id,
      title: options.title,
      description: options.description,
      width,
      height,
    }),
  ];
  const bottom = top + rows.length * rowHeight;
  for (const t of ticks) {
    parts.push(
      `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${top}" y2="${bottom}" class="app-chart__grid"/>`,
    );
    parts.push(
      `<text x="${px(x(t))}" y="${bottom + 14}" text-anchor="middle" class="app-chart__tick">${t}${escapeXml(options.unit)}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const cy = top + i * rowHeight + rowHeight / 2;
    parts.push(
      `<text x="${labelWidth - 8}" y="${px(cy + 4)}" text-anchor="end" class="app-chart__label">${escapeXml(r.label)}</text>`,
    );
    for (const c of r.comparators) {
      if (c.value === null) continue;
      const cls =
        c.kind === 'group'
          ? 'app-chart__marker app-chart__marker--group'
          : 'app-chart__marker app-chart__marker--england';
      parts.push(
        `<line x1="${px(x(c.value))}" x2="${px(x(c.value))}" y1="${px(cy - 8)}" y2="${px(cy + 8)}" class="${cls}"/>`,
      );
    }
    if (r.lower !== null && r.upper !== null) {
      parts.push(
        `<line x1="${px(x(r.lower))}" x2="${px(x(r.upper))}" y1="${px(cy)}" y2="${px(cy)}" class="app-chart__whisker"/>`,
      );
    }
    if (r.value !== null)
      parts.push(`<circle cx="${px(x(r.value))}" cy="${px(cy)}" r="4" class="app-chart__dot"/>`);
  });
  const ly = height - 8;
  parts.push(
    `<circle cx="6" cy="${ly - 4}" r="4" class="app-chart__dot"/><line x1="0" x2="12" y1="${ly - 4}" y2="${ly - 4}" class="app-chart__whisker"/>`,
    `<text x="18" y="${ly}" class="app-chart__tick">Practice with 95% confidence interval</text>`,
    `<line x1="290" x2="290" y1="${ly - 12}" y2="${ly + 2}" class="app-chart__marker app-chart__marker--group"/><text x="298" y="${ly}" class="app-chart__tick">Group</text>`,
    `<line x1="370" x2="370" y1="${ly - 12}" y2="${ly + 2}" class="app-chart__marker app-chart__marker--england"/><text x="378" y="${ly}" class="app-chart__tick">England</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
