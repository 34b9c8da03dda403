// The demo group's illustrative financial plan and six months of ledger, generated from the real weighted
// populations with stated £-per-head assumptions and loaded through the same importer and services a
// finance officer uses. Labelled "illustrative" wherever it is shown.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import { systemActor } from '../platform/audit/audit.service.js';
import { systemClock } from '../platform/clock.js';
import type { Database } from '../platform/db/schema.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { runImport } from '../platform/imports/import-runner.js';
import { penceAsPounds } from '../platform/money.js';
import { sumWeightedPopulation } from '../population/population.repository.js';
import { normal, seededRandom } from '../stats/random.js';
import { divideRounded, fairShares, millionths } from './allocation.js';
import { monthsOfYear, phaseEvenly } from './budget.js';
import { registeredPopulation } from './business-rules.service.js';
import type { Programme, ReserveKind, RiskRating } from './finance.table.js';
import { ledgerImporter } from './ledger.import.js';
import { addCommitment, closePeriod, postJournal, reverseLoad } from './ledger.service.js';
import { findPlan, listCostCentres, listSchemes } from './plan.repository.js';
import {
  phaseOver,
  planSummary,
  recordDelivery,
  savePlan,
  saveScheme,
  type Editor,
} from './plan.service.js';

export const DEMO_FINANCE_YEAR = '2022/23';
export const DEMO_FINANCE_SEED = 20220401;
/** Months of actuals in the demo ledger (April to September). */
export const DEMO_LEDGER_MONTHS = 6;

/**
 * The stated assumptions: pounds per weighted head of each formula component (weighted populations
 * 2022/23), pounds per registered patient for lines the formula does not split, and reserves as a
 * percentage of the allocation. Round figures chosen to give a plausible mix, not published prices.
 */
export const demoAssumptions = {
  perWeightedHead: {
    general_and_acute: 890,
    maternity: 45,
    community_services: 190,
    mental_health: 230,
    prescribing: 165,
    primary_medical_care: 160,
  },
  perRegisteredPatient: { continuing_care: 95, other: 30, running_costs: 20.5 },
  reservesPercent: { surplus: 1, contingency: 0.5, non_recurrent: 1 },
  growthPercent: 2,
} as const;

type Source =
  | { weighted: keyof typeof demoAssumptions.perWeightedHead }
  | { registered: keyof typeof demoAssumptions.perRegisteredPatient }
  | { reserve: 'surplus' | 'contingency' | 'non_recurrent' };

