package gen

// city is a place where people live or travel to.
type city struct {
	Name, Region, Country, TZ string
	Lat, Lon                  float64
	Zip                       string // a postal code prefix
	Weight                    int    // relative share of the workforce living there
}

// cities are the homes and travel destinations. Indexes are stable: network blocks are
// allocated by index.
var cities = []city{
	{"Chicago", "IL", "US", "America/Chicago", 41.8781, -87.6298, "606", 14},
	{"New York", "NY", "US", "America/New_York", 40.7128, -74.0060, "100", 12},
	{"San Francisco", "CA", "US", "America/Los_Angeles", 37.7749, -122.4194, "941", 9},
	{"Austin", "TX", "US", "America/Chicago", 30.2672, -97.7431, "787", 6},
	{"Dallas", "TX", "US", "America/Chicago", 32.7767, -96.7970, "752", 5},
	{"Seattle", "WA", "US", "America/Los_Angeles", 47.6062, -122.3321, "981", 6},
	{"Denver", "CO", "US", "America/Denver", 39.7392, -104.9903, "802", 5},
	{"Boston", "MA", "US", "America/New_York", 42.3601, -71.0589, "021", 5},
	{"Atlanta", "GA", "US", "America/New_York", 33.7490, -84.3880, "303", 4},
	{"Phoenix", "AZ", "US", "America/Phoenix", 33.4484, -112.0740, "850", 3},
	{"Nashville", "TN", "US", "America/Chicago", 36.1627, -86.7816, "372", 3},
	{"Raleigh", "NC", "US", "America/New_York", 35.7796, -78.6382, "276", 3},
	{"Minneapolis", "MN", "US", "America/Chicago", 44.9778, -93.2650, "554", 3},
	{"Portland", "OR", "US", "America/Los_Angeles", 45.5152, -122.6784, "972", 3},
	{"Miami", "FL", "US", "America/New_York", 25.7617, -80.1918, "331", 2},
	{"Salt Lake City", "UT", "US", "America/Denver", 40.7608, -111.8910, "841", 2},
	{"Toronto", "ON", "CA", "America/Toronto", 43.6532, -79.3832, "M5V", 3},
	{"Vancouver", "BC", "CA", "America/Vancouver", 49.2827, -123.1207, "V6B", 2},
	{"London", "England", "GB", "Europe/London", 51.5074, -0.1278, "EC1", 4},
	{"Manchester", "England", "GB", "Europe/London", 53.4808, -2.2426, "M1", 1},
	{"Dublin", "Leinster", "IE", "Europe/Dublin", 53.3498, -6.2603, "D02", 1},
	{"Berlin", "Berlin", "DE", "Europe/Berlin", 52.5200, 13.4050, "101", 2},
	{"Warsaw", "Mazowieckie", "PL", "Europe/Warsaw", 52.2297, 21.0122, "00-", 2},
	{"Lisbon", "Lisboa", "PT", "Europe/Lisbon", 38.7223, -9.1393, "1100", 1},
	{"Madrid", "Madrid", "ES", "Europe/Madrid", 40.4168, -3.7038, "280", 1},
	{"Mexico City", "CDMX", "MX", "America/Mexico_City", 19.4326, -99.1332, "060", 2},
	{"São Paulo", "SP", "BR", "America/Sao_Paulo", -23.5505, -46.6333, "010", 2},
	{"Bengaluru", "Karnataka", "IN", "Asia/Kolkata", 12.9716, 77.5946, "560", 2},
	{"Manila", "Metro Manila", "PH", "Asia/Manila", 14.5995, 120.9842, "100", 2},
	{"Tokyo", "Tokyo", "JP", "Asia/Tokyo", 35.6762, 139.6503, "100", 1},
	{"Sydney", "NSW", "AU", "Australia/Sydney", -33.8688, 151.2093, "200", 1},
}

