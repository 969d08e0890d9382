-- +goose Up
-- The résumé near-duplicate index (internal/resume): one MinHash signature per document,
-- owned by a person, and its LSH band keys. Both go with the person.
CREATE TABLE resume_documents (
	doc_id TEXT PRIMARY KEY,
	person_id TEXT REFERENCES people (id) ON DELETE CASCADE,
	event_id TEXT NOT NULL DEFAULT '',
	signature BYTEA NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX resume_documents_person ON resume_documents (person_id);

CREATE TABLE resume_bands (
	band INTEGER NOT NULL,
	hash BIGINT NOT NULL,
	doc_id TEXT NOT NULL REFERENCES resume_documents (doc_id) ON DELETE CASCADE,
	PRIMARY KEY (band, hash, doc_id)
);
CREATE INDEX resume_bands_doc ON resume_bands (doc_id);

-- +goose Down
DROP TABLE resume_bands;
DROP TABLE resume_documents;
