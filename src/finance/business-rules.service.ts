// The year's business rules for a group, and (given the plan's figures) each rule checked.
import { listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { poundsToPence } from '../platform/money.js';
import { latestListSizes } from '../population/population.repository.js';
import { checkPlan, ruleSets, type PlanFigures } from './business-rules.js';

export const planFields = [
  { key: 'allocation', label: 'Allocation (£)' },
  { key: 'surplus', label: 'Planned surplus (£)' },
  { key: 'contingency', label: 'Contingency reserve (£)' },
  { key: 'headroom', label: 'Non-recurrent headroom (£)' },
  { key: 'runningCosts', label: 'Running costs (£)' },
] as const;

const amount = /^\d{1,12}(\.\d{1,2})?$/;

export async function groupRules(db: Db, group: Group, q: Record<string, string | undefined>) {
  const sets = ruleSets();
  const problems: FieldProblem[] = [];
  const rules = sets.find((s) => s.year === (q.year || sets.at(-1)!.year));
  if (!rules)
    problems.push({
      field: 'year',
      message: `Choose a year with rules: ${sets.map((s) => s.year).join(', ')}`,
    });
  const values: Record<string, bigint | undefined> = {};
  for (const f of planFields) {
    const text = (q[f.key] ?? '').replaceAll(',', '').replace(/^£/, '').trim();
    if (text === '') continue;
    if (text.startsWith('-'))
      problems.push({ field: f.key, message: `${f.label} must not be negative` });
    else if (!amount.test(text))
      problems.push({
        field: f.key,
        message: `${f.label} must be an amount in pounds, like 2193070`,
      });
    else values[f.key] = poundsToPence(text);
  }
  const given = planFields.filter((f) => values[f.key] !== undefined).length;
  if (given > 0 && given < planFields.length && !problems.length)
    for (const f of planFields)
      if (values[f.key] === undefined)
        problems.push({
          field: f.key,
          message: `Enter ${f.label.toLowerCase()}, or leave every figure empty`,
        });
  if (values.allocation === 0n)
    problems.push({ field: 'allocation', message: 'The allocation must be more than £0' });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  const members = await listMembers(db, group.id, group.as_at);
  const registered = (
    await latestListSizes(
      db,
      members.map((m) => m.id),
    )
  ).reduce((s, l) => s + l.patients, 0);
  let checks = null;
  if (given === planFields.length) {
    const plan: PlanFigures = {
      allocationPence: values.allocation!,
      plannedSurplusPence: values.surplus!,
      contingencyPence: values.contingency!,
      nonRecurrentHeadroomPence: values.headroom!,
      runningCostsPence: values.runningCosts!,
      registeredPopulation: registered,
    };
    checks = checkPlan(rules!, plan);
  }
  return {
    years: sets.map((s) => s.year),
    rules: rules!,
    registered,
    checks,
    breaches: checks?.filter((c) => !c.passes).length ?? null,
  };
}
