// The breaches register and delegated officers' decisions: reading what was typed, and what the public
// may see of a breach (anonymised). Pure: no I/O.
//
// The rules (../shared/reference/commissioning-rules.md §1.11): a group must have a robust process for
// breaches of its conflicts of interest policy and publish anonymised details of them (NHS England,
// Managing conflicts of interest: revised statutory guidance for CCGs, 2016 and 2017).
import type { FieldProblem } from '../platform/errors.js';
import { yearOfPeriod } from '../finance/budget.js';
import { readPounds } from '../finance/inputs.js';
import { daysBetween } from './interests.js';
import { DATE_YEARS_TEXT, isSensibleDate } from '../platform/imports/fields.js';
import { breachCategories, breachCategoryLabels, type BreachCategory } from './breaches.table.js';
import { isRowId } from '../platform/db/ids.js';

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2026-03-14" → "March 2026": the public sees months, not days, to help keep a breach anonymous. */
export const monthYear = (iso: string) =>
  `${months[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

/** The NHS financial year (1 April to 31 March) a date falls in. */
export function financialYearOf(iso: string) {
  const year = yearOfPeriod(iso);
  const start = Number(year.slice(0, 4));
  return { year, from: `${start}-04-01`, to: `${start + 1}-03-31` };
}

/** Whole days from identification to closure (or to today while open). */
export const daysOpen = (identifiedOn: string, closedOn: string | null, today: string) =>
  daysBetween(identifiedOn, closedOn ?? today);

/** The bodies a breach may be reported to that can be published; anything else in the field stays private. */
const publicBodies: [RegExp, string][] = [
  [/audit committee/i, 'Audit committee'],
  [/governing body/i, 'Governing body'],
  [/guardian/i, 'Conflicts of interest guardian'],
  [/nhs england/i, 'NHS England'],
  [/internal audit/i, 'Internal audit'],
  [/counter[- ]?fraud/i, 'Counter fraud service'],
  [/remuneration committee/i, 'Remuneration committee'],
  [/primary care commissioning committee/i, 'Primary care commissioning committee'],
];

/**
 * What the public may be told of whom a breach was reported to: only the standard bodies the text
 * mentions, in their standard words, so that a name typed in the field can never be published.
 */
export const bodiesReportedTo = (reportedTo: string | null) =>
  reportedTo ? publicBodies.filter(([re]) => re.test(reportedTo)).map(([, body]) => body) : [];

const titles = /^(dr|mr|mrs|ms|miss|mx|prof|professor|sir|dame)\.?\s+/i;
const squash = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

/** The people (from `names`) that a text names: in full, with or without their title, or by title and surname. */
export function namesIn(text: string, names: readonly string[]): string[] {
  const t = squash(text);
  return names.filter((name) => {
    const full = squash(name.trim());
    const bare = full.replace(titles, '');
    const title = titles.exec(full)?.[1];
    const surname = bare.split(' ').at(-1) ?? '';
    const forms = [full, bare, ...(title && surname ? [`${title} ${surname}`] : [])];
    return forms.some((f) => f.length >= 3 && t.includes(f));
  });
}

const emailOrPhone = /[^\s@]+@[^\s@]+\.[^\s@]+|(?:\+44\s?|0)\d{3,4}\s?\d{3}\s?\d{3,4}/;

export interface BreachInput {
  category: string;
  occurredOn: string;
  identifiedOn: string;
  person: string;
  description: string;
  actionTaken: string;
  reportedTo: string;
}

export interface BreachValue {
  category: BreachCategory;
  occurredOn: string;
  identifiedOn: string;
  personId: number | null;
  description: string;
  actionTaken: string;
  reportedTo: string | null;
}

/** Trimmed text; a problem when required and empty, or longer than `max` (label: "what happened"). */
const text = (
  raw: string,
  field: string,
  max: number,
  label: string,
  required: boolean,
  problems: FieldProblem[],
) => {
  const v = raw.trim();
  if (!v && required) problems.push({ field, message: `Enter ${label}` });
  else if (v.length > max)
    problems.push({
      field,
      message: `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    });
  return v;
};

