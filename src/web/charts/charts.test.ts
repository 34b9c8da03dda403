// Golden-file tests for the server-rendered charts: a changed drawing must be a deliberate change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../app/config.js';
import { intervalChartSvg } from './interval-chart.js';
import { lineChartSvg } from './line-chart.js';
import { pyramidSvg } from './pyramid.js';

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
});
