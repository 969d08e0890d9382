package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/poll"
)

// pollers returns a runner for every vendor poller whose credentials are configured.
func (m *Main) pollers(p *processor) ([]*poll.Runner, error) {
	c := m.Config.Pollers
	client := &poll.Client{}
	var runners []*poll.Runner
	add := func(src poll.Source, format string, pc config.PollerCommon) {
		runners = append(runners, poll.NewRunner(poll.RunnerOptions{
			Source: src, Checkpoints: m.db, Interval: pc.Interval.Std(),
			Logger: m.Logger.With("component", "poll"),
			Ingest: func(ctx context.Context, _ string, body []byte) error {
				_, err := p.run(ctx, format, "poll:"+src.Name(), bytes.NewReader(body), nil)
				return err
			},
		}))
	}
	if c.Okta.Token != "" {
		add(poll.NewOkta(poll.OktaOptions{BaseURL: c.Okta.BaseURL, Token: string(c.Okta.Token), Lookback: c.Okta.Lookback.Std(), Client: client}), "okta", c.Okta.PollerCommon)
	}
	if c.GitHub.Token != "" {
		src, err := poll.NewGitHub(poll.GitHubOptions{BaseURL: c.GitHub.BaseURL, Org: c.GitHub.Org, Enterprise: c.GitHub.Enterprise,
			Token: string(c.GitHub.Token), Lookback: c.GitHub.Lookback.Std(), Client: client})
		if err != nil {
			return nil, invalid(err)
		}
		add(src, "github", c.GitHub.PollerCommon)
	}
	if c.Google.CredentialsFile != "" || c.Google.Token != "" {
		tok, err := googleToken(c.Google)
		if err != nil {
			return nil, err
		}
		apps := c.Google.Applications
		if len(apps) == 0 {
			apps = []string{"login", "drive"}
		}
		for _, app := range apps {
			add(poll.NewGoogle(poll.GoogleOptions{BaseURL: c.Google.BaseURL, Application: app, Token: tok,
				Lookback: c.Google.Lookback.Std(), Client: client}), "google", c.Google.PollerCommon)
		}
	}
	if c.Graph.ClientSecret != "" {
		tok := poll.ClientCredentials(nil, c.Graph.TokenURL, c.Graph.TenantID, c.Graph.ClientID, string(c.Graph.ClientSecret), "https://graph.microsoft.com/.default")
		add(poll.NewGraph(poll.GraphOptions{BaseURL: c.Graph.BaseURL, Token: tok, Lookback: c.Graph.Lookback.Std(), Client: client}), "entra", c.Graph.PollerCommon)
	}
	return runners, nil
}

// googleToken returns the Google pollers' token: from the service account key file when
// one is configured, else the fixed token.
func googleToken(c config.GooglePoller) (poll.TokenFunc, error) {
	if c.CredentialsFile == "" {
		return poll.StaticToken(string(c.Token)), nil
	}
	key, err := os.ReadFile(c.CredentialsFile)
	if err != nil {
		return nil, unmask.Errorf(unmask.EINVALID, "pollers.google.credentials_file: %s.", err)
	}
	tok, err := poll.ServiceAccount(nil, key, c.Subject, poll.GoogleReportsScope)
	if err != nil {
		return nil, invalid(fmt.Errorf("pollers.google: %w", err))
	}
	return tok, nil
}
