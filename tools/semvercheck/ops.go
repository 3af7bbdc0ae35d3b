package main

// The operations, each answered with a line of text that helmsync's corpus test
// (crates/engine/tests/semver_corpus.rs) produces the same way:
//
//	version V         NewVersion(V).String()
//	strict V          StrictNewVersion(V).String()
//	flux V            Flux's ParseVersion(V).String() (strict, one leading v allowed)
//	compare A B       NewVersion(A).Compare(NewVersion(B)): -1, 0 or 1
//	constraint C      NewConstraint(C).String()
//	check C V         Check and Validate of NewVersion(V): "true", or "false: " and the
//	                  reasons joined by " | "
//	check-pre C V     the same with IncludePrerelease set
//	inc-patch V       IncPatch (likewise inc-minor, inc-major): "STRING original=ORIGINAL"
//	set-pre V P       SetPrerelease(P) (likewise set-meta): as inc-patch
//	registry-tags T.. Helm's registry client Tags over raw tags: the result joined by " "
//	oci-tag R T..     Flux's OCI HelmRepository choice for request R among tags T
//	semver-tag E T..  Flux's OCIRepository ref.semver choice for expression E
//	index-version R E..  Flux's HelmRepository choice for request R among index entries
//	                  "VERSION@CREATED" (CREATED an integer): "#INDEX VERSION"
//
// A failed parse gives "error: MESSAGE" ("version error: MESSAGE" for the version of a
// check, once its constraint parsed).

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// answer runs one operation; its error means the request itself was malformed.
func answer(op string, args []string) (string, error) {
	need := func(n int) error {
		if len(args) != n {
			return fmt.Errorf("%s takes %d arguments, got %d", op, n, len(args))
		}
		return nil
	}
	atLeast := func(n int) error {
		if len(args) < n {
			return fmt.Errorf("%s takes at least %d arguments, got %d", op, n, len(args))
		}
		return nil
	}
	switch op {
	case "version", "strict", "flux":
		if err := need(1); err != nil {
			return "", err
		}
		parse := map[string]func(string) (*semver.Version, error){
			"version": semver.NewVersion, "strict": semver.StrictNewVersion, "flux": fluxParseVersion,
		}[op]
		v, err := parse(args[0])
		if err != nil {
			return "error: " + err.Error(), nil
		}
		return v.String(), nil
	case "compare":
		if err := need(2); err != nil {
			return "", err
		}
		a, err := semver.NewVersion(args[0])
		if err != nil {
			return "error: " + err.Error(), nil
		}
		b, err := semver.NewVersion(args[1])
		if err != nil {
			return "error: " + err.Error(), nil
		}
		return strconv.Itoa(a.Compare(b)), nil
	case "constraint":
		if err := need(1); err != nil {
			return "", err
		}
		c, err := semver.NewConstraint(args[0])
		if err != nil {
			return "error: " + err.Error(), nil
		}
		return c.String(), nil
	case "check", "check-pre":
		if err := need(2); err != nil {
			return "", err
		}
		return check(args[0], args[1], op == "check-pre"), nil
	case "inc-patch", "inc-minor", "inc-major":
		if err := need(1); err != nil {
			return "", err
		}
		return increment(op, args[0]), nil
	case "set-pre", "set-meta":
		if err := need(2); err != nil {
			return "", err
		}
		v, err := semver.NewVersion(args[0])
		if err != nil {
			return "error: " + err.Error(), nil
		}
		set := v.SetPrerelease
		if op == "set-meta" {
			set = v.SetMetadata
		}
		next, err := set(args[1])
		if err != nil {
			return "error: " + err.Error(), nil
		}
		return derived(next), nil
	case "registry-tags":
		return strings.Join(registryTags(args), " "), nil
	case "oci-tag", "semver-tag":
		if err := atLeast(1); err != nil {
			return "", err
		}
		choose := ociTag
		if op == "semver-tag" {
			choose = semverTag
		}
		tag, err := choose(args[1:], args[0])
		if err != nil {
			return "error: " + err.Error(), nil
		}
		return tag, nil
	case "index-version":
		if err := atLeast(1); err != nil {
			return "", err
		}
		return indexVersion(args[0], args[1:])
	}
	return "", fmt.Errorf("unknown op %q", op)
}

func check(constraint, version string, includePrerelease bool) string {
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return "error: " + err.Error()
	}
	c.IncludePrerelease = includePrerelease
	v, err := semver.NewVersion(version)
	if err != nil {
		return "version error: " + err.Error()
	}
	ok := c.Check(v)
	valid, reasons := c.Validate(v)
	if ok != valid {
		return fmt.Sprintf("Check says %v, Validate says %v", ok, valid)
	}
	if ok {
		return "true"
	}
	texts := make([]string, len(reasons))
	for i, r := range reasons {
		texts[i] = r.Error()
	}
	return "false: " + strings.Join(texts, " | ")
}

