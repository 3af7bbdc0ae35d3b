// Command strvalscheck answers how Helm v4 reads user-supplied values: its --set family
// of parsers (pkg/strvals), values.Options.MergeValues, and values.schema.json validation
// (pkg/chart/common/util), so that helmsync's crates/engine/src/values can be compared
// against the real thing.
//
//	strvalscheck serve              requests as JSON lines on stdin, one response per line
//	strvalscheck bless FILE.case... rewrite each case's expectation with Helm's answer
//
// A request is {"op": OP, "args": [STRING...]}; the response is {"result": TEXT}, or
// {"error": TEXT} for a malformed request. The operations and the text of their results
// are described in ops.go and schema.go; the .case formats in casefile.go. Files named by
// -f and --set-file are read relative to the working directory (serve) or to the files/
// directory beside the case file's directory (bless).
//
// Build: cd tools/strvalscheck && GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 \
// go build -o ~/.cache/helmsync-tools/bin/strvalscheck .
package main

import "helmsync.local/tools/casecheck"

const usage = `usage:
  strvalscheck serve               requests as JSON lines on stdin
  strvalscheck bless FILE.case...  rewrite expectations with Helm's answers
`

func main() {
	casecheck.Main("strvalscheck", usage, answer, bless)
}

// answer dispatches one operation.
func answer(op string, args []string) (string, error) {
	if op == "schema" {
		return schemaAnswer(args)
	}
	return strvalsAnswer(op, args)
}
