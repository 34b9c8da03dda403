// OpenPrescribing-style chart: national deciles by month as dashed lines, with the group's and practices' lines over them.
import { escapeXml, linear, niceTicks, px, svgOpen } from './svg.js';

export interface DecileMonth {
  month: string;
  /** p10 … p90; null where no practice had a value. */
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

export function decileChartSvg(
  months: readonly DecileMonth[],
  series: readonly DecileSeries[],
  options: { id: string; title: string; description: string; format: (v: number) => string },
): string {
  const all = [...months.flatMap((m) => m.deciles), ...series.flatMap((s) => s.values)].filter(
    (v): v is number => v !== null && Number.isFinite(v),
  );
  const ticks = niceTicks(Math.max(1e-9, ...all), 4);
  const y = linear([0, ticks.at(-1)!], [height - margin.bottom, margin.top]);
  const x = linear(
    [0, Math.max(1, months.length - 1)],
    [margin.left + 16, width - margin.right - 16],
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
      `<text x="${margin.left - 6}" y="${px(y(t) + 4)}" text-anchor="end" class="app-chart__tick">${escapeXml(options.format(t))}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(months.length / 8));
  months.forEach((m, i) => {
    if (i % every === 0 || i === months.length - 1)
      parts.push(
        `<text x="${px(x(i))}" y="${height - margin.bottom + 16}" text-anchor="middle" class="app-chart__tick">${escapeXml(m.month)}</text>`,
      );
  });
  const line = (values: readonly (number | null)[], className: string) => {
    const points = values
      .map((v, i) => (v === null ? null : `${px(x(i))},${px(y(v))}`))
      .filter((p): p is string => p !== null);
    if (points.length > 1)
      parts.push(`<polyline points="${points.join(' ')}" class="${className}"/>`);
    if (points.length === 1) {
      const [cx, cy] = points[0]!.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" class="${className}"/>`);
    }
  };
  for (let d = 0; d < 9; d++)
    line(
      months.map((m) => m.deciles[d] ?? null),
      `app-chart__decile${d === 4 ? ' app-chart__decile--median' : ''}`,
    );
  for (const s of series.filter((s) => s.kind === 'practice'))
    line(s.values, 'app-chart__series app-chart__series--peer');
  for (const s of series.filter((s) => s.kind !== 'practice'))
    line(s.values, `app-chart__series app-chart__series--${s.kind}`);
  const legend: [string, string][] = [
    ['app-chart__decile', 'National deciles (10th–90th)'],
    ['app-chart__decile app-chart__decile--median', 'National median'],
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
