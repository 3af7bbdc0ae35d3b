{{/*
Labels. Custom labels are rendered through tpl so they may reference the release.
Usage: {{ include "common.labels.standard" (dict "customLabels" .Values.commonLabels "context" $) }}
*/}}
{{- define "common.labels.standard" -}}
{{- $default := dict "app.kubernetes.io/name" (include "common.names.name" .context) "helm.sh/chart" (include "common.names.chart" .context) "app.kubernetes.io/instance" .context.Release.Name "app.kubernetes.io/managed-by" .context.Release.Service -}}
{{- with .context.Chart.AppVersion -}}
{{- $_ := set $default "app.kubernetes.io/version" . -}}
{{- end -}}
{{- $custom := dict -}}
{{- with .customLabels -}}
{{- $custom = include "common.tplvalues.render" (dict "value" . "context" $.context) | fromYaml -}}
{{- end -}}
{{- toYaml (merge $custom $default) -}}
{{- end -}}

{{/*
Labels that never change during the life of a release, for selectors.
*/}}
{{- define "common.labels.matchLabels" -}}
{{- $labels := dict "app.kubernetes.io/name" (include "common.names.name" .context) "app.kubernetes.io/instance" .context.Release.Name -}}
{{- with .component -}}
{{- $_ := set $labels "app.kubernetes.io/component" . -}}
{{- end -}}
{{- toYaml $labels -}}
{{- end -}}