/** A new breach: what is missing or wrong, field by field, or the values to store. */
export function readBreach(
  input: BreachInput,
  today: string,
): { problems: FieldProblem[]; value?: BreachValue } {
  const problems: FieldProblem[] = [];
  const category = breachCategories.find((c) => c === input.category);
  if (!category) problems.push({ field: 'category', message: 'Choose the kind of breach' });
  const occurredOn = input.occurredOn.trim();
  if (!isSensibleDate(occurredOn))
    problems.push({
      field: 'occurredOn',
      message: `Enter the date the breach happened, like 2026-03-14 ${DATE_YEARS_TEXT}`,
    });
  else if (occurredOn > today)
    problems.push({ field: 'occurredOn', message: 'The date it happened cannot be in the future' });
  const identifiedOn = input.identifiedOn.trim();
  if (!isSensibleDate(identifiedOn))
    problems.push({
      field: 'identifiedOn',
      message: `Enter the date the breach was identified, like 2026-03-20 ${DATE_YEARS_TEXT}`,
    });
  else if (identifiedOn > today)
    problems.push({
      field: 'identifiedOn',
      message: 'The date it was identified cannot be in the future',
    });
  else if (isSensibleDate(occurredOn) && identifiedOn < occurredOn)
    problems.push({
      field: 'identifiedOn',
      message: 'A breach cannot be identified before it happened',
    });
  const rawPerson = input.person.trim();
  const personId = rawPerson ? Number(rawPerson) : null;
  if (personId !== null && !isRowId(personId))
    problems.push({ field: 'person', message: 'Choose the person concerned from the list' });
  const description = text(input.description, 'description', 2000, 'what happened', true, problems);
  const actionTaken = text(
    input.actionTaken,
    'actionTaken',
    1000,
    'the action taken so far',
    true,
    problems,
  );
  const reportedTo = text(
    input.reportedTo,
    'reportedTo',
    300,
    'whom it was reported to',
    false,
    problems,
  );
  if (problems.length) return { problems };
  return {
    problems,
    value: {
      category: category!,
      occurredOn,
      identifiedOn,
      personId,
      description,
      actionTaken,
      reportedTo: reportedTo || null,
    },
  };
}

export interface BreachUpdateInput {
  actionTaken: string;
  reportedTo: string;
  publicSummary: string;
  closedOn: string;
}

export interface BreachUpdateValue {
  actionTaken: string;
  reportedTo: string | null;
  publicSummary: string | null;
  closedOn: string | null;
}

/**
 * The follow-up of a breach: action taken, who it was reported to, the anonymised public summary and
 * closure. The summary must not name anyone in the group's register (`names`) nor give an email address
 * or telephone number; a breach is closed on or after the day it was identified, not in the future,
 * and only once its public summary is written (the guidance requires anonymised details to be published).
 */
export function readBreachUpdate(
  input: BreachUpdateInput,
  identifiedOn: string,
  today: string,
  names: readonly string[],
): { problems: FieldProblem[]; value?: BreachUpdateValue } {
  const problems: FieldProblem[] = [];
  const actionTaken = text(
    input.actionTaken,
    'actionTaken',
    1000,
    'the action taken',
    true,
    problems,
  );
  const reportedTo = text(
    input.reportedTo,
    'reportedTo',
    300,
    'whom it was reported to',
    false,
    problems,
  );
  const publicSummary = text(
    input.publicSummary,
    'publicSummary',
    1000,
    'the public summary',
    false,
    problems,
  );
  const named = namesIn(publicSummary, names);
  if (named.length)
    problems.push({
      field: 'publicSummary',
      message: `The public summary must be anonymised: it names ${named.join(', ')}`,
    });
  else if (emailOrPhone.test(publicSummary))
    problems.push({
      field: 'publicSummary',
      message:
        'The public summary must be anonymised: remove the email address or telephone number',
    });
  const namedInAction = namesIn(actionTaken, names);
  if (namedInAction.length)
    problems.push({
      field: 'actionTaken',
      message: `The action taken is published with the summary, so must not name anyone: it names ${namedInAction.join(', ')}`,
    });
  const closedOn = input.closedOn.trim();
  if (closedOn) {
    if (!isSensibleDate(closedOn))
      problems.push({
        field: 'closedOn',
        message: `Enter the date the breach was closed, like 2026-04-30 ${DATE_YEARS_TEXT}`,
      });
    else if (closedOn > today)
      problems.push({ field: 'closedOn', message: 'The date closed cannot be in the future' });
    else if (closedOn < identifiedOn)
      problems.push({
        field: 'closedOn',
        message: `A breach cannot be closed before it was identified (${identifiedOn})`,
      });
    if (!publicSummary)
      problems.push({
        field: 'publicSummary',
        message: 'Write the anonymised public summary before closing the breach',
      });
  }
  if (problems.length) return { problems };
  return {
    problems,
    value: {
      actionTaken,
      reportedTo: reportedTo || null,
      publicSummary: publicSummary || null,
      closedOn: closedOn || null,
    },
  };
}

