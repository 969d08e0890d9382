package risk

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/unmask/unmask"
)

// FamilyOther is the family of indicator IDs that unmask.IndicatorFamily does not know.
const FamilyOther = "other"

// Stage is where a person stood, relative to their hire date, when a signal was observed.
type Stage string

// Stages.
const (
	// StageApplicant is before the hire date, or a person with no hire date.
	StageApplicant Stage = "applicant"
	// StageNewHire is the first Config.NewHireDays days after the hire date.
	StageNewHire Stage = "new_hire"
	// StageTenured is any later time.
	StageTenured Stage = "tenured"
)

// Config holds every tunable of the scoring. The zero value is not usable; start from
// DefaultConfig and change fields. Field tags let a YAML or JSON file set it directly.
type Config struct {
	// Indicators maps a THREAT.md indicator ID ("N-01", "§3.1") to its weight.
	Indicators map[string]IndicatorWeight `yaml:"indicators" json:"indicators"`
	// Default weighs indicator IDs that are not in Indicators.
	Default IndicatorWeight `yaml:"default" json:"default"`
	// Families maps a family (unmask.FamilyHiring, ..., FamilyOther) to its cap and decay.
	Families map[string]FamilyConfig `yaml:"families" json:"families"`
	// Diminishing is the ratio, in (0, 1], by which each further signal of one indicator
	// counts less than the one before: 0.5 means 1, ½, ¼, ...
	Diminishing float64 `yaml:"diminishing" json:"diminishing"`
	// Severity gives a signal's strength when its Weight is 0.
	Severity map[unmask.Severity]float64 `yaml:"severity" json:"severity"`
	// NewHireDays is the length of the new-hire stage in days.
	NewHireDays int `yaml:"new_hire_days" json:"new_hire_days"`
	// Stages multiplies the points of a family's signals by the stage the person was in;
	// a missing entry means 1.
	Stages map[Stage]map[string]float64 `yaml:"stages" json:"stages"`
	// Corroboration rewards evidence from independent families.
	Corroboration Corroboration `yaml:"corroboration" json:"corroboration"`
	// Scale is the total that maps to a score of 63 (1 − 1/e); larger is stricter.
	Scale float64 `yaml:"scale" json:"scale"`
	// Bands are the score thresholds of the bands.
	Bands Bands `yaml:"bands" json:"bands"`
}

// IndicatorWeight weighs one indicator.
type IndicatorWeight struct {
	// Weight is the points of one full-strength, fresh signal.
	Weight float64 `yaml:"weight" json:"weight"`
	// Cap is the most points the indicator gives however many signals it has; 0 means
	// DefaultCapFactor × Weight.
	Cap float64 `yaml:"cap,omitempty" json:"cap,omitempty"`
	// HalfLifeDays overrides the family's half-life when set; 0 means no decay.
	HalfLifeDays *float64 `yaml:"half_life_days,omitempty" json:"half_life_days,omitempty"`
}

// DefaultCapFactor sets an indicator's cap when IndicatorWeight.Cap is 0.
const DefaultCapFactor = 1.5

// FamilyConfig caps and decays one family of indicators.
type FamilyConfig struct {
	// Cap is the most points the family gives; 0 means no cap. A family missing from
	// Config.Families has no cap and no decay.
	Cap float64 `yaml:"cap" json:"cap"`
	// HalfLifeDays is the age, in days since a signal was last seen, at which it counts
	// half; 0 means no decay.
	HalfLifeDays float64 `yaml:"half_life_days" json:"half_life_days"`
}

// Corroboration multiplies the total when several families have evidence.
type Corroboration struct {
	// MinFamilyPoints is the points a family needs to count as corroborating.
	MinFamilyPoints float64 `yaml:"min_family_points" json:"min_family_points"`
	// Bonus is added to the multiplier for each corroborating source past the first.
	Bonus float64 `yaml:"bonus" json:"bonus"`
	// Sources maps a family to the evidence source it comes from; families of one source
	// corroborate as one. A family not listed is its own source. Set hiring and
	// onboarding to "hr" to treat all HR-system evidence as one source.
	Sources map[string]string `yaml:"sources,omitempty" json:"sources,omitempty"`
}

// source returns the evidence source of family f.
func (c Corroboration) source(f string) string {
	if s, ok := c.Sources[f]; ok && s != "" {
		return s
	}
	return f
}

// Bands are the lowest scores of the medium, high and critical bands; lower is low.
type Bands struct {
	Medium   float64 `yaml:"medium" json:"medium"`
	High     float64 `yaml:"high" json:"high"`
	Critical float64 `yaml:"critical" json:"critical"`
}

// Band returns the band of score.
func (b Bands) Band(score float64) unmask.RiskBand {
	switch {
	case score >= b.Critical:
		return unmask.BandCritical
	case score >= b.High:
		return unmask.BandHigh
	case score >= b.Medium:
		return unmask.BandMedium
	}
	return unmask.BandLow
}

