// Line chart as SVG for short yearly series (e.g. payments per patient), one line per series.
import { escapeXml, linear, niceTicks, px, svgOpen } from './svg.js';

export interface Series {
  name: string;
  kind: 'practice' | 'group' | 'england';
  values: (number | null)[];
}

/** Axis ticks from 0 up, or, when some values are negative, on both sides of 0 with one step. */
function ticksFor(values: readonly number[]): number[] {
  const lo = Math.min(0, ...values);
  if (lo >= 0) return niceTicks(Math.max(1, ...values), 4);
  const hi = Math.max(0, ...values);
  const base = niceTicks(hi - lo, 4);
  const step = base[1]! - base[0]!;
  const ticks: number[] = [];
  for (
    let v = Math.floor(lo / step) * step;
    v <= Math.ceil(hi / step) * step + step * 1e-9;
    v += step
  )
    ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

const width = 640;
const height = 260;
const margin = { left: 64, right: 16, top: 16, bottom: 56 };

export function lineChartSvg(
  categories: readonly string[],
  series: readonly Series[],
  options: { id: string; title: string; description: string; format: (v: number) => string },
): string {
  const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const ticks = ticksFor(all);
  const y = linear([ticks[0]!, ticks[ticks.length - 1]!], [height - margin.bottom, margin.top]);
  const x = linear(
    [0, Math.max(1, categories.length - 1)],
    [margin.left + 20, width - margin.right - 20],
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
  for (const t of ticks) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(t))}" y2="${px(y(t))}" class="app-chart__grid"/>`,
    );
    parts.push(
      `<text x="${margin.left - 6}" y="${px(y(t) + 4)}" text-anchor="end" class="app-chart__tick">${escapeXml(options.format(t))}</text>`,
    );
  }
  categories.forEach((c, i) => {
    parts.push(
      `<text x="${px(x(i))}" y="${height - margin.bottom + 16}" text-anchor="middle" class="app-chart__tick">${escapeXml(c)}</text>`,
    );
  });
  for (const s of series) {
    const points = s.values
      .map((v, i) => (v === null ? null : `${px(x(i))},${px(y(v))}`))
      .filter((p): p is string => p !== null);
    if (points.length > 1)
      parts.push(
        `<polyline points="${points.join(' ')}" class="app-chart__series app-chart__series--${s.kind}"/>`,
      );
    s.values.forEach((v, i) => {
      if (v !== null)
        parts.push(
          `<circle cx="${px(x(i))}" cy="${px(y(v))}" r="3.5" class="app-chart__point app-chart__point--${s.kind}"/>`,
        );
    });
  }
  const ly = height - 12;
  series.forEach((s, i) => {
    const lx = margin.left + i * 180;
    parts.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" class="app-chart__series app-chart__series--${s.kind}"/>`,
    );
    parts.push(
      `<text x="${lx + 30}" y="${ly}" class="app-chart__tick">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