export interface BreachRow {
  id: number;
  category: BreachCategory;
  identified_on: string;
  action_taken: string;
  reported_to: string | null;
  public_summary: string | null;
  closed_on: string | null;
}

/**
 * What the public sees: each breach with a written summary (kind, month identified, summary, action
 * taken, the standard bodies it was reported to, closed or not), and for each financial year how many
 * breaches were recorded and how many are still under review (no summary yet). Never the person, the
 * private description, exact dates, or the free text of whom it was reported to.
 */
export function publicBreachRegister(rows: readonly BreachRow[], today: string) {
  const breaches = [...rows]
    .filter((b) => b.public_summary)
    .sort((a, b) => b.identified_on.localeCompare(a.identified_on) || b.id - a.id)
    .map((b) => ({
      reference: b.id,
      category: b.category,
      categoryLabel: breachCategoryLabels[b.category],
      identified: monthYear(b.identified_on),
      financialYear: financialYearOf(b.identified_on).year,
      summary: b.public_summary!,
      actionTaken: b.action_taken,
      reportedTo: bodiesReportedTo(b.reported_to),
      closed: b.closed_on !== null,
      closedIn: b.closed_on ? monthYear(b.closed_on) : null,
    }));
  const years = new Map<
    string,
    { from: string; to: string; recorded: number; published: number }
  >();
  const current = financialYearOf(today);
  years.set(current.year, { from: current.from, to: current.to, recorded: 0, published: 0 });
  for (const b of rows) {
    const fy = financialYearOf(b.identified_on);
    const y = years.get(fy.year) ?? { from: fy.from, to: fy.to, recorded: 0, published: 0 };
    y.recorded += 1;
    if (b.public_summary) y.published += 1;
    years.set(fy.year, y);
  }
  const byYear = [...years]
    .map(([year, y]) => ({ year, ...y, underReview: y.recorded - y.published }))
    .sort((a, b) => b.from.localeCompare(a.from));
  return { breaches, years: byYear, thisYear: byYear.find((y) => y.year === current.year)! };
}

export interface OfficerDecisionInput {
  person: string;
  delegation: string;
  title: string;
  decision: string;
  rationale: string;
  value: string;
  organisation: string;
  decidedOn: string;
}

export interface OfficerDecisionValue {
  personId: number;
  delegation: string;
  title: string;
  decision: string;
  rationale: string;
  valuePence: bigint | null;
  organisation: string | null;
  decidedOn: string;
}

/** A decision taken by an officer under the scheme of delegation: what is missing or wrong, or the values. */
export function readOfficerDecision(
  input: OfficerDecisionInput,
  today: string,
): { problems: FieldProblem[]; value?: OfficerDecisionValue } {
  const problems: FieldProblem[] = [];
  const personId = Number(input.person.trim() || NaN);
  if (!isRowId(personId))
    problems.push({ field: 'person', message: 'Choose the officer who took the decision' });
  const delegation = text(
    input.delegation,
    'delegation',
    300,
    'the delegation the decision was taken under',
    true,
    problems,
  );
  const title = text(input.title, 'title', 200, 'what the decision is about', true, problems);
  const decision = text(input.decision, 'decision', 1000, 'the decision', true, problems);
  const rationale = text(input.rationale, 'rationale', 2000, 'the reasons', true, problems);
  const valuePence = readPounds(input.value, 'value', 'The value', problems) ?? null;
  const organisation = text(
    input.organisation,
    'organisation',
    200,
    'the organisation concerned',
    false,
    problems,
  );
  const decidedOn = input.decidedOn.trim();
  if (!isSensibleDate(decidedOn))
    problems.push({
      field: 'decidedOn',
      message: `Enter the date the decision was taken, like 2026-03-14 ${DATE_YEARS_TEXT}`,
    });
  else if (decidedOn > today)
    problems.push({
      field: 'decidedOn',
      message: 'The date of the decision cannot be in the future',
    });
  if (problems.length) return { problems };
  return {
    problems,
    value: {
      personId,
      delegation,
      title,
      decision,
      rationale,
      valuePence,
      organisation: organisation || null,
      decidedOn,
    },
  };
}