// Indexes of cities that scenarios refer to.
const (
	cityChicago = 0
	cityDallas  = 4
	cityDenver  = 6
	cityAtlanta = 8
	cityPhoenix = 9
	cityNash    = 10
	cityRaleigh = 11
	cityManila  = 28
	cityTokyo   = 29
)

// countries gives each country its phone prefix and residential ISP.
var countries = []struct {
	Code, Phone, ISP string
}{
	{"US", "+1", "Example Broadband"}, {"CA", "+1", "Example Cable Canada"}, {"GB", "+44", "Example Fibre UK"},
	{"IE", "+353", "Example Telecom Ireland"}, {"DE", "+49", "Example Netz"}, {"PL", "+48", "Example Światłowód"},
	{"PT", "+351", "Example Telecom PT"}, {"ES", "+34", "Example Fibra"}, {"MX", "+52", "Example Telmex-like"},
	{"BR", "+55", "Example Banda Larga"}, {"IN", "+91", "Example Broadband India"}, {"PH", "+63", "Example Fiber PH"},
	{"JP", "+81", "Example Hikari"}, {"AU", "+61", "Example NBN"},
}

func countryIndex(code string) int {
	for i, c := range countries {
		if c.Code == code {
			return i
		}
	}
	return 0
}

// firstNames and lastNames are drawn from many cultures; everyone, fraudulent or not,
// draws from the same lists with the same probabilities.
var firstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
	"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Chris", "Karen",
	"Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily",
	"Andrew", "Michelle", "Joshua", "Amanda", "Kevin", "Melissa", "Brian", "Stephanie", "Jose", "Maria",
	"Luis", "Ana", "Carlos", "Sofia", "Juan", "Camila", "Diego", "Valentina", "Wei", "Mei",
	"Jun", "Yuki", "Hiro", "Sakura", "Min-jun", "Ji-woo", "Arjun", "Priya", "Rahul", "Ananya",
	"Vikram", "Deepa", "Mohammed", "Fatima", "Omar", "Aisha", "Ali", "Layla", "Yusuf", "Noor",
	"Olu", "Ngozi", "Kwame", "Amara", "Tunde", "Zainab", "Liam", "Olivia", "Noah", "Emma",
	"Lukas", "Hannah", "Jakub", "Zofia", "Mateus", "Beatriz", "Joao", "Ines", "Pierre", "Chloe",
	"Sean", "Aoife", "Erik", "Freya", "Dmitri", "Elena", "Tariq", "Samira", "Alex", "Sam",
	"Jordan", "Taylor", "Casey", "Robin", "Kai", "Nia", "Leo", "Maya", "Ethan", "Grace",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	"Kim", "Park", "Choi", "Chen", "Wang", "Li", "Zhang", "Liu", "Tanaka", "Suzuki",
	"Sato", "Patel", "Shah", "Singh", "Kumar", "Gupta", "Reddy", "Khan", "Ahmed", "Hassan",
	"Ali", "Okafor", "Adeyemi", "Mensah", "Diallo", "Silva", "Santos", "Oliveira", "Costa", "Pereira",
	"Kowalski", "Nowak", "Wisniewski", "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Murphy", "Kelly",
	"O'Brien", "Dubois", "Moreau", "Rossi", "Russo", "Ivanov", "Petrov", "Johansson", "Larsen", "Cohen",
}

var streets = []string{
	"Oak St", "Maple Ave", "Cedar Ln", "Pine St", "Elm St", "Washington Blvd", "Lake Shore Dr", "Park Ave",
	"Highland Ave", "Sunset Blvd", "Main St", "2nd Ave", "Church St", "Mill Rd", "Riverside Dr", "Hillcrest Rd",
	"Forest Ave", "Willow Way", "Spring St", "Madison Ave", "Lincoln Ave", "Jefferson St", "Union St", "Market St",
}

