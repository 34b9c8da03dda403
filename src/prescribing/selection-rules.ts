// Where OpenPrescribing selects presentations through dm+d (form, route, strength), the same selection read from BNF names.
//
// dm+d is not among the data Flock holds, so a measure that OpenPrescribing defines by, say, "oral
// forms of antibacterials" is written in its measure file as explicit BNF codes. These rules derive
// those codes from the names in NHSBSA's BNF code list (e.g. "Morph Sulf_Tab 60mg M/R"), and the
// measure files' lists are checked against them (selection-rules.test.ts prints what each selects).

export interface BnfPresentation {
  code: string;
  name: string;
}

/** What a measure file lists for a selection: one code filter per generic (with its brands), or a brand's own code. */
export interface SelectedCode {
  /** An OpenPrescribing code filter: "0407020Q0%AI" (the generic and every brand of it) or a full code. */
  filter: string;
  name: string;
}

/** The generic presentation a BNF code is equivalent to: chemical + "AA" + the equivalent strength twice. */
export const genericOf = (code: string) =>
  code.length === 15 ? `${code.slice(0, 9)}AA${code.slice(13)}${code.slice(13)}` : code;

/** The part of a BNF name after the product: form, strength and qualifiers ("Tab 60mg M/R"). */
export function formPart(name: string): string {
  const at = name.indexOf('_');
  return (at < 0 ? name : name.slice(at + 1)).replace(/\s+@gn$/, '').trim();
}

const has = (text: string, pattern: RegExp) => pattern.test(text);

const notOral =
  /Neb|\b(Inj|Inf|I\/V|Eye|Ear|Nsl|Neb|Inh|Inha|Suppos|Pess|Vag|Rectal|Enema|Crm|Oint|Gel|Lot|Patch|Irrig|Intraperitoneal\w*|Intrathecal|Spy|Shampoo|Paint|Tamp|Implant|Blad|Cutaneous|Foam|Mthwsh|Mouthwash|Gargle|Transdermal|Epidural|Dental|Loz|Subling\w*|Buccal|Pastil|Dust|Solvent|Dressing)\b/;
const oral =
  /\b(Tab|Tabs|Cap|Caps|Capl|Oral|Susp|Syr|Elix|Mix|Liq|Gran|Sach|Pdrs?|Linct|Chble|Disper|Disp|Orodisper|Dps|Emuls|Soln|Straw|Sprinkle|Compak)\b/;

/** dm+d route "oral": tablets, capsules, oral liquids, granules and powders taken by mouth. */
export const isOral = (name: string) => {
  const form = formPart(name);
  return has(form, oral) && !has(form, notOral);
};

/**
 * dm+d forms capsule, tablet, chewable tablet and modified-release tablet (OpenPrescribing's "solid
 * dose" statins): not dispersible, effervescent, soluble or gastro-resistant tablets, nor
 * modified-release capsules, sachets or liquids.
 */
export function isSolidOral(name: string): boolean {
  const form = formPart(name);
  if (!/^(Tab|Cap)\b/.test(form)) return false;
  if (/\b(Disper|Disp|Orodisper|Eff|Solb|G\/R|E\/C|Subling\w*|Buccal)\b/.test(form)) return false;
  if (/^Cap\b/.test(form) && /M\/R|S\/R/.test(form)) return false;
  return true;
}

/** dm+d pressurised inhalation, powder inhalation and inhalation solution (BNF "Inh Soln"); not nebuliser suspensions. */
export function isInhaled(name: string): boolean {
  const form = formPart(name);
  if (/\bInh Susp\b|\bNeb Susp\b/.test(form)) return false;
  return /\b(Inh|Inha|InhBA|Pdr For Inh|Pdr Inh|Inh Soln|Cyclocap|Ventide)\b/.test(form);
}

