package main

// `oracle funcs`: the names of every function Helm's template engine offers, one per line.
// Helm's function map is unexported, so the candidates are Sprig's whole map, every string
// key written in Helm's engine/funcs.go (copied beside this file by tools/build) and any
// names read from stdin; the engine itself then decides, by parsing a call to each, which
// ones it knows.

import (
	"bufio"
	_ "embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/Masterminds/sprig/v3"
)

//go:embed helm_funcs.go.txt
var helmFuncsSource string

func funcsCommand(in io.Reader, out io.Writer) error {
	candidates := map[string]bool{}
	for name := range sprig.GenericFuncMap() {
		candidates[name] = true
	}
	declared, err := stringKeys(helmFuncsSource)
	if err != nil {
		return fmt.Errorf("reading Helm's engine/funcs.go: %w", err)
	}
	if len(declared) == 0 {
		return fmt.Errorf("Helm's engine/funcs.go declares no function names")
	}
	for _, name := range declared {
		candidates[name] = true
	}
	// A name read from stdin that only text/template itself defines is not Helm's.
	lines := bufio.NewScanner(in)
	for lines.Scan() {
		if name := strings.TrimSpace(lines.Text()); name != "" && !goBuiltins[name] {
			candidates[name] = true
		}
	}
	if err := lines.Err(); err != nil {
		return err
	}
	var offered []string
	for name := range candidates {
		ok, err := helmOffers(name)
		if err != nil {
			return err
		}
		if ok {
			offered = append(offered, name)
		}
	}
	sort.Strings(offered)
	for _, name := range offered {
		fmt.Fprintln(out, name)
	}
	return nil
}

// goBuiltins are text/template's own functions (text/template/funcs.go), in every
// template's function table whatever the engine adds.
var goBuiltins = map[string]bool{
	"and": true, "call": true, "html": true, "index": true, "slice": true, "js": true,
	"len": true, "not": true, "or": true, "print": true, "printf": true, "println": true,
	"urlquery": true, "eq": true, "ge": true, "gt": true, "le": true, "lt": true, "ne": true,
}

// stringKeys lists the string keys of every composite literal in a Go source file.
func stringKeys(source string) ([]string, error) {
	file, err := parser.ParseFile(token.NewFileSet(), "funcs.go", source, 0)
	if err != nil {
		return nil, err
	}
	var keys []string
	ast.Inspect(file, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		if lit, ok := kv.Key.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if key, err := strconv.Unquote(lit.Value); err == nil {
				keys = append(keys, key)
			}
		}
		return true
	})
	return keys, nil
}

// helmOffers parses a call to name in a chart template: Go's parser refuses functions the
// engine's map lacks ("function NAME not defined").
func helmOffers(name string) (bool, error) {
	if !isIdentifier(name) {
		return false, nil
	}
	text := "{{ if false }}{{ " + name + " }}{{ end }}"
	_, err := renderInMemoryChart([]namedTemplate{{Name: "f.yaml", Text: text}}, map[string]any{}, false)
	if err == nil {
		return true, nil
	}
	if strings.Contains(err.Error(), fmt.Sprintf("function %q not defined", name)) {
		return false, nil
	}
	return false, fmt.Errorf("checking %q: %w", name, err)
}

func isIdentifier(name string) bool {
	for i, r := range name {
		letter := r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return name != ""
}
