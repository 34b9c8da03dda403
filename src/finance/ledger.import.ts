// Importer for a month of actuals from the finance system: one group, one month, one row per posting
// (cost centre, subjective code, amount). Checked against the group's plan and closed months.
import { z } from 'zod';
import { audit } from '../platform/audit/audit.service.js';
import { bulkInsert } from '../platform/db/bulk.js';
import { DATE_YEARS_TEXT, isSensibleYear, optionalText, text } from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';
import { formatPence, penceAsPounds, poundsToPence } from '../platform/money.js';
import { periodLabel, yearOfPeriod } from './budget.js';
import { findPlan, isClosed, listCostCentres, liveLoad, lockPeriod } from './plan.repository.js';

/** "2022-05", "202205" or "2022/05" → "2022-05". */
const period = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const m = /^(\d{4})[-/]?(\d{2})$/.exec(s);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || !isSensibleYear(Number(m[1]))) {
      ctx.addIssue({ code: 'custom', message: `expected a month like 2022-05 ${DATE_YEARS_TEXT}` });
      return z.NEVER;
    }
    return `${m[1]}-${m[2]}`;
  });

/** Pounds and pence, positive (spend) or negative (credit), at most two decimal places. */
const amount = z
  .string()
  .trim()
  .transform((s) => s.replaceAll(',', '').replace(/^(-?)£/, '$1'))
  .pipe(
    z
      .string()
      .regex(
        /^-?\d{1,13}(\.\d{1,2})?$/,
        'expected pounds and pence, like -1250.50 (two decimal places at most)',
      ),
  );

const ledgerRow = z.object({
  Entity: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{2,9}$/, 'expected the group’s ODS code, like 09G')
    .transform((s) => s.toUpperCase()),
  Period: period,
  'Cost Centre': z
    .string()
    .trim()
    .transform((s) => s.toUpperCase()),
  Subjective: text.pipe(
    z.string().regex(/^[A-Za-z0-9]{1,12}$/, 'expected a subjective code of letters and digits'),
  ),
  Amount: amount,
  Description: optionalText.optional(),
});
type LedgerRow = z.infer<typeof ledgerRow>;

/**
 * A ledger importer. From a group's own page it is given that group, and a file for any other is
 * refused; from the command line (an operator) the file's Entity says which group.
 */
