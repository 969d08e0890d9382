package main

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
)

func (m *Main) migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := m.openDB(cmd.Context(), true); err != nil {
				return err
			}
			_, err := fmt.Fprintf(m.Stdout, "Database %s is up to date.\n", storeKind(m.Config))
			return err
		},
	}
}

func (m *Main) userCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users"}
	cmd.AddCommand(m.userAddCommand(), m.userListCommand(), m.userDisableCommand())
	return cmd
}

func (m *Main) userAddCommand() *cobra.Command {
	var role, display string
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "add USERNAME",
		Short: "Create a user who logs in with a password",
		Long: "Create a user. The password is read from the terminal, from standard input with\n" +
			"--password-stdin, or, when neither is available, generated and printed once.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := adminContext(cmd.Context())
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			pw, generated, err := m.readNewPassword(fromStdin)
			if err != nil {
				return err
			}
			u := &unmask.User{Username: args[0], DisplayName: display, Role: unmask.Role(role)}
			if err := m.authenticator().CreateUser(ctx, u, pw); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Created %s %s (%s).\n", u.Role, u.Username, u.ID)
			if generated {
				fmt.Fprintf(m.Stdout, "Password (shown once): %s\n", pw)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", string(unmask.RoleAnalyst), "admin, analyst, hr or viewer")
	cmd.Flags().StringVar(&display, "display-name", "", "name shown in the UI")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	return cmd
}

// readNewPassword reads a password from stdin or the terminal, or generates one.
func (m *Main) readNewPassword(fromStdin bool) (pw string, generated bool, err error) {
	if fromStdin {
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", false, unmask.Errorf(unmask.EINVALID, "No password on standard input.")
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(m.Stderr, "Password: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", false, err
		}
		fmt.Fprint(m.Stderr, "Again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", false, err
		}
		if string(p1) != string(p2) {
			return "", false, unmask.Errorf(unmask.EINVALID, "The passwords differ.")
		}
		return string(p1), false, nil
	}
	return rand.Text(), true, nil
}

func (m *Main) userListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := adminContext(cmd.Context())
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			users, _, err := m.db.FindUsers(ctx, unmask.UserFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(m.Stdout).Encode(users)
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "USERNAME\tROLE\tSTATUS\tLAST LOGIN\tID")
			for _, u := range users {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, userStatus(u), when(u.LastLoginAt), u.ID)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func userStatus(u *unmask.User) string {
	switch {
	case u.Disabled:
		return "disabled"
	case time.Now().Before(u.LockedUntil):
		return "locked"
	}
	return "active"
}

func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format(time.RFC3339)
}

func (m *Main) userDisableCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "disable USERNAME",
		Short: "Disable a user: no more logins or API calls with their tokens",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := adminContext(cmd.Context())
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			u, err := m.db.FindUserByUsername(ctx, args[0])
			if err != nil {
				return err
			}
			disabled := true
			if _, err := m.db.UpdateUser(ctx, u.ID, unmask.UserUpdate{Disabled: &disabled}); err != nil {
				return err
			}
			if err := m.db.CreateAuditEntry(ctx, unmask.NewAuditEntry(ctx, "user.disable", "user", u.ID, "")); err != nil {
				return err
			}
			_, err = fmt.Fprintf(m.Stdout, "Disabled %s.\n", u.Username)
			return err
		},
	}
}

func (m *Main) tokenCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	cmd.AddCommand(m.tokenCreateCommand(), m.tokenListCommand(), m.tokenRevokeCommand())
	return cmd
}

func (m *Main) tokenCreateCommand() *cobra.Command {
	var username, name, role, ttl string
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Issue an API token; the secret is printed once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := adminContext(cmd.Context())
			d, err := config.ParseDuration(ttl)
			if err != nil {
				return invalid(err)
			}
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			u, err := m.db.FindUserByUsername(ctx, username)
			if err != nil {
				return err
			}
			t, secret, err := m.authenticator().CreateToken(ctx, u, name, unmask.Role(role), d.Std())
			if err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "Token %s (%s, role %s, expires %s):\n%s\n", t.ID, t.Name, t.Role, when(t.ExpiresAt), secret)
			return nil
		},
	}
	cmd.Flags().StringVar(&username, "user", "", "owner of the token (required)")
	cmd.Flags().StringVar(&name, "name", "", "a name to tell the token apart (required)")
	cmd.Flags().StringVar(&role, "role", "", "role of the token, at most the owner's (default: the owner's)")
	cmd.Flags().StringVar(&ttl, "ttl", "90d", "lifetime, e.g. 30d or 12h; 0 for no expiry")
	cmd.MarkFlagRequired("user")
	cmd.MarkFlagRequired("name")
	return cmd
}

func (m *Main) tokenListCommand() *cobra.Command {
	var username string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API tokens",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := adminContext(cmd.Context())
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			f := unmask.TokenFilter{Page: unmask.Page{Limit: unmask.MaxLimit}}
			if username != "" {
				u, err := m.db.FindUserByUsername(ctx, username)
				if err != nil {
					return err
				}
				f.UserID = &u.ID
			}
			tokens, _, err := m.db.FindTokens(ctx, f)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tNAME\tPREFIX\tROLE\tSTATUS\tEXPIRES\tLAST USED")
			for _, t := range tokens {
				status := "active"
				if !t.Active(time.Now()) {
					status = "inactive"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Prefix, t.Role, status, when(t.ExpiresAt), when(t.LastUsedAt))
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&username, "user", "", "only this user's tokens")
	return cmd
}

func (m *Main) tokenRevokeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke TOKEN-ID",
		Short: "Revoke an API token",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := adminContext(cmd.Context())
			if err := m.openDB(ctx, false); err != nil {
				return err
			}
			if err := m.authenticator().RevokeToken(ctx, args[0]); err != nil {
				return err
			}
			_, err := fmt.Fprintf(m.Stdout, "Revoked %s.\n", args[0])
			return err
		},
	}
}

func (m *Main) configCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Check or show the configuration"}
	cmd.AddCommand(&cobra.Command{
		Use:   "check [FILE]",
		Short: "Validate a configuration file",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				m.configPath = args[0]
			}
			if err := m.loadConfig(); err != nil {
				return err
			}
			src := m.Config.Path()
			if src == "" {
				src = "built-in defaults"
			}
			_, err := fmt.Fprintf(m.Stdout, "Configuration OK (%s).\n", src)
			return err
		},
	}, &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration, secrets hidden",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := m.loadConfig(); err != nil {
				return err
			}
			out, err := m.Config.Marshal()
			if err != nil {
				return err
			}
			_, err = m.Stdout.Write(out)
			return err
		},
	})
	return cmd
}
