// Rules for the register of interests, no I/O: when a declaration is late, when one is due or overdue,
// and how long an interest stays on the published register. Sources: ../shared/reference/
// commissioning-rules.md §1.1 (28 days), §1.3 (on appointment, annually), §1.6 (6 months after it ends).

export const interestCategories = [
  'financial',
  'non_financial_professional',
  'non_financial_personal',
  'indirect',
] as const;
export type InterestCategory = (typeof interestCategories)[number];

export const categoryLabels: Record<InterestCategory, string> = {
  financial: 'Financial',
  non_financial_professional: 'Non-financial professional',
  non_financial_personal: 'Non-financial personal',
  indirect: 'Indirect',
};

/** A declaration is due within 28 days of an interest arising (s140 NHS Act 2006). */
export const DECLARE_WITHIN_DAYS = 28;
/** Every decision-maker confirms their declarations at least once a year (2017 guidance). */
export const ANNUAL_DAYS = 365;
/** An ended interest stays on the published register for 6 months. */
export const PUBLISHED_MONTHS_AFTER_END = 6;

const day = 86_400_000;
const toDay = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
export const daysBetween = (from: string, to: string) =>
  Math.round((toDay(to) - toDay(from)) / day);
export const addDays = (iso: string, days: number) =>
  new Date(toDay(iso) + days * day).toISOString().slice(0, 10);

/** The same day n months later, or the month's last day when it has no such day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(iso: string, months: number): string {
  const y = +iso.slice(0, 4);
  const m = +iso.slice(5, 7) - 1 + months;
  const target = new Date(Date.UTC(y, m, 1));
  const last = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(+iso.slice(8, 10), last));
  return target.toISOString().slice(0, 10);
}

/** Declared more than 28 days after the interest arose. */
export const isLate = (aroseOn: string, declaredOn: string) =>
  daysBetween(aroseOn, declaredOn) > DECLARE_WITHIN_DAYS;

/**
 * On the published register today: the person is a decision-maker, and the interest has not ended
 * or ended no more than 6 months ago.
 */
export function isPublished(
  interest: { endedOn: string | null },
  decisionMaker: boolean,
  today: string,
): boolean {
  if (!decisionMaker) return false;
  return (
    interest.endedOn === null || addMonths(interest.endedOn, PUBLISHED_MONTHS_AFTER_END) >= today
  );
}

export interface DeclarationDue {
  /** Why a declaration is due: on appointment, or the annual confirmation. */
  reason: 'on appointment' | 'annual';
  dueOn: string;
  overdue: boolean;
  daysOverdue: number;
}

/**
 * What a person owes the register today, from when their current appointment began and when they last
 * declared (an interest or a nil return): a first declaration within 28 days of appointment, then one
 * at least every 365 days. Null when nothing is due yet.
 */
export function declarationDue(
  appointedOn: string,
  lastDeclaredOn: string | null,
  today: string,
): DeclarationDue | null {
  const declaredSince = lastDeclaredOn !== null && lastDeclaredOn >= appointedOn;
  const due = declaredSince
    ? { reason: 'annual' as const, dueOn: addDays(lastDeclaredOn!, ANNUAL_DAYS) }
    : { reason: 'on appointment' as const, dueOn: addDays(appointedOn, DECLARE_WITHIN_DAYS) };
  // Shown from 28 days before the date, so that reminders go out in time.
  if (daysBetween(today, due.dueOn) > DECLARE_WITHIN_DAYS) return null;
  const daysOverdue = Math.max(0, daysBetween(due.dueOn, today));
  return { ...due, overdue: today > due.dueOn, daysOverdue };
}
