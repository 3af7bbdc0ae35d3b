package main

// The .case format shared with helmsync's corpus test (crates/engine/tests/support):
//
//	# free comment lines before the first case
//	=== case: NAME
//	--- options          mode=go|helm missingkey=default|zero|error
//	--- values           JSON; {} when absent
//	--- template [NAME]  one or more; the first is executed
//	--- output | --- error
//
// A section's content is the lines between its header and the next header, without the
// single newline that ends its last line.

import (
	"encoding/json"
	"fmt"
	"strings"
)

const caseHeaderPrefix = "=== case: "

var sectionKinds = map[string]bool{"options": true, "values": true, "template": true, "output": true, "error": true}

type section struct {
	kind    string
	arg     string
	content string
}

type testCase struct {
	name     string
	line     int
	sections []section
}

type caseFile struct {
	preamble string
	cases    []*testCase
}

// parseSectionHeader reports whether line is a section header, and which.
func parseSectionHeader(line string) (section, bool, error) {
	rest, ok := strings.CutPrefix(line, "--- ")
	if !ok {
		return section{}, false, nil
	}
	kind, arg, _ := strings.Cut(rest, " ")
	if !sectionKinds[kind] {
		return section{}, false, nil
	}
	if arg != "" && kind != "template" {
		return section{}, false, fmt.Errorf("section %q takes no argument", kind)
	}
	if kind == "template" && strings.ContainsAny(arg, " \t") {
		return section{}, false, fmt.Errorf("template name %q contains blanks", arg)
	}
	return section{kind: kind, arg: arg}, true, nil
}

func isHeaderLine(line string) bool {
	if strings.HasPrefix(line, caseHeaderPrefix) {
		return true
	}
	_, ok, err := parseSectionHeader(line)
	return ok || err != nil
}

func parseCaseFile(path, data string) (*caseFile, error) {
	file := &caseFile{}
	var current *testCase
	var content strings.Builder
	inSection := false
	finishSection := func() {
		if inSection {
			text := strings.TrimSuffix(content.String(), "\n")
			current.sections[len(current.sections)-1].content = text
		}
		content.Reset()
		inSection = false
	}
	names := map[string]int{}
	for i, raw := range strings.SplitAfter(data, "\n") {
		lineNo := i + 1
		line := strings.TrimSuffix(raw, "\n")
		if name, ok := strings.CutPrefix(line, caseHeaderPrefix); ok {
			if current == nil {
				file.preamble = content.String()
			}
			finishSection()
			name = strings.TrimSpace(name)
			if name == "" {
				return nil, fmt.Errorf("%s:%d: a case needs a name", path, lineNo)
			}
			if first, seen := names[name]; seen {
				return nil, fmt.Errorf("%s:%d: case %q already defined at line %d", path, lineNo, name, first)
			}
			names[name] = lineNo
			current = &testCase{name: name, line: lineNo}
			file.cases = append(file.cases, current)
			content.Reset()
			continue
		}
		header, isHeader, err := parseSectionHeader(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, lineNo, err)
		}
		if isHeader {
			if current == nil {
				return nil, fmt.Errorf("%s:%d: section before the first case", path, lineNo)
			}
			finishSection()
			current.sections = append(current.sections, header)
			inSection = true
			continue
		}
		if current != nil && !inSection && strings.TrimSpace(line) != "" {
			return nil, fmt.Errorf("%s:%d: text between a case header and its first section", path, lineNo)
		}
		content.WriteString(raw)
	}
	if current == nil {
		file.preamble = content.String()
	}
	finishSection()
	return file, nil
}

func (f *caseFile) String() string {
	var out strings.Builder
	out.WriteString(f.preamble)
	for _, c := range f.cases {
		out.WriteString(caseHeaderPrefix + c.name + "\n")
		for _, s := range c.sections {
			out.WriteString("--- " + s.kind)
			if s.arg != "" {
				out.WriteString(" " + s.arg)
			}
			out.WriteString("\n" + s.content + "\n")
		}
	}
	return out.String()
}

// toRequest turns a case into an oracle request, checking the case is well formed.
func (c *testCase) toRequest() (request, error) {
	req := request{Name: c.name, Mode: "go", MissingKey: "default"}
	seen := map[string]int{}
	for _, s := range c.sections {
		seen[s.kind]++
		switch s.kind {
		case "options":
			for _, option := range strings.Fields(s.content) {
				key, value, _ := strings.Cut(option, "=")
				switch key {
				case "mode":
					req.Mode = value
				case "missingkey":
					req.MissingKey = value
				default:
					return req, fmt.Errorf("unknown option %q (mode, missingkey)", option)
				}
			}
		case "values":
			if !json.Valid([]byte(s.content)) {
				return req, fmt.Errorf("values are not valid JSON")
			}
			req.Values = []byte(s.content)
		case "template":
			req.Templates = append(req.Templates, namedTemplate{Name: s.arg, Text: s.content})
		}
	}
	for _, kind := range []string{"options", "values"} {
		if seen[kind] > 1 {
			return req, fmt.Errorf("more than one %s section", kind)
		}
	}
	if seen["output"]+seen["error"] > 1 {
		return req, fmt.Errorf("more than one output or error section")
	}
	if len(req.Templates) == 0 {
		return req, fmt.Errorf("no template section")
	}
	for i := range req.Templates {
		if req.Templates[i].Name == "" {
			req.Templates[i].Name = defaultTemplateName(req.Mode)
		}
	}
	return req, nil
}

// defaultTemplateName names a `--- template` section without a name.
func defaultTemplateName(mode string) string {
	if mode == "helm" {
		return "main.yaml"
	}
	return "main"
}

// setResult replaces the case's output or error section with one holding what Go produced.
func (c *testCase) setResult(resp response) {
	kept := c.sections[:0]
	for _, s := range c.sections {
		if s.kind != "output" && s.kind != "error" {
			kept = append(kept, s)
		}
	}
	if resp.Error != nil {
		kept = append(kept, section{kind: "error", content: *resp.Error})
	} else {
		kept = append(kept, section{kind: "output", content: *resp.Output})
	}
	c.sections = kept
}
