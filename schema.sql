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
