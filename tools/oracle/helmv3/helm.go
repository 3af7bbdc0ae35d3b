package main

// Helm 3's rendering calls. helmv4/helm.go offers the same functions on Helm 4's packages;
// the build copies the one matching the Helm it builds against.

import (
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/getter"
)

const inMemoryChartName = "test"

// renderInMemoryChart renders templates as templates/<name> of a chart "test" 0.1.0 whose
// values are chartValues, released as "test" in namespace "default".
func renderInMemoryChart(templates []namedTemplate, chartValues map[string]any, strict bool) (map[string]string, error) {
	chrt := &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: chart.APIVersionV2, Name: inMemoryChartName, Version: "0.1.0"},
		Values:   chartValues,
	}
	for _, t := range templates {
		chrt.Templates = append(chrt.Templates, &chart.File{Name: "templates/" + t.Name, Data: []byte(t.Text)})
	}
	options := chartutil.ReleaseOptions{Name: "test", Namespace: "default", Revision: 1, IsInstall: true}
	top, err := chartutil.ToRenderValues(chrt, map[string]any{}, options, chartutil.DefaultCapabilities.Copy())
	if err != nil {
		return nil, err
	}
	return engine.Engine{Strict: strict}.Render(chrt, top)
}

// renderChartDir renders a chart directory as `helm template` does without a cluster.
func renderChartDir(dir string, valueFiles []string, releaseName, namespace string) (map[string]string, error) {
	chrt, err := loader.Load(dir)
	if err != nil {
		return nil, err
	}
	vals, err := (&values.Options{ValueFiles: valueFiles}).MergeValues(getter.Providers{})
	if err != nil {
		return nil, err
	}
	if err := chartutil.ProcessDependenciesWithMerge(chrt, vals); err != nil {
		return nil, err
	}
	options := chartutil.ReleaseOptions{Name: releaseName, Namespace: namespace, Revision: 1, IsInstall: true}
	top, err := chartutil.ToRenderValues(chrt, vals, options, chartutil.DefaultCapabilities.Copy())
	if err != nil {
		return nil, err
	}
	return engine.Engine{}.Render(chrt, top)
}