// Validate reports the first setting that cannot be scored with, as an EINVALID error.
func (c *Config) Validate() error {
	if err := c.validateScalars(); err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(c.Indicators)) {
		if err := c.Indicators[id].validate(); err != nil {
			return unmask.Errorf(unmask.EINVALID, "Risk indicator %s: %s", id, err)
		}
	}
	if err := c.Default.validate(); err != nil {
		return unmask.Errorf(unmask.EINVALID, "Risk default indicator: %s", err)
	}
	for _, f := range slices.Sorted(maps.Keys(c.Families)) {
		fc := c.Families[f]
		if !finiteNonNeg(fc.Cap) || !finiteNonNeg(fc.HalfLifeDays) {
			return unmask.Errorf(unmask.EINVALID, "Risk family %s: cap and half-life must be finite and not negative.", f)
		}
	}
	for _, st := range slices.Sorted(maps.Keys(c.Stages)) {
		for f, m := range c.Stages[st] {
			if !finiteNonNeg(m) {
				return unmask.Errorf(unmask.EINVALID, "Risk stage %s multiplier for %s must be finite and not negative.", st, f)
			}
		}
	}
	return nil
}

func (c *Config) validateScalars() error {
	switch {
	case !(c.Diminishing > 0 && c.Diminishing <= 1):
		return unmask.Errorf(unmask.EINVALID, "Risk diminishing ratio %v is outside (0, 1].", c.Diminishing)
	case !(c.Scale > 0) || math.IsInf(c.Scale, 0):
		return unmask.Errorf(unmask.EINVALID, "Risk scale %v must be a positive number.", c.Scale)
	case c.NewHireDays < 0:
		return unmask.Errorf(unmask.EINVALID, "Risk new-hire days %d is negative.", c.NewHireDays)
	case !finiteNonNeg(c.Corroboration.MinFamilyPoints) || !finiteNonNeg(c.Corroboration.Bonus):
		return unmask.Errorf(unmask.EINVALID, "Risk corroboration settings must be finite and not negative.")
	case !(0 < c.Bands.Medium && c.Bands.Medium <= c.Bands.High && c.Bands.High <= c.Bands.Critical && c.Bands.Critical <= 100):
		return unmask.Errorf(unmask.EINVALID, "Risk bands must satisfy 0 < medium ≤ high ≤ critical ≤ 100.")
	}
	for sev, v := range c.Severity {
		if !sev.Valid() || !(v >= 0 && v <= 1) {
			return unmask.Errorf(unmask.EINVALID, "Risk severity strength %q=%v is not a known severity in 0..1.", sev, v)
		}
	}
	return nil
}

func (w IndicatorWeight) validate() error {
	switch {
	case !finiteNonNeg(w.Weight):
		return fmt.Errorf("weight %v must be finite and not negative", w.Weight)
	case !finiteNonNeg(w.Cap):
		return fmt.Errorf("cap %v must be finite and not negative", w.Cap)
	case w.HalfLifeDays != nil && !finiteNonNeg(*w.HalfLifeDays):
		return fmt.Errorf("half-life %v must be finite and not negative", *w.HalfLifeDays)
	}
	return nil
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }

// Clone returns a deep copy of c, so that a what-if variant can be edited safely.
func (c Config) Clone() Config {
	out := c
	out.Indicators = maps.Clone(c.Indicators)
	out.Families = maps.Clone(c.Families)
	out.Severity = maps.Clone(c.Severity)
	out.Corroboration.Sources = maps.Clone(c.Corroboration.Sources)
	out.Stages = make(map[Stage]map[string]float64, len(c.Stages))
	for st, m := range c.Stages {
		out.Stages[st] = maps.Clone(m)
	}
	return out
}

// weight returns the weight of an indicator ID: an exact entry, else the entry for its
// longest prefix ending before a '.', '-', ':' or '/' ("§3.1.2" and "§3.1:anydesk" use
// "§3.1"), else Default. ok is false for Default.
func (c *Config) weight(id string) (w IndicatorWeight, key string, ok bool) {
	for key = id; key != ""; {
		if w, ok = c.Indicators[key]; ok {
			return w, key, true
		}
		i := lastSeparator(key)
		if i <= 0 {
			break
		}
		key = key[:i]
	}
	return c.Default, id, false
}

func lastSeparator(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case '.', '-', ':', '/':
			return i
		}
	}
	return -1
}

// family returns the family of an indicator ID, FamilyOther for unknown prefixes.
func family(id string) string {
	if f := unmask.IndicatorFamily(id); f != "" {
		return f
	}
	return FamilyOther
}

// halfLife returns the half-life in days of an indicator in family f.
func (c *Config) halfLife(w IndicatorWeight, f string) float64 {
	if w.HalfLifeDays != nil {
		return *w.HalfLifeDays
	}
	return c.Families[f].HalfLifeDays
}

// indicatorCap returns the cap of an indicator.
func indicatorCap(w IndicatorWeight) float64 {
	if w.Cap > 0 {
		return w.Cap
	}
	return DefaultCapFactor * w.Weight
}

// stageMultiplier returns the multiplier of family f in stage st.
func (c *Config) stageMultiplier(st Stage, f string) float64 {
	if m, ok := c.Stages[st][f]; ok {
		return m
	}
	return 1
}
