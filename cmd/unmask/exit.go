package main

import (
	"fmt"
	"io"

	"github.com/unmask/unmask"
)

// exitCode maps an error to the process exit code: the one switch of its kind.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	switch unmask.ErrorCode(err) {
	case unmask.EINVALID, unmask.ETOOLARGE:
		return 2
	case unmask.ENOTFOUND:
		return 3
	case unmask.ECONFLICT:
		return 4
	case unmask.EUNAUTHORIZED, unmask.EFORBIDDEN:
		return 5
	case unmask.EUNAVAILABLE, unmask.ELIMITED:
		return 6
	}
	return 1
}

// printError writes err for the operator at the terminal.
func printError(w io.Writer, err error) {
	if unmask.ErrorCode(err) == unmask.EINTERNAL {
		fmt.Fprintf(w, "unmask: %v\n", err)
		return
	}
	fmt.Fprintf(w, "unmask: %s\n", unmask.ErrorMessage(err))
}

// invalid wraps err as an EINVALID error whose message is err's text.
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return &unmask.Error{Code: unmask.EINVALID, Message: err.Error(), Err: err}
}
