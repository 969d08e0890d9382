-- +goose Up
-- Only unresolved events are looked up by actor (ResolveActor, the unresolved list), and
-- ResolveActor may not name the source, which (source, actor) could not serve. An index of
-- the unresolved ones alone is also one index less for every resolved event ingested.
DROP INDEX events_actor;
CREATE INDEX events_unresolved_actor ON events (actor) WHERE person_id = '';

-- +goose Down
DROP INDEX events_unresolved_actor;
CREATE INDEX events_actor ON events (source, actor);
