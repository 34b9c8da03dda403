// Which acute trusts a group's patients mostly use, and trust names as they were when the data was collected.

/**
 * The main acute providers of the Sussex demo groups. No published file links A&E providers to
 * commissioners, so this is a stated local fact (from the trusts' catchments), not computed.
 */
export const mainAcuteProviders: Record<string, string[]> = {
  '09G': ['RYR', 'RXH'],
  '09D': ['RXH'],
  '09H': ['RTP'],
  '09X': ['RTP', 'RXH'],
  '09F': ['RXC'],
  '09P': ['RXC'],
  '99K': ['RXH', 'RXC'],
};

/** Names in 2016–2019, where the trust has since merged or been renamed. */
export const historicProviderNames: Record<string, string> = {
  RYR: 'Western Sussex Hospitals NHS Foundation Trust (now University Hospitals Sussex)',
  RXH: 'Brighton and Sussex University Hospitals NHS Trust (merged into University Hospitals Sussex, 2021)',
};