/** dm+d tablet, capsule and chewable tablet, taken by mouth: not modified-release, dispersible, soluble or effervescent. */
export function isPlainTabletOrCapsule(name: string): boolean {
  return isSolidOral(name) && !/M\/R|S\/R|\bXL\b|\bSR\b|\bCR\b/.test(formPart(name));
}

/** Modified-release forms taken by mouth (tablets, capsules, granules). */
export const isModifiedReleaseOral = (name: string) =>
  isOral(name) && /M\/R|S\/R|\bXL\b|\bSR\b|\bCR\b/.test(formPart(name));

/** Transdermal patches with a stated rate (micrograms an hour), as dm+d holds them. */
export const isRatedPatch = (name: string) =>
  /Patch/.test(formPart(name)) && /mcg\/hr?/.test(formPart(name));

/** The first strength in a name, in the unit it is written in ("60mg" → 60, "52.5mcg/hr" → 52.5). */
export function strengthOf(name: string, index = 0): number | undefined {
  const values = [...formPart(name).matchAll(/(\d+(?:\.\d+)?)(?=\s*(?:mg|mcg|g\b|\/))/g)].map((m) =>
    Number(m[1]),
  );
  return values[index];
}

interface Rule {
  /** Generic presentations (code[9..11] = "AA") the selection includes, with all their brands. */
  generic?: (p: BnfPresentation) => boolean;
  /** Presentations the selection includes one by one, brand or generic (dm+d names, not forms). */
  code?: (p: BnfPresentation) => boolean;
  /** Brand codes taken out again although their generic is in (MXL 60 mg, Onexila 40 mg). */
  excludeBrand?: (p: BnfPresentation) => boolean;
}

const chemical = (p: BnfPresentation) => p.code.slice(0, 9);
const inChemicals =
  (...codes: string[]) =>
  (p: BnfPresentation) =>
    codes.some((c) => p.code.startsWith(c));

const antibacterials = (p: BnfPresentation) =>
  p.code.startsWith('0501') && !p.code.startsWith('050109') && !p.code.startsWith('050110');
const broadSpectrum = inChemicals('0501013K0', '0501021', '050112');

const saba = inChemicals('0301011R0', '0301011V0');
const inhaledCorticosteroid = inChemicals('0302');

/** Statins by chemical, and the position of the statin's strength in the name (combinations name it first or second). */
const statins: Record<string, { below?: number; index: number }> = {
  '0212000B0': { below: 20, index: 0 }, // atorvastatin: under 20 mg is low or medium intensity
  '0212000AA': { below: 10, index: 0 }, // rosuvastatin: under 10 mg
  '0212000Y0': { below: 80, index: 0 }, // simvastatin: under 80 mg
  '0212000AC': { below: 80, index: 0 }, // simvastatin with ezetimibe (simvastatin first)
  '0212000AJ': { below: 80, index: 1 }, // fenofibrate with simvastatin (simvastatin second)
  '0212000C0': { index: 0 }, // cerivastatin: every strength
  '0212000M0': { index: 0 }, // fluvastatin: every strength
  '0212000X0': { index: 0 }, // pravastatin: every strength
};
const statin = (p: BnfPresentation) => statins[chemical(p)] !== undefined && isSolidOral(p.name);
function lowerIntensityStatin(p: BnfPresentation): boolean {
  const rule = statins[chemical(p)];
  if (!rule || !isSolidOral(p.name)) return false;
  if (rule.below === undefined) return true;
  const strength = strengthOf(p.name, rule.index);
  return strength !== undefined && strength < rule.below;
}

