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
    created_at TEXT NOT NULL
);

-- one row per log-in on a device; its random id is what the session and remember cookies carry
-- (webapp/auth/store.py). "Logg ut" ends the device's own row; "Logg ut overalt", a new password,
-- a password reset and a deactivated account end all of the user's
CREATE TABLE user_session (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    -- what the User-Agent says in two words ("iPhone, Safari"): no more, so it tells nothing about the person
    device TEXT NOT NULL DEFAULT '',
    -- "husk meg": a remember cookie may start the session again after the browser closes
    remember INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    -- moved on when the session's own last_seen is, at most once a minute and never by a poll
    last_seen_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX user_session_open ON user_session(user_id) WHERE ended_at IS NULL;

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
    created_at TEXT NOT NULL,
    -- innsyn: fortrolig adresse; the pupil's school, class and address never go into what is sent to others
    confidential_address INTEGER NOT NULL DEFAULT 0
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

-- who viewed, exported, created or changed a record about a pupil, and when: the one audit
-- trail, append-only (webapp/audit.py)
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES user(id),
    school_id INTEGER REFERENCES school(id),
    action TEXT NOT NULL CHECK (action IN ('view', 'create', 'update', 'export', 'delete')),
    entity TEXT NOT NULL,
    entity_id INTEGER,
    pupil_id INTEGER REFERENCES pupil(id),
    detail TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the previous line's digest and this line's id and content (webapp/audit.py): a hash chain
    digest TEXT
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
    handover_note TEXT NOT NULL DEFAULT '',
    -- tilsyn: when the rostered duty ends (UTC); the clock closes the session after it
    planned_end_at TEXT,
    -- tilsyn: the swap or reassignment under which this person took the duty, if any
    change_id INTEGER REFERENCES duty_change(id)
);
CREATE INDEX duty_session_user ON duty_session(user_id, started_at);
CREATE INDEX duty_session_school ON duty_session(school_id, duty_date);
-- duties in progress: a handful, found without reading the year's ended ones (read on every capture)
CREATE INDEX duty_session_open ON duty_session(user_id, started_at) WHERE ended_at IS NULL;

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
    -- capture: who the adult was in a § 12-5 record ("ansatt krenker elev"), as the author wrote it (never an account)
    adult_involved TEXT NOT NULL DEFAULT '',
    UNIQUE (author_id, client_id)
);
CREATE INDEX observation_school_time ON observation(school_id, observed_at);
-- one's own records are read per school: the school in the index spares reading each row to check it
CREATE INDEX observation_author_school_time ON observation(author_id, school_id, observed_at);
CREATE INDEX observation_zone ON observation(zone_id, observed_at);
-- concerns only, newest first: the feed walks these until a page is full, and a filter
-- (class, label) that skips most of them reads no positive observation on the way
CREATE INDEX observation_school_concern_time ON observation(school_id, observed_at) WHERE kind = 'concern';

