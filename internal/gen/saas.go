package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// stableID returns an id derived from name, the same in every run.
func stableID(prefix, name string, n int) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	return prefix + fmt.Sprintf("%016x", h.Sum64())[:n]
}

// stableUUID formats a hash of s as a UUID.
func stableUUID(s string) string {
	h := sha256.Sum256([]byte(s))
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-4" + x[13:16] + "-a" + x[17:20] + "-" + x[20:32]
}

type entraSignIn struct {
	ID                  string `json:"id"`
	CreatedDateTime     string `json:"createdDateTime"`
	UserDisplayName     string `json:"userDisplayName"`
	UserPrincipalName   string `json:"userPrincipalName"`
	UserID              string `json:"userId"`
	AppID               string `json:"appId"`
	AppDisplayName      string `json:"appDisplayName"`
	IPAddress           string `json:"ipAddress"`
	ClientAppUsed       string `json:"clientAppUsed"`
	UserAgent           string `json:"userAgent"`
	CorrelationID       string `json:"correlationId"`
	ConditionalAccess   string `json:"conditionalAccessStatus"`
	IsInteractive       bool   `json:"isInteractive"`
	RiskDetail          string `json:"riskDetail"`
	RiskLevelAggregated string `json:"riskLevelAggregated"`
	RiskLevelDuring     string `json:"riskLevelDuringSignIn"`
	RiskState           string `json:"riskState"`
	ResourceDisplayName string `json:"resourceDisplayName"`
	AuthRequirement     string `json:"authenticationRequirement"`
	TokenIssuerType     string `json:"tokenIssuerType"`
	SessionID           string `json:"sessionId"`
	ASN                 int    `json:"autonomousSystemNumber"`
	Status              struct {
		ErrorCode     int    `json:"errorCode"`
		FailureReason string `json:"failureReason,omitempty"`
	} `json:"status"`
	DeviceDetail struct {
		DeviceID        string `json:"deviceId"`
		DisplayName     string `json:"displayName"`
		OperatingSystem string `json:"operatingSystem"`
		Browser         string `json:"browser"`
		IsCompliant     bool   `json:"isCompliant"`
		IsManaged       bool   `json:"isManaged"`
		TrustType       string `json:"trustType"`
	} `json:"deviceDetail"`
	Location struct {
		City            string `json:"city"`
		State           string `json:"state"`
		CountryOrRegion string `json:"countryOrRegion"`
		GeoCoordinates  struct {
			Latitude  float64 `json:"latitude"`
			Longitude float64 `json:"longitude"`
		} `json:"geoCoordinates"`
	} `json:"location"`
}

var entraApps = []struct{ name, id, resource string }{
	{"Windows Sign In", "38aa3b87-a06d-4817-b275-7a316988d93b", "Windows Azure Active Directory"},
	{"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams Services"},
	{"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Office 365 Exchange Online"},
	{"OneDrive SyncEngine", "ab9b8c07-8f02-4f72-87fa-80105867a763", "Office 365 SharePoint Online"},
}

// entraSession writes the Entra sign-ins of a Windows laptop's session.
func (g *generator) entraSession(r *rand.Rand, p *person, s *session) {
	n := 1 + r.IntN(3)
	corr := uuid(r)
	for i := range n {
		app := entraApps[0]
		t := s.Start.Add(time.Duration(30+r.IntN(60)) * time.Second)
		if i > 0 {
			app, t = entraApps[1+r.IntN(len(entraApps)-1)], within(r, s)
		}
		e := &entraSignIn{ID: uuid(r), CreatedDateTime: t.UTC().Format(time.RFC3339), UserDisplayName: p.First + " " + p.Last,
			UserPrincipalName: p.Email, UserID: p.EntraUser, AppID: app.id, AppDisplayName: app.name,
			IPAddress: s.Via.IP.String(), ClientAppUsed: "Mobile Apps and Desktop clients", UserAgent: uaWin,
			CorrelationID: corr, ConditionalAccess: "success", IsInteractive: i == 0, RiskDetail: "none",
			RiskLevelAggregated: "none", RiskLevelDuring: "none", RiskState: "none", ResourceDisplayName: app.resource,
			AuthRequirement: "multiFactorAuthentication", TokenIssuerType: "AzureAD", SessionID: stableUUID(s.ID),
			ASN: s.Via.Net.ASN}
		d := &e.DeviceDetail
		d.DeviceID, d.DisplayName, d.OperatingSystem, d.Browser = p.AADID, p.Host, "Windows 11", "Edge 133.0.0"
		d.IsCompliant, d.IsManaged, d.TrustType = true, true, "Azure AD joined"
		c := s.Via.Net.City
		e.Location.City, e.Location.State, e.Location.CountryOrRegion = c.Name, c.Region, c.Country
		e.Location.GeoCoordinates.Latitude, e.Location.GeoCoordinates.Longitude = c.Lat, c.Lon
		g.emit(g.streams.entra, t, e, 1)
	}
}

// googleParam is a Reports API event parameter.
type googleParam struct {
	Name       string   `json:"name"`
	Value      string   `json:"value,omitempty"`
	BoolValue  *bool    `json:"boolValue,omitempty"`
	MultiValue []string `json:"multiValue,omitempty"`
}

type googleActivity struct {
	Kind string `json:"kind"`
	ID   struct {
		Time            string `json:"time"`
		UniqueQualifier string `json:"uniqueQualifier"`
		ApplicationName string `json:"applicationName"`
		CustomerID      string `json:"customerId"`
	} `json:"id"`
	Etag  string `json:"etag"`
	Actor struct {
		CallerType string `json:"callerType"`
		Email      string `json:"email"`
		ProfileID  string `json:"profileId"`
	} `json:"actor"`
	OwnerDomain string        `json:"ownerDomain,omitempty"`
	IPAddress   string        `json:"ipAddress"`
	Events      []googleEvent `json:"events"`
}

