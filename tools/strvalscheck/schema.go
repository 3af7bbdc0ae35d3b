package main

// The schema operation: util.ValidateAgainstSchema over a chart and its subcharts, with
// the message Helm's ToRenderValues gives.
//
//	schema VALUES SET [PATH SCHEMA]...
//
// VALUES is YAML read as Helm reads values files; SET, when not empty, is a --set line
// applied on top (for int64 values). Each PATH names a chart ("mychart", "mychart/sub"),
// parents before children; SCHEMA is its values.schema.json, empty for none.
//
// The result is "valid", or "error\n" and the message. santhosh-tekuri/jsonschema visits
// object properties in Go's random map order, so the order of sibling errors may change
// from run to run: each case is validated repeatedly, and when the messages differ the
// result is "unordered\n" and the message with its sibling "- " blocks sorted (see
// canonical).

import (
	"fmt"
	"sort"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/strvals"
)

// runs is how often a case is validated to tell a stable message from one that depends on
// map order.
const runs = 24

func schemaAnswer(args []string) (string, error) {
	if len(args) < 2 || len(args)%2 != 0 {
		return "", fmt.Errorf("schema takes VALUES SET and PATH SCHEMA pairs")
	}
	root, err := buildCharts(args[2:])
	if err != nil {
		return "", err
	}
	var messages []string
	for i := 0; i < runs; i++ {
		// Each run gets fresh values: validation must not depend on earlier runs.
		vals, err := loader.LoadValues(strings.NewReader(args[0]))
		if err != nil {
			return "", fmt.Errorf("values: %v", err)
		}
		if args[1] != "" {
			if err := strvals.ParseInto(args[1], vals); err != nil {
				return "", fmt.Errorf("set: %v", err)
			}
		}
		err = util.ValidateAgainstSchema(root, vals)
		if err == nil {
			return "valid", nil
		}
		messages = append(messages, "values don't meet the specifications of the schema(s) in the following chart(s):\n"+err.Error())
	}
	first := messages[0]
	stable := true
	for _, m := range messages[1:] {
		if m != first {
			stable = false
		}
		if canonical(m) != canonical(first) {
			return "", fmt.Errorf("messages differ beyond the order of sibling errors:\n%s\n---\n%s", first, m)
		}
	}
	if stable {
		return "error\n" + first, nil
	}
	return "unordered\n" + canonical(first), nil
}

func buildCharts(pairs []string) (*chart.Chart, error) {
	byPath := map[string]*chart.Chart{}
	var root *chart.Chart
	for i := 0; i < len(pairs); i += 2 {
		path, schema := pairs[i], pairs[i+1]
		parent, name := "", path
		if slash := strings.LastIndex(path, "/"); slash >= 0 {
			parent, name = path[:slash], path[slash+1:]
		}
		c := &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: name, Version: "1.0.0"}}
		if schema != "" {
			c.Schema = []byte(schema)
		}
		if parent == "" {
			if root != nil {
				return nil, fmt.Errorf("second root chart %q", path)
			}
			root = c
		} else {
			p, ok := byPath[parent]
			if !ok {
				return nil, fmt.Errorf("chart %q comes before its parent", path)
			}
			p.AddDependency(c)
		}
		byPath[path] = c
	}
	if root == nil {
		return nil, fmt.Errorf("no chart")
	}
	return root, nil
}

// canonical sorts each run of sibling "- " items (with the deeper items under them) of an
// error message; other lines stay where they are.
func canonical(text string) string {
	return strings.Join(sortItems(strings.Split(text, "\n")), "\n")
}

// itemDepth is the nesting of a "- " item line (its indent in pairs of blanks), or -1.
func itemDepth(line string) int {
	trimmed := strings.TrimLeft(line, " ")
	indent := len(line) - len(trimmed)
	if !strings.HasPrefix(trimmed, "- ") || indent%2 != 0 {
		return -1
	}
	return indent / 2
}

func sortItems(lines []string) []string {
	var out []string
	for i := 0; i < len(lines); {
		depth := itemDepth(lines[i])
		if depth < 0 {
			out = append(out, lines[i])
			i++
			continue
		}
		var blocks []string
		for i < len(lines) && itemDepth(lines[i]) == depth {
			j := i + 1
			for j < len(lines) && itemDepth(lines[j]) > depth {
				j++
			}
			block := append([]string{lines[i]}, sortItems(lines[i+1:j])...)
			blocks = append(blocks, strings.Join(block, "\n"))
			i = j
		}
		sort.Strings(blocks)
		out = append(out, blocks...)
	}
	return out
}