/** Cost centres: which assumption funds them, their share of it (per mille), and how actuals drift. */
const lines: {
  code: string;
  name: string;
  programme: Programme;
  reserveKind?: ReserveKind;
  source: Source;
  share: number;
  drift: number;
  noise: number;
  subjectives: [string, string];
}[] = [
  {
    code: 'ACU01',
    name: 'Western Sussex Hospitals NHS FT',
    programme: 'acute',
    source: { weighted: 'general_and_acute' },
    share: 560,
    drift: 0.025,
    noise: 0.02,
    subjectives: ['51210', '51220'],
  },
  {
    code: 'ACU02',
    name: 'Brighton and Sussex University Hospitals',
    programme: 'acute',
    source: { weighted: 'general_and_acute' },
    share: 190,
    drift: 0.01,
    noise: 0.03,
    subjectives: ['51210', '51220'],
  },
  {
    code: 'ACU03',
    name: 'Queen Victoria Hospital NHS FT',
    programme: 'acute',
    source: { weighted: 'general_and_acute' },
    share: 40,
    drift: -0.01,
    noise: 0.04,
    subjectives: ['51210', '51220'],
  },
  {
    code: 'ACU04',
    name: 'Independent sector providers',
    programme: 'acute',
    source: { weighted: 'general_and_acute' },
    share: 80,
    drift: 0.06,
    noise: 0.05,
    subjectives: ['52110', '52120'],
  },
  {
    code: 'ACU05',
    name: 'Non-contracted activity',
    programme: 'acute',
    source: { weighted: 'general_and_acute' },
    share: 50,
    drift: 0.04,
    noise: 0.1,
    subjectives: ['51290', '52190'],
  },
  {
    code: 'ACU06',
    name: 'Ambulance and NHS 111',
    programme: 'acute',
    source: { weighted: 'general_and_acute' },
    share: 80,
    drift: 0.0,
    noise: 0.02,
    subjectives: ['51310', '51320'],
  },
  {
    code: 'MAT01',
    name: 'Maternity pathways',
    programme: 'acute',
    source: { weighted: 'maternity' },
    share: 1000,
    drift: -0.005,
    noise: 0.03,
    subjectives: ['51230', '51240'],
  },
  {
    code: 'COM01',
    name: 'Sussex Community NHS FT',
    programme: 'community',
    source: { weighted: 'community_services' },
    share: 850,
    drift: -0.01,
    noise: 0.015,
    subjectives: ['51410', '51420'],
  },
  {
    code: 'COM02',
    name: 'Other community services',
    programme: 'community',
    source: { weighted: 'community_services' },
    share: 150,
    drift: 0.0,
    noise: 0.05,
    subjectives: ['52410', '52420'],
  },
  {
    code: 'MH01',
    name: 'Sussex Partnership NHS FT',
    programme: 'mental_health',
    source: { weighted: 'mental_health' },
    share: 800,
    drift: 0.0,
    noise: 0.01,
    subjectives: ['51510', '51520'],
  },
  {
    code: 'MH02',
    name: 'Talking therapies and voluntary sector',
    programme: 'mental_health',
    source: { weighted: 'mental_health' },
    share: 120,
    drift: -0.02,
    noise: 0.04,
    subjectives: ['52510', '52520'],
  },
  {
    code: 'MH03',
    name: 'Out-of-area placements',
    programme: 'mental_health',
    source: { weighted: 'mental_health' },
    share: 80,
    drift: 0.2,
    noise: 0.12,
    subjectives: ['52530', '52540'],
  },
  {
    code: 'CHC01',
    name: 'Continuing healthcare (adults)',
    programme: 'continuing_care',
    source: { registered: 'continuing_care' },
    share: 850,
    drift: 0.07,
    noise: 0.04,
    subjectives: ['52610', '52620'],
  },
  {
    code: 'CHC02',
    name: 'Funded nursing care',
    programme: 'continuing_care',
    source: { registered: 'continuing_care' },
    share: 150,
    drift: 0.01,
    noise: 0.02,
    subjectives: ['52630', '52640'],
  },
  {
    code: 'PRE01',
    name: 'Primary care prescribing',
    programme: 'prescribing',
    source: { weighted: 'prescribing' },
    share: 920,
    drift: 0.03,
    noise: 0.025,
    subjectives: ['53110', '53120'],
  },
  {
    code: 'PRE02',
    name: 'Medicines optimisation',
    programme: 'prescribing',
    source: { weighted: 'prescribing' },
    share: 80,
    drift: -0.03,
    noise: 0.03,
    subjectives: ['50110', '53190'],
  },
  {
    code: 'PC01',
    name: 'Delegated primary medical care',
    programme: 'primary_care',
    source: { weighted: 'primary_medical_care' },
    share: 1000,
    drift: 0.005,
    noise: 0.01,
    subjectives: ['53210', '53220'],
  },
  {
    code: 'OTH01',
    name: 'Other programme services',
    programme: 'other',
    source: { registered: 'other' },
    share: 1000,
    drift: -0.02,
    noise: 0.05,
    subjectives: ['52910', '52920'],
  },
  {
    code: 'RC01',
    name: 'Staff (pay)',
    programme: 'running_costs',
    source: { registered: 'running_costs' },
    share: 550,
    drift: -0.04,
    noise: 0.01,
    subjectives: ['50110', '50120'],
  },
  {
    code: 'RC02',
    name: 'Commissioning support unit',
    programme: 'running_costs',
    source: { registered: 'running_costs' },
    share: 200,
    drift: 0.0,
    noise: 0.005,
    subjectives: ['54110', '54120'],
  },
  {
    code: 'RC03',
    name: 'Governing body and member engagement',
    programme: 'running_costs',
    source: { registered: 'running_costs' },
    share: 60,
    drift: 0.05,
    noise: 0.05,
    subjectives: ['50130', '54130'],
  },
  {
    code: 'RC04',
    name: 'Premises',
    programme: 'running_costs',
    source: { registered: 'running_costs' },
    share: 110,
    drift: 0.02,
    noise: 0.02,
    subjectives: ['54210', '54220'],
  },
  {
    code: 'RC05',
    name: 'IT and other non-pay',
    programme: 'running_costs',
    source: { registered: 'running_costs' },
    share: 80,
    drift: 0.03,
    noise: 0.06,
    subjectives: ['54310', '54320'],
  },
  {
    code: 'RES01',
    name: 'Planned surplus',
    programme: 'reserves',
    reserveKind: 'surplus',
    source: { reserve: 'surplus' },
    share: 1000,
    drift: -1,
    noise: 0,
    subjectives: ['59000', '59000'],
  },
  {
    code: 'RES02',
    name: 'Contingency',
    programme: 'reserves',
    reserveKind: 'contingency',
    source: { reserve: 'contingency' },
    share: 1000,
    drift: -1,
    noise: 0,
    subjectives: ['59000', '59000'],
  },
  {
    code: 'RES03',
    name: 'Non-recurrent headroom',
    programme: 'reserves',
    reserveKind: 'non_recurrent',
    source: { reserve: 'non_recurrent' },
    share: 1000,
    drift: -1,
    noise: 0,
    subjectives: ['59000', '59000'],
  },
];

