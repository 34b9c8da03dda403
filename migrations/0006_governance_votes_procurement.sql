-- Clinically-led governance, second part: member practice votes and consultations, the procurement
-- decisions register, the breaches register, decisions taken by delegated officers, meeting papers and
-- the guardian's public contact.

-- Who may cast a member practice's vote: the practice's nominated representative(s), each a user.
CREATE TABLE gov_practice_voter (
  group_id integer NOT NULL REFERENCES organisation (id),
  practice_id integer NOT NULL REFERENCES organisation (id),
  user_id integer NOT NULL REFERENCES app_user (id),
  nominated_on date NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (practice_id, user_id)
);
CREATE INDEX gov_practice_voter_user ON gov_practice_voter (user_id);

-- A question put to the member practices: a vote (for / against / abstain) or a consultation
-- (views only), with its papers and deadline, optionally informing the decision on an agenda item.
CREATE TABLE gov_member_vote (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  kind text NOT NULL CHECK (kind IN ('vote', 'consultation')),
  question text NOT NULL,
  papers text NOT NULL,
  opens_on date NOT NULL,
  closes_at timestamptz NOT NULL,
  -- 'practice': one practice, one vote; 'list_size': each vote weighted by the practice's list size
  -- on the day the vote opened (as some constitutions say).
  weighting text NOT NULL CHECK (weighting IN ('practice', 'list_size')),
  item_id integer REFERENCES gov_agenda_item (id),
  illustrative boolean NOT NULL DEFAULT false,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX gov_member_vote_group ON gov_member_vote (group_id);

-- One ballot per practice per vote; never replaced (a second ballot is refused).
CREATE TABLE gov_member_ballot (
  vote_id integer NOT NULL REFERENCES gov_member_vote (id),
  practice_id integer NOT NULL REFERENCES organisation (id),
  choice text NOT NULL CHECK (choice IN ('for', 'against', 'abstain', 'view')),
  comment text,
  -- The weight counted: 1, or the practice's registered list size when the vote opened.
  weight integer NOT NULL CHECK (weight >= 0),
  cast_by text NOT NULL,
  on_behalf boolean NOT NULL DEFAULT false,
  cast_at timestamptz NOT NULL,
  PRIMARY KEY (vote_id, practice_id)
);

-- Reminders sent to the practices that had not voted yet.
CREATE TABLE gov_member_vote_reminder (
  id serial PRIMARY KEY,
  vote_id integer NOT NULL REFERENCES gov_member_vote (id),
  practices integer NOT NULL CHECK (practices >= 0),
  sent_by text NOT NULL,
  sent_at timestamptz NOT NULL
);

-- The procurement decisions register.
CREATE TABLE gov_procurement (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  title text NOT NULL,
  service text NOT NULL,
  route text NOT NULL CHECK (route IN ('aqp', 'competitive', 'direct_award_a', 'direct_award_b',
    'direct_award_c', 'most_suitable_provider')),
  -- Total contract value over its whole term, in pence.
  value_pence bigint NOT NULL CHECK (value_pence >= 0),
  contract_starts_on date,
  contract_ends_on date,
  -- The award: who, when, by whom (a committee or a delegated officer), and why.
  awarded_to text,
  awarded_to_code text,
  decided_on date,
  decided_by text,
  rationale text,
  item_id integer REFERENCES gov_agenda_item (id),
  -- Notices: intention to award (starts the standstill) and the contract award notice.
  intention_notice_on date,
  award_notice_on date,
  illustrative boolean NOT NULL DEFAULT false,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  CHECK (contract_ends_on IS NULL OR contract_starts_on IS NULL OR contract_ends_on >= contract_starts_on)
);
CREATE INDEX gov_procurement_group ON gov_procurement (group_id);

-- Key criteria and their weights (whole percentages; they add up to 100 for a procurement).
CREATE TABLE gov_procurement_criterion (
  procurement_id integer NOT NULL REFERENCES gov_procurement (id),
  position integer NOT NULL,
  name text NOT NULL,
  weight integer NOT NULL CHECK (weight > 0 AND weight <= 100),
  PRIMARY KEY (procurement_id, position)
);

-- Providers evaluated, and their score against each criterion (0 to 100 per cent of the marks).
CREATE TABLE gov_procurement_bidder (
  id serial PRIMARY KEY,
  procurement_id integer NOT NULL REFERENCES gov_procurement (id),
  name text NOT NULL,
  organisation_code text
);

CREATE TABLE gov_procurement_score (
  bidder_id integer NOT NULL REFERENCES gov_procurement_bidder (id),
  position integer NOT NULL,
  score integer NOT NULL CHECK (score >= 0 AND score <= 100),
  PRIMARY KEY (bidder_id, position)
);

-- Who took part in the decision, the conflict each declared (if any) and how it was managed.
CREATE TABLE gov_procurement_decision_maker (
  procurement_id integer NOT NULL REFERENCES gov_procurement (id),
  person_id integer NOT NULL REFERENCES gov_person (id),
  conflict text,
  managed text,
  PRIMARY KEY (procurement_id, person_id)
);

-- Breaches of the conflicts of interest (or gifts, or procurement) rules. The description and the
-- person are private; the public sees only the anonymised summary, once written.
CREATE TABLE gov_breach (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  category text NOT NULL CHECK (category IN ('interests', 'gifts', 'procurement', 'decision', 'other')),
  occurred_on date NOT NULL,
  identified_on date NOT NULL,
  person_id integer REFERENCES gov_person (id),
  description text NOT NULL,
  action_taken text NOT NULL,
  reported_to text,
  public_summary text,
  closed_on date,
  illustrative boolean NOT NULL DEFAULT false,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL,
  CHECK (identified_on >= occurred_on),
  CHECK (closed_on IS NULL OR closed_on >= identified_on)
);
CREATE INDEX gov_breach_group ON gov_breach (group_id);

-- Decisions taken outside meetings by officers under the scheme of delegation.
CREATE TABLE gov_officer_decision (
  id serial PRIMARY KEY,
  group_id integer NOT NULL REFERENCES organisation (id),
  person_id integer NOT NULL REFERENCES gov_person (id),
  delegation text NOT NULL,
  title text NOT NULL,
  decision text NOT NULL,
  rationale text NOT NULL,
  value_pence bigint CHECK (value_pence IS NULL OR value_pence >= 0),
  organisation_name text,
  decided_on date NOT NULL,
  illustrative boolean NOT NULL DEFAULT false,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX gov_officer_decision_group ON gov_officer_decision (group_id);

-- Meeting papers: a short public summary or link for each agenda item.
ALTER TABLE gov_agenda_item ADD COLUMN paper text;

-- How the public contacts the conflicts of interest guardian (a role mailbox, not a person's own).
CREATE TABLE gov_group_setting (
  group_id integer PRIMARY KEY REFERENCES organisation (id),
  guardian_contact text NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);
