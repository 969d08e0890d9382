package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/authz"
	"github.com/unmask/unmask/internal/httpapi"
	"github.com/unmask/unmask/internal/retention"
)

func (m *Main) serveCommand() *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the Unmask server (embedded SQLite in ./unmask-data by default)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return m.serve(cmd.Context(), addr)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address host:port (overrides server.addr)")
	return cmd
}

// serve runs the server until ctx is done.
func (m *Main) serve(ctx context.Context, addr string) error {
	if m.Config == nil {
		if err := m.loadConfig(); err != nil {
			return err
		}
	}
	if addr != "" {
		m.Config.Server.Addr = addr
		if err := m.Config.Validate(); err != nil {
			return invalid(err)
		}
	}
	if m.db == nil {
		if err := m.openDB(ctx, false); err != nil {
			return err
		}
	}
	if _, err := m.hasher(); err != nil { // generates the key on first start
		return err
	}
	bus, closeBus, err := openBus(ctx, m.Config, []string{detectGroup})
	if err != nil {
		return err
	}
	m.closers = append(m.closers, closeBus)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	sys := adminContext(ctx)
	proc, err := m.newProcessor(sys, bus, reg)
	if err != nil {
		return err
	}
	runners, err := m.pollers(proc)
	if err != nil {
		return err
	}
	srv := httpapi.New(m.serverOptions(proc, reg))
	if err := srv.Open(); err != nil {
		return err
	}
	m.closers = append(m.closers, srv.Close)
	fmt.Fprintf(m.Stdout, "Unmask is serving on %s\n", srv.URL())
	if l := m.demoLogin; l != nil {
		fmt.Fprintf(m.Stdout, "Sign in as %s with the one-time password %s (printed only now).\n", l.username, l.password)
	} else {
		m.hintFirstUser(ctx)
	}
	m.Logger.Info("serving", "url", srv.URL(), "database", storeKind(m.Config), "bus", m.Config.Bus.URL)

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return srv.Run(ctx, m.Config.Server.ShutdownTimeout.Std()) })
	g.Go(func() error {
		return bus.Consume(adminContext(ctx), unmask.ConsumeOptions{Group: detectGroup}, proc.detect.HandleDelivery)
	})
	for _, r := range runners {
		g.Go(func() error { return r.Run(adminContext(ctx)) })
	}
	g.Go(func() error { return m.every(adminContext(ctx), 10*time.Minute, "sweep", proc.sweep) })
	g.Go(func() error {
		return m.every(adminContext(ctx), followInterval, "following stored signals", proc.follower())
	})
	g.Go(func() error { return untilCanceled(proc.spotChecks.Run(adminContext(ctx))) })
	g.Go(func() error { return m.retention().Run(adminContext(ctx)) })
	if m.intel != nil {
		g.Go(func() error { return untilCanceled(m.intel.Run(ctx)) })
	}
	err = g.Wait()
	m.Logger.Info("stopped")
	return err
}

// untilCanceled returns the error of a loop that runs until shutdown, nil when shutdown
// ended it.
func untilCanceled(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// every runs fn every interval until ctx is done; a failed run is logged as what failed
// and tried again at the next.
func (m *Main) every(ctx context.Context, interval time.Duration, what string, fn func(context.Context) error) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := fn(ctx); err != nil {
				m.Logger.Warn(what+" failed", "err", err)
			}
		}
	}
}

// retention returns the enforcer of retention.events, through the audited services so
// that each pass is in the audit trail.
func (m *Main) retention() *retention.Enforcer {
	return retention.New(retention.Options{Store: authz.New(m.db, authz.Options{}), Keep: m.Config.Retention.Events.Std(),
		Logger: m.Logger.With("component", "retention")})
}

// detectGroup is the consumer group of the detection workers.
const detectGroup = "detect"

// hintFirstUser tells a new operator how to create the first login.
func (m *Main) hintFirstUser(ctx context.Context) {
	if _, n, err := m.db.FindUsers(adminContext(ctx), unmask.UserFilter{Page: unmask.Page{Limit: 1}}); err == nil && n == 0 {
		fmt.Fprintln(m.Stdout, "No users yet: create an administrator with `unmask user add admin --role admin`.")
	}
}

// storeKind names the store without revealing its DSN.
func storeKind(c interface{ SQLitePath() (string, bool) }) string {
	if p, ok := c.SQLitePath(); ok {
		return "sqlite:" + p
	}
	return "postgres"
}
