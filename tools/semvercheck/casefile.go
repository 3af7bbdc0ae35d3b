package main

// The .case format of testdata/semver, shared with crates/engine/tests/semver_corpus.rs:
//
//	# comment (and blank lines): kept as they are
//	OP "ARG" "ARG"... => EXPECTED
//
// OP is one of the operations in ops.go; each argument is a JSON string literal; EXPECTED
// is the rest of the line after "=> ". A case written without "=> EXPECTED" gets one when
// blessed (see casecheck.Line).

import (
	"fmt"
	"io"
	"os"

	"helmsync.local/tools/casecheck"
)

// bless rewrites each file with Go's answer as every case's expectation.
func bless(paths []string, log io.Writer) error {
	if len(paths) == 0 {
		return fmt.Errorf("usage: semvercheck bless FILE.case...")
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text, changed, err := casecheck.BlessLines(string(data), answer)
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(log, "%s: %d expectations changed\n", path, changed)
	}
	return nil
}
