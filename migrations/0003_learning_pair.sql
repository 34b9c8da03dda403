-- Learning pairs: a practice that is a high outlier in a specialty paired with a similar one that refers less.
CREATE TABLE learning_pair (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  point_of_delivery text NOT NULL,
  treatment_function text NOT NULL,
  high_practice_id integer NOT NULL REFERENCES organisation (id),
  low_practice_id integer NOT NULL REFERENCES organisation (id),
  -- The ratios and period the pairing was based on, kept as they were then.
  period text NOT NULL,
  high_ratio numeric(8, 1) NOT NULL,
  low_ratio numeric(8, 1) NOT NULL,
  status text NOT NULL CHECK (status IN ('proposed', 'meeting arranged', 'met', 'changes agreed', 'closed')),
  follow_up_on date,
  notes text,
  created_by integer NOT NULL REFERENCES app_user (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (high_practice_id <> low_practice_id),
  UNIQUE (group_id, point_of_delivery, treatment_function, high_practice_id, low_practice_id)
);
CREATE INDEX learning_pair_group ON learning_pair (group_id);
