package main

// The .case formats of testdata/values, shared with crates/engine/tests/values_*.rs.
//
// testdata/values/strvals/*.case, one case a line:
//
//	# comment (and blank lines): kept as they are
//	OP "ARG" "ARG"... => EXPECTED
//
// OP is an operation of ops.go; each argument is a JSON string literal; EXPECTED is the
// rest of the line after "=> ". Files the arguments name are in testdata/values/files.
//
// testdata/values/schema/*.case, cases of sections:
//
//	# comments before the first case
//	=== case: NAME
//	--- values              YAML (may be empty)
//	--- set                 optional: one --set line
//	--- schema PATH         one per chart, parents first; empty content for no schema
//	--- expect [unordered]  "valid", or the message with each line behind "| "
//
// A section's content is the lines up to the next header, without the newline ending
// the last one. A case written without its expect section gets one when blessed.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"helmsync.local/tools/casecheck"
)

// bless rewrites each file with Helm's answers as the expectations.
func bless(paths []string, log io.Writer) error {
	if len(paths) == 0 {
		return fmt.Errorf("usage: strvalscheck bless FILE.case...")
	}
	for _, path := range paths {
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(abs)
		if err != nil {
			return err
		}
		var text string
		var changed int
		if filepath.Base(filepath.Dir(abs)) == "schema" {
			text, changed, err = blessSchema(string(data))
		} else {
			text, changed, err = blessStrvals(string(data), filepath.Join(filepath.Dir(abs), "..", "files"))
		}
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		if err := os.WriteFile(abs, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(log, "%s: %d expectations changed\n", path, changed)
	}
	return nil
}

func blessStrvals(text, filesDir string) (string, int, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", 0, err
	}
	if err := os.Chdir(filesDir); err != nil {
		return "", 0, err
	}
	defer os.Chdir(wd)
	return casecheck.BlessLines(text, strvalsAnswer)
}

type section struct {
	kind, arg string
	content   []string
}

// blessSchema rewrites the expect section of every case.
func blessSchema(text string) (string, int, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	var out []string
	changed := 0
	// A case's sections are gathered, then written back with a new expectation.
	var name string
	var sections []section
	flush := func() error {
		if name == "" {
			return nil
		}
		values, set := "", ""
		var charts []string
		var old *section
		for i := range sections {
			s := &sections[i]
			content := strings.Join(s.content, "\n")
			switch s.kind {
			case "values":
				values = content
			case "set":
				set = content
			case "schema":
				charts = append(charts, s.arg, content)
			case "expect":
				old = s
			}
		}
		result, err := schemaAnswer(append([]string{values, set}, charts...))
		if err != nil {
			return fmt.Errorf("case %q: %v", name, err)
		}
		header, body := expectSection(result)
		if old == nil || "--- expect"+suffix(old.arg) != header || strings.Join(old.content, "\n") != strings.Join(body, "\n") {
			changed++
		}
		out = append(out, "=== case: "+name)
		for _, s := range sections {
			if s.kind == "expect" {
				continue
			}
			out = append(out, "--- "+s.kind+suffix(s.arg))
			out = append(out, s.content...)
		}
		out = append(out, header)
		out = append(out, body...)
		return nil
	}
	for _, line := range lines {
		if rest, ok := strings.CutPrefix(line, "=== case: "); ok {
			if err := flush(); err != nil {
				return "", 0, err
			}
			name, sections = strings.TrimSpace(rest), nil
			continue
		}
		if rest, ok := strings.CutPrefix(line, "--- "); ok && name != "" {
			kind, arg, _ := strings.Cut(rest, " ")
			switch kind {
			case "values", "set", "schema", "expect":
				sections = append(sections, section{kind: kind, arg: arg})
				continue
			}
		}
		if name == "" {
			out = append(out, line)
			continue
		}
		if len(sections) == 0 {
			return "", 0, fmt.Errorf("case %q: text before the first section", name)
		}
		last := &sections[len(sections)-1]
		last.content = append(last.content, line)
	}
	if err := flush(); err != nil {
		return "", 0, err
	}
	return strings.Join(out, "\n") + "\n", changed, nil
}

func suffix(arg string) string {
	if arg == "" {
		return ""
	}
	return " " + arg
}

// expectSection writes a schema answer as an expect header and its content lines.
func expectSection(result string) (string, []string) {
	if result == "valid" {
		return "--- expect", []string{"valid"}
	}
	kind, message, _ := strings.Cut(result, "\n")
	header := "--- expect"
	if kind == "unordered" {
		header += " unordered"
	}
	var body []string
	for _, line := range strings.Split(message, "\n") {
		if line == "" {
			body = append(body, "|")
		} else {
			body = append(body, "| "+line)
		}
	}
	return header, body
}
