package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/auth"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/httpapi"
	"github.com/unmask/unmask/internal/idhash"
	"github.com/unmask/unmask/internal/ipintel"
)

// Main is the program: its configuration and the components it opened.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string

	configPath string
	logLevel   string
	ran        bool // a command's RunE started

	Config *config.Config
	Logger *slog.Logger
	db     store
	intel  *ipintel.Intel // the IP-intelligence feeds, once opened
	// demoLogin is the one-time login `unmask demo` created, printed with the URL.
	demoLogin *demoLogin
	// health counts each source's input since the process started.
	health  *sourceHealth
	closers []func() error
}

// NewMain returns a Main reading the process environment.
func NewMain() *Main {
	return &Main{Getenv: os.Getenv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
}

// Run runs the command in args.
func (m *Main) Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	m.Stdin, m.Stdout, m.Stderr = stdin, stdout, stderr
	root := m.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && !m.ran && !isCoded(err) {
		// An error before any command ran is cobra's: an unknown command, flag or argument.
		return usageError(err)
	}
	return err
}

// markRun wraps every command's RunE so that Run can tell command errors from usage errors.
func (m *Main) markRun(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			m.ran = true
			return run(cmd, args)
		}
	}
	for _, sub := range c.Commands() {
		m.markRun(sub)
	}
}

// sourceHealth returns the process's ingest health, created on first use.
func (m *Main) sourceHealth() *sourceHealth {
	if m.health == nil {
		m.health = &sourceHealth{bySource: map[string]*httpapi.SourceHealth{}}
	}
	return m.health
}

// Close releases what Run opened, newest first.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

func (m *Main) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "unmask",
		Short:         "Find fraudulent remote workers by joining HR, IT and security evidence",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&m.configPath, "config", "", "configuration file (default: none; built-in defaults and UNMASK_* variables)")
	root.PersistentFlags().StringVar(&m.logLevel, "log-level", "", "override log.level: debug, info, warn or error")
	root.AddCommand(m.demoCommand(), m.serveCommand(), m.genCommand(), m.ingestCommand(), m.screenCommand(), m.indicatorsCommand(), m.ingestAttachmentsCommand(), m.deadLettersCommand(), m.unresolvedCommand(),
		m.rulesCommand(), m.migrateCommand(), m.userCommand(), m.tokenCommand(),
		m.configCommand(), m.versionCommand())
	m.markRun(root)
	return root
}

// loadConfig reads the configuration and sets up logging.
func (m *Main) loadConfig() error {
	cfg, err := config.Load(m.configPath, m.Getenv)
	if err != nil {
		return invalid(err)
	}
	if m.logLevel != "" {
		cfg.Log.Level = m.logLevel
		if err := cfg.Validate(); err != nil {
			return invalid(err)
		}
	}
	m.Config = cfg
	m.Logger = newLogger(m.Stderr, cfg.Log)
	return nil
}

func newLogger(w io.Writer, c config.LogConfig) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB loads the configuration and opens the store, migrating it when forced or when
// database.auto_migrate allows.
func (m *Main) openDB(ctx context.Context, forceMigrate bool) error {
	if m.Config == nil {
		if err := m.loadConfig(); err != nil {
			return err
		}
	}
	db, err := openStore(ctx, m.Config)
	if err != nil {
		return err
	}
	m.db = db
	m.closers = append(m.closers, db.Close)
	if forceMigrate || m.Config.Database.AutoMigrate {
		if err := db.Migrate(ctx); err != nil {
			return unmask.WrapError(unmask.EUNAVAILABLE, err, "Database migration failed.")
		}
	}
	return nil
}

// hasher returns the keyed hasher for sensitive identifiers.
func (m *Main) hasher() (*idhash.Hasher, error) {
	var key []byte
	var err error
	if k := m.Config.Security.HashKey; k != "" {
		key, err = idhash.DecodeKey(string(k))
	} else {
		key, err = idhash.LoadOrCreateKey(m.Config.Security.HashKeyFile)
	}
	if err != nil {
		return nil, invalid(err)
	}
	return idhash.New(key)
}

// authenticator returns the authenticator over the open store.
func (m *Main) authenticator() *auth.Authenticator {
	return auth.New(auth.Options{Store: m.db})
}

// adminContext is the context of the local administrator running the CLI.
func adminContext(ctx context.Context) context.Context {
	return unmask.NewContextWithUser(ctx, unmask.SystemUser)
}

// version returns the module version and VCS revision of the binary.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	var v strings.Builder
	v.WriteString(info.Main.Version)
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v.WriteString(" (" + s.Value[:12] + ")")
		}
	}
	return v.String()
}

func (m *Main) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info, _ := debug.ReadBuildInfo()
			goVersion := "unknown"
			if info != nil {
				goVersion = info.GoVersion
			}
			_, err := fmt.Fprintf(m.Stdout, "unmask %s %s\n", version(), goVersion)
			return err
		},
	}
}

func isCoded(err error) bool {
	_, ok := errors.AsType[*unmask.Error](err)
	return ok
}

// usageError turns an uncoded command-line error into EINVALID.
func usageError(err error) error {
	return &unmask.Error{Code: unmask.EINVALID, Message: err.Error() + " (see unmask --help)", Err: err}
}
