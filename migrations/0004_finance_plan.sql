-- Commissioning finance: a group's annual plan (cost centres with budgets), QIPP schemes, the monthly
-- ledger of actuals (imported, reversible, closed month by month, corrected by journals) and commitments.

CREATE TABLE finance_plan (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  financial_year text NOT NULL CHECK (financial_year ~ '^[0-9]{4}/[0-9]{2}$'),
  allocation_pence bigint NOT NULL CHECK (allocation_pence > 0),
  -- Recurrent spend carried into the year, before growth and savings.
  committed_spend_pence bigint NOT NULL CHECK (committed_spend_pence >= 0),
  -- Demographic, activity and price growth expected in the year.
  growth_pence bigint NOT NULL CHECK (growth_pence >= 0),
  -- Demo plans are generated, and say so wherever they are shown.
  illustrative boolean NOT NULL DEFAULT false,
  basis text,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (group_id, financial_year)
);

CREATE TABLE finance_cost_centre (
  id serial PRIMARY KEY,
  plan_id integer NOT NULL REFERENCES finance_plan (id),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$'),
  name text NOT NULL,
  programme text NOT NULL CHECK (programme IN ('acute', 'community', 'mental_health', 'continuing_care',
    'prescribing', 'primary_care', 'other', 'running_costs', 'reserves')),
  -- Which rule a reserve serves; only reserves have one.
  reserve_kind text CHECK (reserve_kind IN ('surplus', 'contingency', 'non_recurrent', 'other')),
  annual_budget_pence bigint NOT NULL CHECK (annual_budget_pence >= 0),
  CHECK ((programme = 'reserves') = (reserve_kind IS NOT NULL)),
  UNIQUE (plan_id, code)
);

CREATE TABLE qipp_scheme (
  id serial PRIMARY KEY,
  plan_id integer NOT NULL REFERENCES finance_plan (id),
  name text NOT NULL,
  owner text NOT NULL,
  cost_centre_id integer REFERENCES finance_cost_centre (id),
  risk text NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
  UNIQUE (plan_id, name)
);

-- Month 1 is April. Delivered is null until the month's delivery is recorded.
CREATE TABLE qipp_month (
  scheme_id integer NOT NULL REFERENCES qipp_scheme (id),
  month smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
  planned_pence bigint NOT NULL CHECK (planned_pence >= 0),
  delivered_pence bigint CHECK (delivered_pence >= 0),
  PRIMARY KEY (scheme_id, month)
);

-- One imported ledger file: one group's actuals for one month. Reversal keeps the rows and says why.
CREATE TABLE ledger_load (
  import_id integer PRIMARY KEY REFERENCES import_log (id),
  group_id integer NOT NULL REFERENCES organisation (id),
  period text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  total_pence bigint NOT NULL,
  reversed_at timestamptz,
  reversed_by text,
  reversal_reason text,
  CHECK ((reversed_at IS NULL) = (reversal_reason IS NULL))
);
-- At most one live (not reversed) load per group and month.
CREATE UNIQUE INDEX ledger_load_live ON ledger_load (group_id, period) WHERE reversed_at IS NULL;

CREATE TABLE ledger_journal (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  period text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  reason text NOT NULL CHECK (length(reason) >= 5),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE ledger_entry (
  id bigserial PRIMARY KEY,
  cost_centre_id integer NOT NULL REFERENCES finance_cost_centre (id),
  period text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  subjective text NOT NULL,
  description text,
  amount_pence bigint NOT NULL,
  import_id integer REFERENCES ledger_load (import_id),
  journal_id integer REFERENCES ledger_journal (id),
  line integer,
  CHECK ((import_id IS NULL) <> (journal_id IS NULL))
);
CREATE INDEX ledger_entry_cost_centre ON ledger_entry (cost_centre_id, period);

CREATE TABLE ledger_period_close (
  group_id integer NOT NULL REFERENCES organisation (id),
  period text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  closed_by text NOT NULL,
  closed_at timestamptz NOT NULL,
  PRIMARY KEY (group_id, period)
);

-- Known commitments not in the phased plan (a new placement, a contract variation): the rest of the year's effect.
CREATE TABLE finance_commitment (
  id serial PRIMARY KEY,
  cost_centre_id integer NOT NULL REFERENCES finance_cost_centre (id),
  description text NOT NULL,
  amount_pence bigint NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  -- Released when the spend has arrived in the actuals or will not happen; kept, no longer counted.
  released_at timestamptz,
  released_by text,
  release_reason text,
  CHECK ((released_at IS NULL) = (release_reason IS NULL))
);

-- Finance pages are cached until the group's newest audit event changes: find it without a scan.
CREATE INDEX audit_event_organisation_id ON audit_event (organisation_id, id);