CREATE TABLE observation_pupil (
    observation_id INTEGER NOT NULL REFERENCES observation(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    role TEXT NOT NULL CHECK (role IN ('utsatt', 'utøver', 'tilskuer', 'med')),
    -- leadership: the observation's observed_at, copied here by the triggers below, so that
    -- one pupil's records can be read newest first from an index and a page stops early
    observed_at TEXT,
    -- leadership: the pupil's class now (not when observed), copied from pupil by the triggers
    -- below, so that the feed filtered by class reads the class's records newest first too
    class_id INTEGER,
    -- leadership: the observation's kind, copied by the triggers below, so that the walk through
    -- a class's records skips the positive observations (most of them) without reading each
    kind TEXT,
    PRIMARY KEY (observation_id, pupil_id)
);
-- a pupil's records newest first (feed filtered by pupil, chronology); the id breaks ties
-- the way the feed orders them, and serves every look-up by pupil
CREATE INDEX observation_pupil_pupil_time ON observation_pupil(pupil_id, observed_at, observation_id);
-- the copy is made by the database, not by each writer (capture, leadership, observation
-- logs, demo and bench all insert pupils), and follows a corrected time; a writer that
-- inserts the right value (capture's save) spares the row and its indexes a second write
CREATE TRIGGER observation_pupil_observed_at AFTER INSERT ON observation_pupil
WHEN NEW.observed_at IS NOT (SELECT observed_at FROM observation WHERE observation.id = NEW.observation_id)
BEGIN
    UPDATE observation_pupil
    SET observed_at = (SELECT observed_at FROM observation WHERE observation.id = NEW.observation_id)
    WHERE observation_id = NEW.observation_id AND pupil_id = NEW.pupil_id;
END;
CREATE TRIGGER observation_observed_at_to_pupils
AFTER UPDATE OF observed_at ON observation
WHEN NEW.observed_at IS NOT OLD.observed_at
BEGIN
    UPDATE observation_pupil SET observed_at = NEW.observed_at WHERE observation_id = NEW.id;
END;
-- a class's concerns (or positive observations) newest first (feed filtered by class); the
-- class follows the pupil's
CREATE INDEX observation_pupil_class_kind_time ON observation_pupil(class_id, kind, observed_at, observation_id);
CREATE TRIGGER observation_pupil_class AFTER INSERT ON observation_pupil
WHEN NEW.class_id IS NOT (SELECT class_id FROM pupil WHERE pupil.id = NEW.pupil_id)
BEGIN
    UPDATE observation_pupil SET class_id = (SELECT class_id FROM pupil WHERE pupil.id = NEW.pupil_id)
    WHERE observation_id = NEW.observation_id AND pupil_id = NEW.pupil_id;
END;
CREATE TRIGGER pupil_class_to_observations AFTER UPDATE OF class_id ON pupil
WHEN NEW.class_id IS NOT OLD.class_id
BEGIN
    UPDATE observation_pupil SET class_id = NEW.class_id WHERE pupil_id = NEW.id;
END;
CREATE TRIGGER observation_pupil_kind AFTER INSERT ON observation_pupil
WHEN NEW.kind IS NOT (SELECT kind FROM observation WHERE observation.id = NEW.observation_id)
BEGIN
    UPDATE observation_pupil SET kind = (SELECT kind FROM observation WHERE observation.id = NEW.observation_id)
    WHERE observation_id = NEW.observation_id AND pupil_id = NEW.pupil_id;
END;
CREATE TRIGGER observation_kind_to_pupils AFTER UPDATE OF kind ON observation
WHEN NEW.kind IS NOT OLD.kind
BEGIN
    UPDATE observation_pupil SET kind = NEW.kind WHERE observation_id = NEW.id;
END;

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
    closed_reason TEXT NOT NULL DEFAULT '',
    adult_involved TEXT NOT NULL DEFAULT ''      -- capture, feed: §12-5, who the adult was (text, never an account)
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

-- ---------------------------------------------------------------- observation logs (systematic observation, Vedlegg 8)
-- A planned observation of a class (and optionally one pupil) over some days,
-- shared out to observers, logged on the phone and put together. Named
-- observation_plan/_log because `observation` is taken by the duty records.

-- the observation and its plan (Vedlegg 8:1)
CREATE TABLE observation_plan (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    class_id INTEGER NOT NULL REFERENCES school_class(id),
    pupil_id INTEGER REFERENCES pupil(id),  -- enkeltelev, if one pupil is in focus
    starts_on TEXT NOT NULL,                -- local dates 'YYYY-MM-DD': the observation runs
    ends_on TEXT NOT NULL,                  -- from the start of starts_on to the end of ends_on
    answers TEXT NOT NULL DEFAULT '{}',     -- JSON: planning question key → answer (vedlegg8.PLANNING_QUESTIONS)
    needs TEXT NOT NULL DEFAULT '[]',       -- JSON: keys of "Hva trenger vi å vite?" (vedlegg8.NEEDS)
    analysis TEXT NOT NULL DEFAULT '',      -- written when the logs are put together
    created_by INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    analysis_version INTEGER NOT NULL DEFAULT 0  -- observation logs: bumped on every save of the analysis
);
CREATE INDEX observation_plan_school ON observation_plan(school_id, ends_on);

-- who observes which situation on which day (Vedlegg 8:2)
CREATE TABLE observation_assignment (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES observation_plan(id) ON DELETE CASCADE,
    school_id INTEGER NOT NULL REFERENCES school(id),
    observer_id INTEGER NOT NULL REFERENCES user(id),
    day TEXT NOT NULL,                      -- local date
    situation TEXT NOT NULL,                -- "Utelek/storefri", "Innelek SFO 14:30–15:30" ...
    UNIQUE (plan_id, observer_id, day, situation)
);
CREATE INDEX observation_assignment_observer ON observation_assignment(observer_id, day);

-- one observer's log of one observation session (Vedlegg 8:3, the header)
CREATE TABLE observation_log (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES observation_plan(id) ON DELETE CASCADE,
    school_id INTEGER NOT NULL REFERENCES school(id),
    observer_id INTEGER NOT NULL REFERENCES user(id),
    assignment_id INTEGER REFERENCES observation_assignment(id) ON DELETE SET NULL,
    -- random id made by the page that started the log: a retried or double
    -- tapped "start" gives the same log, never a second one
    client_id TEXT NOT NULL,
    log_date TEXT NOT NULL,                 -- dato (local date)
    duration TEXT NOT NULL DEFAULT '',      -- varighet, as the observer writes it ("45 min")
    situation TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (observer_id, client_id)
);
CREATE INDEX observation_log_plan ON observation_log(plan_id, log_date);

-- one item of a log: "Hva ser du?" and "Kommentar" (facts and interpretation kept apart)
CREATE TABLE observation_log_item (
    log_id INTEGER NOT NULL REFERENCES observation_log(id) ON DELETE CASCADE,
    item TEXT NOT NULL,                     -- key from vedlegg8.SECTIONS, e.g. '5-eleven'
    seen TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (log_id, item)
);

-- an observer's or leader's decision about a duty/SFO record that flowed into
-- a running observation: keep it in the log or drop it. Records without a row
-- here are still waiting for a decision; which section a record lands in is
-- worked out from its context (rules.section_for_context), not stored.
CREATE TABLE observation_log_entry (
    plan_id INTEGER NOT NULL REFERENCES observation_plan(id) ON DELETE CASCADE,
    observation_id INTEGER NOT NULL REFERENCES observation(id) ON DELETE CASCADE,
    decision TEXT NOT NULL CHECK (decision IN ('kept', 'dropped')),
    decided_by INTEGER NOT NULL REFERENCES user(id),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, observation_id)
);
-- ---------------------------------------------------------------- tilsyn (duty roster)
-- The tilsynsplan (Vedlegg 2:2): time slots × zones × weekdays → staff.
-- Slots and assignments carry the dates they were valid (valid_to NULL: still
-- in force), so the roster of a past day stays what it was when the leader
-- later changes the plan.

CREATE TABLE duty_slot (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    starts TEXT NOT NULL,                 -- local clock time 'HH:MM'
    ends TEXT NOT NULL,
    valid_from TEXT NOT NULL,             -- local date 'YYYY-MM-DD'
    valid_to TEXT,                        -- last local date in force; NULL while current
    CHECK (starts < ends)
);
CREATE INDEX duty_slot_school ON duty_slot(school_id, starts);

-- one staff member on one slot × zone × weekday (several may share a cell)
CREATE TABLE duty_assignment (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    slot_id INTEGER NOT NULL REFERENCES duty_slot(id),
    zone_id INTEGER NOT NULL REFERENCES zone(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 4),  -- 0 = mandag
    user_id INTEGER NOT NULL REFERENCES user(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT
);
CREATE INDEX duty_assignment_school ON duty_assignment(school_id, weekday);
CREATE INDEX duty_assignment_user ON duty_assignment(user_id);

-- a dated duty moved from one person to another: a swap asked for in advance
-- ("ved planlagt fravær byttes tilsyn på forhånd") or a leader's reassignment
CREATE TABLE duty_change (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    duty_date TEXT NOT NULL,              -- local date 'YYYY-MM-DD'
    slot_id INTEGER NOT NULL REFERENCES duty_slot(id),
    zone_id INTEGER NOT NULL REFERENCES zone(id),
    from_user_id INTEGER NOT NULL REFERENCES user(id),
    to_user_id INTEGER NOT NULL REFERENCES user(id),
    kind TEXT NOT NULL CHECK (kind IN ('swap', 'reassign')),
    status TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'withdrawn')),
    note TEXT NOT NULL DEFAULT '',
    requested_by INTEGER NOT NULL REFERENCES user(id),
    requested_at TEXT NOT NULL,
    answered_at TEXT
);
CREATE INDEX duty_change_school_date ON duty_change(school_id, duty_date);
CREATE INDEX duty_change_to_user ON duty_change(to_user_id, status);

