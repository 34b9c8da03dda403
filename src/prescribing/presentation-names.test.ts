import { describe, expect, it } from 'vitest';
import { presentationLabel, readableName } from './presentation-names.js';

describe('presentation names in words', () => {
  it.each([
    ['Amlodipine_Tab 5mg', 'Amlodipine 5mg tablets'],
    ['Morph Sulf_Tab 60mg M/R', 'Morphine sulfate 60mg modified-release tablets'],
    [
      'Tramadol HCl/Paracet_Tab 37.5mg/325mg',
      'Tramadol hydrochloride/paracetamol 37.5mg/325mg tablets',
    ],
    ['Salbutamol_Inha 100mcg (200 D) CFF', 'Salbutamol 100mcg (200 doses) CFC-free inhaler'],
    ['Cefalexin_Oral Susp 250mg/5ml S/F', 'Cefalexin 250mg/5ml oral suspension sugar free'],
    ['Lidocaine_Medicated Plaster 5%', 'Lidocaine 5% medicated plasters'],
    ['Vit B Co_Tab', 'Vitamin B compound tablets'],
    ['Tramadol HCl_Cap 50mg                @gn', 'Tramadol hydrochloride 50mg capsules'],
  ])('%s → %s', (name, words) => expect(readableName(name)).toBe(words));

  it('keeps names it cannot split, and says when a code is not in the BNF list', () => {
    expect(readableName('Glucose Blood Testing Reagents')).toBe('Glucose Blood Testing Reagents');
    expect(presentationLabel('0199999ZZAAAAAA', null)).toBe(
      'Unknown code 0199999ZZAAAAAA (not in the BNF code list)',
    );
  });
});