/** Long-acting opioids (OpenPrescribing's high-dose opioid measure): which, and from what strength each is "high dose". */
const longActingOpioids: {
  chemicals: string[];
  form: (name: string) => boolean;
  highFrom?: number;
}[] = [
  { chemicals: ['0407020A0'], form: isRatedPatch, highFrom: 50 }, // fentanyl patches, mcg/hour
  { chemicals: ['0407020AD', '0407020Z0', '0407020AF'], form: isModifiedReleaseOral, highFrom: 40 }, // oxycodone (and with naloxone), mg
  { chemicals: ['0407020AG'], form: isModifiedReleaseOral, highFrom: 150 }, // tapentadol, mg
  { chemicals: ['0407020B0'], form: isRatedPatch, highFrom: 52.5 }, // buprenorphine patches, mcg/hour
  { chemicals: ['0407020Q0', '0407020P0'], form: isModifiedReleaseOral, highFrom: 60 }, // morphine, mg
  { chemicals: ['040702050'], form: isModifiedReleaseOral }, // hydromorphone: counted, never high dose
];
const opioidRule = (p: BnfPresentation) =>
  longActingOpioids.find((o) => o.chemicals.some((c) => p.code.startsWith(c)) && o.form(p.name));
/** Once-daily brands whose strength means a lower daily dose than the twice-daily generic's. */
const onceDaily = (p: BnfPresentation) => {
  const strength = strengthOf(p.name);
  if (strength === undefined) return false;
  if (/^MXL[_ ]/.test(p.name)) return strength < 120;
  if (/^Onexila\b/.test(p.name)) return strength < 80;
  return false;
};

/** Lancets NHS England recommends (commissioning recommendations, 2024), as OpenPrescribing lists them. */
const recommendedLancets = new Set([
  '21010900637',
  '21010900736',
  '21010900735',
  '21010900620',
  '21012600154',
  '21010900689',
  '21010900853',
  '21010900855',
  '21010900854',
  '21010900856',
  '21010900729',
  '21010900935',
  '21010900936',
  '21010900728',
  '21010900946',
  '21010900945',
  '21010900684',
  '21010900725',
  '21010900563',
  '21010900512',
  '21010900564',
  '21012600193',
]);
const isLancet = (p: BnfPresentation) => p.name.toLowerCase().includes('lancets');

/** The long-term medicines OpenPrescribing checks for seven-day prescribing. */
const sevenDayChemicals = inChemicals(
  '0205051R0',
  '0212000B0',
  '0212000Y0',
  '0602010V0',
  '0206020A0',
);

