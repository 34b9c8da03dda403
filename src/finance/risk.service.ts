// The group's financial risk: its practices, PCNs and the whole group, and populations of other sizes.
import { listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { latestListSizes } from '../population/population.repository.js';
import {
  comparisonSizes,
  defaultAssumptions,
  simulateRisk,
  type RiskAssumptions,
  type RiskUnit,
} from './risk.js';

export const DEFAULT_RISK_SEED = 20110501;

/** The inputs a person can change, with their limits. */
const fields: {
  key: keyof RiskAssumptions | 'years' | 'seed';
  label: string;
  min: number;
  max: number;
  optional?: boolean;
}[] = [
  { key: 'years', label: 'Years simulated', min: 100, max: 100_000 },
  { key: 'seed', label: 'Random seed', min: 0, max: 2 ** 31 },
  { key: 'ordinaryMean', label: 'Mean cost of an ordinary patient (£)', min: 1, max: 100_000 },
  {
    key: 'ordinaryCv',
    label: 'Variation of an ordinary patient’s cost (sd ÷ mean)',
    min: 0,
    max: 20,
  },
  { key: 'highCostPer1000', label: 'High-cost patients per 1,000', min: 0, max: 100 },
  { key: 'highCostMean', label: 'Mean cost of a high-cost patient (£)', min: 1, max: 10_000_000 },
  {
    key: 'highCostCv',
    label: 'Variation of a high-cost patient’s cost (sd ÷ mean)',
    min: 0,
    max: 10,
  },
  {
    key: 'stopLoss',
    label: 'Stop-loss threshold per patient (£, empty for none)',
    min: 1000,
    max: 10_000_000,
    optional: true,
  },
];
export const riskFields = fields;

export function parseRiskQuery(q: Record<string, string | undefined>) {
  const problems: FieldProblem[] = [];
  const values: Record<string, number | null> = {
    ...defaultAssumptions,
    years: 10_000,
    seed: DEFAULT_RISK_SEED,
  };
  for (const f of fields) {
    const text = (q[f.key] ?? '').replaceAll(',', '').replace(/^£/, '').trim();
    if (text === '') {
      if (f.optional) values[f.key] = null;
      continue;
    }
    const n = Number(text);
    if (!/^-?\d+(\.\d+)?$/.test(text) || !Number.isFinite(n))
      problems.push({ field: f.key, message: `${f.label} must be a number` });
    else if (n < f.min || n > f.max)
      problems.push({
        field: f.key,
        message: `${f.label} must be between ${f.min.toLocaleString('en-GB')} and ${f.max.toLocaleString('en-GB')}`,
      });
    else values[f.key] = f.key === 'years' || f.key === 'seed' ? Math.round(n) : n;
  }
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  const { years, seed, ...assumptions } = values;
  return { years: years!, seed: seed!, assumptions: assumptions as unknown as RiskAssumptions };
}

/** Simulates the group's practices (alone and pooled by PCN), its PCNs, the group and other sizes. */
export async function groupRisk(db: Db, group: Group, q: Record<string, string | undefined>) {
  const { years, seed, assumptions } = parseRiskQuery(q);
  const members = await listMembers(db, group.id, group.as_at);
  const sizes = new Map(
    (
      await latestListSizes(
        db,
        members.map((m) => m.id),
      )
    ).map((l) => [l.practice_id, l.patients]),
  );
  const practices = members
    .filter((m) => (sizes.get(m.id) ?? 0) > 0)
    .map((m): RiskUnit => ({
      key: m.code,
      label: m.name,
      kind: 'practice',
      people: sizes.get(m.id)!,
      pool: m.pcn_code ? `pcn:${m.pcn_code}` : undefined,
    }));
  const pcnUnits = new Map<string, RiskUnit>();
  for (const m of members) {
    if (!m.pcn_code || !(sizes.get(m.id) ?? 0)) continue;
    const key = `pcn:${m.pcn_code}`;
    const u = pcnUnits.get(key) ?? {
      key,
      label: m.pcn_name ?? m.pcn_code,
      kind: 'pcn' as const,
      people: 0,
    };
    u.people += sizes.get(m.id)!;
    pcnUnits.set(key, u);
  }
  const groupUnit: RiskUnit = {
    key: 'group',
    label: group.name,
    kind: 'group',
    people: practices.reduce((s, p) => s + p.people, 0),
  };
  const sizeUnits = comparisonSizes.map((n): RiskUnit => ({
    key: `size:${n}`,
    label: n >= 1e6 ? `${n / 1e6}m` : `${n / 1000}k`,
    kind: 'size',
    people: n,
  }));
  const started = performance.now();
  const results = simulateRisk(
    [...practices, ...pcnUnits.values(), groupUnit, ...sizeUnits],
    assumptions,
    years,
    seed,
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    years,
    seed,
    assumptions,
    seconds,
    group: results.find((r) => r.kind === 'group')!,
    pcns: results.filter((r) => r.kind === 'pcn'),
    practices: results.filter((r) => r.kind === 'practice').sort((a, b) => b.over5 - a.over5),
    sizes: results.filter((r) => r.kind === 'size'),
  };
}
