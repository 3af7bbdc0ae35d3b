package main

// `oracle bless`: rewrites the expectations of .case files with Go's answers.

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// blessCommand runs every case of the given .case files through Go and rewrites each
// file with the output or error Go produced.
func blessCommand(paths []string, log io.Writer) error {
	if len(paths) == 0 {
		return fmt.Errorf("usage: oracle bless FILE.case...")
	}
	for _, path := range paths {
		if err := blessFile(path, log); err != nil {
			return err
		}
	}
	return nil
}

func blessFile(path string, log io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	file, err := parseCaseFile(path, string(data))
	if err != nil {
		return err
	}
	var outputs, failures int
	for _, c := range file.cases {
		req, err := c.toRequest()
		if err != nil {
			return fmt.Errorf("%s:%d: case %q: %w", path, c.line, c.name, err)
		}
		resp := answer(req)
		result := resp.Error
		if result == nil {
			result = resp.Output
			outputs++
		} else {
			failures++
		}
		if err := checkStorable(*result); err != nil {
			return fmt.Errorf("%s:%d: case %q: Go's answer %w", path, c.line, c.name, err)
		}
		c.setResult(resp)
	}
	blessed := file.String()
	if blessed == string(data) {
		fmt.Fprintf(log, "%s: %d cases (%d outputs, %d errors), unchanged\n", path, len(file.cases), outputs, failures)
		return nil
	}
	fmt.Fprintf(log, "%s: %d cases (%d outputs, %d errors), rewritten\n", path, len(file.cases), outputs, failures)
	return os.WriteFile(path, []byte(blessed), 0o644)
}

// checkStorable rejects answers a .case file cannot hold faithfully.
func checkStorable(text string) error {
	if !utf8.ValidString(text) {
		return fmt.Errorf("is not valid UTF-8")
	}
	for _, line := range strings.Split(text, "\n") {
		if isHeaderLine(line) {
			return fmt.Errorf("has a line that reads as a section header: %q", line)
		}
	}
	return nil
}
