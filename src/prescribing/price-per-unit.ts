// Price-per-unit savings by substitution set, as OpenPrescribing computes them (substitution_sets.py, savings.py).
import type { FactSession } from '../platform/facts/fact-store.js';
import { exclusionPattern, genericChemicals, genericCodeSql } from './substitution-sets.js';

/** The smallest price-per-unit saving a practice is shown for one substitution set: £10 (OpenPrescribing). */
export const MIN_PRACTICE_SAVING_PENCE = 1000;

/**
 * Each practice's figures and saving on each substitution set in a month, for the practices listed
 * (a SQL list): as computed at import, in pence, rounded to the penny, 0 where not positive.
 */
export const practiceSetSavingSql = (practiceList: string) => `
  SELECT p.practice_code, sc.set_code, sum(p.quantity) AS quantity, sum(p.nic) AS nic,
    bool_or(${genericCodeSql('sc.bnf_code')} <> sc.set_code) AS formulations,
    greatest(0, round(sum((100 * p.nic)::BIGINT)::DOUBLE - sum(p.quantity) * any_value(t.target_pence_per_unit)))::BIGINT AS saving_pence
  FROM prescribing p
  JOIN ppu_set_code sc ON sc.month = p.month AND sc.bnf_code = p.bnf_code
  JOIN ppu_target t ON t.month = p.month AND t.set_code = sc.set_code
  WHERE p.month = ?::DATE AND p.practice_code IN (${practiceList})
  GROUP BY p.practice_code, sc.set_code`;

/**
 * Price per unit by substitution set, as OpenPrescribing computes it: each practice's net
 * ingredient cost ÷ quantity over the set's presentations; the set's target is the 10th percentile
 * (linear interpolation) of standard practices' prices; a practice's saving is its cost less its
 * quantity at the target, where positive, to the penny. A practice's savings of £10 or more are
 * stored; a group's, which add up every practice's saving however small, are computed on request
 * from the prescribing, the sets and the targets (`practiceSetSavingSql`).
 */
export async function computePricePerUnit(tx: FactSession, month: string): Promise<number> {
  // Each presentation's set: its generic equivalent (none for codes ending A0, except the pooled
  // testing reagents, nor for the exclusions), joined across really-equivalent formulations.
  const pooled = genericChemicals.map((c) => `'${c.chemical}'`).join(', ');
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_set_code AS
     SELECT bnf_code, set_code, dense_rank() OVER (ORDER BY set_code)::INTEGER AS set_id
     FROM (SELECT c.bnf_code, coalesce(s.set_code, g.generic) AS set_code
       FROM (SELECT bnf_code, ${genericCodeSql('bnf_code')} AS generic FROM rx_codes
             WHERE length(bnf_code) = 15 AND NOT regexp_matches(bnf_code, '${exclusionPattern}')
               AND (substr(bnf_code, 14, 2) <> 'A0' OR substr(bnf_code, 1, 9) IN (${pooled}))) g
       JOIN rx_codes c ON c.bnf_code = g.bnf_code
       LEFT JOIN rx_swap s ON s.code = g.generic)`,
  );
  // Net cost in whole pence (exact), as OpenPrescribing's matrices hold it, so that a saving on the
  // half-penny rounds the same way; sets by a number, which groups ten million rows faster.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_ppu AS
     SELECT practice_code, set_id, quantity, nic_pence,
       CASE WHEN quantity > 0 THEN nic_pence::DOUBLE / quantity
            WHEN nic_pence > 0 THEN 'infinity'::DOUBLE END AS ppu_pence
     FROM (SELECT p.practice_code, sc.set_id, sum(p.quantity) AS quantity,
             sum((100 * p.nic)::BIGINT) AS nic_pence
           FROM prescribing p JOIN rx_set_code sc ON sc.bnf_code = p.bnf_code
           WHERE p.month = ?::DATE GROUP BY p.practice_code, sc.set_id)`,
    [month],
  );
  // Standard practices only: the few that are not (usually none) are taken out by an anti-join.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_target AS
     SELECT x.set_id, count(*) AS practices, quantile_cont(x.ppu_pence, 0.1) AS target_pence
     FROM rx_ppu x ANTI JOIN (SELECT practice_code FROM rx_practice WHERE NOT standard) n
       ON n.practice_code = x.practice_code
     WHERE x.ppu_pence IS NOT NULL GROUP BY x.set_id`,
  );
  await tx.run('DELETE FROM rx_target WHERE NOT isfinite(target_pence)');
  for (const table of ['ppu_saving', 'ppu_target', 'ppu_set_code'])
    await tx.run(`DELETE FROM ${table} WHERE month = ?::DATE`, [month]);
  await tx.run(`INSERT INTO ppu_set_code SELECT ?::DATE, bnf_code, set_code FROM rx_set_code`, [
    month,
  ]);
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_set AS SELECT DISTINCT set_id, set_code FROM rx_set_code`,
  );
  await tx.run(
    `INSERT INTO ppu_target
     SELECT ?::DATE, s.set_code, t.practices, t.target_pence FROM rx_target t JOIN rx_set s USING (set_id)`,
    [month],
  );
  await tx.run(
    `INSERT INTO ppu_saving
     SELECT ?::DATE, x.practice_code, s.set_code, x.quantity, (x.nic_pence / 100)::DECIMAL(15, 2),
       CASE WHEN isfinite(x.ppu_pence) THEN x.ppu_pence / 100 END,
       round(x.nic_pence - x.quantity * t.target_pence)::BIGINT
     FROM rx_ppu x JOIN rx_target t ON t.set_id = x.set_id JOIN rx_set s ON s.set_id = x.set_id
     WHERE round(x.nic_pence - x.quantity * t.target_pence) >= ${MIN_PRACTICE_SAVING_PENCE}`,
    [month],
  );
  const [row] = await tx.all<{ n: number }>(
    `SELECT count(*) AS n FROM ppu_saving WHERE month = ?::DATE`,
    [month],
  );
  return row?.n ?? 0;
}
