package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/unmask/unmask"
)

//go:embed openapi.json
var openAPI []byte

// apiRoutes registers the JSON API. Every route here must be described in openapi.json
// (TestOpenAPICoversRoutes).
func (s *Server) apiRoutes() {
	n := s.opts.IngestConcurrency
	if n <= 0 {
		n = defaultIngestConcurrency
	}
	s.ingest = make(chan struct{}, n)
	s.handle("GET /api/v1/openapi.json", false, func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		_, err := w.Write(openAPI)
		return err
	})
	s.api("GET /api/v1/people", s.handlePeople)
	s.api("GET /api/v1/people/{id}", s.handlePerson)
	s.api("GET /api/v1/signals", s.handleSignals)
	s.api("GET /api/v1/alerts", s.handleAlerts)
	s.api("POST /api/v1/alerts/{id}/acknowledge", s.setAlertStatus(unmask.AlertAcknowledged))
	s.api("POST /api/v1/alerts/{id}/close", s.setAlertStatus(unmask.AlertClosed))
	s.api("GET /api/v1/cases", s.handleCases)
	s.api("POST /api/v1/cases", s.handleCreateCase)
	s.api("GET /api/v1/cases/{id}", s.handleCase)
	s.api("PATCH /api/v1/cases/{id}", s.handleUpdateCase)
	s.api("POST /api/v1/cases/{id}/notes", s.handleCaseNote)
	s.api("POST /api/v1/cases/{id}/evidence", s.handleCaseEvidence)
	s.api("GET /api/v1/spotchecks", s.handleSpotChecks)
	s.api("POST /api/v1/spotchecks", s.handleCreateSpotCheck)
	s.api("POST /api/v1/spotchecks/{id}/result", s.handleSpotCheckResult)
	s.api("GET /api/v1/rules", s.handleRules)
	s.api("GET /api/v1/suppressions", s.handleSuppressions)
	s.api("PATCH /api/v1/rules/{id}", s.handleUpdateRule)
	s.api("POST /api/v1/rules/{id}/test", s.handleTestRule)
	s.api("GET /api/v1/indicators", s.handleIndicators)
	s.api("POST /api/v1/indicators", s.handleCreateIndicator)
	s.api("DELETE /api/v1/indicators/{id}", s.handleDeleteIndicator)
	s.api("GET /api/v1/deadletters", s.handleDeadLetterCounts)
	s.api("GET /api/v1/deadletters/{source}", s.handleDeadLetters)
	s.api("GET /api/v1/users", s.handleUsers)
	s.api("POST /api/v1/users", s.handleCreateUser)
	s.api("GET /api/v1/tokens", s.handleTokens)
	s.api("POST /api/v1/tokens", s.handleCreateToken)
	s.api("DELETE /api/v1/tokens/{id}", s.handleRevokeToken)
	s.api("GET /api/v1/audit", s.handleAudit)
	s.api("GET /api/v1/risk/weights", s.handleRiskWeights)
	s.api("POST /api/v1/risk/preview", s.handleRiskPreview)
	s.api("POST /api/v1/screen", s.handleScreen)
	s.api("GET /api/v1/ingest/{source}", s.handleIngestVerify)
	s.api("POST /api/v1/ingest/{source}", s.handleIngest)
}
