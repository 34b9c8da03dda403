-- Clinically-led governance, first part: the people of a group and their appointments, and the register
-- of interests, where an edit adds a version and nothing is overwritten.

CREATE TABLE gov_person (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  name text NOT NULL,
  -- Private: never on a public page or in the public API.
  contact_email text,
  contact_phone text,
  user_id integer REFERENCES app_user (id),
  illustrative boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);
CREATE INDEX gov_person_group ON gov_person (group_id);

CREATE TABLE gov_appointment (
  id serial PRIMARY KEY,
  person_id integer NOT NULL REFERENCES gov_person (id),
  body text NOT NULL,
  role text NOT NULL CHECK (role IN ('chair', 'accountable_officer', 'chief_finance_officer', 'lay_member',
    'clinical_director', 'practice_representative', 'committee_member', 'employee')),
  is_guardian boolean NOT NULL DEFAULT false,
  voting boolean NOT NULL,
  decision_maker boolean NOT NULL,
  starts_on date NOT NULL,
  ends_on date,
  CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX gov_appointment_person ON gov_appointment (person_id);

CREATE TABLE gov_interest (
  id serial PRIMARY KEY,
  person_id integer NOT NULL REFERENCES gov_person (id),
  created_at timestamptz NOT NULL
);

-- Every version of a declaration; the highest version is the current one.
CREATE TABLE gov_interest_version (
  interest_id integer NOT NULL REFERENCES gov_interest (id),
  version integer NOT NULL CHECK (version >= 1),
  category text NOT NULL CHECK (category IN ('financial', 'non_financial_professional',
    'non_financial_personal', 'indirect')),
  counterpart text NOT NULL,
  counterpart_org_id integer REFERENCES organisation (id),
  description text NOT NULL,
  arose_on date NOT NULL,
  declared_on date NOT NULL,
  ended_on date,
  action_taken text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (interest_id, version),
  CHECK (ended_on IS NULL OR ended_on >= arose_on),
  CHECK (declared_on >= arose_on)
);

-- "Nothing to declare", dated: counts as a declaration for what is due.
CREATE TABLE gov_nil_return (
  id serial PRIMARY KEY,
  person_id integer NOT NULL REFERENCES gov_person (id),
  declared_on date NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL
);

-- Gifts and hospitality offered to people in the register, accepted or declined, with the ruling of
-- the thresholds in force on the day and any approval needed.
CREATE TABLE gov_gift (
  id serial PRIMARY KEY,
  person_id integer NOT NULL REFERENCES gov_person (id),
  kind text NOT NULL CHECK (kind IN ('gift', 'hospitality')),
  offeror text NOT NULL,
  from_supplier boolean NOT NULL,
  description text NOT NULL,
  value_pence bigint NOT NULL CHECK (value_pence >= 0),
  offered_on date NOT NULL,
  accepted boolean NOT NULL,
  reason text,
  thresholds_version text NOT NULL,
  ruling text NOT NULL,
  must_declare boolean NOT NULL,
  approval text NOT NULL CHECK (approval IN ('not needed', 'pending', 'approved', 'refused')),
  decided_by text,
  decided_on date,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX gov_gift_person ON gov_gift (person_id);

-- Committees and their quorum, meetings, agenda items (with the organisation each concerns),
-- declarations at each item, and decisions.
CREATE TABLE gov_committee (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  name text NOT NULL,
  minimum_voting integer NOT NULL CHECK (minimum_voting > 0),
  lay_member_required boolean NOT NULL,
  terms text NOT NULL,
  UNIQUE (group_id, name)
);

CREATE TABLE gov_meeting (
  id serial PRIMARY KEY,
  committee_id integer NOT NULL REFERENCES gov_committee (id),
  held_on date NOT NULL,
  title text NOT NULL
);

CREATE TABLE gov_attendance (
  meeting_id integer NOT NULL REFERENCES gov_meeting (id),
  person_id integer NOT NULL REFERENCES gov_person (id),
  present boolean NOT NULL,
  PRIMARY KEY (meeting_id, person_id)
);

CREATE TABLE gov_agenda_item (
  id serial PRIMARY KEY,
  meeting_id integer NOT NULL REFERENCES gov_meeting (id),
  position integer NOT NULL,
  title text NOT NULL,
  organisation_code text,
  organisation_name text,
  for_decision boolean NOT NULL,
  UNIQUE (meeting_id, position)
);

CREATE TABLE gov_item_declaration (
  item_id integer NOT NULL REFERENCES gov_agenda_item (id),
  person_id integer NOT NULL REFERENCES gov_person (id),
  interest text NOT NULL,
  action text NOT NULL CHECK (action IN ('no action', 'may observe but not decide', 'leaves the room')),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (item_id, person_id)
);

CREATE TABLE gov_decision (
  item_id integer PRIMARY KEY REFERENCES gov_agenda_item (id),
  decision text NOT NULL,
  rationale text NOT NULL,
  votes_for integer NOT NULL CHECK (votes_for >= 0),
  votes_against integer NOT NULL CHECK (votes_against >= 0),
  abstentions integer NOT NULL CHECK (abstentions >= 0),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL
);
