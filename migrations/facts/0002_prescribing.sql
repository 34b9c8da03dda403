-- Prescribing facts: the BNF code list, practice prescribing by month, and the figures computed from it.

-- NHSBSA "BNF Code Information": one row per presentation, with every level of the hierarchy.
CREATE TABLE bnf_presentation (
  code VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  chemical_code VARCHAR NOT NULL,
  chemical VARCHAR NOT NULL,
  product_code VARCHAR NOT NULL,
  product VARCHAR NOT NULL,
  paragraph_code VARCHAR NOT NULL,
  paragraph VARCHAR NOT NULL,
  section_code VARCHAR NOT NULL,
  section VARCHAR NOT NULL,
  chapter_code VARCHAR NOT NULL,
  chapter VARCHAR NOT NULL,
  import_id INTEGER NOT NULL
);

-- Prescribing by practice, month and BNF presentation, summed over the rows a file gives per pack size.
-- No key index: a national month is ~10 million rows, kept unique by the importer and sorted by
-- (month, bnf_code, practice_code) so that measure scans over code prefixes skip whole row groups.
-- Money is exact: net ingredient cost to the penny, actual cost to the 1/1000 penny as published.
CREATE TABLE prescribing (
  month DATE NOT NULL,
  bnf_code VARCHAR NOT NULL,
  practice_code VARCHAR NOT NULL,
  items INTEGER NOT NULL,
  quantity DOUBLE NOT NULL,
  nic DECIMAL(15, 2) NOT NULL,
  actual_cost DECIMAL(18, 5) NOT NULL,
  import_id INTEGER NOT NULL
);

-- What each import said about a practice and month: its commissioner as written in the file and
-- whether the figures are synthetic (names come from ODS, not from each of 11 million rows).
CREATE TABLE prescribing_source (
  month DATE NOT NULL,
  practice_code VARCHAR NOT NULL,
  commissioner_code VARCHAR,
  synthetic BOOLEAN NOT NULL,
  import_id INTEGER NOT NULL,
  PRIMARY KEY (month, practice_code)
);

-- Codes a month's rows use that the BNF code list lacks: kept in prescribing, counted here.
CREATE TABLE prescribing_unknown_code (
  month DATE NOT NULL,
  bnf_code VARCHAR NOT NULL,
  items INTEGER NOT NULL,
  import_id INTEGER NOT NULL,
  PRIMARY KEY (month, bnf_code)
);

-- Each practice's value on each measure and month, its percentile among standard practices in
-- England, and what it would save at the national 10th percentile (integer pence, cost measures only).
CREATE TABLE measure_value (
  measure VARCHAR NOT NULL,
  month DATE NOT NULL,
  practice_code VARCHAR NOT NULL,
  numerator DOUBLE NOT NULL,
  denominator DOUBLE NOT NULL,
  numerator_cost DECIMAL(18, 5) NOT NULL,
  ratio DOUBLE,
  percentile DOUBLE,
  saving_pence BIGINT,
  PRIMARY KEY (measure, month, practice_code)
);

-- National deciles per measure and month (linear interpolation), over standard practices with a value.
CREATE TABLE measure_decile (
  measure VARCHAR NOT NULL,
  month DATE NOT NULL,
  practices INTEGER NOT NULL,
  p10 DOUBLE, p20 DOUBLE, p30 DOUBLE, p40 DOUBLE, p50 DOUBLE, p60 DOUBLE, p70 DOUBLE, p80 DOUBLE, p90 DOUBLE,
  PRIMARY KEY (measure, month)
);

-- Price-per-unit savings: per practice, month and presentation, against the national 10th percentile
-- price per unit of its substitution set. Only savings of £10 or more are kept.
CREATE TABLE ppu_saving (
  month DATE NOT NULL,
  practice_code VARCHAR NOT NULL,
  set_code VARCHAR NOT NULL,
  bnf_code VARCHAR NOT NULL,
  quantity DOUBLE NOT NULL,
  nic DECIMAL(15, 2) NOT NULL,
  price_per_unit DOUBLE NOT NULL,
  target_price_per_unit DOUBLE NOT NULL,
  saving_pence BIGINT NOT NULL,
  PRIMARY KEY (month, practice_code, bnf_code)
);

-- OpenPrescribing's formulation swaps: a presentation and an alternative formulation (tablet for
-- capsule, say) and whether the two are really equivalent; equivalent ones share a substitution set.
CREATE TABLE formulation_swap (
  code VARCHAR NOT NULL,
  alternative_code VARCHAR NOT NULL,
  equivalent BOOLEAN NOT NULL,
  import_id INTEGER NOT NULL,
  PRIMARY KEY (code, alternative_code)
);
