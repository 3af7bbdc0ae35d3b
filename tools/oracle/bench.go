package main

// `oracle bench`: Go's text/template or Helm's engine timed on one request.

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// benchResult reports the measurements of `oracle bench`, in nanoseconds per operation.
// mode=helm has no execute-only figure: Helm's engine parses on every render.
type benchResult struct {
	Iterations          int     `json:"iterations"`
	ParseExecuteNsPerOp float64 `json:"parse_execute_ns_per_op"`
	ExecuteNsPerOp      float64 `json:"execute_ns_per_op,omitempty"`
	OutputBytes         int     `json:"output_bytes"`
}

// benchCommand times one request. mode=go (plain text/template): parsing and executing
// the whole set per iteration, then executing an already parsed set. mode=helm: Helm's
// render of the one-template chart per iteration, values preparation, parsing with Helm's
// function map and execution included, as a chart render pays them.
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
	if len(req.Templates) == 0 {
		return fmt.Errorf("request %q has no templates", req.Name)
	}
	values, err := decodeValues(req.Values)
	if err != nil {
		return err
	}
	switch req.Mode {
	case "", "go":
	case "helm":
		return benchHelm(req, values, *iterations, out)
	default:
		return fmt.Errorf("bench measures mode=go or mode=helm, not %q", req.Mode)
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

// benchHelm times renderHelmRequest: Helm's engine on the request's in-memory chart.
func benchHelm(req request, values any, iterations int, out io.Writer) error {
	// One untimed round proves the request works and warms caches.
	output, err := renderHelmRequest(req, values)
	if err != nil {
		return err
	}
	start := time.Now()
	for range iterations {
		if _, err := renderHelmRequest(req, values); err != nil {
			return err
		}
	}
	elapsed := time.Since(start)
	return json.NewEncoder(out).Encode(benchResult{
		Iterations:          iterations,
		ParseExecuteNsPerOp: float64(elapsed.Nanoseconds()) / float64(iterations),
		OutputBytes:         len(output),
	})
}
