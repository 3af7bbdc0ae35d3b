package main

// The strvals operations. Each takes one or more arguments:
//
//	set ARG...          strvals.ParseInto, each argument in turn into one map
//	set-string ARG...   strvals.ParseIntoString
//	set-json ARG...     strvals.ParseJSON
//	set-literal ARG...  strvals.ParseLiteralInto
//	set-file ARG...     strvals.ParseIntoFile, reading files as Helm's --set-file does
//	merge FLAG=VALUE... values.Options.MergeValues; FLAG is -f, --set-json, --set,
//	                    --set-string, --set-file or --set-literal
//
// The parsers stop at the first error; the result is the map as they left it, then
// " error: MESSAGE" when there was one. merge prints "error: MESSAGE" alone, as Helm
// returns no map then. Maps print as {"key": value, ...} with sorted keys, lists as
// [a, b], strings quoted with strconv.Quote, int64 as digits, float64 as float64(%v),
// nil as null and any other type as TYPE(%v).

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/cli/values"
	"helm.sh/helm/v4/pkg/getter"
	"helm.sh/helm/v4/pkg/strvals"
)

func readFileValue(rs []rune) (any, error) {
	data, err := os.ReadFile(string(rs))
	if err != nil {
		return nil, err
	}
	return string(data), nil
}

func strvalsAnswer(op string, args []string) (string, error) {
	if op == "merge" {
		return mergeAnswer(args)
	}
	var parse func(string, map[string]any) error
	switch op {
	case "set":
		parse = strvals.ParseInto
	case "set-string":
		parse = strvals.ParseIntoString
	case "set-json":
		parse = strvals.ParseJSON
	case "set-literal":
		parse = strvals.ParseLiteralInto
	case "set-file":
		parse = func(s string, dest map[string]any) error {
			return strvals.ParseIntoFile(s, dest, readFileValue)
		}
	default:
		return "", fmt.Errorf("unknown operation %q", op)
	}
	if len(args) == 0 {
		return "", fmt.Errorf("%s needs at least one argument", op)
	}
	dest := map[string]any{}
	for _, arg := range args {
		if err := parse(arg, dest); err != nil {
			return dump(dest) + " error: " + err.Error(), nil
		}
	}
	return dump(dest), nil
}

func mergeAnswer(args []string) (string, error) {
	var opts values.Options
	for _, arg := range args {
		flag, value, ok := strings.Cut(arg, "=")
		if !ok {
			return "", fmt.Errorf("merge argument %q is not FLAG=VALUE", arg)
		}
		switch flag {
		case "-f":
			opts.ValueFiles = append(opts.ValueFiles, value)
		case "--set-json":
			opts.JSONValues = append(opts.JSONValues, value)
		case "--set":
			opts.Values = append(opts.Values, value)
		case "--set-string":
			opts.StringValues = append(opts.StringValues, value)
		case "--set-file":
			opts.FileValues = append(opts.FileValues, value)
		case "--set-literal":
			opts.LiteralValues = append(opts.LiteralValues, value)
		default:
			return "", fmt.Errorf("unknown merge flag %q", flag)
		}
	}
	merged, err := opts.MergeValues(getter.Providers{})
	if err != nil {
		return "error: " + err.Error(), nil
	}
	return dump(merged), nil
}

// dump prints a value with its Go types visible.
func dump(v any) string {
	var sb strings.Builder
	writeValue(&sb, v)
	return sb.String()
}

func writeValue(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(v))
	case int64:
		sb.WriteString(strconv.FormatInt(v, 10))
	case float64:
		fmt.Fprintf(sb, "float64(%v)", v)
	case string:
		sb.WriteString(strconv.Quote(v))
	case []any:
		sb.WriteByte('[')
		for i, item := range v {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeValue(sb, item)
		}
		sb.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(strconv.Quote(k))
			sb.WriteString(": ")
			writeValue(sb, v[k])
		}
		sb.WriteByte('}')
	default:
		fmt.Fprintf(sb, "%T(%v)", v, v)
	}
}