// increment reports Go's panic on overflow as the error a template would show for it.
func increment(op, version string) (result string) {
	v, err := semver.NewVersion(version)
	if err != nil {
		return "error: " + err.Error()
	}
	defer func() {
		if p := recover(); p != nil {
			result = fmt.Sprintf("error: %v", p)
		}
	}()
	switch op {
	case "inc-patch":
		return derived(v.IncPatch())
	case "inc-minor":
		return derived(v.IncMinor())
	default:
		return derived(v.IncMajor())
	}
}

func derived(v semver.Version) string {
	return fmt.Sprintf("%s original=%s", v.String(), v.Original())
}

// fluxParseVersion is fluxcd/pkg/version.ParseVersion (whose module needs a newer Go).
func fluxParseVersion(v string) (*semver.Version, error) {
	if _, err := semver.StrictNewVersion(strings.TrimPrefix(v, "v")); err != nil {
		return nil, err
	}
	return semver.NewVersion(v)
}

// registryTags follows Helm's registry Client.Tags after the listing.
func registryTags(tags []string) []string {
	var versions []*semver.Version
	for _, tag := range tags {
		if v, err := semver.StrictNewVersion(strings.ReplaceAll(tag, "_", "+")); err == nil {
			versions = append(versions, v)
		}
	}
	sort.Sort(sort.Reverse(semver.Collection(versions)))
	out := make([]string, len(versions))
	for i, v := range versions {
		out[i] = v.String()
	}
	return out
}

// requestConstraint: an empty request or "*" asks for the latest stable version.
func requestConstraint(requested string) (*semver.Constraints, error) {
	if requested == "" || requested == "*" {
		return semver.NewConstraint("*")
	}
	return semver.NewConstraint(requested)
}

// highestMatching sorts the strictly parsed candidates satisfying c as Flux does for OCI
// sources and returns the first one's original text.
func highestMatching(c *semver.Constraints, candidates []string) (string, bool) {
	var matched []*semver.Version
	for _, candidate := range candidates {
		if v, err := fluxParseVersion(candidate); err == nil && c.Check(v) {
			matched = append(matched, v)
		}
	}
	if len(matched) == 0 {
		return "", false
	}
	sort.Sort(sort.Reverse(semver.Collection(matched)))
	return matched[0].Original(), true
}

// ociTag follows Flux's choice of a tag for an OCI HelmRepository chart.
func ociTag(tags []string, requested string) (string, error) {
	if requested != "" {
		for _, tag := range tags {
			if tag == requested {
				return tag, nil
			}
		}
	}
	c, err := requestConstraint(requested)
	if err != nil {
		return "", err
	}
	if tag, ok := highestMatching(c, tags); ok {
		return tag, nil
	}
	return "", fmt.Errorf("could not locate a version matching provided version string %s", requested)
}

// semverTag follows Flux's OCIRepository choice of a tag for spec.ref.semver.
func semverTag(tags []string, expression string) (string, error) {
	c, err := semver.NewConstraint(expression)
	if err != nil {
		return "", fmt.Errorf("semver '%s' parse error: %w", expression, err)
	}
	if tag, ok := highestMatching(c, tags); ok {
		return tag, nil
	}
	return "", fmt.Errorf("no match found for semver: %s", expression)
}

type indexEntry struct {
	version string
	created int64
}

// indexVersion follows Flux's choice among a HelmRepository index's entries for a chart
// named "chart".
func indexVersion(requested string, specs []string) (string, error) {
	entries := make([]indexEntry, len(specs))
	for i, spec := range specs {
		version, created, ok := strings.Cut(spec, "@")
		n, err := strconv.ParseInt(created, 10, 64)
		if !ok || err != nil {
			return "", fmt.Errorf("index entry %q is not VERSION@CREATED", spec)
		}
		entries[i] = indexEntry{version, n}
	}
	chosen, err := chooseIndexEntry(entries, requested)
	if err != nil {
		return "error: " + err.Error(), nil
	}
	return fmt.Sprintf("#%d %s", chosen, entries[chosen].version), nil
}

func chooseIndexEntry(entries []indexEntry, requested string) (int, error) {
	if len(entries) == 0 {
		return 0, fmt.Errorf("no chart version found")
	}
	if requested != "" {
		for i, e := range entries {
			if e.version == requested {
				return i, nil
			}
		}
	}
	c, err := requestConstraint(requested)
	if err != nil {
		return 0, err
	}
	type candidate struct {
		version *semver.Version
		index   int
	}
	var matched []candidate
	for i, e := range entries {
		if v, err := fluxParseVersion(e.version); err == nil && c.Check(v) {
			matched = append(matched, candidate{v, i})
		}
	}
	if len(matched) == 0 {
		return 0, fmt.Errorf("no '%s' chart with version matching '%s' found", "chart", requested)
	}
	// Flux's comparator: the negation of "older, or as old and created earlier".
	sort.SliceStable(matched, func(i, j int) bool {
		left, right := matched[i], matched[j]
		older := left.version.LessThan(right.version)
		if left.version.Equal(right.version) {
			older = entries[left.index].created < entries[right.index].created
		}
		return !older
	})
	return matched[0].index, nil
}
