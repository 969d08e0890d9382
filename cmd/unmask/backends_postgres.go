//go:build !unmask_omit_postgres

package main

import (
	"context"

	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/postgres"
)

func init() {
	open := func(ctx context.Context, dsn string, cfg *config.Config) (store, error) {
		return postgres.Open(ctx, dsn, postgres.Options{MaxConns: cfg.Database.MaxConns})
	}
	storeBackends["postgres://"] = open
	storeBackends["postgresql://"] = open
}
