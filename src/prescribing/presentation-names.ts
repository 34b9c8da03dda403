// Turns the BNF list's abbreviated names ("Amlodipine_Tab 5mg") into words people read ("Amlodipine 5mg tablets").

/** Abbreviations in the product part of a name (the drug), longest first where one contains another. */
const drugWords: [RegExp, string][] = [
  [/\bHCl\b/g, 'hydrochloride'],
  [/\bHBr\b/g, 'hydrobromide'],
  [/\bParacet\b/g, 'paracetamol'],
  [/\bMorph\b/g, 'morphine'],
  [/\bSulf\b/g, 'sulfate'],
  [/\bSod\b/g, 'sodium'],
  [/\bPot\b/g, 'potassium'],
  [/\bCalc\b/g, 'calcium'],
  [/\bMag\b/g, 'magnesium'],
  [/\bPhos\b/g, 'phosphate'],
  [/\bMesil\b/g, 'mesilate'],
  [/\bMal\b/g, 'maleate'],
  [/\bTart\b/g, 'tartrate'],
  [/\bCit\b/g, 'citrate'],
  [/\bAcet\b/g, 'acetate'],
  [/\bDiprop\b/g, 'dipropionate'],
  [/\bProp\b/g, 'propionate'],
  [/\bFumar\b/g, 'fumarate'],
  [/\bSucc\b/g, 'succinate'],
  [/\bBesil\b/g, 'besilate'],
  [/\bAnhy\b/g, 'anhydrous'],
  [/\bHydrob\b/g, 'hydrobromide'],
  [/\bTerbut\b/g, 'terbutaline'],
  [/\bVit\b/g, 'vitamin'],
  [/\bLevothyrox\b/g, 'levothyroxine'],
  [/\bChond\b/g, 'chondroitin'],
  [/\bBeclomet\b/g, 'beclometasone'],
  [/\bCo\b(?!-)/g, 'compound'],
];

/** Forms, in the part after "_": what is shown and where it goes (after the strength). */
const forms: [RegExp, string][] = [
  [/\bOrodisper Tab\b/, 'orodispersible tablets'],
  [/\bTab Disper\b|\bDisper Tab\b/, 'dispersible tablets'],
  [/\bTab Chble\b|\bChble Tab\b/, 'chewable tablets'],
  [/\bTab Eff\b|\bEff Tab\b/, 'effervescent tablets'],
  [/\bTab Solb\b|\bSolb Tab\b/, 'soluble tablets'],
  [/\bTab Sublingual\b|\bTab Subling\b/, 'sublingual tablets'],
  [/\bTab Buccal\b/, 'buccal tablets'],
  [/\bGran Sach\b/, 'granules sachets'],
  [/\bPdr Sach\b|\bSach\b/, 'sachets'],
  [/\bEff Pdr Sach\b/, 'effervescent powder sachets'],
  [/\bOral Soln\b/, 'oral solution'],
  [/\bOral Susp\b/, 'oral suspension'],
  [/\bOral Dps\b/, 'oral drops'],
  [/\bLiq Spec\b/, 'oral liquid (special order)'],
  [/\bInh Soln\b/, 'nebuliser solution'],
  [/\bInh Susp\b/, 'nebuliser suspension'],
  [/\bPdr For Inh\b|\bPdr Inh\b|\bInh Pdr\b/, 'inhalation powder'],
  [/\bInha B\/A\b|\bB\/A Inha\b/, 'breath-actuated inhaler'],
  [/\bInha\b|\bInh\b/, 'inhaler'],
  [/\bNsl Spy\b/, 'nasal spray'],
  [/\bEye Dps\b/, 'eye drops'],
  [/\bEar Dps\b/, 'ear drops'],
  [/\bTransdermal Patch\b|\bPatch\b/, 'patches'],
  [/\bSuppos\b/, 'suppositories'],
  [/\bPess\b/, 'pessaries'],
  [/\bMedicated Plaster\b/, 'medicated plasters'],
  [/\bInj\b/, 'injection'],
  [/\bInf\b/, 'infusion'],
  [/\bCrm\b/, 'cream'],
  [/\bOint\b/, 'ointment'],
  [/\bGel\b/, 'gel'],
  [/\bLot\b/, 'lotion'],
  [/\bLoz\b/, 'lozenges'],
  [/\bSyr\b/, 'syrup'],
  [/\bElix\b/, 'elixir'],
  [/\bLinct\b/, 'linctus'],
  [/\bCap\b/, 'capsules'],
  [/\bTab\b/, 'tablets'],
];

/** Qualifiers after the strength. */
const qualifiers: [RegExp, string][] = [
  [/\bM\/R\b|M\/R/, 'modified-release'],
  [/\bS\/R\b/, 'slow-release'],
  [/\bG\/R\b/, 'gastro-resistant'],
  [/\bE\/C\b/, 'enteric-coated'],
  [/\bS\/F\b/, 'sugar free'],
  [/\bCFF\b/, 'CFC-free'],
];

const sentenceCase = (text: string) =>
  text.replace(/\b([A-Z])([a-z]{2,})\b/g, (word, first: string, rest: string, at: number) =>
    at === 0 ? word : `${first.toLowerCase()}${rest}`,
  );

/**
 * A BNF presentation name in words: the drug with its abbreviations spelled out, then its
 * strength, its qualifiers and its form ("Morph Sulf_Tab 60mg M/R" → "Morphine sulfate 60mg
 * modified-release tablets"). Names it cannot read are returned with "_" as a space.
 */
export function readableName(bnfName: string): string {
  const name = bnfName.replace(/\s+@gn$/, '').trim();
  const at = name.indexOf('_');
  if (at < 0) return name;
  let drug = name.slice(0, at).trim();
  let rest = name.slice(at + 1).trim();
  for (const [pattern, word] of drugWords) drug = drug.replace(pattern, word);
  drug = sentenceCase(drug);
  let form = '';
  for (const [pattern, words] of forms) {
    if (pattern.test(rest)) {
      form = words;
      rest = rest.replace(pattern, ' ');
      break;
    }
  }
  const found: string[] = [];
  for (const [pattern, words] of qualifiers) {
    if (pattern.test(rest)) {
      found.push(words);
      rest = rest.replace(pattern, ' ');
    }
  }
  const strength = rest
    .replace(/\((\d+) ?D\)/g, '($1 doses)')
    .replace(/\bUd\b/g, 'unit dose')
    .replace(/\s+/g, ' ')
    .trim();
  const words = [
    drug,
    strength,
    ...found.filter((q) => q !== 'sugar free'),
    form,
    found.includes('sugar free') ? 'sugar free' : '',
  ]
    .filter((part) => part.length > 0)
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What a page shows for a BNF code: its name in words, or that the code is not in the BNF list. */
export const presentationLabel = (code: string, bnfName: string | null | undefined) =>
  bnfName ? readableName(bnfName) : `Unknown code ${code} (not in the BNF code list)`;
