package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// buildUnmask builds the unmask binary into a temporary directory.
func buildUnmask(t testing.TB) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found: cannot build the binary")
	}
	bin := filepath.Join(t.TempDir(), "unmask")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.CommandContext(t.Context(), gobin, append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// subprocessEnv is this process's environment without UNMASK_ settings, with the data
// directory set to dir.
func subprocessEnv(dir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "UNMASK_") {
			env = append(env, kv)
		}
	}
	return append(env, "UNMASK_DATA_DIR="+dir)
}

// runBin runs the binary to completion and returns its standard output.
func runBin(t *testing.T, bin string, env []string, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("unmask %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}
