// Golden-file tests for the server-rendered charts: a changed drawing must be a deliberate change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../app/config.js';
import { ratioFunnelLimits, ratioSignificance } from '../../stats/funnel.js';
import { xmrChart } from '../../stats/spc.js';
import { chartSignal, signalOf } from '../../variation/signals.js';
import { decileChartSvg, decileSmallMultipleSvg, monthLabelIndexes } from './decile-chart.js';
import { funnelChartSvg, type FunnelCurve } from './funnel-chart.js';
import { intervalChartSvg } from './interval-chart.js';
import { lineChartSvg } from './line-chart.js';
import { pairedBarChartSvg } from './bar-chart.js';
import { pyramidSvg } from './pyramid.js';
import { spcChartSvg } from './spc-chart.js';

function golden(name: string, actual: string) {
  const file = path.join(projectRoot, 'test/golden', name);
  // Golden files are written only on request (UPDATE_GOLDEN=1), never silently in CI.
  if (process.env.UPDATE_GOLDEN === '1' && process.env.CI !== 'true') writeFileSync(file, actual);
  expect(
    existsSync(file),
    `${name} missing: run UPDATE_GOLDEN=1 npx vitest run --project unit`,
  ).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('charts', () => {
  it('labels months so that they never collide and the last month is always shown', () => {
    // 12 months on 588 px: every month fits; 40 months: every fourth, counted back from the last.
    expect(monthLabelIndexes(12, 588)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const many = monthLabelIndexes(40, 588);
    expect(many.at(-1)).toBe(39);
    for (let i = 1; i < many.length; i++)
      expect(((many[i]! - many[i - 1]!) * 588) / 39).toBeGreaterThanOrEqual(50);
  });

  it('draws a group over the deciles, and a practice as a small multiple', () => {
    const months = ['2018-04', '2018-05', '2018-06'].map((month, i) => ({
      month,
      deciles: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => d + i),
    }));
    golden(
      'deciles.svg',
      decileChartSvg(months, [{ name: 'The group', kind: 'highlight', values: [5, null, 7] }], {
        id: 'd',
        title: 'Deciles',
        description: 'D',
        format: (v) => v.toFixed(0),
        decileLabel: 'Groups in England',
      }),
    );
    golden(
      'decile-small.svg',
      decileSmallMultipleSvg(months, [2, 3, 12], {
        id: 's',
        title: 'Small',
        label: 'A practice',
        max: 12,
        format: (v) => v.toFixed(0),
      }),
    );
  });

  it('draws a population pyramid', () => {
    const bands = ['0-4', '5-9', '90+'].map((band, i) => ({
      band,
      femalePct: 3 + i,
      malePct: 2 + i,
      groupFemalePct: 2.5 + i,
      groupMalePct: 2.5 + i,
      englandFemalePct: i === 2 ? null : 3,
      englandMalePct: 3,
    }));
    const svg = pyramidSvg(bands, {
      title: 'Pyramid <test>',
      description: 'd',
      practice: 'P & Co',
      group: 'G',
      england: 'E',
    });
    expect(svg).toContain('Pyramid &lt;test&gt;');
    expect(svg).toContain('role="img"');
    golden('pyramid.svg', svg);
  });
  it('draws intervals with comparators', () => {
    const svg = intervalChartSvg(
      [
        {
          label: 'Asthma',
          value: 6.5,
          lower: 5.9,
          upper: 7.2,
          comparators: [
            { kind: 'group', value: 7.1 },
            { kind: 'england', value: 6.4 },
          ],
        },
        { label: 'No value', value: null, lower: null, upper: null, comparators: [] },
      ],
      { id: 't', title: 'T', description: 'D', unit: '%' },
    );
    golden('intervals.svg', svg);
  });
  it('draws yearly lines and skips missing years', () => {
    const svg = lineChartSvg(
      ['2018-19', '2019-20', '2020-21'],
      [
        { name: 'Practice', kind: 'practice', values: [100, null, 120] },
        { name: 'England', kind: 'england', values: [110, 115, 118] },
      ],
      { id: 'l', title: 'L', description: 'D', format: (v) => `£${v}` },
    );
    golden('lines.svg', svg);
  });
  it('draws paired bars to scale, one row each, with both names in the legend', () => {
    const svg = pairedBarChartSvg(
      [
        { label: 'Contingency', values: [50, 100] },
        { label: 'Surplus', values: [100, null] },
      ],
      {
        id: 'b',
        title: 'B',
        description: 'D',
        names: ['Rule asks', 'Plan has'],
        format: (v) => `£${v}`,
      },
    );
    const widths = [...svg.matchAll(/<rect x="220" y="[\d.]+" width="([\d.]+)" height="12"/g)].map(
      (m) => Number(m[1]),
    );
    expect(widths).toHaveLength(3);
    expect(widths[1]).toBeCloseTo(2 * widths[0]!, 0);
    expect(widths[2]).toBeCloseTo(widths[1]!, 0);
    expect(svg).toContain('Rule asks');
    expect(svg).toContain('Plan has');
  });
  it('puts zero inside the axis when a line goes below it', () => {
    const svg = lineChartSvg(
      ['Apr', 'May', 'Jun'],
      [{ name: 'Variance', kind: 'group', values: [-30, 10, 45] }],
      { id: 'v', title: 'V', description: 'D', format: (v) => `£${v}` },
    );
    const ticks = [...svg.matchAll(/class="app-chart__tick">£(-?\d+)</g)].map((m) => Number(m[1]));
    expect(Math.min(...ticks)).toBeLessThanOrEqual(-30);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(45);
    expect(ticks).toContain(0);
    // Every point is drawn inside the plot.
    for (const m of svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(16);
      expect(Number(m[1])).toBeLessThanOrEqual(260 - 56);
    }
  });
  it('draws an SPC chart with limits, special causes and a target', () => {
    const values = [91, 93, 92, 94, 90, 92, 93, 91, 95, 96, 97, 98, 99, 97, 84, 92];
    const chart = xmrChart(values, { improvementDirection: 'increase', target: 95 });
    const svg = spcChartSvg(
      chart.points.map((p, i) => ({ ...p, label: `2019-${String(i + 1).padStart(2, '0')}` })),
      { id: 's', title: 'SPC <test>', description: 'D', format: (v) => `${v}%`, target: 95 },
    );
    expect(svg).toContain('app-spc__point--improvement');
    expect(svg).toContain('app-spc__point--concern');
    golden('spc.svg', svg);
  });
  it('draws a funnel plot with its limits, a highlighted point and labelled outliers', () => {
    const practices = [
      { code: 'A', observed: 12, expected: 10 },
      { code: 'B', observed: 60, expected: 40 },
      { code: 'C', observed: 150, expected: 160 },
      { code: 'D', observed: 420, expected: 400 },
      { code: 'E', observed: 300, expected: 420 },
    ];
    const curves: FunnelCurve[] = (['lower2s', 'upper2s', 'lower3s', 'upper3s'] as const).map(
      (name) => ({
        name,
        points: [5, 20, 50, 100, 200, 400, 500].map((observed) => {
          const limits = ratioFunnelLimits(observed);
          return { x: limits.expected[name], y: limits[name] };
        }),
      }),
    );
    const svg = funnelChartSvg(
      practices.map((p) => {
        const ratio = (p.observed / p.expected) * 100;
        const signal = chartSignal(signalOf(ratioSignificance(p.observed, p.expected)));
        return {
          label: p.code,
          shortLabel: p.code,
          x: p.expected,
          y: ratio,
          signal,
          highlight: p.code === 'C',
          labelled: signal !== 'none',
          details: `${p.code}: ratio ${ratio.toFixed(0)}`,
        };
      }),
      curves,
      100,
      {
        id: 'f',
        title: 'Funnel',
        description: 'D',
        xLabel: 'Expected',
        yLabel: 'Ratio',
        formatX: String,
        formatY: String,
      },
    );
    expect(svg.match(/tabindex="0"/g)).toHaveLength(5);
    golden('funnel.svg', svg);
  });
});
