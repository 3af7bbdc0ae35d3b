package main

// `oracle render`: a chart directory rendered as `helm template` renders it.

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"
)

// renderResult is what `oracle render` prints: the rendered templates by path, or Helm's error.
type renderResult struct {
	Templates map[string]string `json:"templates,omitempty"`
	Error     string            `json:"error,omitempty"`
}

// renderCommand renders a chart directory the way `helm template` does before it sorts and
// prints manifests: load, merge values files, process dependencies, coalesce, render.
func renderCommand(args []string, out io.Writer) error {
	flags := flag.NewFlagSet("render", flag.ContinueOnError)
	releaseName := flags.String("name", "release-name", "release name")
	namespace := flags.String("namespace", "default", "release namespace")
	iterations := flags.Int("n", 0, "time this many renders instead of printing one")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() < 1 {
		return fmt.Errorf("usage: oracle render [-name NAME] [-namespace NS] [-n N] CHART_DIR [VALUES.yaml...]")
	}
	if *iterations > 0 {
		return timeRenders(*iterations, flags.Arg(0), flags.Args()[1:], *releaseName, *namespace, out)
	}
	var result renderResult
	templates, err := renderChartDir(flags.Arg(0), flags.Args()[1:], *releaseName, *namespace)
	if err != nil {
		result.Error = err.Error()
	} else {
		result.Templates = templates
	}
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent("", "  ")
	return encoder.Encode(result)
}

// timeRenders renders the chart n times after one untimed render, each time from the
// directory as `helm template` does, and prints the mean as {"iterations", "ns_per_op"}.
func timeRenders(n int, dir string, valueFiles []string, releaseName, namespace string, out io.Writer) error {
	if _, err := renderChartDir(dir, valueFiles, releaseName, namespace); err != nil {
		return err
	}
	start := time.Now()
	for range n {
		if _, err := renderChartDir(dir, valueFiles, releaseName, namespace); err != nil {
			return err
		}
	}
	perOp := float64(time.Since(start).Nanoseconds()) / float64(n)
	return json.NewEncoder(out).Encode(map[string]any{"iterations": n, "ns_per_op": perOp})
}
