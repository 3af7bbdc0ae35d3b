package main

// Helm 4's rendering calls. helmv3/helm.go offers the same functions on Helm 3's packages;
// the build copies the one matching the Helm it builds against.

import (
	"context"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/cli/values"
	"helm.sh/helm/v4/pkg/engine"
	"helm.sh/helm/v4/pkg/getter"
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
		chrt.Templates = append(chrt.Templates, &common.File{Name: "templates/" + t.Name, Data: []byte(t.Text)})
	}
	options := common.ReleaseOptions{Name: "test", Namespace: "default", Revision: 1, IsInstall: true}
	top, err := util.ToRenderValues(chrt, map[string]any{}, options, common.DefaultCapabilities.Copy())
	if err != nil {
		return nil, err
	}
	return engine.Engine{Strict: strict}.RenderWithContext(context.Background(), chrt, top)
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
	if err := chartutil.ProcessDependencies(chrt, vals); err != nil {
		return nil, err
	}
	options := common.ReleaseOptions{Name: releaseName, Namespace: namespace, Revision: 1, IsInstall: true}
	top, err := util.ToRenderValues(chrt, vals, options, common.DefaultCapabilities.Copy())
	if err != nil {
		return nil, err
	}
	return engine.Engine{}.RenderWithContext(context.Background(), chrt, top)
}
