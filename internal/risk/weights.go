package risk

import "github.com/unmask/unmask"

// defaultWeights weighs every THREAT.md indicator. The points are those of one fresh,
// full-strength signal; DefaultConfig's Scale (50) maps 35 points to a score of 50. The
// grade follows the catalogue: near-proof of misrepresentation (a W-2 complaint from the
// real identity owner, one shipping address or MFA device shared by several workers, an
// IP-KVM on the laptop) weighs 25–40; tools and traffic that legitimate remote workers also
// show (commercial VPNs, impossible travel, thin footprints) weigh 3–8 and count only when
// corroborated. The comment after each entry says why.
var defaultWeights = map[string]float64{
	// Hiring (THREAT.md §1).
	"H-01": 6,  // VoIP or new phone: common among legitimate applicants too
	"H-02": 25, // contact or payout details shared with another applicant: strong, cross-checked
	"H-03": 35, // matches a public IOC list: strong, though lists go stale
	"H-04": 3,  // US address, education abroad: weak; matches many immigrants
	"H-05": 20, // résumé near-duplicate of another applicant's
	"H-06": 5,  // generic or inflated profile: weak feature
	"H-07": 15, // prior employer or reference is a shell company
	"H-08": 15, // profile photo AI-generated or reused across identities
	"H-09": 4,  // thin or new digital footprint: privacy-conscious people match
	"H-10": 12, // GitHub account artificially aged or inflated
	"H-11": 8,  // camera refusal, identity change mid-call
	"H-12": 18, // deepfake, face swap or voice changer observed
	"H-13": 12, // interview or offer traffic from VPN or foreign IP
	"H-14": 5,  // interview behaviour: subjective scorecards
	"H-15": 8,  // avoids in-person steps
	"H-16": 10, // payment in crypto or to a third party
	"H-17": 12, // referred by a worker already under suspicion
	"H-18": 8,  // application velocity or automation
	"H-19": 15, // identity inconsistent across documents and profiles

	// Onboarding and HR (THREAT.md §2).
	"O-01": 15, // laptop ship-to address changed or differs from the verified address
	"O-02": 30, // shipping address shared by unrelated workers: laptop farm
	"O-03": 15, // payroll account not in the worker's name, frequent changes
	"O-04": 40, // identity verification mismatch, W-2 complaint: treat as critical
	"O-05": 25, // enrolled laptop serial differs from the one shipped
	"O-06": 5,  // no phishing-resistant MFA: also plain policy lag
	"O-07": 30, // one MFA device completes MFA for several accounts
	"O-08": 8,  // asks for BYOD or VDI only
	"O-09": 25, // remote-access tooling within days of device delivery
	"O-10": 12, // work pattern inconsistent with the claimed time zone
	"O-11": 12, // identity switch: new GitHub handle, early legal-name change
	"O-12": 8,  // refuses in-person meetings

	// Network and identity logs (THREAT.md §4).
	"N-01": 25, // sign-in from Astrill VPN egress: named in most reporting
	"N-02": 6,  // commercial VPN or hosting egress: noisy
	"N-03": 25, // several workers behind one residential IP: laptop farm
	"N-04": 12, // residential IP far from the HR address
	"N-05": 10, // sign-in from an unmanaged device
	"N-06": 5,  // impossible travel: known to be noisy
	"N-07": 15, // one session or token used from several networks
	"N-08": 10, // working hours aligned with UTC+8/+9, or 24×7
	"N-09": 12, // bulk clone or code copied to personal repositories
	"N-10": 10, // uploads to personal cloud storage
	"N-11": 12, // RMM domains in DNS or SNI from a managed device
	"N-12": 25, // IP-KVM visible on the laptop's LAN
	"N-13": 25, // recruiting SaaS touched from actor infrastructure
	"N-14": 15, // interactive-session latency far above the claimed region's

	// Endpoint (THREAT.md §3).
	"§3.1": 15, // unexpected remote-access / RMM tool
	"§3.2": 25, // Astrill VPN client installed or running
	"§3.3": 30, // IP-KVM hardware attached
	"§3.4": 12, // mouse jiggler or activity simulator
	"§3.5": 15, // remote-control latency, session tampering, infostealer, exfiltration
	"§3.6": 8,  // remote-desktop protocol ports
}

// DefaultConfig returns the shipped scoring configuration.
func DefaultConfig() Config {
	c := Config{
		Indicators:  make(map[string]IndicatorWeight, len(defaultWeights)),
		Default:     IndicatorWeight{Weight: 5},
		Diminishing: 0.5,
		Severity: map[unmask.Severity]float64{
			unmask.SeverityInfo:     0.1,
			unmask.SeverityLow:      0.25,
			unmask.SeverityMedium:   0.5,
			unmask.SeverityHigh:     0.75,
			unmask.SeverityCritical: 1,
		},
		Families: map[string]FamilyConfig{
			// Résumé and identity facts do not go stale quickly.
			unmask.FamilyHiring: {Cap: 45, HalfLifeDays: 365},
			// HR and payroll anomalies stay relevant for months.
			unmask.FamilyOnboarding: {Cap: 50, HalfLifeDays: 180},
			// Network activity is re-observed while it lasts; old sign-ins fade fast.
			unmask.FamilyNetwork:  {Cap: 40, HalfLifeDays: 30},
			unmask.FamilyEndpoint: {Cap: 40, HalfLifeDays: 45},
			FamilyOther:           {Cap: 15, HalfLifeDays: 30},
		},
		NewHireDays: 90,
		Stages: map[Stage]map[string]float64{
			// Remote-access tooling, VPNs and unmanaged devices right after hire are the
			// pattern of KB4, LevelBlue and O-09.
			StageNewHire: {unmask.FamilyEndpoint: 1.5, unmask.FamilyNetwork: 1.3, unmask.FamilyOnboarding: 1.2},
			// Tenured staff have legitimate history with approved tooling.
			StageTenured: {unmask.FamilyEndpoint: 0.8, unmask.FamilyNetwork: 0.9},
		},
		Corroboration: Corroboration{MinFamilyPoints: 5, Bonus: 0.2},
		Scale:         50,
		Bands:         Bands{Medium: 25, High: 50, Critical: 75},
	}
	for id, w := range defaultWeights {
		c.Indicators[id] = IndicatorWeight{Weight: w}
	}
	// The real identity owner's complaint does not expire with time.
	noDecay := 0.0
	c.Indicators["O-04"] = IndicatorWeight{Weight: 40, HalfLifeDays: &noDecay}
	return c
}