// intlStreets are street names outside the US, by country.
var intlStreets = map[string][]string{
	"CA": {"Queen Street West", "Yonge Street", "Robson Street"}, "GB": {"High Street", "Station Road", "Baker Street"},
	"IE": {"Grafton Street", "Dame Street"}, "DE": {"Hauptstraße", "Bergmannstraße"}, "PL": {"Ulica Polna", "Ulica Marszałkowska"},
	"PT": {"Rua Augusta", "Avenida da Liberdade"}, "ES": {"Calle Mayor", "Calle de Alcalá"}, "MX": {"Avenida Reforma", "Calle Durango"},
	"BR": {"Rua Oscar Freire", "Avenida Paulista"}, "IN": {"MG Road", "Residency Road"}, "PH": {"Ayala Avenue", "Paseo de Roxas"},
	"JP": {"Chuo-dori", "Omotesando"}, "AU": {"George Street", "Pitt Street"},
}

// dept is a department with its share of headcount and what its people do.
type dept struct {
	Name    string
	Weight  int
	Titles  []string
	Apps    []string // Okta app instances beyond the common ones
	GitRate float64  // mean GitHub audit events per working day
	Drive   float64  // mean Drive events per working day
}

var depts = []dept{
	{"Engineering", 40, []string{"Software Engineer", "Senior Software Engineer", "Staff Engineer", "Site Reliability Engineer", "Data Engineer", "Engineering Manager"},
		[]string{"GitHub Enterprise Cloud", "AWS IAM Identity Center", "Datadog", "Jira"}, 8, 2},
	{"Product", 6, []string{"Product Manager", "Senior Product Manager"}, []string{"Jira", "Confluence", "Figma"}, 0.3, 4},
	{"Design", 4, []string{"Product Designer", "UX Researcher"}, []string{"Figma", "Confluence"}, 0.2, 3},
	{"Sales", 12, []string{"Account Executive", "Sales Development Representative", "Sales Manager"}, []string{"Salesforce", "Gong"}, 0, 4},
	{"Marketing", 7, []string{"Marketing Manager", "Content Strategist", "Growth Analyst"}, []string{"HubSpot", "Canva"}, 0, 5},
	{"Customer Support", 12, []string{"Support Engineer", "Customer Support Specialist", "Support Team Lead"}, []string{"Zendesk", "Jira"}, 0.2, 1},
	{"Finance", 5, []string{"Financial Analyst", "Accountant", "Controller"}, []string{"NetSuite", "Workday"}, 0, 5},
	{"People", 4, []string{"People Partner", "Recruiter", "HR Operations Specialist"}, []string{"Workday", "Greenhouse"}, 0, 4},
	{"IT", 4, []string{"IT Support Specialist", "Systems Administrator", "IT Manager"}, []string{"Jamf Pro", "Microsoft Intune", "AnyDesk"}, 0.5, 1},
	{"Security", 3, []string{"Security Engineer", "Security Analyst"}, []string{"GitHub Enterprise Cloud", "AWS IAM Identity Center", "Datadog"}, 2, 2},
	{"Legal", 2, []string{"Counsel", "Paralegal"}, []string{"DocuSign"}, 0, 4},
}

const (
	deptEngineering = 0
	deptSupport     = 5
	deptIT          = 8
)

var commonApps = []string{"Slack", "Zoom", "Google Workspace", "Microsoft Office 365", "Workday"}

// repoWords build the organisation's repository names.
var repoWords = []string{"payments", "billing", "auth", "search", "web", "mobile", "infra", "data", "ml", "api",
	"gateway", "notifications", "ledger", "reports", "admin", "checkout", "catalog", "identity", "events", "docs"}

var repoSuffixes = []string{"-service", "-core", "-ui", "-worker", "-lib"}

// docTitles are Drive document titles.
var docTitles = []string{"Q2 planning", "Team offsite notes", "Roadmap 2026", "Customer interview notes", "Incident review",
	"Hiring plan", "Budget forecast", "Architecture overview", "Onboarding checklist", "Weekly metrics",
	"Design review", "Sales playbook", "Pricing proposal", "Security policy", "Runbook", "Board deck draft",
	"Launch checklist", "Retro notes", "Quarterly business review", "Support macros"}