const sourceKey = (s: Source) =>
  'weighted' in s ? `w:${s.weighted}` : 'registered' in s ? `r:${s.registered}` : `x:${s.reserve}`;

/** Pence for people × pounds a head, exact: people as millionths, pounds as pence. */
const perHead = (people: number, pounds: number) =>
  divideRounded(millionths(people) * BigInt(Math.round(pounds * 100)), 1_000_000n);

/** The demo plan's budgets (whole pounds) from the group's populations; they add up to the allocation. */
export function demoBudgets(weighted: Record<string, number | null>, registered: number) {
  const pools = new Map<string, bigint>();
  for (const [k, v] of Object.entries(demoAssumptions.perWeightedHead))
    pools.set(`w:${k}`, perHead(weighted[k] ?? 0, v));
  for (const [k, v] of Object.entries(demoAssumptions.perRegisteredPatient))
    pools.set(`r:${k}`, perHead(registered, v));
  const toPounds = (p: bigint) => divideRounded(p, 100n) * 100n;
  const programmePence = [...pools.values()].reduce((s, x) => s + toPounds(x), 0n);
  // Reserves are percentages of the allocation, so the allocation = programmes ÷ (1 − reserves %).
  const reservesTenthsOfPercent = Object.values(demoAssumptions.reservesPercent).reduce(
    (s, x) => s + BigInt(Math.round(x * 10)),
    0n,
  );
  const allocation = toPounds(
    divideRounded(programmePence * 1000n, 1000n - reservesTenthsOfPercent),
  );
  // Reserves round up to the pound, so that they meet the rules' percentages.
  const upToPounds = (p: bigint) => ((p + 99n) / 100n) * 100n;
  for (const [k, v] of Object.entries(demoAssumptions.reservesPercent))
    pools.set(`x:${k}`, upToPounds(divideRounded(allocation * BigInt(Math.round(v * 10)), 1000n)));
  const budgets = new Map<string, bigint>();
  for (const key of new Set(lines.map((l) => sourceKey(l.source)))) {
    const group = lines.filter((l) => sourceKey(l.source) === key);
    const shares = fairShares(
      toPounds(pools.get(key)!) / 100n,
      group.map((l) => l.share),
    );
    group.forEach((l, i) => budgets.set(l.code, shares[i]! * 100n));
  }
  // Whole-pound rounding is settled on the largest line, so the budgets add up to the allocation.
  const total = [...budgets.values()].reduce((s, x) => s + x, 0n);
  budgets.set('ACU01', budgets.get('ACU01')! + allocation - total);
  return { allocation, budgets, programmePence };
}

