// The measures whose codes stand for OpenPrescribing's dm+d selections: the lists match the rules over the BNF code list, and are printed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../app/config.js';
import { measures, type CodeSet } from './measures.js';
import {
  formPart,
  isInhaled,
  isOral,
  isSolidOral,
  select,
  selectionRules,
  strengthOf,
} from './selection-rules.js';

const presentations = () =>
  (
    parse(readFileSync(path.join(sharedDataPath(), 'bnf-codes/BNF_Code_Information_2020-01.csv')), {
      columns: true,
      bom: true,
    }) as Record<string, string>[]
  ).map((r) => ({ code: r['BNF Presentation Code']!, name: r['BNF Presentation']! }));

describe('forms and strengths read from BNF names', () => {
  it('tells oral, solid oral and inhaled forms apart', () => {
    expect(formPart('Morph Sulf_Tab 60mg M/R')).toBe('Tab 60mg M/R');
    expect(isOral('Amoxicillin_Cap 500mg')).toBe(true);
    expect(isOral('Amoxicillin_Oral Susp 250mg/5ml S/F')).toBe(true);
    expect(isOral('Amoxicillin_Inj 500mg Vl')).toBe(false);
    expect(isOral('Colistimethate Sod_Pdr+SolvForNebSoln 1MU')).toBe(false);
    expect(isSolidOral('Atorvastatin_Tab Chble 10mg S/F')).toBe(true);
    expect(isSolidOral('Atorvastatin_Oral Susp 20mg/5ml')).toBe(false);
    expect(isSolidOral('Simvastatin_Cap 5mg')).toBe(true);
    expect(isInhaled('Salbutamol_Inha 100mcg (200 D) CFF')).toBe(true);
    expect(isInhaled('Budesonide_Inh Susp 500mcg/2ml Ud')).toBe(false);
    expect(strengthOf('Oxycodone HCl/NaloxoneHCl_Tab 40/20mgM/R')).toBe(40);
    expect(strengthOf('Fenofibrate/Simvastatin_Tab 145mg/20mg', 1)).toBe(20);
    expect(strengthOf('Buprenorphine_Patch 52.5mcg/hr (96hr)')).toBe(52.5);
  });
});

describe('measure selections derived from the BNF code list', () => {
  const bnf = presentations();
  const derived = measures().filter(
    (m) => m.openPrescribing?.selection === 'derived-from-bnf-names',
  );

  it('has a rule for every measure that says its codes were derived', () => {
    expect(derived.length).toBeGreaterThanOrEqual(10);
    for (const m of derived) expect(selectionRules[m.id], m.id).toBeDefined();
  });

  for (const [id, parts] of Object.entries(selectionRules)) {
    it(`${id}: the measure file lists exactly what the rule selects`, () => {
      const measure = measures().find((m) => m.id === id);
      expect(measure, `no measure file ${id}.json`).toBeDefined();
      for (const part of ['numerator', 'denominator'] as const) {
        const rule = parts[part];
        if (!rule) continue;
        const selected = select(rule, bnf);
        const listed = (measure![part] as CodeSet).codes;
        // What is selected, with the BNF name of each: read it in the test output.
        console.log(
          `${id} ${part}: ${selected.length} codes\n${selected.map((s) => `  ${s.filter.padEnd(16)} ${s.name}`).join('\n')}`,
        );
        expect(listed, `${id}.${part}: paste the selection printed above`).toEqual(
          selected.map((s) => `${s.filter} # ${s.name}`),
        );
      }
    });
  }
});
