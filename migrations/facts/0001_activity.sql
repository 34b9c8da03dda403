-- Activity facts: hospital activity by commissioner (MAR), A&E by provider, and activity by practice.

-- NHS England Monthly Activity Return, one row per commissioner, month and measure ('ENG' = England).
CREATE TABLE commissioner_activity (
  commissioner_code VARCHAR NOT NULL,
  commissioner_name VARCHAR NOT NULL,
  month DATE NOT NULL,
  measure VARCHAR NOT NULL,
  -- Counts, kept as published: two cells in the real file carry a tenth (462003.1).
  value DOUBLE NOT NULL,
  import_id INTEGER NOT NULL,
  PRIMARY KEY (commissioner_code, month, measure)
);

-- A&E attendances and emergency admissions by provider, month and department type (1, 2, other).
CREATE TABLE ae_attendance (
  provider_code VARCHAR NOT NULL,
  month DATE NOT NULL,
  department_type VARCHAR NOT NULL,
  attendances INTEGER NOT NULL,
  breaches INTEGER NOT NULL,
  admissions INTEGER NOT NULL,
  import_id INTEGER NOT NULL,
  PRIMARY KEY (provider_code, month, department_type)
);

-- Activity by practice, month, point of delivery and treatment function ('' where none applies).
CREATE TABLE practice_activity (
  practice_code VARCHAR NOT NULL,
  month DATE NOT NULL,
  point_of_delivery VARCHAR NOT NULL,
  treatment_function VARCHAR NOT NULL,
  count INTEGER NOT NULL,
  synthetic BOOLEAN NOT NULL,
  import_id INTEGER NOT NULL,
  PRIMARY KEY (practice_code, month, point_of_delivery, treatment_function)
);