/** The derived selections, by measure file and part. */
export const selectionRules: Record<string, { numerator?: Rule; denominator?: Rule }> = {
  broad_spectrum_antibiotics: {
    numerator: { generic: (p) => broadSpectrum(p) && isOral(p.name) },
    denominator: { generic: (p) => antibacterials(p) && isOral(p.name) },
  },
  all_antibiotics: {
    numerator: { generic: (p) => antibacterials(p) && isOral(p.name) },
  },
  saba_share_of_inhalers: {
    numerator: { generic: (p) => saba(p) && isInhaled(p.name) },
    denominator: {
      generic: (p) => (saba(p) || inhaledCorticosteroid(p)) && isInhaled(p.name),
    },
  },
  low_medium_intensity_statins: {
    numerator: { generic: lowerIntensityStatin },
    denominator: { generic: statin },
  },
  high_dose_opioids: {
    numerator: {
      generic: (p) => {
        const rule = opioidRule(p);
        const strength = strengthOf(p.name);
        return rule?.highFrom !== undefined && strength !== undefined && strength >= rule.highFrom;
      },
      excludeBrand: onceDaily,
    },
    denominator: { generic: (p) => opioidRule(p) !== undefined },
  },
  lpfentanylir: {
    // Fentanyl for breakthrough pain: lozenges, buccal and sublingual tablets, films and nasal sprays.
    numerator: {
      generic: (p) =>
        p.code.startsWith('0407020A0') && /\b(Loz|Subling\w*|Buccal|Nsl)\b/.test(formPart(p.name)),
    },
  },
  lpperindopril: {
    numerator: { generic: inChemicals('0205051Y0', '0205051Z0') },
  },
  lptramadolpara: {
    numerator: {
      generic: (p) => p.code.startsWith('040702040') && /Paracet/.test(p.name),
    },
  },
  lpglucosamine: {
    // Any product of glucosamine or chondroitin, but not chondroitin bladder instillations.
    numerator: { code: (p) => /glucosamine|chondroitin/i.test(p.name) && !/bladder/i.test(p.name) },
  },
  lpherbal: {
    // Gamolenic acid and ubidecarenone (co-enzyme Q10); dm+d's licensing of traditional herbal
    // registrations cannot be read from the BNF list.
    numerator: { code: (p) => /gamolenic|ubidecarenone|co-?enzyme[ -]?q/i.test(p.name) },
  },
  lpbathshoweremollients: {
    // OpenPrescribing's own query of the BNF list, restated: emollient bath and shower preparations
    // (not aqueous cream, not shampoos), and other emollients, toiletries and appliance emollients
    // named for the bath, washing or the shower (not wash caps, mitts, antimicrobial or feminine washes).
    numerator: {
      code: (p) => {
        const name = p.name.toLowerCase();
        const bathAndShower =
          !name.includes(' shampoo') &&
          p.code.startsWith('1302011') &&
          !/^130201100.*AM$/.test(p.code);
        const namedForWashing =
          /^(130201000|1902055|2122)/.test(p.code) &&
          /bath|wash|shower/.test(name) &&
          !/wash cap|wash mitts|antimicrobial|feminine/.test(name);
        return bathAndShower || namedForWashing;
      },
    },
  },
  nhse_lancets: {
    // OpenPrescribing selects lancets by name (any presentation called lancets), then takes out the
    // recommended ones.
    numerator: { code: (p) => isLancet(p) && !recommendedLancets.has(p.code) },
    denominator: { code: isLancet },
  },
  seven_day_prescribing: {
    numerator: { generic: (p) => sevenDayChemicals(p) && isPlainTabletOrCapsule(p.name) },
    denominator: { generic: (p) => sevenDayChemicals(p) && isPlainTabletOrCapsule(p.name) },
  },
  excess_pens: {
    // Semaglutide injections (tirzepatide came after the BNF list Flock holds).
    numerator: {
      generic: (p) => p.code.startsWith('0601023AW') && /\bInj\b/.test(formPart(p.name)),
    },
    denominator: {
      generic: (p) => p.code.startsWith('0601023AW') && /\bInj\b/.test(formPart(p.name)),
    },
  },
  lpneedles: {
    // Insulin pen needles (their price per needle is checked month by month in the measure).
    numerator: { code: (p) => p.code.startsWith('21010900') && /Needles? Pen Inj/i.test(p.name) },
  },
};

/**
 * The codes a rule selects from the BNF list: a "chemical%XX" filter for each generic it includes
 * (which takes its brands too), then "~code" for any brand taken out again.
 */
export function select(rule: Rule, presentations: readonly BnfPresentation[]): SelectedCode[] {
  const generics = presentations.filter(
    (p) => p.code.length === 15 && p.code.slice(9, 11) === 'AA' && genericOf(p.code) === p.code,
  );
  const chosen = rule.generic ? generics.filter(rule.generic) : [];
  const chosenCodes = new Set(chosen.map((p) => p.code));
  const clean = (name: string) => name.replace(/\s+@gn$/, '').trim();
  const selected: SelectedCode[] = chosen.map((p) => ({
    filter: `${p.code.slice(0, 9)}%${p.code.slice(13)}`,
    name: clean(p.name),
  }));
  if (rule.code)
    for (const p of presentations)
      if (rule.code(p)) selected.push({ filter: p.code, name: clean(p.name) });
  if (rule.excludeBrand) {
    for (const p of presentations) {
      if (p.code.slice(9, 11) === 'AA' || !chosenCodes.has(genericOf(p.code))) continue;
      if (rule.excludeBrand(p)) selected.push({ filter: `~${p.code}`, name: p.name });
    }
  }
  return selected.sort((a, b) => a.filter.localeCompare(b.filter));
}
