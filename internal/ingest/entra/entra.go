// Package entra decodes Microsoft Entra ID (Azure AD) sign-in logs: Microsoft Graph
// /auditLogs/signIns responses (value[] pages) and Azure Monitor diagnostic exports
// (records[] or one record per line, with the sign-in under properties), interactive,
// non-interactive, service-principal and managed-identity alike.
package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of Entra events.
const Source = "entra"

// Format decodes Entra sign-in logs.
type Format struct {
	opts ingest.JSONOptions
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format whose records are capped at maxRecord bytes (0: the default).
func New(maxRecord int) *Format {
	return &Format{opts: ingest.JSONOptions{MaxRecord: maxRecord, Wrappers: [][]string{{"value"}, {"records"}}}}
}

// Source returns "entra".
func (f *Format) Source() string { return Source }

// Decode reads sign-in records from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, decodeRecord)
}

// signIn is the Graph signIn resource, also the properties of a diagnostic record.
type signIn struct {
	ID                      string      `json:"id"`
	CreatedDateTime         ingest.Time `json:"createdDateTime"`
	UserPrincipalName       string      `json:"userPrincipalName"`
	UserID                  string      `json:"userId"`
	UserDisplayName         string      `json:"userDisplayName"`
	ServicePrincipalName    string      `json:"servicePrincipalName"`
	ServicePrincipalID      string      `json:"servicePrincipalId"`
	AppDisplayName          string      `json:"appDisplayName"`
	AppID                   string      `json:"appId"`
	ResourceDisplayName     string      `json:"resourceDisplayName"`
	IPAddress               string      `json:"ipAddress"`
	UserAgent               string      `json:"userAgent"`
	ClientAppUsed           string      `json:"clientAppUsed"`
	CorrelationID           string      `json:"correlationId"`
	SessionID               string      `json:"sessionId"`
	ConditionalAccessStatus string      `json:"conditionalAccessStatus"`
	IsInteractive           ingest.Text `json:"isInteractive"`
	RiskLevelDuringSignIn   string      `json:"riskLevelDuringSignIn"`
	RiskLevelAggregated     string      `json:"riskLevelAggregated"`
	RiskState               string      `json:"riskState"`
	RiskDetail              string      `json:"riskDetail"`
	AuthRequirement         string      `json:"authenticationRequirement"`
	TokenIssuerType         string      `json:"tokenIssuerType"`
	ASN                     ingest.Text `json:"autonomousSystemNumber"`
	Status                  struct {
		ErrorCode         ingest.Text `json:"errorCode"`
		FailureReason     string      `json:"failureReason"`
		AdditionalDetails string      `json:"additionalDetails"`
	} `json:"status"`
	DeviceDetail struct {
		DeviceID        string      `json:"deviceId"`
		DisplayName     string      `json:"displayName"`
		OperatingSystem string      `json:"operatingSystem"`
		Browser         string      `json:"browser"`
		IsCompliant     ingest.Text `json:"isCompliant"`
		IsManaged       ingest.Text `json:"isManaged"`
		TrustType       string      `json:"trustType"`
	} `json:"deviceDetail"`
	Location location `json:"location"`
}