-- a date without duties (planning day, trip day ...), marked by a leader
CREATE TABLE duty_free_day (
    school_id INTEGER NOT NULL REFERENCES school(id),
    day TEXT NOT NULL,                    -- local date 'YYYY-MM-DD'
    reason TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (school_id, day)
);

-- "følg med på": a pupil duty staff should keep an eye on, until a date
CREATE TABLE watch_flag (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    look_for TEXT NOT NULL,               -- one short line: what to look for
    until TEXT NOT NULL,                  -- last local date shown
    created_by INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL,
    ended_at TEXT,                        -- taken off the list before `until`
    ended_by INTEGER REFERENCES user(id)
);
CREATE INDEX watch_flag_school ON watch_flag(school_id, until);
-- ---------------------------------------------------------------- leadership (issue 5)
-- Cases (§12-saker) run by the plan's routine ("Rutine for håndtering av
-- krenkelser og mobbing"), their tasks, talks, aktivitetsplan (Vedlegg 12),
-- barnets beste (Vedlegg 13), the Vedlegg 6 checklist and each case's history.

-- a §12 case: opened from a melding (or several), run through the routine's phases
CREATE TABLE sak (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),   -- the pupil whose environment it is about
    -- bekymring, undersokelse, utforme_tiltak, iverksette_tiltak, evaluere_tiltak, folge_opp, avsluttet
    phase TEXT NOT NULL DEFAULT 'bekymring',
    phase_started_on TEXT NOT NULL,                   -- local date the current phase began
    owner_id INTEGER REFERENCES user(id),             -- saksansvarlig
    opened_at TEXT NOT NULL,
    opened_by INTEGER NOT NULL REFERENCES user(id),
    measures_started_on TEXT,                         -- its tiltak's first start date (evaluation ≤ 6 weeks later)
    section_12_5 INTEGER NOT NULL DEFAULT 0,          -- skjerpet aktivitetsplikt: an employee offended
    concerns_leader INTEGER NOT NULL DEFAULT 0,       -- §12-5 about a leader: the owner runs it, leaders never see it
    escalated_at TEXT,                                -- sent to skoleeier
    escalated_by INTEGER REFERENCES user(id),
    avvik_filed INTEGER NOT NULL DEFAULT 0,           -- avvik meldt i Kvalitetsportalen
    escalation_note TEXT NOT NULL DEFAULT '',
    -- Vedlegg 10: the start meeting the letter invites to
    start_meeting_at TEXT NOT NULL DEFAULT '',        -- local 'YYYY-MM-DDTHH:MM'
    start_meeting_participants TEXT NOT NULL DEFAULT '',
    closed_at TEXT,
    closed_by INTEGER REFERENCES user(id),
    closed_reason TEXT NOT NULL DEFAULT '',
    pupil_says_safe_on TEXT,                          -- the aktivitetsplan stays open until this
    updated_at TEXT NOT NULL
);
CREATE INDEX sak_school_phase ON sak(school_id, phase);
CREATE INDEX sak_pupil ON sak(pupil_id);
CREATE INDEX sak_escalated ON sak(escalated_at);

