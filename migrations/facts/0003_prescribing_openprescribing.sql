-- Prescribing figures by OpenPrescribing's methods: group-level values and deciles, price-per-unit
-- savings by substitution set, and a record of the method each month was computed with.
-- Everything here is derived from the prescribing facts: it is emptied now and recomputed for every
-- month held (at the next start, or by `flock prescribing compute`).

-- Derived tables carry no key index: the computation writes each key once, and a national month's
-- hundreds of thousands of rows insert and delete several times faster without one.
DROP TABLE measure_value;
CREATE TABLE measure_value (
  measure VARCHAR NOT NULL,
  month DATE NOT NULL,
  practice_code VARCHAR NOT NULL,
  numerator DOUBLE NOT NULL,
  denominator DOUBLE NOT NULL,
  numerator_cost DECIMAL(18, 5) NOT NULL,
  ratio DOUBLE,
  percentile DOUBLE,
  saving_pence BIGINT
);

-- Deciles per measure and month at each level: among standard practices, and among commissioning
-- groups whose practices' prescribing the month holds (linear interpolation).
DROP TABLE measure_decile;
CREATE TABLE measure_decile (
  measure VARCHAR NOT NULL,
  month DATE NOT NULL,
  level VARCHAR NOT NULL CHECK (level IN ('practice', 'group')),
  compared INTEGER NOT NULL,
  p10 DOUBLE, p20 DOUBLE, p30 DOUBLE, p40 DOUBLE, p50 DOUBLE, p60 DOUBLE, p70 DOUBLE, p80 DOUBLE, p90 DOUBLE,
  PRIMARY KEY (measure, month, level)
);

-- Each group's value: the sum of its practices' numerators ÷ the sum of their denominators, its
-- percentile among groups and (cost measures) what it would save at the groups' 10th percentile.
CREATE TABLE measure_group_value (
  measure VARCHAR NOT NULL,
  month DATE NOT NULL,
  group_code VARCHAR NOT NULL,
  practices INTEGER NOT NULL,
  numerator DOUBLE NOT NULL,
  denominator DOUBLE NOT NULL,
  numerator_cost DECIMAL(18, 5) NOT NULL,
  ratio DOUBLE,
  percentile DOUBLE,
  saving_pence BIGINT,
  PRIMARY KEY (measure, month, group_code)
);

-- Price per unit by substitution set: each practice's net ingredient cost and quantity over the
-- set's presentations, and what it would save at the set's national 10th percentile price, rounded to
-- the penny, where that is £10 or more (a group's savings, which count every practice's, are added up
-- from the prescribing and the targets when asked for).
DROP TABLE ppu_saving;
CREATE TABLE ppu_saving (
  month DATE NOT NULL,
  practice_code VARCHAR NOT NULL,
  set_code VARCHAR NOT NULL,
  quantity DOUBLE NOT NULL,
  nic DECIMAL(15, 2) NOT NULL,
  price_per_unit DOUBLE,
  saving_pence BIGINT NOT NULL
);

-- The 10th percentile price per unit of each substitution set among standard practices, in pence
-- (as the savings are computed, so that every figure rounds the same way).
CREATE TABLE ppu_target (
  month DATE NOT NULL,
  set_code VARCHAR NOT NULL,
  practices INTEGER NOT NULL,
  target_pence_per_unit DOUBLE NOT NULL,
  PRIMARY KEY (month, set_code)
);

-- Which substitution set each presentation prescribed in the month belongs to.
CREATE TABLE ppu_set_code (
  month DATE NOT NULL,
  bnf_code VARCHAR NOT NULL,
  set_code VARCHAR NOT NULL,
  PRIMARY KEY (month, bnf_code)
);

-- When and by which method version (and which measure definitions) each month was computed.
CREATE TABLE prescribing_computation (
  month DATE PRIMARY KEY,
  method VARCHAR NOT NULL,
  practices INTEGER NOT NULL,
  ranked INTEGER NOT NULL,
  groups INTEGER NOT NULL,
  national BOOLEAN NOT NULL,
  computed_at TIMESTAMP NOT NULL
);

-- Prescription items by their quantity per item, for the presentations that a measure counts by the
-- size of each prescription (courses of antibiotics, seven-day prescribing): the EPD gives one row
-- per quantity per item, which `prescribing` sums away. Kept only for those presentations.
CREATE TABLE prescribing_quantity (
  month DATE NOT NULL,
  practice_code VARCHAR NOT NULL,
  bnf_code VARCHAR NOT NULL,
  quantity_per_item DOUBLE NOT NULL,
  items INTEGER NOT NULL,
  quantity DOUBLE NOT NULL,
  import_id INTEGER NOT NULL
);

-- Whether a practice's month came with quantities per item (the EPD does; PDPI files and months
-- imported before this table do not, and measures that need them show no value for them).
ALTER TABLE prescribing_source ADD COLUMN per_item_detail BOOLEAN DEFAULT false;
