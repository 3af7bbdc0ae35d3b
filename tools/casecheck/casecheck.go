// Package casecheck is what the Go checkers (semvercheck, strvalscheck) share: the serve
// protocol helmsync's corpus tests speak to them, the command line, and the one-line case
// format of their corpora.
//
// A request is {"op": OP, "args": [STRING...]}, one per line; the response is
// {"result": TEXT}, or {"error": TEXT} for a malformed request.
package casecheck

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Answer answers one operation of a checker.
type Answer func(op string, args []string) (string, error)

type request struct {
	Op   string   `json:"op"`
	Args []string `json:"args"`
}

type response struct {
	Result *string `json:"result,omitempty"`
	Error  string  `json:"error,omitempty"`
}

// Main runs the checker NAME: `serve` answers requests on stdin with answer, `bless`
// rewrites case files with bless; usage is printed for anything else.
func Main(name, usage string, answer Answer, bless func(paths []string, log io.Writer) error) {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = Serve(os.Stdin, os.Stdout, answer)
	case "bless":
		err = bless(os.Args[2:], os.Stderr)
	default:
		fmt.Fprintf(os.Stderr, "%s: unknown subcommand %q\n%s", name, os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s %s: %v\n", name, os.Args[1], err)
		os.Exit(1)
	}
}

// Serve answers one JSON request per input line, flushing after each answer so a caller
// may hold the pipe open and ask as it goes.
func Serve(in io.Reader, out io.Writer, answer Answer) error {
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

// Line is one case of the one-line format:
//
//	# comment (and blank lines): kept as they are
//	OP "ARG" "ARG"... => EXPECTED
//
// Each argument is a JSON string literal; EXPECTED is the rest of the line after "=> ".
// A case written without "=> EXPECTED" gets one when blessed.
type Line struct {
	Op   string
	Args []string
	// Head is the line up to the end of its last argument, kept verbatim when blessed.
	Head     string
	Expected string
	HasArrow bool
}

// ParseLine reads a case; ok is false for a comment or blank line.
func ParseLine(line string) (c Line, ok bool, err error) {
	if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
		return c, false, nil
	}
	op, rest, _ := strings.Cut(line, " ")
	c.Op = op
	pos := len(op)
	for {
		for strings.HasPrefix(rest, " ") {
			rest = rest[1:]
			pos++
		}
		switch {
		case rest == "":
			c.Head = line
			return c, true, nil
		case strings.HasPrefix(rest, "=>"):
			c.Head = strings.TrimRight(line[:pos], " ")
			c.Expected = strings.TrimPrefix(rest[2:], " ")
			c.HasArrow = true
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
			c.Args = append(c.Args, arg)
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

// BlessLines gives every case line of text answer's result as its expectation, and
// returns the new text with how many expectations changed.
func BlessLines(text string, answer Answer) (string, int, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	changed := 0
	for i, line := range lines {
		c, ok, err := ParseLine(line)
		if err != nil {
			return "", 0, fmt.Errorf("line %d: %v", i+1, err)
		}
		if !ok {
			continue
		}
		result, err := answer(c.Op, c.Args)
		if err != nil {
			return "", 0, fmt.Errorf("line %d: %v", i+1, err)
		}
		if strings.Contains(result, "\n") {
			return "", 0, fmt.Errorf("line %d: the answer spans lines: %q", i+1, result)
		}
		if !c.HasArrow || c.Expected != result {
			changed++
		}
		lines[i] = c.Head + " => " + result
	}
	return strings.Join(lines, "\n") + "\n", changed, nil
}