-- the meldinger a case was opened from or that were added to it later
CREATE TABLE sak_melding (
    sak_id INTEGER NOT NULL REFERENCES sak(id),
    melding_id INTEGER NOT NULL REFERENCES melding(id),
    PRIMARY KEY (sak_id, melding_id)
);
CREATE INDEX sak_melding_melding ON sak_melding(melding_id);

-- the routine's tasks: one per step of a phase, with an owner and a due date
CREATE TABLE sak_task (
    id INTEGER PRIMARY KEY,
    sak_id INTEGER NOT NULL REFERENCES sak(id),
    phase TEXT NOT NULL,
    task_key TEXT NOT NULL,                          -- the routine step (webapp/saker/rules.py TASKS)
    title TEXT NOT NULL,
    time_limit TEXT NOT NULL DEFAULT '',              -- the plan's wording: umiddelbart, snarest mulig ...
    owner_id INTEGER REFERENCES user(id),
    due_on TEXT,                                      -- local date; NULL: no deadline
    done_at TEXT,
    done_by INTEGER REFERENCES user(id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sak_id, task_key)
);
CREATE INDEX sak_task_open ON sak_task(done_at, due_on);

-- Vedlegg 10: how the concern came, as a leader corrected it for the letter and the plan's
-- "Meldingen ble mottatt" (no row: as the case's first melding recorded it)
CREATE TABLE sak_letter (
    sak_id INTEGER PRIMARY KEY REFERENCES sak(id),
    source TEXT NOT NULL CHECK (source IN ('ansatt', 'elev', 'foresatt', 'annen')),  -- who raised the concern
    raised_by TEXT NOT NULL DEFAULT '',               -- who, when "annen"
    channel TEXT NOT NULL,                            -- trygg, e-post, telefon, utviklingssamtale, mobbeknapp, oppmøte
    concern_on TEXT NOT NULL,                         -- local date of the concern ("datert")
    receiver TEXT NOT NULL DEFAULT '',                -- to whom it was raised (the plan's "Mottaker")
    received_on TEXT,                                 -- local date the receiver had it
    letter_on TEXT NOT NULL,                          -- the letter's date
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user(id)
);

-- a talk or meeting in a case, with its referat
CREATE TABLE sak_talk (
    id INTEGER PRIMARY KEY,
    sak_id INTEGER NOT NULL REFERENCES sak(id),
    -- utsatt, utsatt_foresatte, utover, utover_foresatte, tiltak_mote, oppfolging, evaluering, annet
    kind TEXT NOT NULL,
    pupil_id INTEGER REFERENCES pupil(id),
    held_at TEXT NOT NULL,                            -- local 'YYYY-MM-DDTHH:MM'
    participants TEXT NOT NULL DEFAULT '',
    referat TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX sak_talk_sak ON sak_talk(sak_id, held_at);

-- Vedlegg 12: one aktivitetsplan per case
CREATE TABLE aktivitetsplan (
    sak_id INTEGER PRIMARY KEY REFERENCES sak(id),
    background TEXT NOT NULL DEFAULT '',              -- bakgrunn for varslingen / beskrivelse av problemet
    investigations TEXT NOT NULL DEFAULT '',          -- undersøkelsene skolen har gjort (individ og klasse/system)
    perspectives TEXT NOT NULL DEFAULT '',            -- barnet og foreldrenes perspektiv
    findings TEXT NOT NULL DEFAULT '',                -- samlede undersøkelser og barnets beste vurdering viser
    coordinator_id INTEGER REFERENCES user(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- a measure in the aktivitetsplan, on individual or group/system level
CREATE TABLE tiltak (
    id INTEGER PRIMARY KEY,
    sak_id INTEGER NOT NULL REFERENCES sak(id),
    level TEXT NOT NULL CHECK (level IN ('individ', 'system')),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    justification TEXT NOT NULL DEFAULT '',
    participation TEXT NOT NULL DEFAULT '',           -- medvirkning fra elev (når og hvordan) og foresatte
    start_on TEXT,                                    -- local date
    responsible TEXT NOT NULL DEFAULT '',
    evaluation_on TEXT,                               -- local date of the evaluation meeting
    evaluation_participants TEXT NOT NULL DEFAULT '',
    conclusion TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tiltak_sak ON tiltak(sak_id, level, id);

-- Vedlegg 13: the barnets beste assessment, one row per heading
CREATE TABLE barnets_beste (
    sak_id INTEGER NOT NULL REFERENCES sak(id),
    heading TEXT NOT NULL,                            -- key of a Vedlegg 13 heading (saker/texts.py)
    information TEXT NOT NULL DEFAULT '',
    evaluation TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    weighting TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sak_id, heading)
);

-- everything that happened to a case, who and when; append-only
CREATE TABLE sak_event (
    id INTEGER PRIMARY KEY,
    sak_id INTEGER NOT NULL REFERENCES sak(id),
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES user(id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sak_event_sak ON sak_event(sak_id, at);
CREATE TRIGGER sak_event_no_update BEFORE UPDATE ON sak_event
BEGIN
    SELECT RAISE(ABORT, 'sak_event is append-only');
END;
CREATE TRIGGER sak_event_no_delete BEFORE DELETE ON sak_event
BEGIN
    SELECT RAISE(ABORT, 'sak_event is append-only');
END;

-- Vedlegg 6 "Ved mistanke om mobbing": a checklist for a pupil's group, answers kept
CREATE TABLE mobbing_checklist (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    class_id INTEGER REFERENCES school_class(id),
    pupil_id INTEGER REFERENCES pupil(id),            -- the pupil whose pattern prompted it, if any
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES user(id),
    answers TEXT NOT NULL DEFAULT '{}'                -- JSON {question number: {"answer": "ja"|"nei"|"", "comment": ""}}
);
CREATE INDEX mobbing_checklist_school ON mobbing_checklist(school_id, created_at);
-- ---------------------------------------------------------------- capture
-- what became of an observation: its notes are found by the observation too
CREATE INDEX pupil_note_observation ON pupil_note(observation_id);
-- ---------------------------------------------------------------- integration: observation attached to a case
-- a systematic observation (Vedlegg 8) of the case's pupil or class, attached to a sak
CREATE TABLE sak_observation_plan (
    sak_id INTEGER NOT NULL REFERENCES sak(id),
    plan_id INTEGER NOT NULL REFERENCES observation_plan(id),
    attached_at TEXT NOT NULL,
    attached_by INTEGER NOT NULL REFERENCES user(id),
    PRIMARY KEY (sak_id, plan_id)
);
CREATE INDEX sak_observation_plan_plan ON sak_observation_plan(plan_id);
-- ---------------------------------------------------------------- leadership: forms stored once
-- Each of leadership's "new record" forms (a melding on behalf of a pupil or parent, a talk,
-- a tiltak, a Vedlegg 6 checklist) carries a random id made when it opened; a repeat of the
-- same (user, form, id) — a double tap, a resend — finds the record made the first time.
CREATE TABLE form_submission (
    user_id INTEGER NOT NULL REFERENCES user(id),
    form TEXT NOT NULL,            -- melding, samtale, tiltak, sjekkliste
    client_id TEXT NOT NULL,
    record_id INTEGER NOT NULL,    -- the id of the record the first submission made
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, form, client_id)
);
-- ---------------------------------------------------------------- innsyn
-- a copy of everything recorded about one pupil, released to the pupil or their parents
-- (offl. § 13 with fvl. § 13: other pupils replaced by "Elev A", "Elev B" …); the document is
-- kept exactly as it was released
CREATE TABLE innsyn_export (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    exported_at TEXT NOT NULL,
    exported_by INTEGER NOT NULL REFERENCES user(id),
    recipient TEXT NOT NULL CHECK (recipient IN ('eleven', 'foreldre')),
    recipient_name TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',        -- JSON: section key → records released
    redacted INTEGER NOT NULL DEFAULT 0,      -- other pupils replaced by an alias
    document BLOB NOT NULL,                   -- the .docx as released
    client_id TEXT NOT NULL,                  -- a double tap releases one copy, not two
    UNIQUE (exported_by, client_id)
);
CREATE INDEX innsyn_export_school ON innsyn_export(school_id, exported_at);
CREATE INDEX innsyn_export_pupil ON innsyn_export(pupil_id, exported_at);
-- ---------------------------------------------------------------- Feide (webapp/feide)
-- a school owner's own choice for its schools: log in with Feide, ask Feide for MFA, no Trygg passwords
CREATE TABLE feide_owner (
    owner_id INTEGER PRIMARY KEY REFERENCES user(id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL DEFAULT 0,
    mfa_required INTEGER NOT NULL DEFAULT 0,
    passwords_off INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

-- an account's Feide identity: the feide-id a leader typed in (eduPersonPrincipalName, lower case),
-- and Feide's stable user id (`sub`), kept from the first log-in on
CREATE TABLE feide_link (
    user_id INTEGER PRIMARY KEY REFERENCES user(id) ON DELETE CASCADE,
    feide_id TEXT UNIQUE COLLATE NOCASE,
    sub TEXT UNIQUE,
    linked_at TEXT NOT NULL
);

-- basis groups (classes) Feide's groups API gave a school's teachers, and the Trygg class a leader matched
CREATE TABLE feide_group (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    group_key TEXT NOT NULL,
    name TEXT NOT NULL,
    class_id INTEGER REFERENCES school_class(id),
    seen_at TEXT NOT NULL,
    UNIQUE (school_id, group_key)
);