/** A month's ledger CSV for the demo: two postings per cost centre, actual = budget × (1 + drift + noise). */
function ledgerCsv(
  entity: string,
  period: string,
  monthIndex: number,
  budgets: Map<string, bigint>,
  random: () => number,
  scale: (code: string) => number = () => 1,
) {
  const rows = ['Entity,Period,Cost Centre,Subjective,Amount,Description'];
  for (const l of lines) {
    const monthly = phaseEvenly(budgets.get(l.code)!)[monthIndex]!;
    const factor = (1 + l.drift + l.noise * normal(random)) * scale(l.code);
    if (factor <= 0) continue;
    const actual = divideRounded(monthly * BigInt(Math.round(factor * 1_000_000)), 1_000_000n);
    const first = divideRounded(actual * 7n, 10n);
    rows.push(
      `${entity},${period},${l.code},${l.subjectives[0]},${penceAsPounds(first)},Illustrative posting`,
    );
    rows.push(
      `${entity},${period},${l.code},${l.subjectives[1]},${penceAsPounds(actual - first)},Illustrative posting`,
    );
  }
  return `${rows.join('\n')}\n`;
}

const schemes: {
  name: string;
  owner: string;
  costCentre: string;
  risk: RiskRating;
  /** Share of the QIPP requirement, per mille. */
  share: number;
  firstMonth: number;
}[] = [
  {
    name: 'Outpatient follow-up reduction',
    owner: 'Planned care lead',
    costCentre: 'ACU01',
    risk: 'medium',
    share: 240,
    firstMonth: 2,
  },
  {
    name: 'Prescribing: preferred generics and pack sizes',
    owner: 'Medicines optimisation lead',
    costCentre: 'PRE01',
    risk: 'low',
    share: 140,
    firstMonth: 1,
  },
  {
    name: 'Review of high-cost continuing care packages',
    owner: 'Continuing care lead',
    costCentre: 'CHC01',
    risk: 'high',
    share: 120,
    firstMonth: 4,
  },
  {
    name: 'Integrated discharge to assess',
    owner: 'Community services lead',
    costCentre: 'COM01',
    risk: 'medium',
    share: 100,
    firstMonth: 3,
  },
  {
    name: 'Independent sector referral management',
    owner: 'Planned care lead',
    costCentre: 'ACU04',
    risk: 'medium',
    share: 120,
    firstMonth: 1,
  },
  {
    name: 'Estates consolidation',
    owner: 'Chief finance officer',
    costCentre: 'RC04',
    risk: 'low',
    share: 30,
    firstMonth: 1,
  },
];

/**
 * Seeds the demo group's plan, QIPP schemes and ledger once (nothing happens when the plan exists).
 * Ledger files are written to `outDir` and imported like any other; one is imported wrongly and
 * reversed, so the demo shows the history that keeps.
 */
