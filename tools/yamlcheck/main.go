// Command yamlcheck answers how Helm's YAML and JSON libraries treat an input, for
// helmsync's differential tests (crates/engine/tests/yaml_corpus.rs).
//
// It reads one JSON request per line, {"op": OP, "input": TEXT}, and writes one JSON line
// per request: {"ok": TEXT} or {"error": TEXT}. Ops:
//
//	parse        sigs.k8s.io/yaml.Unmarshal into interface{}, printed with json.Marshal
//	parse_map    the same into map[string]interface{} (Helm's values and fromYaml)
//	parse_list   the same into []interface{} (fromYamlArray)
//	load_values  helm's loader.LoadValues (multi-document values.yaml), printed as JSON
//	roundtrip    parse, then sigs.k8s.io/yaml.Marshal (toYaml of values)
//	toyaml       sigs.k8s.io/yaml.Marshal of a typed value
//	tojson       json.Marshal of a typed value (toJson)
//	toprettyjson json.MarshalIndent(v, "", "  ") of a typed value (toPrettyJson)
//	torawjson    a json.Encoder without HTML escaping (toRawJson)
//	jsonparse    json.Unmarshal into interface{}, printed with json.Marshal
//
// A typed value is JSON where {"$int": "N"} is an int64, {"$uint": "N"} a uint64,
// {"$bytes": "BASE64"} a []byte, {"$float": "NaN"|"+Inf"|"-Inf"} a special float64, and
// every other number a float64.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"sigs.k8s.io/yaml"
)

type request struct {
	Op    string `json:"op"`
	Input string `json:"input"`
}

type response struct {
	Ok    *string `json:"ok,omitempty"`
	Error *string `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "bad request:", err)
			os.Exit(2)
		}
		text, err := answer(req)
		var resp response
		if err != nil {
			msg := err.Error()
			resp.Error = &msg
		} else {
			resp.Ok = &text
		}
		if err := enc.Encode(resp); err != nil {
			fmt.Fprintln(os.Stderr, "write:", err)
			os.Exit(2)
		}
		out.Flush()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "read:", err)
		os.Exit(2)
	}
}

func answer(req request) (string, error) {
	input := []byte(req.Input)
	switch req.Op {
	case "parse":
		var v interface{}
		if err := yaml.Unmarshal(input, &v); err != nil {
			return "", err
		}
		return dump(v)
	case "parse_map":
		m := map[string]interface{}{}
		if err := yaml.Unmarshal(input, &m); err != nil {
			return "", err
		}
		// A null document leaves a nil map, which helmsync represents as an empty one.
		if m == nil {
			m = map[string]interface{}{}
		}
		return dump(m)
	case "parse_list":
		l := []interface{}{}
		if err := yaml.Unmarshal(input, &l); err != nil {
			return "", err
		}
		// A null document leaves a nil slice, which helmsync represents as an empty one.
		if l == nil {
			l = []interface{}{}
		}
		return dump(l)
	case "load_values":
		m, err := loader.LoadValues(bytes.NewReader(input))
		if err != nil {
			return "", err
		}
		return dump(m)
	case "roundtrip":
		var v interface{}
		if err := yaml.Unmarshal(input, &v); err != nil {
			return "", err
		}
		out, err := yaml.Marshal(v)
		return string(out), err
	case "jsonparse":
		var v interface{}
		if err := json.Unmarshal(input, &v); err != nil {
			return "", err
		}
		return dump(v)
	}
	v, err := typed(input)
	if err != nil {
		return "", fmt.Errorf("bad typed value: %w", err)
	}
	switch req.Op {
	case "toyaml":
		out, err := yaml.Marshal(v)
		return string(out), err
	case "tojson":
		out, err := json.Marshal(v)
		return string(out), err
	case "toprettyjson":
		out, err := json.MarshalIndent(v, "", "  ")
		return string(out), err
	case "torawjson":
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(&v); err != nil {
			return "", err
		}
		return strings.TrimSuffix(buf.String(), "\n"), nil
	}
	return "", fmt.Errorf("unknown op %q", req.Op)
}

// dump prints a decoded value as JSON without HTML escaping.
func dump(v interface{}) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// typed decodes a typed value (see the package comment).
func typed(input []byte) (interface{}, error) {
	d := json.NewDecoder(bytes.NewReader(input))
	d.UseNumber()
	var v interface{}
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return convert(v)
}

func convert(v interface{}) (interface{}, error) {
	switch v := v.(type) {
	case json.Number:
		return strconv.ParseFloat(string(v), 64)
	case []interface{}:
		for i := range v {
			c, err := convert(v[i])
			if err != nil {
				return nil, err
			}
			v[i] = c
		}
		return v, nil
	case map[string]interface{}:
		if len(v) == 1 {
			for k, x := range v {
				s, isString := x.(string)
				if !isString {
					break
				}
				switch k {
				case "$int":
					return strconv.ParseInt(s, 10, 64)
				case "$uint":
					return strconv.ParseUint(s, 10, 64)
				case "$bytes":
					return base64.StdEncoding.DecodeString(s)
				case "$float":
					switch s {
					case "NaN":
						return math.NaN(), nil
					case "+Inf":
						return math.Inf(1), nil
					case "-Inf":
						return math.Inf(-1), nil
					}
				}
			}
		}
		for k, x := range v {
			c, err := convert(x)
			if err != nil {
				return nil, err
			}
			v[k] = c
		}
		return v, nil
	}
	return v, nil
}