// location is a signIn location. Diagnostic records also carry a top-level location that
// is just a country code, which it accepts too.
type location struct {
	City            string `json:"city"`
	State           string `json:"state"`
	CountryOrRegion string `json:"countryOrRegion"`
	GeoCoordinates  struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	} `json:"geoCoordinates"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (l *location) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		*l = location{CountryOrRegion: ingest.JSONText(b)}
		return nil
	}
	type plain location
	return json.Unmarshal(b, (*plain)(l))
}

// record is a diagnostic record, or a Graph signIn when Properties is nil.
type record struct {
	signIn
	Time            ingest.Time `json:"time"`
	Category        string      `json:"category"`
	OperationName   string      `json:"operationName"`
	CallerIPAddress string      `json:"callerIpAddress"`
	Identity        string      `json:"identity"`
	TenantID        string      `json:"tenantId"`
	Properties      *signIn     `json:"properties"`
}

func decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var r record
	if err := json.Unmarshal(raw, &r); err != nil {
		return dst, fmt.Errorf("decode entra sign-in: %w", err)
	}
	s := &r.signIn
	if r.Properties != nil {
		s = r.Properties
	}
	if s.CreatedDateTime.IsZero() {
		s.CreatedDateTime = r.Time
	}
	if s.IPAddress == "" {
		s.IPAddress = r.CallerIPAddress
	}
	if s.ID == "" && s.UserPrincipalName == "" && s.AppID == "" && r.Category == "" {
		return dst, fmt.Errorf("decode entra sign-in: neither a signIn nor a diagnostic record")
	}
	e := &unmask.Event{
		Time: s.CreatedDateTime.Time, Kind: unmask.KindSignIn, Action: action(&r),
		Outcome: unmask.OutcomeSuccess, SourceIP: s.IPAddress, UserAgent: s.UserAgent,
		SessionID: s.SessionID, DeviceID: s.DeviceDetail.DeviceID, Host: s.DeviceDetail.DisplayName,
		Target: first(s.ResourceDisplayName, s.AppDisplayName),
		Actor:  first(s.UserPrincipalName, s.ServicePrincipalName, s.ServicePrincipalID, r.Identity),
		Geo:    geo(s), Fields: fields(&r, s),
	}
	if code := string(s.Status.ErrorCode); code != "" && code != "0" {
		e.Outcome = unmask.OutcomeFailure
	}
	return append(dst, e), nil
}

// action names the sign-in type: the diagnostic category, or for Graph records
// interactive or non-interactive.
func action(r *record) string {
	if r.Category != "" {
		return r.Category
	}
	if r.IsInteractive == "false" {
		return "NonInteractiveUserSignInLogs"
	}
	return "SignInLogs"
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func geo(s *signIn) *unmask.GeoPoint {
	l := s.Location
	asn, _ := strconv.Atoi(string(s.ASN))
	p := unmask.GeoPoint{Country: l.CountryOrRegion, Region: l.State, City: l.City,
		Lat: l.GeoCoordinates.Latitude, Lon: l.GeoCoordinates.Longitude, ASN: asn}
	if p == (unmask.GeoPoint{}) {
		return nil
	}
	return &p
}

func fields(r *record, s *signIn) map[string]string {
	m := make(map[string]string, 24)
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("category", r.Category)
	put("tenantId", r.TenantID)
	put("id", s.ID)
	put("userId", s.UserID)
	put("userDisplayName", s.UserDisplayName)
	put("appDisplayName", s.AppDisplayName)
	put("appId", s.AppID)
	put("resourceDisplayName", s.ResourceDisplayName)
	put("servicePrincipalId", s.ServicePrincipalID)
	put("clientAppUsed", s.ClientAppUsed)
	put("correlationId", s.CorrelationID)
	put("conditionalAccessStatus", s.ConditionalAccessStatus)
	put("isInteractive", string(s.IsInteractive))
	put("riskLevelDuringSignIn", s.RiskLevelDuringSignIn)
	put("riskLevelAggregated", s.RiskLevelAggregated)
	put("riskState", s.RiskState)
	put("riskDetail", s.RiskDetail)
	put("authenticationRequirement", s.AuthRequirement)
	put("tokenIssuerType", s.TokenIssuerType)
	put("status.errorCode", string(s.Status.ErrorCode))
	put("status.failureReason", s.Status.FailureReason)
	put("status.additionalDetails", s.Status.AdditionalDetails)
	put("deviceDetail.operatingSystem", s.DeviceDetail.OperatingSystem)
	put("deviceDetail.browser", s.DeviceDetail.Browser)
	put("deviceDetail.isCompliant", string(s.DeviceDetail.IsCompliant))
	put("deviceDetail.isManaged", string(s.DeviceDetail.IsManaged))
	put("deviceDetail.trustType", s.DeviceDetail.TrustType)
	return m
}