export async function seedDemoFinance(
  db: Kysely<Database>,
  facts: FactStore,
  group: Group,
  outDir: string,
) {
  if (await findPlan(db, group.id, DEMO_FINANCE_YEAR)) return false;
  const editor: Editor = { system: 'seed' };
  const members = await listMembers(db, group.id, group.as_at);
  const weighted = await sumWeightedPopulation(
    db,
    DEMO_FINANCE_YEAR,
    members.map((m) => m.id),
  );
  const registered = await registeredPopulation(db, group);
  const { allocation, budgets, programmePence } = demoBudgets(weighted, registered);
  const growth = divideRounded(programmePence * BigInt(demoAssumptions.growthPercent), 100n);
  const a = demoAssumptions;
  await savePlan(db, editor, group, {
    year: DEMO_FINANCE_YEAR,
    allocation: penceAsPounds(allocation)!,
    committed: penceAsPounds(programmePence)!,
    growth: penceAsPounds(divideRounded(growth, 100n) * 100n)!,
    basis: `Budgets = NHS England weighted populations ${DEMO_FINANCE_YEAR} of the member practices × £ per weighted head (general and acute £${a.perWeightedHead.general_and_acute}, maternity £${a.perWeightedHead.maternity}, community £${a.perWeightedHead.community_services}, mental health £${a.perWeightedHead.mental_health}, prescribing £${a.perWeightedHead.prescribing}, primary medical care £${a.perWeightedHead.primary_medical_care}); continuing care £${a.perRegisteredPatient.continuing_care}, other £${a.perRegisteredPatient.other} and running costs £${a.perRegisteredPatient.running_costs} per registered patient; reserves ${a.reservesPercent.surplus}% surplus, ${a.reservesPercent.contingency}% contingency, ${a.reservesPercent.non_recurrent}% headroom; committed spend = the programme budgets, growth ${a.growthPercent}%.`,
    budgets: Object.fromEntries([...budgets].map(([k, v]) => [k, penceAsPounds(v)!])),
    costCentres: lines.map((l) => ({
      code: l.code,
      name: l.name,
      programme: l.programme,
      reserveKind: l.reserveKind ?? null,
    })),
    illustrative: true,
  });
  const plan = (await findPlan(db, group.id, DEMO_FINANCE_YEAR))!;
  const centres = new Map((await listCostCentres(db, plan.id)).map((c) => [c.code, c.id]));
  const requirement = (await planSummary(db, group, plan)).requirementPence;

  const random = seededRandom(DEMO_FINANCE_SEED);
  for (const s of schemes) {
    const saving = divideRounded(requirement * BigInt(s.share), 100_000_000n) * 100_000n; // whole £1,000s
    await saveScheme(db, editor, group, plan, systemClock, {
      name: s.name,
      owner: s.owner,
      costCentreId: centres.get(s.costCentre)!,
      risk: s.risk,
      planned: phaseOver(saving, s.firstMonth),
    });
  }
  // Delivery recorded for the months with actuals: most of plan for low risk, less for high.
  const delivery: Record<RiskRating, number> = { low: 0.95, medium: 0.8, high: 0.55 };
  for (const scheme of await listSchemes(db, plan.id)) {
    const months = await db
      .selectFrom('qipp_month')
      .select(['month', 'planned_pence'])
      .where('scheme_id', '=', scheme.id)
      .where('month', '<=', DEMO_LEDGER_MONTHS)
      .execute();
    for (const m of months) {
      const factor = Math.max(0, delivery[scheme.risk] + 0.08 * normal(random));
      const delivered =
        divideRounded(m.planned_pence * BigInt(Math.round(factor * 1000)), 100_000n) * 100n;
      await recordDelivery(db, editor, group, plan, {
        scheme: String(scheme.id),
        month: String(m.month),
        delivered: penceAsPounds(delivered)!,
      });
    }
  }

  await mkdir(outDir, { recursive: true });
  const months = monthsOfYear(DEMO_FINANCE_YEAR);
  const importFile = async (name: string, csv: string) => {
    const file = path.join(outDir, name);
    await writeFile(file, csv);
    const result = await runImport(db, ledgerImporter(), file, {
      actor: systemActor('seed'),
      facts,
    });
    if (result.status !== 'imported') throw new Error(`demo ledger ${name} was not imported`);
    return result.importId;
  };
  for (let i = 0; i < DEMO_LEDGER_MONTHS; i++) {
    const period = months[i]!;
    const csv = ledgerCsv(group.code, period, i, budgets, random);
    if (i === DEMO_LEDGER_MONTHS - 1) {
      // September first arrives with the Western Sussex contract posted twice; it is reversed and reloaded.
      const wrong = ledgerCsv(
        group.code,
        period,
        i,
        budgets,
        seededRandom(DEMO_FINANCE_SEED + i),
        (code) => (code === 'ACU01' ? 2 : 1),
      );
      const id = await importFile(`ledger-${group.code}-${period}-first-export.csv`, wrong);
      await reverseLoad(
        db,
        editor,
        group,
        id,
        'Exported twice: the Western Sussex contract was posted twice in the first export',
      );
    }
    await importFile(`ledger-${group.code}-${period}.csv`, csv);
  }
  for (const period of months.slice(0, DEMO_LEDGER_MONTHS - 1))
    await closePeriod(db, editor, group, plan, period);
  await postJournal(db, editor, group, plan, {
    period: months[2]!,
    costCentre: 'CHC01',
    subjective: '52610',
    amount: '85000.00',
    reason: 'Continuing care package agreed on appeal, backdated to June (illustrative)',
  });
  await addCommitment(db, editor, group, plan, {
    costCentre: 'MH03',
    description: 'Two further out-of-area placements expected from October (illustrative)',
    amount: '240000',
  });
  await addCommitment(db, editor, group, plan, {
    costCentre: 'ACU04',
    description:
      'Independent sector activity moving to the local trust from November (illustrative)',
    amount: '-150000',
  });
  return true;
}
