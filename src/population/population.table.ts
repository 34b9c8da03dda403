// Row types of practice population facts: age/sex lists, weighted populations, QOF registers, deprivation.

export type Sex = 'female' | 'male';

export interface RegisteredPopulationTable {
  practice_id: number;
  extract_date: string;
  sex: Sex;
  age_band: string;
  patients: number;
  import_id: number;
}

export interface ReferencePopulationTable {
  area_code: string;
  area_name: string;
  period: string;
  sex: Sex;
  age_band: string;
  people: number;
  import_id: number;
}

export interface WeightedPopulationTable {
  practice_id: number;
  allocation_year: string;
  registered_patients: number | null;
  projected_population: number;
  general_and_acute: number | null;
  community_services: number | null;
  mental_health: number | null;
  maternity: number | null;
  health_inequalities: number | null;
  prescribing: number | null;
  core_services: number | null;
  primary_medical_care: number | null;
  primary_medical_care_final: number | null;
  sub_icb_code: string | null;
  icb_code: string | null;
  icb_name: string | null;
  region_code: string | null;
  region_name: string | null;
  import_id: number;
}

export interface QofPrevalenceTable {
  practice_id: number;
  qof_year: string;
  register_code: string;
  register_size: number;
  list_type: string;
  list_size: number;
  import_id: number;
}

export interface DeprivationTable {
  practice_id: number;
  imd_year: number;
  score: number;
  national_decile: number | null;
  import_id: number;
}
