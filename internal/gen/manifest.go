package gen

import "time"

// Manifest is the ground truth of one generated company, written as manifest.json.
type Manifest struct {
	Seed       int64     `json:"seed"`
	Start      time.Time `json:"start"`
	Days       int       `json:"days"`
	Domain     string    `json:"domain"`
	GitHubOrg  string    `json:"github_org"`
	Employees  int       `json:"employees"`
	Applicants int       `json:"applicants"`
	// Files lists every file written, with its record and expected event counts.
	Files []File `json:"files"`
	// Fraud lists the planted fraudulent workers.
	Fraud []Planted `json:"fraud"`
	// Clusters lists the planted fraudulent applicant clusters.
	Clusters []Cluster `json:"clusters"`
	// Networks says which address ranges play which role (see the Role* constants), for
	// configuring IP-intelligence feeds.
	Networks []Network `json:"networks"`
	// IntelFeeds are CIDR lists written under intel/, one per IP-intelligence tag, ready to
	// load as ipintel feeds.
	IntelFeeds []IntelFeed `json:"intel_feeds"`
	// VoIPNumbers are the applicant phone numbers a carrier lookup would call VoIP.
	VoIPNumbers []string `json:"voip_numbers"`
	// Approved lists the remote-access tools IT staff are approved to use.
	Approved []Approval `json:"approved_tools"`
	// Benign lists benign people whose behaviour resembles an indicator, to check for
	// false positives.
	Benign []Lookalike `json:"benign_lookalikes"`
}

// File is one written file. Records counts lines, array elements or CSV rows; Events is
// how many events ingest must produce from it.
type File struct {
	Path    string `json:"path"`
	Source  string `json:"source"`
	Kind    string `json:"kind,omitempty"` // the hrcsv format of an HR file
	Records int    `json:"records"`
	Events  int    `json:"events"`
}

// Planted is one fraudulent worker.
type Planted struct {
	Scenario    string `json:"scenario"` // laptop_farm, astrill, remote_access, subtle
	Group       string `json:"group"`    // people planted together share a group
	EmployeeID  string `json:"employee_id"`
	Email       string `json:"email"`
	Name        string `json:"name"`
	GitHub      string `json:"github_login,omitempty"`
	Host        string `json:"host"`
	Hired       string `json:"hired"`        // YYYY-MM-DD
	ClaimedZone string `json:"claimed_zone"` // the HRIS time zone
	WorkZone    string `json:"work_zone"`    // the zone the hours follow
	// Delivered is when the laptop was delivered, for onboarding indicators.
	Delivered time.Time `json:"delivered,omitzero"`
	// Indicators are the THREAT.md indicator IDs (H-xx, O-xx, N-xx, §3.x) planted.
	Indicators  []string     `json:"indicators"`
	Identifiers []Identifier `json:"identifiers"`
	// Evidence names events that ingest of the files must produce.
	Evidence []Evidence `json:"evidence"`
}

// Identifier is a typed value involved in a planted case. Kind is an unmask.IdentifierKind
// where one fits (email, phone, address, ship_to_address, bank_account, device_serial,
// github_login), else ip, greenhouse_candidate or employment_history.
type Identifier struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// Evidence describes events that must exist after ingest: at least MinCount (default 1)
// events of Source with every non-empty attribute equal (SourceCIDR: SourceIP inside
// it; Fields: each key equal), timed within [Since, Until) when set.
type Evidence struct {
	Indicator  string            `json:"indicator"`
	Source     string            `json:"source"`
	Kind       string            `json:"kind,omitempty"`
	Action     string            `json:"action,omitempty"`
	Actor      string            `json:"actor,omitempty"`
	Host       string            `json:"host,omitempty"`
	SourceIP   string            `json:"source_ip,omitempty"`
	SourceCIDR string            `json:"source_cidr,omitempty"`
	Target     string            `json:"target,omitempty"`
	Serial     string            `json:"serial,omitempty"`
	Fields     map[string]string `json:"fields,omitempty"`
	Since      time.Time         `json:"since,omitzero"`
	Until      time.Time         `json:"until,omitzero"`
	MinCount   int               `json:"min_count,omitempty"`
}

// Cluster is a group of applicants with different names behind shared identifiers.
type Cluster struct {
	Name         string       `json:"name"`
	CandidateIDs []string     `json:"candidate_ids"`
	Names        []string     `json:"names"`
	Indicators   []string     `json:"indicators"`
	Shared       []Identifier `json:"shared"`
	// EmployeeID is a current employee who shares an identifier with the cluster.
	EmployeeID string `json:"employee_id,omitempty"`
}

// Network is an address range with its role and place.
type Network struct {
	CIDR    string  `json:"cidr"`
	Role    string  `json:"role"`
	ASN     int     `json:"asn"`
	ASOrg   string  `json:"as_org"`
	Country string  `json:"country"`
	Region  string  `json:"region,omitempty"`
	City    string  `json:"city,omitempty"`
	Lat     float64 `json:"lat"`
	Lon     float64 `json:"lon"`
}

// IntelFeed is one CIDR list file and the tag its prefixes get.
type IntelFeed struct {
	Path  string   `json:"path"`
	Tag   string   `json:"tag"` // corporate, vpn, astrill, hosting
	CIDRs []string `json:"cidrs"`
}

// Approval is a tool an employee may use.
type Approval struct {
	EmployeeID string `json:"employee_id"`
	Email      string `json:"email"`
	Tool       string `json:"tool"`
}

// Lookalike is a benign person who looks like an indicator.
type Lookalike struct {
	Pattern    string `json:"pattern"` // shared_household, night_owl, second_shift, traveller, personal_vpn, apac_staff, new_hire
	EmployeeID string `json:"employee_id"`
	Email      string `json:"email"`
	Note       string `json:"note,omitempty"`
}
