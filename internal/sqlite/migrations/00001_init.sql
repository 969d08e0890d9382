-- +goose Up
CREATE TABLE people (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	display_name TEXT NOT NULL,
	department TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL DEFAULT '',
	manager_id TEXT NOT NULL DEFAULT '',
	external_source TEXT NOT NULL DEFAULT '',
	external_id TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	time_zone TEXT NOT NULL DEFAULT '',
	hire_date BIGINT NOT NULL DEFAULT 0,
	end_date BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX people_external ON people (external_source, external_id) WHERE external_id <> '';
CREATE INDEX people_name ON people (display_name);

CREATE TABLE identifiers (
	id TEXT PRIMARY KEY,
	person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	value TEXT NOT NULL DEFAULT '',
	hash TEXT NOT NULL,
	display TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	UNIQUE (person_id, kind, hash)
);
CREATE INDEX identifiers_hash ON identifiers (kind, hash);

CREATE TABLE devices (
	id TEXT PRIMARY KEY,
	source TEXT NOT NULL,
	source_id TEXT NOT NULL,
	serial TEXT NOT NULL DEFAULT '',
	hostname TEXT NOT NULL DEFAULT '',
	person_id TEXT NOT NULL DEFAULT '',
	user_login TEXT NOT NULL DEFAULT '',
	platform TEXT NOT NULL DEFAULT '',
	os_version TEXT NOT NULL DEFAULT '',
	model TEXT NOT NULL DEFAULT '',
	managed BOOLEAN NOT NULL DEFAULT FALSE,
	last_ip TEXT NOT NULL DEFAULT '',
	enrolled_at BIGINT NOT NULL DEFAULT 0,
	last_seen_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (source, source_id)
);
CREATE INDEX devices_person ON devices (person_id);
CREATE INDEX devices_serial ON devices (serial);

CREATE TABLE events (
	id TEXT PRIMARY KEY,
	time BIGINT NOT NULL,
	source TEXT NOT NULL,
	kind TEXT NOT NULL,
	action TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	actor TEXT NOT NULL DEFAULT '',
	person_id TEXT NOT NULL DEFAULT '',
	source_ip TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	session_id TEXT NOT NULL DEFAULT '',
	device_id TEXT NOT NULL DEFAULT '',
	serial TEXT NOT NULL DEFAULT '',
	host TEXT NOT NULL DEFAULT '',
	target TEXT NOT NULL DEFAULT '',
	geo TEXT NOT NULL DEFAULT '',
	fields TEXT NOT NULL DEFAULT '',
	raw BLOB NOT NULL,
	ingested_at BIGINT NOT NULL
);
CREATE INDEX events_person_time ON events (person_id, time);
CREATE INDEX events_time ON events (time);
CREATE INDEX events_actor ON events (source, actor);

CREATE TABLE signals (
	id TEXT PRIMARY KEY,
	person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	indicator TEXT NOT NULL,
	detector TEXT NOT NULL,
	severity TEXT NOT NULL,
	weight DOUBLE PRECISION NOT NULL,
	event_ids TEXT NOT NULL DEFAULT '[]',
	explanation TEXT NOT NULL DEFAULT '',
	dedupe_key TEXT NOT NULL DEFAULT '',
	time BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	count INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX signals_dedupe ON signals (person_id, detector, dedupe_key) WHERE dedupe_key <> '';
CREATE INDEX signals_person ON signals (person_id, last_seen);

CREATE TABLE risk_scores (
	person_id TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
	score DOUBLE PRECISION NOT NULL,
	band TEXT NOT NULL,
	reasons TEXT NOT NULL DEFAULT '[]',
	computed_at BIGINT NOT NULL
);
CREATE INDEX risk_scores_score ON risk_scores (score);

CREATE TABLE alerts (
	id TEXT PRIMARY KEY,
	person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	concern TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	severity TEXT NOT NULL,
	status TEXT NOT NULL,
	signal_ids TEXT NOT NULL DEFAULT '[]',
	count INTEGER NOT NULL DEFAULT 0,
	first_seen BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	case_id TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX alerts_open ON alerts (person_id, concern) WHERE status <> 'closed';
CREATE INDEX alerts_last_seen ON alerts (last_seen);

CREATE TABLE cases (
	id TEXT PRIMARY KEY,
	person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	alert_id TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL,
	status TEXT NOT NULL,
	disposition TEXT NOT NULL DEFAULT '',
	assignee TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL DEFAULT '',
	evidence TEXT NOT NULL DEFAULT '[]',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	closed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX cases_person ON cases (person_id);

CREATE TABLE case_notes (
	id TEXT PRIMARY KEY,
	case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	author TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at);

CREATE TABLE spot_checks (
	id TEXT PRIMARY KEY,
	person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	reason TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	due_at BIGINT NOT NULL,
	completed_at BIGINT NOT NULL DEFAULT 0,
	checker TEXT NOT NULL DEFAULT '',
	id_matched BOOLEAN NOT NULL DEFAULT FALSE,
	same_laptop BOOLEAN NOT NULL DEFAULT FALSE,
	location_consistent BOOLEAN NOT NULL DEFAULT FALSE,
	notes TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX spot_checks_due ON spot_checks (status, due_at);

CREATE TABLE indicators (
	id TEXT PRIMARY KEY,
	type TEXT NOT NULL,
	value TEXT NOT NULL,
	source TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	confidence INTEGER NOT NULL DEFAULT 0,
	case_id TEXT NOT NULL DEFAULT '',
	valid_until BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (type, value, source)
);

CREATE TABLE rules (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	level TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT '',
	indicators TEXT NOT NULL DEFAULT '[]',
	tags TEXT NOT NULL DEFAULT '[]',
	origin TEXT NOT NULL,
	path TEXT NOT NULL DEFAULT '',
	enabled BOOLEAN NOT NULL DEFAULT TRUE,
	updated_at BIGINT NOT NULL
);

CREATE TABLE users (
	id TEXT PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	last_login_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	prefix TEXT NOT NULL,
	hash TEXT NOT NULL UNIQUE,
	expires_at BIGINT NOT NULL DEFAULT 0,
	revoked_at BIGINT NOT NULL DEFAULT 0,
	last_used_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	UNIQUE (user_id, name)
);

CREATE TABLE audit_entries (
	id TEXT PRIMARY KEY,
	time BIGINT NOT NULL,
	actor_id TEXT NOT NULL,
	actor TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_time ON audit_entries (time);
CREATE INDEX audit_object ON audit_entries (object_type, object_id);

CREATE TABLE dead_letters (
	id TEXT PRIMARY KEY,
	source TEXT NOT NULL,
	file TEXT NOT NULL DEFAULT '',
	line INTEGER NOT NULL DEFAULT 0,
	byte_offset BIGINT NOT NULL DEFAULT 0,
	reason TEXT NOT NULL,
	raw BLOB NOT NULL,
	truncated BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT NOT NULL
);
CREATE INDEX dead_letters_source ON dead_letters (source, created_at);

CREATE TABLE checkpoints (
	name TEXT PRIMARY KEY,
	cursor TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE checkpoints;
DROP TABLE dead_letters;
DROP TABLE audit_entries;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE rules;
DROP TABLE indicators;
DROP TABLE spot_checks;
DROP TABLE case_notes;
DROP TABLE cases;
DROP TABLE alerts;
DROP TABLE risk_scores;
DROP TABLE signals;
DROP TABLE events;
DROP TABLE devices;
DROP TABLE identifiers;
DROP TABLE people;
