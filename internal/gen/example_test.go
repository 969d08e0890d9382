package gen_test

import (
	"fmt"
	"os"

	"github.com/unmask/unmask/internal/gen"
)

// Generate a small company and list what was planted in it.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "demo-company-*")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	m, err := gen.Generate(dir, gen.Options{Employees: 60, Applicants: 40, Days: 7})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(m.Files), "files")
	for _, p := range m.Fraud {
		fmt.Println(p.Scenario, p.Indicators)
	}
	for _, c := range m.Clusters {
		fmt.Println(c.Name, len(c.CandidateIDs), "applicants")
	}
	// Output:
	// 20 files
	// laptop_farm [O-01 O-02 N-03 N-04 §3.3]
	// laptop_farm [O-01 O-02 N-03 N-04 §3.3]
	// laptop_farm [O-01 O-02 N-03 N-04]
	// astrill [N-01 N-08 O-10 N-09 §3.2 H-02]
	// remote_access [O-09 §3.1 N-11 O-05 O-06 O-03]
	// subtle [N-02 N-06 §3.4 N-10]
	// shared_phone_and_email_variants-1 3 applicants
	// shared_address_voip-1 4 applicants
	// shared_phone_and_history-1 3 applicants
}
