package main

import (
	"context"
	"encoding/binary"
	"encoding/hex"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
	"github.com/unmask/unmask/internal/detect"
	"github.com/unmask/unmask/internal/spotcheck"
)

// workflows returns the case and spot-check services over the store. Spot-check signals
// (a refused or missed check, a failed attestation) go through detection's Record, so
// that they are stored, scored and alerted like every other signal; signals a case clears
// or restores are rescored through detection too.
func (m *Main) workflows(p *processor) (*casework.Service, *spotcheck.Service, error) {
	log := m.Logger
	cases, err := casework.NewService(casework.Options{Cases: m.db, Alerts: m.db, Signals: m.db, Events: m.db,
		Identifiers: m.db, Indicators: m.db, Audit: m.db, People: m.db, Risk: m.db, SpotChecks: m.db, Users: m.db,
		Rescore: p.detect.Rescore, Logger: log.With("component", "casework")})
	if err != nil {
		return nil, nil, err
	}
	spots, err := spotcheck.NewService(spotcheck.Options{People: m.db, Risk: m.db, Checks: m.db,
		Signals: engineSignals{p.detect}, Audit: m.db, Policy: spotcheck.DefaultPolicy(),
		Seed: spotCheckSeed(p), Logger: log.With("component", "spotcheck")})
	if err != nil {
		return nil, nil, err
	}
	return cases, spots, nil
}

// spotCheckSeed derives the random spot-check seed from the installation's hashing key:
// fixed across restarts, so the plan does not change, and secret, so nobody who knows
// the code and a person id can predict that person's random checks.
func spotCheckSeed(p *processor) uint64 {
	sum, err := hex.DecodeString(p.hasher.Hash("spotcheck", "seed"))
	if err != nil || len(sum) < 8 {
		panic("spot-check seed: the identifier hash is not hex") // idhash always returns hex
	}
	return binary.BigEndian.Uint64(sum)
}

// engineSignals stores spot-check signals through detection: merged by key, rescored
// and alerted.
type engineSignals struct{ en *detect.Engine }

// CreateSignal records the signal.
func (s engineSignals) CreateSignal(ctx context.Context, sg *unmask.Signal) error {
	return s.en.Record(ctx, *sg)
}
