// Command semvercheck answers questions about github.com/Masterminds/semver/v3 (the
// version Helm pins) and about Flux's version resolution built on it, so helmsync's
// crates/engine/src/semver can be compared against the real thing.
//
//	semvercheck serve              requests as JSON lines on stdin, one response per line
//	semvercheck bless FILE.case... rewrite each case's expectation with Go's answer
//
// A request is {"op": OP, "args": [STRING...]}; the response is {"result": TEXT}, or
// {"error": TEXT} for a malformed request. The operations and the text of their results
// are listed in ops.go; the .case format in casefile.go.
//
// Build: cd tools/semvercheck && GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 \
// go build -o ~/.cache/helmsync-tools/bin/semvercheck .
package main

import "helmsync.local/tools/casecheck"

const usage = `usage:
  semvercheck serve               requests as JSON lines on stdin
  semvercheck bless FILE.case...  rewrite expectations with Go's answers
`

func main() {
	casecheck.Main("semvercheck", usage, answer, bless)
}
