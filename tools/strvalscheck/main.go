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

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

const usage = `usage:
  strvalscheck serve               requests as JSON lines on stdin
  strvalscheck bless FILE.case...  rewrite expectations with Helm's answers
`

type request struct {
	Op   string   `json:"op"`
	Args []string `json:"args"`
}

type response struct {
	Result *string `json:"result,omitempty"`
	Error  string  `json:"error,omitempty"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Stdin, os.Stdout)
	case "bless":
		err = bless(os.Args[2:], os.Stderr)
	default:
		fmt.Fprintf(os.Stderr, "strvalscheck: unknown subcommand %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "strvalscheck %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// serve answers one JSON request per input line, flushing after each answer so a caller
// may hold the pipe open and ask as it goes.
func serve(in io.Reader, out io.Writer) error {
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for scanner.Scan() {
		var req request
		var resp response
		if err := json.Unmarshal(scanner.Bytes(), &req); err != nil {
			resp.Error = fmt.Sprintf("bad request: %v", err)
		} else if result, err := answer(req.Op, req.Args); err != nil {
			resp.Error = err.Error()
		} else {
			resp.Result = &result
		}
		if err := enc.Encode(resp); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return scanner.Err()
}

// answer dispatches one operation.
func answer(op string, args []string) (string, error) {
	if op == "schema" {
		return schemaAnswer(args)
	}
	return strvalsAnswer(op, args)
}
