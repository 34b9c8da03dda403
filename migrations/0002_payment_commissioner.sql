-- The commissioner (CCG / sub-ICB) each payments file names for a practice in its financial year:
-- the denominator for comparing groups in that year, whatever later mergers did to the codes.
ALTER TABLE gp_payment ADD COLUMN commissioner_code text;
CREATE INDEX gp_payment_year_commissioner ON gp_payment (financial_year, commissioner_code);
