// Row type of NHS payments to general practice, one row per practice and financial year.

export interface GpPaymentTable {
  practice_id: number;
  financial_year: string;
  contract_type: string | null;
  dispensing: boolean | null;
  /** numeric(14,2) kept as its exact decimal text: NHS Digital publishes quarterly averages */
  registered_patients: string | null;
  /** numeric(14,2) kept as its exact decimal text */
  weighted_patients: string | null;
  /** integer pence */
  total_payments_pence: bigint;
  total_after_deductions_pence: bigint | null;
  /** The CCG / sub-ICB the file names for the practice that year (null in imports before it was kept). */
  commissioner_code: string | null;
  import_id: number;
}
