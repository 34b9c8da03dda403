// QOF disease registers: names, and which patients each register's list size counts.

export const qofRegisters: Record<string, string> = {
  AF: 'Atrial fibrillation',
  AST: 'Asthma',
  CAN: 'Cancer',
  CHD: 'Coronary heart disease',
  CKD: 'Chronic kidney disease',
  COPD: 'Chronic obstructive pulmonary disease',
  DEM: 'Dementia',
  DEP: 'Depression',
  DM: 'Diabetes mellitus',
  EP: 'Epilepsy',
  HF: 'Heart failure',
  HYP: 'Hypertension',
  LD: 'Learning disability',
  MH: 'Mental health (serious mental illness)',
  NDH: 'Non-diabetic hyperglycaemia',
  OB: 'Obesity',
  OST: 'Osteoporosis',
  PAD: 'Peripheral arterial disease',
  PC: 'Palliative care',
  RA: 'Rheumatoid arthritis',
  STIA: 'Stroke and transient ischaemic attack',
};

/** The registers shown as columns of the practices table. */
export const mainRegisters = ['HYP', 'DM', 'AST', 'COPD', 'CHD', 'DEP'] as const;

export const registerName = (code: string) => qofRegisters[code] ?? code;

/** Column headings for narrow tables, as commissioners abbreviate them. */
const shortNames: Record<string, string> = {
  DM: 'Diabetes',
  COPD: 'COPD',
  CHD: 'CHD',
  STIA: 'Stroke/TIA',
  MH: 'SMI',
};
export const registerShortName = (code: string) => shortNames[code] ?? registerName(code);

/** "TOTAL" → "all ages", "17OV" → "aged 17 and over". */
export function listTypeText(listType: string): string {
  if (listType === 'TOTAL') return 'all ages';
  const m = /^(\d+)OV$/.exec(listType);
  return m ? `aged ${Number(m[1])} and over` : listType;
}