export const ledgerImporter = (only?: { groupCode: string }): Importer<LedgerRow> => {
  let target:
    | {
        groupId: number;
        entity: string;
        period: string;
        costCentres: Map<string, number>;
        allocationPence: bigint;
      }
    | undefined;
  let total = 0n;
  return {
    kind: 'ledger',
    title: 'Finance ledger actuals (one group, one month)',
    layouts: [
      {
        name: 'ledger actuals',
        required: ['Entity', 'Period', 'Cost Centre', 'Subjective', 'Amount'],
        schema: ledgerRow,
      },
    ],
    async load(ctx, rows) {
      if (!target && rows[0]) {
        const { row, line } = rows[0];
        if (only && row.Entity !== only.groupCode.toUpperCase())
          return ctx.fail(
            line,
            'Entity',
            `this file is ${row.Entity}'s ledger; only ${only.groupCode}'s can be imported here`,
          );
        const group = await ctx.tx
          .selectFrom('organisation')
          .select(['id', 'code'])
          .where('code', '=', row.Entity)
          .where('type', '=', 'group')
          .executeTakeFirst();
        if (!group)
          return ctx.fail(
            line,
            'Entity',
            `there is no commissioning group with code ${row.Entity}`,
          );
        const year = yearOfPeriod(row.Period);
        const plan = await findPlan(ctx.tx, group.id, year);
        if (!plan)
          return ctx.fail(
            line,
            'Period',
            `${group.code} has no financial plan for ${year}: enter the plan first`,
          );
        await lockPeriod(ctx.tx, group.id, row.Period);
        if (await isClosed(ctx.tx, group.id, row.Period))
          ctx.fail(
            line,
            'Period',
            `${periodLabel(row.Period)} is closed for ${group.code}: a change needs a journal with a reason`,
          );
        const live = await liveLoad(ctx.tx, group.id, row.Period);
        if (live)
          ctx.fail(
            line,
            'Period',
            `${group.code}'s actuals for ${periodLabel(row.Period)} are already loaded (import ${live.import_id}); reverse that import first`,
          );
        target = {
          groupId: group.id,
          entity: group.code,
          period: row.Period,
          allocationPence: plan.allocation_pence,
          costCentres: new Map((await listCostCentres(ctx.tx, plan.id)).map((c) => [c.code, c.id])),
        };
        // Two imports of the same month at once: the second waits for the first and then finds the
        // month loaded (the partial unique index), and says so instead of failing.
        const inserted = await ctx.tx
          .insertInto('ledger_load')
          .values({
            import_id: ctx.importId,
            group_id: group.id,
            period: row.Period,
            total_pence: 0n,
            reversed_at: null,
            reversed_by: null,
            reversal_reason: null,
          })
          .onConflict((oc) =>
            oc.columns(['group_id', 'period']).where('reversed_at', 'is', null).doNothing(),
          )
          .returning('import_id')
          .executeTakeFirst();
        if (!inserted)
          return ctx.fail(
            line,
            'Period',
            `${group.code}'s actuals for ${periodLabel(row.Period)} were loaded by another import at the same time; reverse that import first`,
          );
      }
      const t = target!;
      const values = rows.map(({ row, line }) => {
        if (row.Entity !== t.entity)
          ctx.fail(
            line,
            'Entity',
            `a file holds one group's actuals: this row is ${row.Entity}, the first was ${t.entity}`,
          );
        if (row.Period !== t.period)
          ctx.fail(
            line,
            'Period',
            `a file holds one month: this row is ${row.Period}, the first was ${t.period}`,
          );
        const costCentre = t.costCentres.get(row['Cost Centre']);
        if (costCentre === undefined)
          return ctx.fail(
            line,
            'Cost Centre',
            `unknown cost centre "${row['Cost Centre']}": it is not in ${t.entity}'s ${yearOfPeriod(t.period)} plan`,
          );
        const pence = poundsToPence(row.Amount);
        // No single posting can be larger than the year's whole allocation: such a row is a typing
        // or export mistake (a missing decimal point), and would swamp every figure built on it.
        if ((pence < 0n ? -pence : pence) > t.allocationPence)
          ctx.fail(
            line,
            'Amount',
            `${formatPence(pence)} is more than ${t.entity}'s whole allocation for ${yearOfPeriod(t.period)} (${formatPence(t.allocationPence)}); no single posting can be larger`,
          );
        total += pence;
        return [
          costCentre,
          t.period,
          row.Subjective,
          row.Description ?? null,
          pence,
          ctx.importId,
          line,
        ];
      });
      await bulkInsert(
        ctx.tx,
        'ledger_entry',
        [
          { name: 'cost_centre_id', type: 'int' },
          { name: 'period', type: 'text' },
          { name: 'subjective', type: 'text' },
          { name: 'description', type: 'text' },
          { name: 'amount_pence', type: 'bigint' },
          { name: 'import_id', type: 'int' },
          { name: 'line', type: 'int' },
        ],
        values,
      );
      ctx.loaded(values.length);
    },
    async finish(ctx) {
      if (!target) return ctx.fail(undefined, undefined, 'the file has no ledger rows');
      await ctx.tx
        .updateTable('ledger_load')
        .set({ total_pence: total })
        .where('import_id', '=', ctx.importId)
        .execute();
      ctx.note(`${target.entity} ${periodLabel(target.period)}: total £${penceAsPounds(total)}`);
      // Recorded against the group too, so its administrators see it and its finance pages refresh.
      await audit(ctx.tx, ctx.actor, {
        action: 'ledger_import.loaded',
        entityType: 'ledger_load',
        entityId: String(ctx.importId),
        organisationId: target.groupId,
        after: { file: ctx.file, period: target.period, total: penceAsPounds(total) },
      });
    },
  };
};
