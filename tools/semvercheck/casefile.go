package main

// The .case format of testdata/semver, shared with crates/engine/tests/semver_corpus.rs:
//
//	# comment (and blank lines): kept as they are
//	OP "ARG" "ARG"... => EXPECTED
//
// OP is one of the operations in ops.go; each argument is a JSON string literal; EXPECTED
// is the rest of the line after "=> ". A case written without "=> EXPECTED" gets one when
// blessed.

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

type caseLine struct {
	op   string
	args []string
	// head is the line up to the end of its last argument, kept verbatim when blessed.
	head     string
	expected string
	hasArrow bool
}

// parseCaseLine reads a case; ok is false for a comment or blank line.
func parseCaseLine(line string) (c caseLine, ok bool, err error) {
	if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
		return c, false, nil
	}
	op, rest, _ := strings.Cut(line, " ")
	c.op = op
	pos := len(op)
	for {
		for strings.HasPrefix(rest, " ") {
			rest = rest[1:]
			pos++
		}
		switch {
		case rest == "":
			c.head = line
			return c, true, nil
		case strings.HasPrefix(rest, "=>"):
			c.head = strings.TrimRight(line[:pos], " ")
			c.expected = strings.TrimPrefix(rest[2:], " ")
			c.hasArrow = true
			return c, true, nil
		case strings.HasPrefix(rest, `"`):
			end := stringLiteralEnd(rest)
			if end < 0 {
				return c, false, fmt.Errorf("unterminated string in %q", line)
			}
			var arg string
			if err := json.Unmarshal([]byte(rest[:end]), &arg); err != nil {
				return c, false, fmt.Errorf("bad string %s: %v", rest[:end], err)
			}
			c.args = append(c.args, arg)
			rest = rest[end:]
			pos += end
		default:
			return c, false, fmt.Errorf("expected a quoted argument or => in %q", line)
		}
	}
}

// stringLiteralEnd is the index just past the JSON string literal s starts with, or -1.
func stringLiteralEnd(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// bless rewrites each file with Go's answer as every case's expectation.
func bless(paths []string, log io.Writer) error {
	if len(paths) == 0 {
		return fmt.Errorf("usage: semvercheck bless FILE.case...")
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		changed := 0
		for i, line := range lines {
			c, ok, err := parseCaseLine(line)
			if err != nil {
				return fmt.Errorf("%s:%d: %v", path, i+1, err)
			}
			if !ok {
				continue
			}
			result, err := answer(c.op, c.args)
			if err != nil {
				return fmt.Errorf("%s:%d: %v", path, i+1, err)
			}
			if strings.Contains(result, "\n") {
				return fmt.Errorf("%s:%d: the answer spans lines: %q", path, i+1, result)
			}
			if !c.hasArrow || c.expected != result {
				changed++
			}
			lines[i] = c.head + " => " + result
		}
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(log, "%s: %d expectations changed\n", path, changed)
	}
	return nil
}
