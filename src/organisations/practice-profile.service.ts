// A practice's profile: population pyramid, disease prevalence and payments, each against its group and England.
import { paymentsForPractice, paymentTotalsByYear } from '../payments/payment.repository.js';
import { comparisonAgeBands, toComparisonBand } from '../population/age-bands.js';
import {
  ageSexTotals,
  latestExtractDate,
  latestQofYear,
  prevalenceFor,
  prevalenceTotals,
  referencePopulation,
} from '../population/population.repository.js';
import { listTypeText, registerName } from '../population/qof-registers.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { pencePerHead } from '../platform/money.js';
import { proportionWithInterval, type ProportionResult } from '../stats/wilson.js';
import { previousDay } from './membership-history.js';
import {
  findPracticeByCode,
  listMembers,
  practiceMemberships,
  wasEverMember,
} from './group.repository.js';
import type { Group } from './group.service.js';

export const ENGLAND_ONS_CODE = 'E92000001';

export async function requireMemberPractice(db: Db, group: Group, code: string) {
  const practice = /^[A-Za-z0-9]{3,9}$/.test(code) ? await findPracticeByCode(db, code) : undefined;
  if (!practice || !(await wasEverMember(db, group.id, practice.id))) {
    throw new AppError('not_found', `Practice ${code} has never been a member of ${group.name}`);
  }
  return practice;
}

type Sums = Map<string, { female: number; male: number }>;

function bandSums(rows: { sex: 'female' | 'male'; age_band: string; value: number }[]): {
  sums: Sums;
  total: number;
} {
  const sums: Sums = new Map(comparisonAgeBands.map((b) => [b, { female: 0, male: 0 }]));
  let total = 0;
  for (const r of rows) {
    const entry = sums.get(toComparisonBand(r.age_band));
    if (!entry) continue;
    entry[r.sex] += r.value;
    total += r.value;
  }
  return { sums, total };
}

const pct = (part: number, total: number) => (total > 0 ? (part / total) * 100 : null);

async function pyramid(db: Db, practiceId: number, memberIds: number[]) {
  const extractDate = await latestExtractDate(db, practiceId);
  if (!extractDate) return null;
  const [practiceRows, groupRows, england] = await Promise.all([
    ageSexTotals(db, [practiceId], extractDate),
    ageSexTotals(db, memberIds, extractDate),
    referencePopulation(db, ENGLAND_ONS_CODE),
  ]);
  const practice = bandSums(practiceRows.map((r) => ({ ...r, value: r.patients })));
  const group = bandSums(groupRows.map((r) => ({ ...r, value: r.patients })));
  const eng = england ? bandSums(england.rows.map((r) => ({ ...r, value: r.people }))) : null;
  // Practices contributing to the group line: each band row counts them; the fullest band has them all.
  const groupPractices = Math.max(0, ...groupRows.map((r) => r.practices));
  return {
    extractDate,
    practiceTotal: practice.total,
    groupTotal: group.total,
    groupPractices,
    englandPeriod: england?.period ?? null,
    englandTotal: eng?.total ?? null,
    bands: comparisonAgeBands.map((band) => {
      const p = practice.sums.get(band)!;
      const g = group.sums.get(band)!;
      const e = eng?.sums.get(band);
      return {
        band,
        female: p.female,
        male: p.male,
        femalePct: pct(p.female, practice.total),
        malePct: pct(p.male, practice.total),
        groupFemalePct: pct(g.female, group.total),
        groupMalePct: pct(g.male, group.total),
        englandFemalePct: e && eng ? pct(e.female, eng.total) : null,
        englandMalePct: e && eng ? pct(e.male, eng.total) : null,
      };
    }),
  };
}

const asPercent = (r: ProportionResult) =>
  r.value === null
    ? { value: null, lower: null, upper: null, reason: r.reason }
    : { value: r.value * 100, lower: r.lower * 100, upper: r.upper * 100, reason: null };

