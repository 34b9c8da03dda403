// The procurement decisions register's rules: routes with their legal basis, key criteria, exact
// weighted scores and ranking, the standstill per route, a procurement's status, and likely conflicts.
// No I/O. Rules and sources: ../shared/reference/commissioning-rules.md §1.8 and §5.
import type { ProcurementRoute } from './procurement.table.js';
import { standstill } from './working-days.js';

/** The day the Provider Selection Regime came into force (SI 2023/1348). */
export const psrInForce = '2024-01-01';

export interface RouteInfo {
  label: string;
  regime: string;
  description: string;
  source: string;
  /** Does the PSR standstill (reg. 12) follow the notice of intention to award? */
  standstill: boolean;
  /** Only under the Provider Selection Regime (decisions from 1 January 2024). */
  psrOnly: boolean;
}

const psr =
  'Health Care Services (Provider Selection Regime) Regulations 2023, SI 2023/1348, in force 1 January 2024';

export const routeInfo: Record<ProcurementRoute, RouteInfo> = {
  aqp: {
    label: 'Any qualified provider (qualification)',
    regime:
      'NHS (Procurement, Patient Choice and Competition) (No. 2) Regulations 2013, SI 2013/500 (before 2024)',
    description:
      'Providers qualify against published, proportionate and non-discriminatory criteria (registration, the NHS standard contract, quality standards); every qualified provider is offered to patients, competing on quality at a fixed tariff, with no guaranteed volume.',
    source:
      'DH, Operational guidance to the NHS: extending patient choice of provider (July 2011); SI 2013/500 reg. 7 (commissioning-rules.md §5.1, §5.2)',
    standstill: false,
    psrOnly: false,
  },
  competitive: {
    label: 'Competitive process',
    regime: psr,
    description:
      'Providers bid and are evaluated against the key criteria and award criteria with published weights; mandatory for framework agreements.',
    source: `${psr}, reg. 11 (commissioning-rules.md §5.3)`,
    standstill: true,
    psrOnly: false,
  },
  direct_award_a: {
    label: 'Direct award process A',
    regime: psr,
    description:
      'An existing provider, where the services can be provided only by that provider. Not for frameworks.',
    source: `${psr}, reg. 7 (commissioning-rules.md §5.3)`,
    standstill: false,
    psrOnly: true,
  },
  direct_award_b: {
    label: 'Direct award process B',
    regime: psr,
    description:
      'Patient choice: a contract with every provider that meets the requirements (the successor of any qualified provider).',
    source: `${psr}, reg. 8 (commissioning-rules.md §5.3)`,
    standstill: false,
    psrOnly: true,
  },
  direct_award_c: {
    label: 'Direct award process C',
    regime: psr,
    description:
      'Renewal of an existing contract with no considerable change, where the authority is satisfied with the provider’s performance against the key criteria.',
    source: `${psr}, reg. 9 (commissioning-rules.md §5.3)`,
    standstill: true,
    psrOnly: true,
  },
  most_suitable_provider: {
    label: 'Most suitable provider',
    regime: psr,
    description:
      'Award without competition after assessing the likely providers against the key criteria and the basic selection criteria.',
    source: `${psr}, reg. 10 (commissioning-rules.md §5.3)`,
    standstill: true,
    psrOnly: true,
  },
};

/** The key criteria of the Provider Selection Regime (reg. 5), in the regulation's order. */
export const keyCriteria = [
  'Quality and innovation',
  'Value',
  'Integration, collaboration and service sustainability',
  'Improving access, reducing health inequalities and facilitating choice',
  'Social value',
] as const;
export const keyCriteriaSource = `${psr}, reg. 5 (commissioning-rules.md §5.3)`;

export const standstillRule =
  'Standstill (PSR reg. 12) applies to direct award process C, most suitable provider and the competitive process: it starts the day after the notice of intention to award is published, and providers may make written representations until midnight at the end of the 8th working day; if the award is confirmed after review, the authority waits 5 working days more. Working days exclude weekends and England and Wales bank holidays. No standstill applies to direct award processes A and B or to any qualified provider qualification.';
export const standstillSource =
  'SI 2023/1348 reg. 12, https://legislation.gov.uk/uksi/2023/1348/regulation/12/made ; NHS England, Provider selection regime: reviewing decisions during the standstill period';

