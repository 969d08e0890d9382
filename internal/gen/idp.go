package gen

import (
	"math/rand/v2"
	"time"
)

const (
	uaMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36"
	uaWin = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36 Edg/133.0.0.0"
)

func (p *person) userAgent() (ua, os, browser string) {
	if p.Mac {
		return uaMac, "Mac OS X", "CHROME"
	}
	return uaWin, "Windows 10", "EDGE"
}

type oktaActor struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	AlternateID string `json:"alternateId"`
	DisplayName string `json:"displayName"`
}

type oktaGeo struct {
	City        string `json:"city"`
	State       string `json:"state"`
	Country     string `json:"country"`
	PostalCode  string `json:"postalCode,omitempty"`
	Geolocation struct {
		Lat float64 `json:"lat"`
		Lon float64 `json:"lon"`
	} `json:"geolocation"`
}

type oktaEvent struct {
	UUID        string      `json:"uuid"`
	Published   string      `json:"published"`
	EventType   string      `json:"eventType"`
	Version     string      `json:"version"`
	DisplayMsg  string      `json:"displayMessage"`
	Severity    string      `json:"severity"`
	LegacyType  string      `json:"legacyEventType,omitempty"`
	Actor       oktaActor   `json:"actor"`
	Client      oktaClient  `json:"client"`
	Device      *oktaDevice `json:"device,omitempty"`
	Outcome     oktaOutcome `json:"outcome"`
	AuthContext struct {
		ExternalSessionID  string `json:"externalSessionId"`
		CredentialType     string `json:"credentialType,omitempty"`
		CredentialProvider string `json:"credentialProvider,omitempty"`
		AuthStep           int    `json:"authenticationStep"`
	} `json:"authenticationContext"`
	Security struct {
		ASNumber int    `json:"asNumber"`
		ASOrg    string `json:"asOrg"`
		ISP      string `json:"isp"`
		Domain   string `json:"domain"`
		IsProxy  bool   `json:"isProxy"`
	} `json:"securityContext"`
	Debug struct {
		Data oktaDebug `json:"debugData"`
	} `json:"debugContext"`
	Transaction struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"transaction"`
	Target []oktaActor `json:"target,omitempty"`
}

// oktaDebug is the debugContext.debugData the generator sets.
type oktaDebug struct {
	RequestID       string `json:"requestId"`
	RequestURI      string `json:"requestUri"`
	ThreatSuspected string `json:"threatSuspected"`
	Factor          string `json:"factor,omitempty"`
}

type oktaClient struct {
	IPAddress string  `json:"ipAddress"`
	Device    string  `json:"device"`
	Zone      string  `json:"zone"`
	Geo       oktaGeo `json:"geographicalContext"`
	UserAgent struct {
		Raw     string `json:"rawUserAgent"`
		OS      string `json:"os"`
		Browser string `json:"browser"`
	} `json:"userAgent"`
}

type oktaDevice struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	OSPlatform string `json:"os_platform"`
	Managed    bool   `json:"managed"`
	Registered bool   `json:"registered"`
}

type oktaOutcome struct {
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
}

// okta queues one System Log event of p in session s.
func (g *generator) okta(r *rand.Rand, p *person, s *session, t time.Time, eventType, msg string, fill func(*oktaEvent)) {
	e := &oktaEvent{UUID: uuid(r), Published: t.UTC().Format("2006-01-02T15:04:05.000Z"), EventType: eventType,
		Version: "0", DisplayMsg: msg, Severity: "INFO",
		Actor: oktaActor{ID: p.Okta, Type: "User", AlternateID: p.Email, DisplayName: p.First + " " + p.Last}}
	e.Outcome.Result = "SUCCESS"
	n := s.Via.Net
	e.Client.IPAddress, e.Client.Device, e.Client.Zone = s.Via.IP.String(), "Computer", "null"
	if n.Role == RoleCorporateVPN || n.Role == RoleZTNA {
		e.Client.Zone = "Corporate egress"
	}
	e.Client.Geo = oktaGeo{City: n.City.Name, State: n.City.Region, Country: n.City.Country}
	e.Client.Geo.Geolocation.Lat, e.Client.Geo.Geolocation.Lon = n.City.Lat, n.City.Lon
	e.Client.UserAgent.Raw, e.Client.UserAgent.OS, e.Client.UserAgent.Browser = p.userAgent()
	e.Device = &oktaDevice{ID: "guo" + p.DeviceID[:8] + p.DeviceID[9:13] + "x5d7", Name: p.Host, Managed: true, Registered: true,
		OSPlatform: map[bool]string{true: "MACOS", false: "WINDOWS"}[p.Mac]}
	e.AuthContext.ExternalSessionID = s.ID
	e.Security.ASNumber, e.Security.ASOrg, e.Security.ISP, e.Security.Domain = n.ASN, n.ASOrg, n.ASOrg, n.Domain
	e.Security.IsProxy = n.Role == RoleVPN || n.Role == RoleAstrill
	e.Debug.Data = oktaDebug{RequestID: token(r, 24), RequestURI: "/idp/idx/identify", ThreatSuspected: "false"}
	e.Transaction.ID, e.Transaction.Type = token(r, 24), "WEB"
	if fill != nil {
		fill(e)
	}
	g.emit(g.streams.okta, t, e, 1)
}

// oktaFactor is the Okta factor name of p's strongest authenticator.
func (p *person) oktaFactor() (factor, credType string) {
	switch {
	case p.Fraud != nil && p.Fraud.noHardwareMFA:
		return "SMS_FACTOR", "OTP"
	case p.FIDO:
		return "FIDO_WEBAUTHN", "WEBAUTHN"
	}
	return "OKTA_VERIFY_PUSH", "OKTA_VERIFY_PUSH"
}

// oktaSession writes a session start, MFA, SSO to apps and maybe a session end.
func (g *generator) oktaSession(r *rand.Rand, p *person, s *session) {
	if !s.Continued {
		g.oktaSignIn(r, p, s)
	}
	apps := append(append([]string(nil), commonApps...), p.Dept.Apps...)
	for range 1 + r.IntN(4) {
		at := within(r, s)
		if !s.First {
			at = s.Start.Add(time.Duration(r.IntN(600)) * time.Second)
		}
		app := pick(r, apps)
		g.okta(r, p, s, at, "user.authentication.sso", "User single sign on to app", func(e *oktaEvent) {
			e.LegacyType = "app.auth.sso"
			e.Target = []oktaActor{{ID: stableID("0oa", app, 16), Type: "AppInstance", AlternateID: app, DisplayName: app}}
		})
	}
	if r.Float64() < 0.35 {
		g.okta(r, p, s, s.End, "user.session.end", "User logout from Okta", nil)
	}
}

// oktaSignIn writes a session start (now and then after a mistyped password) and its MFA.
func (g *generator) oktaSignIn(r *rand.Rand, p *person, s *session) {
	t := s.Start
	if r.Float64() < 0.03 {
		g.okta(r, p, s, t.Add(-time.Minute), "user.session.start", "User login to Okta", func(e *oktaEvent) {
			e.Outcome = oktaOutcome{Result: "FAILURE", Reason: "INVALID_CREDENTIALS"}
			e.LegacyType, e.Severity = "core.user_auth.login_failed", "WARN"
		})
	}
	g.okta(r, p, s, t, "user.session.start", "User login to Okta", func(e *oktaEvent) {
		e.LegacyType, e.AuthContext.CredentialType = "core.user_auth.login_success", "PASSWORD"
	})
	factor, cred := p.oktaFactor()
	g.okta(r, p, s, t.Add(time.Duration(5+r.IntN(20))*time.Second), "user.authentication.auth_via_mfa",
		"Authentication of user via MFA", func(e *oktaEvent) {
			e.AuthContext.CredentialType, e.AuthContext.CredentialProvider, e.AuthContext.AuthStep = cred, "OKTA_CREDENTIAL_PROVIDER", 1
			e.Debug.Data.Factor = factor
		})
}
