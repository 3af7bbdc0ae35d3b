package main

// `oracle bench`: Go's text/template timed on one request.

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// benchResult reports both measurements of `oracle bench`, in nanoseconds per operation.
type benchResult struct {
	Iterations          int     `json:"iterations"`
	ParseExecuteNsPerOp float64 `json:"parse_execute_ns_per_op"`
	ExecuteNsPerOp      float64 `json:"execute_ns_per_op"`
	OutputBytes         int     `json:"output_bytes"`
}

// benchCommand times plain text/template (mode=go) on one request: parsing and executing
// the whole set per iteration, then executing an already parsed set.
func benchCommand(args []string, in io.Reader, out io.Writer) error {
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	iterations := flags.Int("n", 1000, "iterations of each measurement")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *iterations < 1 {
		return fmt.Errorf("-n must be at least 1")
	}
	var req request
	if err := json.NewDecoder(in).Decode(&req); err != nil {
		return fmt.Errorf("reading the request from stdin: %w", err)
	}
	if req.Mode != "" && req.Mode != "go" {
		return fmt.Errorf("bench measures mode=go only, not %q", req.Mode)
	}
	if len(req.Templates) == 0 {
		return fmt.Errorf("request %q has no templates", req.Name)
	}
	values, err := decodeValues(req.Values)
	if err != nil {
		return err
	}
	entry := req.Templates[0].Name
	// One untimed round proves the request works and warms caches.
	set, err := parseGoTemplates(req)
	if err != nil {
		return err
	}
	output, err := executeGoTemplate(set, entry, values)
	if err != nil {
		return err
	}

	var sink strings.Builder
	start := time.Now()
	for range *iterations {
		set, err := parseGoTemplates(req)
		if err != nil {
			return err
		}
		sink.Reset()
		if err := set.ExecuteTemplate(&sink, entry, values); err != nil {
			return err
		}
	}
	parseExecute := time.Since(start)

	start = time.Now()
	for range *iterations {
		sink.Reset()
		if err := set.ExecuteTemplate(&sink, entry, values); err != nil {
			return err
		}
	}
	execute := time.Since(start)

	return json.NewEncoder(out).Encode(benchResult{
		Iterations:          *iterations,
		ParseExecuteNsPerOp: float64(parseExecute.Nanoseconds()) / float64(*iterations),
		ExecuteNsPerOp:      float64(execute.Nanoseconds()) / float64(*iterations),
		OutputBytes:         len(output),
	})
}
