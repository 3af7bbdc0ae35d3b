package main

// `oracle render`: a chart directory rendered as `helm template` renders it.

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
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
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() < 1 {
		return fmt.Errorf("usage: oracle render [-name NAME] [-namespace NS] CHART_DIR [VALUES.yaml...]")
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
