package main

// Requests and responses of the template subcommand, and running one request in Go's
// text/template (mode=go) or Helm's engine (mode=helm).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
)

// namedTemplate is one template of a request; the first one of a request is executed.
type namedTemplate struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// request is one case: which engine, its options, the templates and the data.
type request struct {
	Name       string          `json:"name"`
	Mode       string          `json:"mode"`
	MissingKey string          `json:"missingkey"`
	Templates  []namedTemplate `json:"templates"`
	Values     json.RawMessage `json:"values"`
}

// response carries either the rendered output or the error text, never both.
type response struct {
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

func outputResponse(name, output string) response {
	return response{Name: name, Output: &output}
}

func errorResponse(name string, err error) response {
	text := err.Error()
	return response{Name: name, Error: &text}
}

// answer runs one request and never panics: a request the oracle cannot run becomes an
// error response too, so a batch keeps going.
func answer(req request) (resp response) {
	defer func() {
		if r := recover(); r != nil {
			resp = errorResponse(req.Name, fmt.Errorf("oracle panic: %v", r))
		}
	}()
	output, err := render(req)
	if err != nil {
		return errorResponse(req.Name, err)
	}
	return outputResponse(req.Name, output)
}

// render runs a request in the engine its mode names and returns the first template's output.
func render(req request) (string, error) {
	if len(req.Templates) == 0 {
		return "", fmt.Errorf("request %q has no templates", req.Name)
	}
	values, err := decodeValues(req.Values)
	if err != nil {
		return "", err
	}
	switch req.Mode {
	case "", "go":
		set, err := parseGoTemplates(req)
		if err != nil {
			return "", err
		}
		return executeGoTemplate(set, req.Templates[0].Name, values)
	case "helm":
		return renderHelmRequest(req, values)
	default:
		return "", fmt.Errorf("unknown mode %q (go, helm)", req.Mode)
	}
}

// decodeValues decodes values as Helm sees them: encoding/json into interface{}, so every
// number is a float64. Absent values are an empty map.
func decodeValues(raw json.RawMessage) (any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	var values any
	if err := json.Unmarshal(raw, &values); err != nil {
		return nil, fmt.Errorf("values are not valid JSON: %w", err)
	}
	return values, nil
}

// parseGoTemplates parses every template of a request into one set with plain
// text/template: no functions beyond Go's builtins.
func parseGoTemplates(req request) (*template.Template, error) {
	switch req.MissingKey {
	case "", "default", "zero", "error":
	default:
		return nil, fmt.Errorf("unknown missingkey %q (default, zero, error)", req.MissingKey)
	}
	missingKey := req.MissingKey
	if missingKey == "" {
		missingKey = "default"
	}
	set := template.New(req.Templates[0].Name).Option("missingkey=" + missingKey)
	for _, t := range req.Templates {
		if _, err := set.New(t.Name).Parse(t.Text); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func executeGoTemplate(set *template.Template, name string, values any) (string, error) {
	var out strings.Builder
	if err := set.ExecuteTemplate(&out, name, values); err != nil {
		return "", err
	}
	return out.String(), nil
}

// renderHelmRequest renders the request's templates as the only templates of a chart named
// "test", with the values as the chart's values, through Helm's engine.
func renderHelmRequest(req request, values any) (string, error) {
	chartValues, ok := values.(map[string]any)
	if !ok {
		return "", fmt.Errorf("mode=helm needs values to be a JSON object, not %T", values)
	}
	var strict bool
	switch req.MissingKey {
	case "", "default":
	case "error":
		strict = true
	default:
		return "", fmt.Errorf("mode=helm supports missingkey=default (Helm's rendering) or missingkey=error (Engine.Strict), not %q", req.MissingKey)
	}
	rendered, err := renderInMemoryChart(req.Templates, chartValues, strict)
	if err != nil {
		return "", err
	}
	key := inMemoryChartName + "/templates/" + req.Templates[0].Name
	output, ok := rendered[key]
	if !ok {
		return "", fmt.Errorf("helm rendered no %s (templates whose name starts with _ are not rendered)", key)
	}
	return output, nil
}
