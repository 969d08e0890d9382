package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/gen"
)

// demoMarker marks a directory the demo made, so that it may wipe it on the next run.
const demoMarker = ".unmask-demo"

// demoUser is the administrator the demo signs in as.
const demoUser = "admin"

func (m *Main) demoCommand() *cobra.Command {
	var dir, addr string
	var f genFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Generate a company with planted fraudulent workers, ingest and detect it, and serve the UI",
		Long: "Generate a synthetic company (see `unmask gen`), ingest every file through the real ingest\n" +
			"paths, run detection and scoring, and serve the web UI on an embedded SQLite database,\n" +
			"printing a one-time administrator password. Everything lives in --dir, which is\n" +
			"replaced on every run (only if an earlier demo made it).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return m.demo(cmd.Context(), dir, addr, f)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "unmask-demo", "directory for the generated company and the demo database")
	cmd.Flags().StringVar(&addr, "addr", "", "listen address host:port (default server.addr, 127.0.0.1:8080)")
	f.register(cmd, "recent")
	return cmd
}

// demo prepares the demo data set and serves it until ctx is done.
func (m *Main) demo(ctx context.Context, dir, addr string, f genFlags) error {
	if _, _, err := m.prepareDemo(ctx, dir, f); err != nil {
		return err
	}
	pw := rand.Text()
	if err := m.authenticator().CreateUser(adminContext(ctx), &unmask.User{Username: demoUser, DisplayName: "Demo administrator", Role: unmask.RoleAdmin}, pw); err != nil {
		return err
	}
	m.demoLogin = &demoLogin{username: demoUser, password: pw}
	return m.serve(ctx, addr)
}

// prepareDemo generates the company into dir, opens the demo store and ingests it with
// detection. It returns the ground truth and the processor that ran.
func (m *Main) prepareDemo(ctx context.Context, dir string, f genFlags) (*gen.Manifest, *processor, error) {
	opts, err := f.options(time.Now())
	if err != nil {
		return nil, nil, err
	}
	if err := resetDemoDir(dir); err != nil {
		return nil, nil, err
	}
	company := filepath.Join(dir, "company")
	start := time.Now()
	man, err := gen.Generate(company, opts)
	if err != nil {
		return nil, nil, invalid(err)
	}
	printManifest(m, company, man, time.Since(start))
	if err := m.demoConfig(dir, company, man); err != nil {
		return nil, nil, err
	}
	if err := m.openDB(ctx, false); err != nil {
		return nil, nil, err
	}
	sys := adminContext(ctx)
	logger := m.Logger
	if m.Config.Log.Level == "info" { // the per-file lines say what info logs would
		m.Logger = newLogger(m.Stderr, config.LogConfig{Level: "warn", Format: m.Config.Log.Format})
	}
	defer func() { m.Logger = logger }()
	p, err := m.newProcessor(sys, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	start = time.Now()
	if err := m.ingestCompany(sys, p, company, man); err != nil {
		return nil, nil, err
	}
	if err := m.ingestAttachments(sys, p, filepath.Join(company, "greenhouse", "resumes")); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(m.Stdout, "Ingested and analysed in %s.\n", time.Since(start).Round(100*time.Millisecond))
	return man, p, nil
}

// demoLogin is the one-time login the demo prints beside the URL.
type demoLogin struct{ username, password string }

// resetDemoDir empties dir if an earlier demo made it, and creates it marked.
func resetDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return unmask.WrapError(unmask.EINVALID, err, "Cannot read %s.", dir)
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return unmask.Errorf(unmask.ECONFLICT, "%s exists and was not made by unmask demo; choose another --dir.", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return unmask.WrapError(unmask.EINVALID, err, "Cannot remove the previous demo in %s.", dir)
		}
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return unmask.WrapError(unmask.EINVALID, err, "Cannot create %s.", dir)
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("made by unmask demo; removed by the next run\n"), 0o640)
}

// demoConfig points the configuration at the demo directory and loads the company's
// IP-intelligence lists.
func (m *Main) demoConfig(dir, company string, man *gen.Manifest) error {
	if err := m.loadConfig(); err != nil {
		return err
	}
	c := m.Config
	data := filepath.Join(dir, "data")
	c.DataDir = data
	c.Database.DSN = config.Secret("sqlite:" + filepath.Join(data, "unmask.db"))
	c.Security.HashKey, c.Security.HashKeyFile = "", filepath.Join(data, "hash.key")
	if err := os.MkdirAll(data, 0o750); err != nil {
		return unmask.WrapError(unmask.EINVALID, err, "Cannot create %s.", data)
	}
	c.IPIntel.Feeds = nil
	for _, f := range man.IntelFeeds {
		c.IPIntel.Feeds = append(c.IPIntel.Feeds, config.FeedConfig{Name: "demo-" + f.Tag, Kind: "cidr", Tag: f.Tag,
			Location: filepath.Join(company, f.Path)})
	}
	c.Analytics.GitHubOrgs = []string{man.GitHubOrg}
	// The company approves remote-support tools for its IT department, as a real one
	// would in configuration.
	var tools []string
	for _, a := range man.Approved {
		if !slices.Contains(tools, a.Tool) {
			tools = append(tools, a.Tool)
			tool := strings.ToLower(a.Tool)
			reason := "approved " + a.Tool + " for IT support staff"
			c.Analytics.Approvals = append(c.Analytics.Approvals,
				config.ApprovalConfig{Department: "IT", Value: tool + "*", Reason: reason},
				config.ApprovalConfig{Department: "IT", Rules: []string{"unmask_ra_" + tool, "unmask_ra_" + tool + "_domains"}, Reason: reason})
		}
	}
	return invalid(c.Validate())
}

// ingestOrder ranks sources so that who people are (HR, devices, applicants) is known
// before what they do.
var ingestOrder = []string{"hris", "mdm", "greenhouse", "lever"}

// ingestCompany ingests every file of a generated company, in ingestOrder, then runs the
// time-based checks.
func (m *Main) ingestCompany(ctx context.Context, p *processor, dir string, man *gen.Manifest) error {
	files := slices.Clone(man.Files)
	rank := func(f gen.File) int {
		if i := slices.Index(ingestOrder, f.Source); i >= 0 {
			if f.Source == "hris" && f.Kind == "employees" {
				return -1
			}
			return i
		}
		return len(ingestOrder)
	}
	slices.SortStableFunc(files, func(a, b gen.File) int { return rank(a) - rank(b) })
	for _, f := range files {
		if err := m.ingestOne(ctx, p, f.Source, filepath.Join(dir, f.Path)); err != nil {
			return err
		}
	}
	return p.sweep(ctx)
}

// ingestOne ingests one file with a progress display and a summary line.
func (m *Main) ingestOne(ctx context.Context, p *processor, source, path string) error {
	st, err := m.ingestPath(ctx, p, source, path, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%-10s %-40s %8s accepted %6d duplicate %4d rejected\n", source, filepath.Base(path), thousands(int64(st.Accepted)), st.Duplicates, st.Rejected)
	return nil
}
