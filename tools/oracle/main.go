// Command oracle answers questions about Go's text/template and Helm's rendering engine
// with the real Go code, so helmsync's own engine can be compared against it.
//
//	oracle template          JSON-lines requests on stdin, one JSON response per line
//	oracle render CHART [VALUES.yaml...]
//	oracle bench [-n N]      one JSON request on stdin; timings as JSON
//	oracle bless FILE.case...
//	oracle funcs             the engine's function names; extra candidates on stdin
//
// The Helm-specific calls live in helm.go, which the build copies from helmv3/ or helmv4/
// to match the Helm major version the binary is built against.
package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  oracle template                      requests as JSON lines on stdin
  oracle render CHART_DIR [VALUES...]  render a chart like helm template
  oracle bench [-n N]                  time one request read from stdin
  oracle bless FILE.case...            rewrite expectations with Go's answers
  oracle funcs                         the engine's function names, one per line
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "template":
		err = templateCommand(os.Stdin, os.Stdout)
	case "render":
		err = renderCommand(os.Args[2:], os.Stdout)
	case "bench":
		err = benchCommand(os.Args[2:], os.Stdin, os.Stdout)
	case "bless":
		err = blessCommand(os.Args[2:], os.Stderr)
	case "funcs":
		err = funcsCommand(os.Stdin, os.Stdout)
	default:
		fmt.Fprintf(os.Stderr, "oracle: unknown subcommand %q\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "oracle %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
