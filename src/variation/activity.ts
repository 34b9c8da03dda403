// The words of activity: points of delivery, treatment functions and the Monthly Activity Return's measures.

export const pointsOfDelivery = {
  'gp-referral': 'GP referrals made',
  'first-outpatient': 'First outpatient attendances',
  'elective-admission': 'Elective admissions',
  'emergency-admission': 'Emergency admissions',
  'ae-attendance': 'A&E attendances',
} as const;
export type PointOfDelivery = keyof typeof pointsOfDelivery;
export const pointOfDeliveryCodes = Object.keys(pointsOfDelivery) as PointOfDelivery[];

/** Treatment function codes (NHS Data Dictionary) used for specialties; '' = all / not applicable. */
export const treatmentFunctions: Record<string, string> = {
  '100': 'General surgery',
  '101': 'Urology',
  '110': 'Trauma and orthopaedics',
  '120': 'Ear, nose and throat',
  '130': 'Ophthalmology',
  '140': 'Oral surgery',
  '300': 'General internal medicine',
  '301': 'Gastroenterology',
  '320': 'Cardiology',
  '330': 'Dermatology',
  '340': 'Respiratory medicine',
  '400': 'Neurology',
  '410': 'Rheumatology',
  '420': 'Paediatrics',
  '430': 'Geriatric medicine',
  '502': 'Gynaecology',
  '103': 'Breast surgery',
  '104': 'Colorectal surgery',
};

/** A name as it reads inside a sentence: "GP referrals" stays, "Elective admissions" → "elective admissions". */
export const inSentence = (name: string) =>
  /^[A-Z][A-Z&]/.test(name) ? name : name.charAt(0).toLowerCase() + name.slice(1);

export const specialtyName = (code: string) =>
  code === '' ? 'All specialties' : (treatmentFunctions[code] ?? `Treatment function ${code}`);

/** The Monthly Activity Return's columns, by the short code Flock stores them under. */
export const marMeasures = {
  'elective-ordinary': 'Elective G&A Ordinary Admissions (FFCEs)',
  'elective-daycase': 'Elective G&A Daycase Admissions (FFCEs)',
  'elective-total': 'Elective G&A Total Admissions (FFCEs)',
  'elective-planned-ordinary': 'Elective G&A Planned Ordinary Admissions (FFCEs)',
  'elective-planned-daycase': 'Elective G&A Planned Daycase Admissions (FFCEs)',
  'elective-planned-total': 'Elective G&A Planned Total Admissions (FFCEs)',
  'elective-treatment-centre': 'Elective G&A Admissions (FFCEs) -NHS Treatment Centres (TCs)',
  'non-elective-total': 'Total Non-elective G&A Admissions (FFCEs)',
  'gp-referrals-made-all': 'GP Referrals Made (All specialties)',
  'gp-referrals-seen-all': 'GP Referrals Seen (All specialties)',
  'gp-referrals-made-ga': 'GP Referrals Made (G&A)',
  'gp-referrals-seen-ga': 'GP Referrals Seen (G&A)',
  'other-referrals-made-ga': 'Other Referrals Made (G&A)',
  'first-outpatient-ga': 'All 1st Outpatient Attendances (G&A)',
} as const;
export type MarMeasure = keyof typeof marMeasures;

/** Which MAR measure is the group-level total for each point of delivery (none for A&E). */
export const marMeasureFor: Partial<Record<PointOfDelivery, MarMeasure>> = {
  'gp-referral': 'gp-referrals-made-all',
  'first-outpatient': 'first-outpatient-ga',
  'elective-admission': 'elective-total',
  'emergency-admission': 'non-elective-total',
};
