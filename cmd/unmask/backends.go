package main

import (
	"context"
	"sort"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/inmem"
	"github.com/unmask/unmask/internal/sqlite"
)

// store is everything Main needs from a database: every domain service plus lifecycle.
type store interface {
	unmask.PersonService
	unmask.IdentifierService
	unmask.DeviceService
	unmask.EventService
	unmask.SignalService
	unmask.RiskService
	unmask.AlertService
	unmask.CaseService
	unmask.SpotCheckService
	unmask.IndicatorService
	unmask.RuleService
	unmask.UserService
	unmask.TokenService
	unmask.AuditService
	unmask.DeadLetterService
	unmask.CheckpointService
	unmask.SessionService
	Ping(ctx context.Context) error
	Migrate(ctx context.Context) error
	Close() error
}

// storeOpener opens a store from a DSN.
type storeOpener func(ctx context.Context, dsn string, cfg *config.Config) (store, error)

// storeBackends maps DSN prefixes to openers: the explicit table of store backends.
// Tag-gated files (backends_postgres.go) add to it.
var storeBackends = map[string]storeOpener{
	"sqlite:": func(ctx context.Context, dsn string, _ *config.Config) (store, error) {
		return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	},
}

// openStore opens the store the configuration names.
func openStore(ctx context.Context, cfg *config.Config) (store, error) {
	dsn := string(cfg.Database.DSN)
	prefixes := make([]string, 0, len(storeBackends))
	for p := range storeBackends {
		prefixes = append(prefixes, p)
	}
	sort.Slice(prefixes, func(i, j int) bool { return len(prefixes[i]) > len(prefixes[j]) })
	for _, p := range prefixes {
		if strings.HasPrefix(dsn, p) {
			return storeBackends[p](ctx, dsn, cfg)
		}
	}
	return nil, unmask.Errorf(unmask.EINVALID, "No store backend for database.dsn (this build supports: %s).", strings.Join(prefixes, ", "))
}

// busOpener opens an event bus from a URL.
type busOpener func(ctx context.Context, cfg *config.Config, groups []string) (unmask.EventBus, func() error, error)

// busBackends maps bus URL prefixes to openers.
var busBackends = map[string]busOpener{
	"inmem": func(_ context.Context, cfg *config.Config, groups []string) (unmask.EventBus, func() error, error) {
		b := inmem.New(inmem.Options{Partitions: cfg.Bus.Partitions, Capacity: cfg.Bus.Capacity, Groups: groups})
		return b, b.Close, nil
	},
}

// openBus opens the event bus the configuration names.
func openBus(ctx context.Context, cfg *config.Config, groups []string) (unmask.EventBus, func() error, error) {
	for p, open := range busBackends {
		if strings.HasPrefix(cfg.Bus.URL, p) {
			return open(ctx, cfg, groups)
		}
	}
	return nil, nil, unmask.Errorf(unmask.EINVALID, "This build has no event bus for bus.url %q.", cfg.Bus.URL)
}