async function prevalence(db: Db, practiceId: number, memberIds: number[]) {
  const year = await latestQofYear(db);
  if (!year) return null;
  const [own, group, england] = await Promise.all([
    prevalenceFor(db, [practiceId], year),
    prevalenceTotals(db, year, memberIds),
    prevalenceTotals(db, year),
  ]);
  const groupBy = new Map(group.map((g) => [g.register_code, g]));
  const englandBy = new Map(england.map((e) => [e.register_code, e]));
  const rows = own
    .map((r) => {
      const g = groupBy.get(r.register_code);
      const e = englandBy.get(r.register_code);
      return {
        code: r.register_code,
        name: registerName(r.register_code),
        listType: listTypeText(r.list_type),
        register: r.register_size,
        listSize: r.list_size,
        practice: asPercent(proportionWithInterval(r.register_size, r.list_size)),
        group: g
          ? {
              ...asPercent(proportionWithInterval(g.register_size, g.list_size)),
              practices: g.practices,
            }
          : null,
        england: e
          ? {
              ...asPercent(proportionWithInterval(e.register_size, e.list_size)),
              practices: e.practices,
            }
          : null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  // Significance against England: does the practice's 95% interval exclude the England value?
  return {
    year,
    rows: rows.map((r) => ({
      ...r,
      comparedWithEngland:
        r.practice.value === null || !r.england || r.england.value === null
          ? 'not compared'
          : r.practice.lower! > r.england.value
            ? 'higher'
            : r.practice.upper! < r.england.value
              ? 'lower'
              : 'similar',
    })),
  };
}

async function payments(db: Db, practiceId: number, memberIds: number[]) {
  const [own, group, england] = await Promise.all([
    paymentsForPractice(db, practiceId),
    paymentTotalsByYear(db, memberIds),
    paymentTotalsByYear(db),
  ]);
  const groupBy = new Map(group.map((g) => [g.financial_year, g]));
  const englandBy = new Map(england.map((e) => [e.financial_year, e]));
  const perHead = (pence: bigint, people: string | null) =>
    people === null ? null : pencePerHead(pence, people);
  return own.map((p) => {
    const g = groupBy.get(p.financial_year);
    const e = englandBy.get(p.financial_year);
    return {
      year: p.financial_year,
      contractType: p.contract_type,
      dispensing: p.dispensing,
      totalPence: p.total_payments_pence,
      registeredPatients: p.registered_patients,
      weightedPatients: p.weighted_patients,
      perRegisteredPence: perHead(p.total_payments_pence, p.registered_patients),
      perWeightedPence: perHead(p.total_payments_pence, p.weighted_patients),
      groupPerRegisteredPence: g ? perHead(g.total_payments_pence, g.registered_patients) : null,
      groupPerWeightedPence: g ? perHead(g.total_payments_pence, g.weighted_patients) : null,
      englandPerRegisteredPence: e ? perHead(e.total_payments_pence, e.registered_patients) : null,
      englandPerWeightedPence: e ? perHead(e.total_payments_pence, e.weighted_patients) : null,
    };
  });
}

export async function practiceProfile(db: Db, group: Group, practiceCode: string) {
  const practice = await requireMemberPractice(db, group, practiceCode);
  const memberIds = (await listMembers(db, group.id, group.as_at)).map((m) => m.id);
  const [memberships, pyramidData, prevalenceData, paymentRows] = await Promise.all([
    practiceMemberships(db, practice.id),
    pyramid(db, practice.id, memberIds),
    prevalence(db, practice.id, memberIds),
    payments(db, practice.id, memberIds),
  ]);
  return {
    group,
    practice: {
      code: practice.code,
      name: practice.name,
      postcode: practice.postcode,
      openDate: practice.open_date,
      closeDate: practice.close_date,
    },
    memberships: memberships.map((m) => ({
      kind: m.kind === 'member_of_group' ? 'Commissioning group' : 'Primary care network',
      code: m.code,
      name: m.name,
      from: m.valid_from,
      /** last day of membership, or null while it continues */
      to: m.valid_to ? previousDay(m.valid_to) : null,
    })),
    pyramid: pyramidData,
    prevalence: prevalenceData,
    payments: paymentRows,
  };
}
