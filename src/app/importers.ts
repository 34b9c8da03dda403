// Every kind of file Flock imports, by the name used on the command line.
import {
  nhsGeographiesImporter,
  odsPracticesImporter,
  pcnMembershipImporter,
  practiceMappingImporter,
} from '../organisations/organisation.import.js';
import { ledgerImporter } from '../finance/ledger.import.js';
import { nhsTrustsImporter } from '../organisations/trusts.import.js';
import { paymentsImporter } from '../payments/payments.import.js';
import type { BulkImporter, Importer } from '../platform/imports/import-runner.js';
import { prescribingImporter } from '../prescribing/prescribing.import.js';
import { bnfCodesImporter, formulationSwapsImporter } from '../prescribing/reference.import.js';
import { allocationsImporter } from '../population/allocations.import.js';
import { deprivationImporter } from '../population/deprivation.import.js';
import { qofPrevalenceImporter } from '../population/qof.import.js';
import { referencePopulationImporter } from '../population/reference-population.import.js';
import { registeredPatientsImporter } from '../population/registered-patients.import.js';
import {
  aeAttendancesImporter,
  marCommissionerImporter,
  practiceActivityImporter,
} from '../variation/activity.import.js';

// Each importer has its own row type; the registry only routes a file to the right one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyImporter = Importer<any> | BulkImporter;

/** Factories, so that each run gets an importer with fresh state. */
export const importers: Record<string, () => AnyImporter> = {
  'ods-practices': odsPracticesImporter,
  'practice-mapping': practiceMappingImporter,
  'nhs-geographies': nhsGeographiesImporter,
  'pcn-membership': pcnMembershipImporter,
  'nhs-trusts': nhsTrustsImporter,
  allocations: allocationsImporter,
  'registered-patients': registeredPatientsImporter,
  'qof-prevalence': qofPrevalenceImporter,
  imd: deprivationImporter,
  'gp-payments': paymentsImporter,
  'england-population': referencePopulationImporter,
  'mar-commissioner': marCommissionerImporter,
  'ae-attendances': aeAttendancesImporter,
  'practice-activity': practiceActivityImporter,
  'bnf-codes': bnfCodesImporter,
  'formulation-swaps': formulationSwapsImporter,
  prescribing: prescribingImporter,
  ledger: ledgerImporter,
};

export const importKinds = Object.keys(importers);
