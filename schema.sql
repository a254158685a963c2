-- Trygg: the schema a fresh database is created from.
-- Later changes to an existing database go through webapp/migrations.py;
-- `flask init-db` runs this file and then every migration, so a fresh
-- database and an upgraded one end up the same.
--
-- Conventions: timestamps are UTC ISO 8601 text ("2026-11-26T08:15:00+00:00");
-- local school dates are 'YYYY-MM-DD' and local clock times 'HH:MM'
-- (Europe/Oslo). Every row about a school carries school_id, which is what
-- webapp/scope.py filters on.

-- ---------------------------------------------------------------- schools

CREATE TABLE school (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    municipality TEXT NOT NULL DEFAULT '',
    is_demo INTEGER NOT NULL DEFAULT 0,
    -- pattern rule (issue: leadership): N negative observations as utsatt within W days
    pattern_threshold INTEGER NOT NULL DEFAULT 3,
    pattern_window_days INTEGER NOT NULL DEFAULT 14,
    -- a melding unacknowledged for longer than this is highlighted for leaders
    unacknowledged_alert_minutes INTEGER NOT NULL DEFAULT 120,
    created_at TEXT NOT NULL
);

CREATE TABLE user (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL,
    -- NULL: account created (e.g. by CSV import) but no password set yet
    password_hash TEXT,
    role TEXT NOT NULL CHECK (role IN ('staff', 'leader', 'owner', 'admin')),
    -- free text shown next to the name: rektor, avdelingsleder, SFO-leder, lærer ...
    title TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    -- bumped on logout, deactivation and password change: old cookies stop working
    session_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

-- which schools a user belongs to (staff and leaders usually one, owners several)
CREATE TABLE membership (
    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    school_id INTEGER NOT NULL REFERENCES school(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, school_id)
);
CREATE INDEX membership_school ON membership(school_id);

CREATE TABLE school_class (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    name TEXT NOT NULL,
    contact_teacher_id INTEGER REFERENCES user(id),
    UNIQUE (school_id, name)
);

CREATE TABLE pupil (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    class_id INTEGER REFERENCES school_class(id),
    full_name TEXT NOT NULL,
    birth_date TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX pupil_school_class ON pupil(school_id, class_id);

-- the schoolyard map: one current image per school, re-encoded by Pillow
CREATE TABLE schoolyard_map (
    school_id INTEGER PRIMARY KEY REFERENCES school(id),
    image BLOB NOT NULL,
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    -- part of the image URL, so the image can be cached for a year
    version TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);

-- a zone of the schoolyard; polygon is JSON [[x, y], ...] with x, y in 0..1
-- relative to the map image, so it survives a re-sized image
CREATE TABLE zone (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    name TEXT NOT NULL,
    polygon TEXT NOT NULL DEFAULT '[]',
    sort_order INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (school_id, name)
);

-- ---------------------------------------------------------------- security

CREATE TABLE login_attempt (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    username TEXT NOT NULL COLLATE NOCASE,
    address TEXT NOT NULL,
    success INTEGER NOT NULL
);
CREATE INDEX login_attempt_username ON login_attempt(username, at);
CREATE INDEX login_attempt_address ON login_attempt(address, at);

-- who created, changed, exported or viewed a record about a pupil, and when
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES user(id),
    school_id INTEGER REFERENCES school(id),
    action TEXT NOT NULL CHECK (action IN ('view', 'create', 'update', 'export', 'delete')),
    entity TEXT NOT NULL,
    entity_id INTEGER,
    pupil_id INTEGER REFERENCES pupil(id),
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_pupil ON audit_log(pupil_id, at);
CREATE INDEX audit_log_school ON audit_log(school_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- ---------------------------------------------------------------- records (shared contract)
-- These tables are read and written by several capabilities (tilsyn, capture,
-- leadership, observation logs). Add columns at the end of a column list, in a
-- block commented with the capability that needs them.

-- a duty actually carried out: who was on duty where, from when to when.
-- Kept exactly as it happened (swaps included): it is what the school shows
-- when asked whether supervision was in place.
CREATE TABLE duty_session (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    user_id INTEGER NOT NULL REFERENCES user(id),
    zone_id INTEGER REFERENCES zone(id),
    slot_id INTEGER,                      -- the roster slot it was for, if any
    duty_date TEXT NOT NULL,              -- local date 'YYYY-MM-DD'
    started_at TEXT NOT NULL,
    ended_at TEXT,                        -- NULL while the duty is in progress
    ended_by TEXT CHECK (ended_by IN ('user', 'clock')),
    handover_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX duty_session_user ON duty_session(user_id, started_at);
CREATE INDEX duty_session_school ON duty_session(school_id, duty_date);

-- one thing a staff member saw, positive or a concern/incident
CREATE TABLE observation (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    author_id INTEGER NOT NULL REFERENCES user(id),
    -- random id made when the capture form opened: a retry or double tap
    -- with the same id gives the same record, never a second one
    client_id TEXT NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    observed_at TEXT NOT NULL,            -- the moment of the first tap (adjustable)
    recorded_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('positive', 'concern')),
    -- friminutt, sfo_utelek, sfo_innelek, overgang, klasserom, skolevei, tur, digital
    context TEXT NOT NULL DEFAULT 'friminutt',
    zone_id INTEGER REFERENCES zone(id),
    map_x REAL,                           -- 0..1 relative to the map image
    map_y REAL,
    duty_session_id INTEGER REFERENCES duty_session(id),
    offence_types TEXT NOT NULL DEFAULT '[]',  -- JSON: fysisk, verbal, indirekte, digital
    labels TEXT NOT NULL DEFAULT '[]',         -- JSON: vold, rasisme, identitetsbasert, trakassering,
                                               -- mulig_mobbing, utenforskap, konflikt, ansatt_krenker_elev
    intervened INTEGER,                   -- grep inn: 1 yes, 0 no, NULL not said
    outcome TEXT CHECK (outcome IN ('solved', 'follow_up')),  -- løst der og da / krever videre arbeid
    facts TEXT NOT NULL DEFAULT '',       -- "Hva så du?"
    comment TEXT NOT NULL DEFAULT '',     -- "Kommentar": interpretation kept apart from facts
    pupils_unclear INTEGER NOT NULL DEFAULT 0,  -- "uklart hvem"
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (author_id, client_id)
);
CREATE INDEX observation_school_time ON observation(school_id, observed_at);
CREATE INDEX observation_author_time ON observation(author_id, observed_at);
CREATE INDEX observation_zone ON observation(zone_id, observed_at);

CREATE TABLE observation_pupil (
    observation_id INTEGER NOT NULL REFERENCES observation(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    role TEXT NOT NULL CHECK (role IN ('utsatt', 'utøver', 'tilskuer', 'med')),
    PRIMARY KEY (observation_id, pupil_id)
);
CREATE INDEX observation_pupil_pupil ON observation_pupil(pupil_id, observation_id);

-- earlier versions of a corrected observation: never overwritten silently
CREATE TABLE observation_revision (
    id INTEGER PRIMARY KEY,
    observation_id INTEGER NOT NULL REFERENCES observation(id),
    version INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by INTEGER NOT NULL REFERENCES user(id),
    snapshot TEXT NOT NULL                -- JSON of the observation and its pupils before the change
);
CREATE INDEX observation_revision_observation ON observation_revision(observation_id, version);

-- a short note in the pupil's file (elevmappe), e.g. an incident solved on the spot
CREATE TABLE pupil_note (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    observation_id INTEGER REFERENCES observation(id),
    author_id INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX pupil_note_pupil ON pupil_note(pupil_id, created_at);

-- a written report to leadership (melde fra til rektor)
CREATE TABLE melding (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    observation_id INTEGER UNIQUE REFERENCES observation(id),  -- the record it came from, if any
    author_id INTEGER NOT NULL REFERENCES user(id),           -- who sent or entered it
    created_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'ansatt' CHECK (source IN ('ansatt', 'elev', 'foresatt', 'annen')),
    -- trygg, e-post, telefon, utviklingssamtale, mobbeknapp, oppmøte
    channel TEXT NOT NULL DEFAULT 'trygg',
    raised_by TEXT NOT NULL DEFAULT '',   -- who raised the concern, when not the author
    received_on TEXT,                     -- local date it was received
    received_by_id INTEGER REFERENCES user(id),
    summary TEXT NOT NULL DEFAULT '',
    section_12_5 INTEGER NOT NULL DEFAULT 0,     -- "ansatt krenker elev": skjerpet aktivitetsplikt
    concerns_leader INTEGER NOT NULL DEFAULT 0,  -- §12-5 about a leader: straight to the owner
    status TEXT NOT NULL DEFAULT 'ny' CHECK (status IN ('ny', 'mottatt', 'lukket', 'sak')),
    acknowledged_at TEXT,
    acknowledged_by INTEGER REFERENCES user(id),
    assigned_to INTEGER REFERENCES user(id),
    closed_at TEXT,
    closed_by INTEGER REFERENCES user(id),
    closed_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX melding_school_time ON melding(school_id, created_at);
CREATE INDEX melding_school_status ON melding(school_id, status);
CREATE INDEX melding_author ON melding(author_id, created_at);

CREATE TABLE melding_pupil (
    melding_id INTEGER NOT NULL REFERENCES melding(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    role TEXT NOT NULL CHECK (role IN ('utsatt', 'utøver', 'tilskuer', 'med')),
    PRIMARY KEY (melding_id, pupil_id)
);
CREATE INDEX melding_pupil_pupil ON melding_pupil(pupil_id);

-- ---------------------------------------------------------------- capture
-- what became of an observation: its notes are found by the observation too
CREATE INDEX pupil_note_observation ON pupil_note(observation_id);