type googleEvent struct {
	Type       string        `json:"type"`
	Name       string        `json:"name"`
	Parameters []googleParam `json:"parameters"`
}

func (g *generator) google(r *rand.Rand, s *stream, p *person, ip string, t time.Time, app string, evs ...googleEvent) {
	a := &googleActivity{Kind: "admin#reports#activity", Etag: `"` + token(r, 12) + `"`, IPAddress: ip, Events: evs}
	a.ID.Time, a.ID.UniqueQualifier = t.UTC().Format("2006-01-02T15:04:05.000Z"), fmt.Sprint(r.Int64())
	a.ID.ApplicationName, a.ID.CustomerID = app, "C03nw1xmp"
	a.Actor.CallerType, a.Actor.Email, a.Actor.ProfileID = "USER", p.Email, p.Profile
	if app == "drive" {
		a.OwnerDomain = Domain
	}
	g.emit(s, t, a, len(evs))
}

// googleLogin writes the SAML login of the day's first session.
func (g *generator) googleLogin(r *rand.Rand, p *person, s *session) {
	g.google(r, g.streams.login, p, s.Via.IP.String(), s.Start.Add(time.Duration(60+r.IntN(240))*time.Second), "login",
		googleEvent{Type: "login", Name: "login_success", Parameters: []googleParam{
			{Name: "login_type", Value: "saml"}, {Name: "is_suspicious", BoolValue: new(false)},
			{Name: "is_second_factor", BoolValue: new(false)}}})
}

// driveSession writes a Poisson number (mean) of document accesses and internal shares.
func (g *generator) driveSession(r *rand.Rand, p *person, s *session, mean float64) {
	for range poisson(r, mean) {
		title := pick(r, docTitles)
		doc := stableID("1", p.Dept.Name+title, 16) + token(r, 12)
		params := []googleParam{{Name: "primary_event", BoolValue: new(true)}, {Name: "doc_id", Value: doc},
			{Name: "doc_type", Value: pick(r, []string{"document", "spreadsheet", "presentation"})},
			{Name: "doc_title", Value: title}, {Name: "owner", Value: p.Email}, {Name: "billable", BoolValue: new(true)}}
		ev := googleEvent{Type: "access", Name: pick(r, []string{"view", "view", "edit", "download"})}
		if r.Float64() < 0.15 {
			peer := g.people[r.IntN(len(g.people))]
			ev = googleEvent{Type: "acl_change", Name: "change_user_access"}
			params = append(params, googleParam{Name: "target_user", Value: peer.Email},
				googleParam{Name: "old_value", MultiValue: []string{"none"}}, googleParam{Name: "new_value", MultiValue: []string{"can_edit"}},
				googleParam{Name: "visibility", Value: "shared_internally"})
		} else {
			params = append(params, googleParam{Name: "visibility", Value: "private"})
		}
		ev.Parameters = params
		g.google(r, g.streams.drive, p, s.Via.IP.String(), within(r, s), "drive", ev)
	}
}

type githubEvent struct {
	Timestamp  int64  `json:"@timestamp"`
	DocumentID string `json:"_document_id"`
	Action     string `json:"action"`
	Actor      string `json:"actor"`
	ActorID    int64  `json:"actor_id"`
	ActorIP    string `json:"actor_ip,omitempty"`
	Location   *struct {
		CountryCode string `json:"country_code"`
	} `json:"actor_location,omitempty"`
	Business   string `json:"business"`
	CreatedAt  int64  `json:"created_at"`
	Operation  string `json:"operation_type"`
	Org        string `json:"org"`
	Repo       string `json:"repo,omitempty"`
	Public     *bool  `json:"repository_public,omitempty"`
	Transport  string `json:"transport_protocol_name,omitempty"`
	UserAgent  string `json:"user_agent,omitempty"`
	PullNumber int    `json:"pull_request_id,omitempty"`
}

func (g *generator) github(r *rand.Rand, p *person, s *session, t time.Time, action, repo string) {
	e := &githubEvent{Timestamp: t.UnixMilli(), DocumentID: token(r, 22), Action: action, Actor: p.Git,
		ActorID: int64(40000000 + p.idx), ActorIP: s.Via.IP.String(), Business: "northwind", CreatedAt: t.UnixMilli(),
		Operation: "access", Org: GitHubOrg, Repo: repo, Public: new(false)}
	e.Location = &struct {
		CountryCode string `json:"country_code"`
	}{s.Via.Net.City.Country}
	switch action {
	case "git.clone", "git.push", "git.fetch":
		e.Transport, e.UserAgent = "ssh", "git/2.47.1"
	default:
		e.Operation, e.UserAgent = "create", p.userAgentOnly()
		e.PullNumber = 1000 + r.IntN(9000)
	}
	g.emit(g.streams.github, t, e, 1)
}

func (p *person) userAgentOnly() string {
	ua, _, _ := p.userAgent()
	return ua
}

// githubSession writes pulls, pushes and pull requests in proportion to the role.
func (g *generator) githubSession(r *rand.Rand, p *person, s *session, mean float64) {
	mine := g.repos[(p.idx*7)%len(g.repos):]
	mine = mine[:min(len(mine), 4)]
	for range poisson(r, mean) {
		repo := pick(r, mine)
		switch x := r.Float64(); {
		case x < 0.55:
			g.github(r, p, s, within(r, s), "git.clone", repo)
		case x < 0.9:
			g.github(r, p, s, within(r, s), "git.push", repo)
		default:
			g.github(r, p, s, within(r, s), "pull_request.create", repo)
		}
	}
}
