package greenhouse

import "github.com/unmask/unmask/internal/ingest"

// valueType is an {value, type} entry of a candidate's contact lists.
type valueType struct {
	Value ingest.Text `json:"value"`
	Type  string      `json:"type"`
}

type attachment struct {
	Filename string `json:"filename"`
	URL      string `json:"url"`
	Type     string `json:"type"`
}

// named is any {id, name} reference (job, stage, source, user).
type named struct {
	ID         ingest.Text `json:"id"`
	Name       string      `json:"name"`
	PublicName string      `json:"public_name"`
	Email      string      `json:"email"`
}

type education struct {
	SchoolName ingest.Text `json:"school_name"`
	Degree     ingest.Text `json:"degree"`
	Discipline ingest.Text `json:"discipline"`
	StartDate  ingest.Text `json:"start_date"`
	EndDate    ingest.Text `json:"end_date"`
}

type employment struct {
	CompanyName ingest.Text `json:"company_name"`
	Title       ingest.Text `json:"title"`
	StartDate   ingest.Text `json:"start_date"`
	EndDate     ingest.Text `json:"end_date"`
}

// candidate is a Harvest candidate, also embedded in webhook applications.
type candidate struct {
	ID             ingest.Text   `json:"id"`
	FirstName      string        `json:"first_name"`
	LastName       string        `json:"last_name"`
	Company        string        `json:"company"`
	Title          string        `json:"title"`
	CreatedAt      ingest.Time   `json:"created_at"`
	UpdatedAt      ingest.Time   `json:"updated_at"`
	LastActivity   ingest.Time   `json:"last_activity"`
	PhotoURL       string        `json:"photo_url"`
	Emails         []valueType   `json:"email_addresses"`
	Phones         []valueType   `json:"phone_numbers"`
	Addresses      []valueType   `json:"addresses"`
	Websites       []valueType   `json:"website_addresses"`
	Social         []valueType   `json:"social_media_addresses"`
	Attachments    []attachment  `json:"attachments"`
	ApplicationIDs []ingest.Text `json:"application_ids"`
	Applications   []application `json:"applications"`
	Educations     []education   `json:"educations"`
	Employments    []employment  `json:"employments"`
	Recruiter      *named        `json:"recruiter"`
	Coordinator    *named        `json:"coordinator"`
}

// application is a Harvest application, also the payload of most webhooks.
type application struct {
	ID             ingest.Text `json:"id"`
	CandidateID    ingest.Text `json:"candidate_id"`
	Prospect       ingest.Text `json:"prospect"`
	AppliedAt      ingest.Time `json:"applied_at"`
	RejectedAt     ingest.Time `json:"rejected_at"`
	LastActivityAt ingest.Time `json:"last_activity_at"`
	Location       *struct {
		Address string `json:"address"`
	} `json:"location"`
	Source       *named       `json:"source"`
	CreditedTo   *named       `json:"credited_to"`
	Jobs         []named      `json:"jobs"`
	Job          *named       `json:"job"`
	Status       string       `json:"status"`
	CurrentStage *named       `json:"current_stage"`
	Answers      []answer     `json:"answers"`
	Candidate    *candidate   `json:"candidate"`
	Offer        *offer       `json:"offer"`
	Attachments  []attachment `json:"attachments"`
}

type answer struct {
	Question ingest.Text `json:"question"`
	Answer   ingest.Text `json:"answer"`
}

// offer is a Harvest offer, also embedded in the candidate_hired webhook.
type offer struct {
	ID            ingest.Text `json:"id"`
	Version       ingest.Text `json:"version"`
	ApplicationID ingest.Text `json:"application_id"`
	CandidateID   ingest.Text `json:"candidate_id"`
	JobID         ingest.Text `json:"job_id"`
	Status        string      `json:"status"`
	CreatedAt     ingest.Time `json:"created_at"`
	UpdatedAt     ingest.Time `json:"updated_at"`
	SentAt        ingest.Time `json:"sent_at"`
	ResolvedAt    ingest.Time `json:"resolved_at"`
	StartsAt      ingest.Time `json:"starts_at"`
}

// webhook is a Greenhouse webhook delivery.
type webhook struct {
	Action  string `json:"action"`
	Payload struct {
		Application *application `json:"application"`
		Candidate   *candidate   `json:"candidate"`
		Offer       *offer       `json:"offer"`
	} `json:"payload"`
}
