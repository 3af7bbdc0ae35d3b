package main

// `oracle template`: JSON-lines requests in, one JSON response line per request out.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// maxRequestBytes bounds one request line.
const maxRequestBytes = 64 << 20

// templateCommand answers JSON-lines requests, one response line per request, flushed as it
// goes so a caller may also talk to it one request at a time.
func templateCommand(in io.Reader, out io.Writer) error {
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 0, 1<<20), maxRequestBytes)
	writer := bufio.NewWriter(out)
	encoder := json.NewEncoder(writer)
	encoder.SetEscapeHTML(false)
	line := 0
	for scanner.Scan() {
		line++
		if len(scanner.Bytes()) == 0 {
			continue
		}
		var req request
		if err := json.Unmarshal(scanner.Bytes(), &req); err != nil {
			return fmt.Errorf("stdin line %d: %w", line, err)
		}
		if err := encoder.Encode(answer(req)); err != nil {
			return err
		}
		if err := writer.Flush(); err != nil {
			return err
		}
	}
	return scanner.Err()
}
