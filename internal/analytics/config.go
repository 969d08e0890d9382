package analytics

// Config holds every detector's thresholds. The zero Config means every documented
// default.
type Config struct {
	Egress   EgressOptions
	Devices  DeviceOptions
	Farm     FarmOptions
	Home     HomeOptions
	Travel   TravelOptions
	Session  SessionOptions
	Hours    HoursOptions
	Git      GitOptions
	Cloud    CloudOptions
	Shipping ShippingOptions
	Serials  SerialOptions
	Payroll  PayrollOptions
	MFA      MFAOptions
	Delivery DeliveryOptions
}

// DefaultDetectors returns one of each detector configured by c, in the order the
// Engine runs them.
func DefaultDetectors(c Config) []Detector {
	return []Detector{
		NewEgress(c.Egress),
		NewDevices(c.Devices),
		NewLaptopFarm(c.Farm),
		NewHomeDistance(c.Home),
		NewImpossibleTravel(c.Travel),
		NewSessionReplay(c.Session),
		NewWorkHours(c.Hours),
		NewGit(c.Git),
		NewCloud(c.Cloud),
		NewShipping(c.Shipping),
		NewSerials(c.Serials),
		NewPayroll(c.Payroll),
		NewMFA(c.MFA),
		NewDelivery(c.Delivery),
	}
}
