// OpenPrescribing-style charts: England's deciles by month as dashed lines with one organisation's line over them, and small multiples of it.
import { escapeXml, linear, niceTicks, px, svgOpen } from './svg.js';

export interface DecileMonth {
  month: string;
  /** p10 … p90; null where nobody had a value. */
  deciles: (number | null)[];
}

export interface DecileSeries {
  name: string;
  kind: 'group' | 'practice' | 'highlight';
  values: (number | null)[];
}

const width = 720;
const height = 320;
const margin = { left: 64, right: 16, top: 16, bottom: 84 };

/** Which month labels fit under an axis: every n-th, counted back from the last so that it is always shown. */
export function monthLabelIndexes(count: number, axisWidth: number, labelWidth = 50): number[] {
  if (count === 0) return [];
  const perMonth = count > 1 ? axisWidth / (count - 1) : axisWidth;
  const every = Math.max(1, Math.ceil(labelWidth / perMonth));
  const shown: number[] = [];
  for (let i = count - 1; i >= 0; i -= every) shown.unshift(i);
  return shown;
}

function yMax(months: readonly DecileMonth[], series: readonly DecileSeries[]) {
  const all = [...months.flatMap((m) => m.deciles), ...series.flatMap((s) => s.values)].filter(
    (v): v is number => v !== null && Number.isFinite(v),
  );
  return Math.max(1e-9, ...all);
}

function polyline(
  values: readonly (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
  className: string,
  radius = 3,
): string[] {
  const points = values
    .map((v, i) => (v === null ? null : `${px(x(i))},${px(y(v))}`))
    .filter((p): p is string => p !== null);
  if (points.length > 1) return [`<polyline points="${points.join(' ')}" class="${className}"/>`];
  if (points.length === 1) {
    const [cx, cy] = points[0]!.split(',');
    return [`<circle cx="${cx}" cy="${cy}" r="${radius}" class="${className}"/>`];
  }
  return [];
}

/**
 * The deciles (10th–90th, the median thicker) of the organisations compared, with one or more
 * named lines over them: a group, or a practice.
 */
export function decileChartSvg(
  months: readonly DecileMonth[],
  series: readonly DecileSeries[],
  options: {
    id: string;
    title: string;
    description: string;
    format: (v: number) => string;
    /** What the deciles are of, for the legend: "Practices in England". */
    decileLabel?: string;
  },
): string {
  const ticks = niceTicks(yMax(months, series), 4);
  const y = linear([0, ticks.at(-1)!], [height - margin.bottom, margin.top]);
  const left = margin.left + 16;
  const right = width - margin.right - 16;
  const x = linear([0, Math.max(1, months.length - 1)], [left, right]);
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
      `<text x="${margin.left - 6}" y="${px(y(t) + 4)}" text-anchor="end" class="app-chart__tick">${escapeXml(options.format(t))}</text>`,
    );
  }
  for (const i of monthLabelIndexes(months.length, right - left))
    parts.push(
      `<text x="${px(x(i))}" y="${height - margin.bottom + 16}" text-anchor="middle" class="app-chart__tick">${escapeXml(months[i]!.month)}</text>`,
    );
  for (let d = 0; d < 9; d++)
    parts.push(
      ...polyline(
        months.map((m) => m.deciles[d] ?? null),
        x,
        y,
        `app-chart__decile${d === 4 ? ' app-chart__decile--median' : ''}`,
      ),
    );
  for (const s of series.filter((s) => s.kind === 'practice'))
    parts.push(...polyline(s.values, x, y, 'app-chart__series app-chart__series--peer'));
  for (const s of series.filter((s) => s.kind !== 'practice'))
    parts.push(...polyline(s.values, x, y, `app-chart__series app-chart__series--${s.kind}`));
  const of = options.decileLabel ?? 'England';
  const legend: [string, string][] = [
    ['app-chart__decile', `${of}: deciles (10th–90th percentile)`],
    ['app-chart__decile app-chart__decile--median', `${of}: median`],
    ...series
      .filter((s) => s.kind !== 'practice')
      .map((s): [string, string] => [`app-chart__series app-chart__series--${s.kind}`, s.name]),
    ...(series.some((s) => s.kind === 'practice')
      ? [['app-chart__series app-chart__series--peer', 'Each practice'] as [string, string]]
      : []),
  ];
  // Legend: items laid out left to right by the length of their text, wrapping to a second row.
  let lx = margin.left;
  let ly = height - 34;
  for (const [className, text] of legend) {
    const w = 30 + text.length * 6.2 + 18;
    if (lx + w > width - margin.right) {
      lx = margin.left;
      ly += 18;
    }
    parts.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" class="${className}"/>`,
      `<text x="${lx + 30}" y="${ly}" class="app-chart__tick">${escapeXml(text)}</text>`,
    );
    lx += w;
  }
  parts.push('</svg>');
  return parts.join('\n');
}

const small = { width: 220, height: 104, left: 36, right: 8, top: 8, bottom: 20 };

/**
 * One small chart of a practice on a measure: the band between England's 10th and 90th percentile,
 * the median, and the practice's line, on a scale shared by every chart of the set (`max`).
 */
export function decileSmallMultipleSvg(
  months: readonly DecileMonth[],
  values: readonly (number | null)[],
  options: { id: string; title: string; label: string; max: number; format: (v: number) => string },
): string {
  const ticks = niceTicks(Math.max(1e-9, options.max), 2);
  const y = linear([0, ticks.at(-1)!], [small.height - small.bottom, small.top]);
  const x = linear(
    [0, Math.max(1, months.length - 1)],
    [small.left + 4, small.width - small.right - 4],
  );
  const parts = [
    ...svgOpen({
      id: options.id,
      title: options.title,
      description: `${options.label}: ${values.filter((v) => v !== null).length} months with a value, against England's 10th–90th percentile band and median.`,
      width: small.width,
      height: small.height,
      className: 'app-chart app-chart--small',
    }),
  ];
  for (const t of ticks)
    parts.push(
      `<line x1="${small.left}" x2="${small.width - small.right}" y1="${px(y(t))}" y2="${px(y(t))}" class="app-chart__grid"/>`,
      `<text x="${small.left - 4}" y="${px(y(t) + 3)}" text-anchor="end" class="app-chart__tick">${escapeXml(options.format(t))}</text>`,
    );
  // The band: the 90th percentile forwards, then the 10th back, where both are known.
  const band = months
    .map((m, i) => ({ i, lo: m.deciles[0] ?? null, hi: m.deciles[8] ?? null }))
    .filter((b): b is { i: number; lo: number; hi: number } => b.lo !== null && b.hi !== null);
  if (band.length > 1)
    parts.push(
      `<polygon points="${[
        ...band.map((b) => `${px(x(b.i))},${px(y(b.hi))}`),
        ...band.reverse().map((b) => `${px(x(b.i))},${px(y(b.lo))}`),
      ].join(' ')}" class="app-chart__band"/>`,
    );
  parts.push(
    ...polyline(
      months.map((m) => m.deciles[4] ?? null),
      x,
      y,
      'app-chart__decile app-chart__decile--median',
    ),
    ...polyline(values, x, y, 'app-chart__series app-chart__series--highlight', 2.5),
    '</svg>',
  );
  return parts.join('\n');
}
