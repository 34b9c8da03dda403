// The year's business rules for a group, and (given the plan's figures) each rule checked.
import { listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { latestListSizes } from '../population/population.repository.js';
import { readPounds } from './inputs.js';
import { checkPlan, ruleSets, type PlanFigures } from './business-rules.js';

export const planFields = [
  { key: 'allocation', label: 'Allocation (£)' },
  { key: 'surplus', label: 'Planned surplus (£)' },
  { key: 'contingency', label: 'Contingency reserve (£)' },
  { key: 'headroom', label: 'Non-recurrent headroom (£)' },
  { key: 'runningCosts', label: 'Running costs (£)' },
] as const;

/** The group's registered patients: each member's latest list size, added up. */
export async function registeredPopulation(db: Db, group: Group): Promise<number> {
  const members = await listMembers(db, group.id, group.as_at);
  const sizes = await latestListSizes(
    db,
    members.map((m) => m.id),
  );
  return sizes.reduce((s, l) => s + l.patients, 0);
}

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
  for (const f of planFields) values[f.key] = readPounds(q[f.key], f.key, f.label, problems);
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
  const registered = await registeredPopulation(db, group);
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