/**
 * Why a set of weights (whole per cent) cannot be used, or null when they total exactly 100: names
 * the difference.
 */
export function weightsProblem(weights: readonly number[]): string | null {
  if (weights.length === 0) return 'Enter at least one criterion with its weight';
  if (weights.some((w) => !Number.isInteger(w) || w <= 0 || w > 100))
    return 'Each weight must be a whole number of per cent from 1 to 100';
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 100) return null;
  return total < 100
    ? `The weights add up to ${total}%; they must total 100% (${100 - total} short)`
    : `The weights add up to ${total}%; they must total 100% (${total - 100} over)`;
}

/**
 * A bidder's weighted total in hundredths of a mark: Σ weight × score, with weights in whole per cent
 * and scores 0–100, is exactly 100 × (Σ weight × score / 100). Null when a score is missing.
 */
export function weightedHundredths(
  weights: readonly number[],
  scores: readonly (number | null | undefined)[],
): number | null {
  let total = 0;
  for (const [i, w] of weights.entries()) {
    const s = scores[i];
    if (s === null || s === undefined) return null;
    total += w * s;
  }
  return total;
}

/** Hundredths as exact text with two decimals: 7350 → "73.50". */
export const hundredthsText = (n: number) =>
  `${Math.trunc(n / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;

export interface Ranked<T> {
  bidder: T;
  /** Weighted total in hundredths, or null when not fully scored. */
  hundredths: number | null;
  total: string | null;
  /** 1 is best; equal totals share a rank (1, 1, 3); null when not fully scored. */
  rank: number | null;
}

/** Bidders ranked by weighted total, best first; unscored bidders last, unranked. */
export function rankBidders<T extends { scores: readonly (number | null | undefined)[] }>(
  weights: readonly number[],
  bidders: readonly T[],
): Ranked<T>[] {
  const rows = bidders.map((bidder) => {
    const hundredths = weights.length ? weightedHundredths(weights, bidder.scores) : null;
    return {
      bidder,
      hundredths,
      total: hundredths === null ? null : hundredthsText(hundredths),
      rank: null as number | null,
    };
  });
  const scored = rows
    .filter((r) => r.hundredths !== null)
    .sort((a, b) => b.hundredths! - a.hundredths!);
  for (const [i, r] of scored.entries())
    r.rank = i > 0 && scored[i - 1]!.hundredths === r.hundredths ? scored[i - 1]!.rank : i + 1;
  return [...scored, ...rows.filter((r) => r.hundredths === null)];
}

export interface Standstill {
  applies: boolean;
  /** Why it applies or not, in words. */
  reason: string;
  startsOn: string | null;
  /** Midnight at the end of this day: the last day for representations (8 working days). */
  endsOn: string | null;
}

/** The standstill of a procurement, from its route and the date its notice of intention was published. */
export function standstillFor(
  route: ProcurementRoute,
  intentionNoticeOn: string | null,
): Standstill {
  const info = routeInfo[route];
  if (!info.standstill)
    return {
      applies: false,
      reason: `No standstill applies to ${info.label.toLowerCase()}`,
      startsOn: null,
      endsOn: null,
    };
  if (!intentionNoticeOn)
    return {
      applies: true,
      reason: 'Starts the day after the notice of intention to award is published (none yet)',
      startsOn: null,
      endsOn: null,
    };
  if (intentionNoticeOn < psrInForce)
    return {
      applies: false,
      reason:
        'Notice published before the Provider Selection Regime came into force (1 January 2024)',
      startsOn: null,
      endsOn: null,
    };
  const s = standstill(intentionNoticeOn);
  return {
    applies: true,
    reason: `${info.label}: 8 working days after the notice of intention to award (PSR reg. 12)`,
    startsOn: s.startsOn,
    endsOn: s.representationsUntil,
  };
}

export type ProcurementStatus =
  | { kind: 'in evaluation'; text: string }
  | { kind: 'standstill'; text: string; until: string }
  | { kind: 'awarded'; text: string }
  | { kind: 'award notice published'; text: string };

/** Where a procurement stands on `today`. */
export function procurementStatus(
  p: {
    route: ProcurementRoute;
    awardedTo: string | null;
    decidedOn: string | null;
    intentionNoticeOn: string | null;
    awardNoticeOn: string | null;
  },
  today: string,
): ProcurementStatus {
  if (p.awardNoticeOn && p.awardNoticeOn <= today)
    return { kind: 'award notice published', text: 'Contract award notice published' };
  const s = standstillFor(p.route, p.intentionNoticeOn);
  if (s.applies && s.endsOn && p.intentionNoticeOn! <= today && today <= s.endsOn)
    return { kind: 'standstill', text: `Standstill until ${s.endsOn}`, until: s.endsOn };
  if (p.awardedTo && p.decidedOn && p.decidedOn <= today)
    return { kind: 'awarded', text: 'Awarded' };
  return { kind: 'in evaluation', text: 'In evaluation' };
}

export interface Party {
  name: string;
  code: string | null;
  /** The provider awarded the contract (its name is published; the others' are not). */
  awardee?: boolean;
}

export interface DeclaredInterest {
  personId: number;
  counterpart: string;
  counterpartCode: string | null;
  description: string;
}

const plain = (s: string) =>
  s
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * Likely conflicts: each person's declared interests whose counterpart is a bidder or the awardee,
 * matched by ODS code when both have one, otherwise by name (either containing the other, ignoring
 * case, punctuation and bracketed notes). The text names the awarded provider (it is published) but
 * not a bidder that was not awarded, so that it can be recorded and published as it stands.
 */
export function likelyProcurementConflicts(
  parties: readonly Party[],
  interests: readonly DeclaredInterest[],
) {
  const found = new Map<number, string[]>();
  for (const i of interests)
    for (const p of parties) {
      const byCode = p.code !== null && i.counterpartCode !== null && p.code === i.counterpartCode;
      const a = plain(i.counterpart);
      const b = plain(p.name);
      const byName =
        (p.code === null || i.counterpartCode === null) &&
        a.length > 2 &&
        b.length > 2 &&
        (a.includes(b) || b.includes(a));
      if (byCode || byName) {
        const text = p.awardee
          ? `Declared interest in ${p.name}, the provider awarded: ${i.description}`
          : `Declared interest in ${anotherProvider}: ${i.description}`;
        const list = found.get(i.personId) ?? [];
        if (!list.includes(text)) list.push(text);
        found.set(i.personId, list);
      }
    }
  return found;
}

/** What a provider not awarded is called in published text. */
export const anotherProvider = 'another provider evaluated';

const legalSuffix =
  /[\s,]+(ltd\.?|limited|plc|llp|cic|c\.i\.c\.|community interest company|inc\.?|llc)$/i;

/**
 * The ways a provider's name is likely to be typed: as recorded, without bracketed notes such as
 * "(fictional)", and without a trailing legal form such as "Ltd" or "CIC".
 */
export function nameVariants(name: string): string[] {
  const variants = new Set<string>();
  const add = (v: string) => {
    const t = v.replace(/\s+/g, ' ').trim();
    if (t.length >= 3) variants.add(t);
  };
  add(name);
  let bare = name
    .replace(/\(.*?\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  add(bare);
  for (let i = 0; i < 2 && legalSuffix.test(bare); i++) {
    bare = bare.replace(legalSuffix, '').trim();
    add(bare);
  }
  return [...variants];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');

/**
 * Text to be published with every bidder not awarded named only as "another provider evaluated":
 * their names (ignoring case, with or without bracketed notes and legal form) and ODS codes, as whole
 * words. The awarded provider's name is kept, even where a losing bidder's name is part of it.
 */
export function withoutLosingBidders(
  text: string,
  bidders: readonly Party[],
  awarded: Party | null,
): string {
  const keep = new Set<string>();
  const hide = new Set<string>();
  const awardees = [...bidders.filter((b) => b.awardee), ...(awarded ? [awarded] : [])];
  for (const a of awardees) {
    for (const v of nameVariants(a.name)) keep.add(v.toLowerCase());
    if (a.code) keep.add(a.code.toLowerCase());
  }
  for (const b of bidders) {
    if (b.awardee) continue;
    for (const v of nameVariants(b.name)) hide.add(v.toLowerCase());
    if (b.code && b.code.length >= 3) hide.add(b.code.toLowerCase());
  }
  for (const k of keep) hide.delete(k);
  if (hide.size === 0) return text;
  const all = [...new Set([...keep, ...hide])].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${all.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
    'giu',
  );
  return text.replace(pattern, (m) =>
    hide.has(m.toLowerCase().replace(/\s+/g, ' ')) ? anotherProvider : m,
  );
}
