// Command unmask is Unmask's one binary: the server, the ingest and rule tools and the
// administrator's commands. All wiring of the product's packages happens here.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	err := m.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	m.Close()
	stop()
	if err != nil {
		printError(os.Stderr, err)
	}
	os.Exit(exitCode(err))
}
