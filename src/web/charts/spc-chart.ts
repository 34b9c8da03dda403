// Statistical process control (XmR) chart as SVG, coloured as NHS "Making Data Count" charts are.
import { escapeXml, linear, px, svgOpen } from './svg.js';

export interface SpcChartPoint {
  label: string;
  value: number;
  mean: number;
  lpl: number;
  upl: number;
  /** common_cause, special_cause_improvement, special_cause_concern, special_cause_neutral_… */
  pointType: string;
  specialCauseType: string;
}

const width = 720;
const height = 300;
const margin = { left: 72, right: 16, top: 16, bottom: 48 };

function ticksBetween(min: number, max: number, count = 5): number[] {
  const span = max - min || Math.abs(max) || 1;
  const rough = span / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step - 1e-9);
  for (let i = first; i <= last; i++) ticks.push(Math.round(i * step * 1e6) / 1e6);
  return ticks;
}

const pointClass = (type: string) =>
  type.startsWith('special_cause_improvement')
    ? 'improvement'
    : type.startsWith('special_cause_concern')
      ? 'concern'
      : type.startsWith('special_cause_neutral')
        ? 'neutral'
        : 'common';

export function spcChartSvg(
  points: readonly SpcChartPoint[],
  options: {
    id: string;
    title: string;
    description: string;
    format: (v: number) => string;
    target?: number | null;
    /** Label every nth point on the x axis. */
    labelEvery?: number;
  },
): string {
  const values = points.flatMap((p) => [p.value, p.lpl, p.upl]);
  if (options.target !== undefined && options.target !== null) values.push(options.target);
  const ticks = ticksBetween(Math.min(...values), Math.max(...values));
  const y = linear([ticks[0]!, ticks.at(-1)!], [height - margin.bottom, margin.top]);
  const x = linear(
    [0, Math.max(1, points.length - 1)],
    [margin.left + 8, width - margin.right - 8],
  );
  const every = options.labelEvery ?? Math.max(1, Math.ceil(points.length / 8));
  const parts = [
    ...svgOpen({
      id: options.id,
      title: options.title,
      description: options.description,
      width,
      height,
      className: 'app-chart app-spc',
    }),
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(t))}" y2="${px(y(t))}" class="app-chart__grid"/>`,
      `<text x="${margin.left - 6}" y="${px(y(t) + 4)}" text-anchor="end" class="app-chart__tick">${escapeXml(options.format(t))}</text>`,
    );
  }
  points.forEach((p, i) => {
    if (i % every === 0) {
      parts.push(
        `<text x="${px(x(i))}" y="${height - margin.bottom + 16}" text-anchor="middle" class="app-chart__tick">${escapeXml(p.label)}</text>`,
      );
    }
  });
  // Limits and mean drawn as steps, so a rebased segment shows its own lines.
  const step = (pick: (p: SpcChartPoint) => number) => {
    const coordinates: string[] = [];
    points.forEach((p, i) => {
      const left = i === 0 ? x(0) : (x(i - 1) + x(i)) / 2;
      const right = i === points.length - 1 ? x(i) : (x(i) + x(i + 1)) / 2;
      coordinates.push(`${px(left)},${px(y(pick(p)))}`, `${px(right)},${px(y(pick(p)))}`);
    });
    return coordinates.join(' ');
  };
  parts.push(
    `<polyline points="${step((p) => p.upl)}" class="app-spc__limit"/>`,
    `<polyline points="${step((p) => p.lpl)}" class="app-spc__limit"/>`,
    `<polyline points="${step((p) => p.mean)}" class="app-spc__mean"/>`,
  );
  if (options.target !== undefined && options.target !== null) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(options.target))}" y2="${px(y(options.target))}" class="app-spc__target"/>`,
    );
  }
  parts.push(
    `<polyline points="${points.map((p, i) => `${px(x(i))},${px(y(p.value))}`).join(' ')}" class="app-spc__line"/>`,
  );
  points.forEach((p, i) => {
    const label = `${p.label}: ${options.format(p.value)}${p.specialCauseType === 'Common Cause' ? '' : ` (${p.specialCauseType})`}`;
    parts.push(
      `<circle cx="${px(x(i))}" cy="${px(y(p.value))}" r="3.5" class="app-spc__point app-spc__point--${pointClass(p.pointType)}"><title>${escapeXml(label)}</title></circle>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
