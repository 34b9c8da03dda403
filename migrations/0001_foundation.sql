-- Foundation: organisations with dated relationships, practice facts, imports log, users, sessions, audit.

CREATE TABLE import_log (
  id serial PRIMARY KEY,
  kind text NOT NULL,
  file_name text NOT NULL,
  file_sha256 text NOT NULL,
  period text,
  rows_read integer NOT NULL DEFAULT 0,
  rows_loaded integer NOT NULL DEFAULT 0,
  rows_skipped integer NOT NULL DEFAULT 0,
  notes text,
  imported_by text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  UNIQUE (kind, file_sha256)
);

CREATE TABLE organisation (
  id serial PRIMARY KEY,
  code text NOT NULL,
  type text NOT NULL CHECK (type IN ('nation', 'region', 'icb', 'group', 'pcn', 'practice', 'provider')),
  name text NOT NULL,
  name_rank smallint NOT NULL DEFAULT 0,
  postcode text,
  open_date date,
  close_date date,
  UNIQUE (type, code)
);

-- What a source said about a relationship on a date; the dated relationships below are derived from these.
CREATE TABLE relationship_observation (
  id bigserial PRIMARY KEY,
  child_id integer NOT NULL REFERENCES organisation (id),
  parent_id integer NOT NULL REFERENCES organisation (id),
  kind text NOT NULL CHECK (kind IN ('member_of_group', 'member_of_pcn', 'part_of')),
  observed_on date NOT NULL,
  known_from date,
  known_to date,
  source text NOT NULL,
  import_id integer NOT NULL REFERENCES import_log (id),
  UNIQUE (child_id, kind, parent_id, observed_on, source)
);
CREATE INDEX relationship_observation_child ON relationship_observation (child_id, kind);

-- Dated relationships: valid_from inclusive, valid_to exclusive (null = still so).
CREATE TABLE organisation_relationship (
  child_id integer NOT NULL REFERENCES organisation (id),
  parent_id integer NOT NULL REFERENCES organisation (id),
  kind text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  PRIMARY KEY (child_id, kind, valid_from)
);
CREATE INDEX organisation_relationship_parent ON organisation_relationship (parent_id, kind);

-- Practice facts are bulk-loaded by importers that resolve every practice code against the register
-- in the same transaction; they carry no foreign keys, which would triple load time (decisions/0005).
CREATE TABLE registered_population (
  practice_id integer NOT NULL,
  extract_date date NOT NULL,
  sex text NOT NULL CHECK (sex IN ('female', 'male')),
  age_band text NOT NULL,
  patients integer NOT NULL CHECK (patients >= 0),
  import_id integer NOT NULL,
  PRIMARY KEY (practice_id, extract_date, sex, age_band)
);

CREATE TABLE reference_population (
  area_code text NOT NULL,
  area_name text NOT NULL,
  period text NOT NULL,
  sex text NOT NULL CHECK (sex IN ('female', 'male')),
  age_band text NOT NULL,
  people integer NOT NULL CHECK (people >= 0),
  import_id integer NOT NULL REFERENCES import_log (id),
  PRIMARY KEY (area_code, period, sex, age_band)
);

CREATE TABLE weighted_population (
  practice_id integer NOT NULL,
  allocation_year text NOT NULL,
  registered_patients double precision,
  projected_population double precision NOT NULL,
  general_and_acute double precision,
  community_services double precision,
  mental_health double precision,
  maternity double precision,
  health_inequalities double precision,
  prescribing double precision,
  core_services double precision,
  primary_medical_care double precision,
  primary_medical_care_final double precision,
  sub_icb_code text,
  icb_code text,
  icb_name text,
  region_code text,
  region_name text,
  import_id integer NOT NULL,
  PRIMARY KEY (practice_id, allocation_year)
);
CREATE INDEX weighted_population_icb ON weighted_population (allocation_year, icb_code);

CREATE TABLE qof_prevalence (
  practice_id integer NOT NULL,
  qof_year text NOT NULL,
  register_code text NOT NULL,
  register_size integer NOT NULL CHECK (register_size >= 0),
  list_type text NOT NULL,
  list_size integer NOT NULL CHECK (list_size >= 0),
  import_id integer NOT NULL,
  PRIMARY KEY (practice_id, qof_year, register_code)
);

CREATE TABLE deprivation (
  practice_id integer NOT NULL,
  imd_year integer NOT NULL,
  score double precision NOT NULL,
  national_decile smallint,
  import_id integer NOT NULL,
  PRIMARY KEY (practice_id, imd_year)
);

CREATE TABLE gp_payment (
  practice_id integer NOT NULL,
  financial_year text NOT NULL,
  contract_type text,
  dispensing boolean,
  registered_patients numeric(14, 2),
  weighted_patients numeric(14, 2),
  total_payments_pence bigint NOT NULL,
  total_after_deductions_pence bigint,
  import_id integer NOT NULL,
  PRIMARY KEY (practice_id, financial_year)
);

CREATE TABLE app_user (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name text NOT NULL,
  password_hash text NOT NULL,
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  disabled_at timestamptz
);

CREATE TABLE role_grant (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES app_user (id),
  role text NOT NULL CHECK (role IN ('member', 'clinical_lead', 'governing_body', 'lay_member', 'finance',
                                     'contracts', 'analyst', 'admin', 'oversight')),
  organisation_id integer NOT NULL REFERENCES organisation (id),
  granted_at timestamptz NOT NULL,
  UNIQUE (user_id, role, organisation_id)
);

CREATE TABLE user_session (
  id_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES app_user (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);

CREATE TABLE audit_event (
  id bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  actor_user_id integer,
  actor text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  organisation_id integer,
  before_state jsonb,
  after_state jsonb,
  client_address text
);
CREATE INDEX audit_event_recent ON audit_event (action, entity_id, occurred_at);
CREATE INDEX audit_event_organisation ON audit_event (organisation_id, occurred_at);

-- The audit log is append-only: the database itself refuses to change or remove a row.
CREATE FUNCTION audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

-- England itself: the organisation national oversight roles are granted on.
INSERT INTO organisation (code, type, name, name_rank) VALUES ('ENG', 'nation', 'England', 3);
