{{/*
An image reference from {registry, repository, tag, digest}; a global registry wins over the
image's own. A digest wins over a tag; without either the chart's appVersion is the tag.
Usage: {{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global "chart" .Chart) }}
*/}}
{{- define "common.images.image" -}}
{{- $registry := .imageRoot.registry -}}
{{- if and .global .global.imageRegistry -}}
{{- $registry = .global.imageRegistry -}}
{{- end -}}
{{- $separator := ":" -}}
{{- $termination := "" -}}
{{- if .imageRoot.digest -}}
{{- $separator = "@" -}}
{{- $termination = .imageRoot.digest | toString -}}
{{- else if .imageRoot.tag -}}
{{- $termination = .imageRoot.tag | toString -}}
{{- else if .chart -}}
{{- $termination = .chart.AppVersion | toString -}}
{{- end -}}
{{- if $registry -}}
{{- printf "%s/%s%s%s" $registry .imageRoot.repository $separator $termination -}}
{{- else -}}
{{- printf "%s%s%s" .imageRoot.repository $separator $termination -}}
{{- end -}}
{{- end -}}

{{/*
imagePullSecrets from the global list and each image's own, deduplicated, in order.
Usage: {{ include "common.images.pullSecrets" (dict "images" (list .Values.image) "global" .Values.global) }}
*/}}
{{- define "common.images.pullSecrets" -}}
{{- $secrets := list -}}
{{- $lists := list -}}
{{- if .global -}}
{{- $lists = append $lists .global.imagePullSecrets -}}
{{- end -}}
{{- range .images -}}
{{- $lists = append $lists .pullSecrets -}}
{{- end -}}
{{- range $lists -}}
{{- range . -}}
{{- if kindIs "map" . -}}
{{- $secrets = append $secrets .name -}}
{{- else -}}
{{- $secrets = append $secrets . -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $secrets }}
imagePullSecrets:
{{- range $secrets | uniq }}
  - name: {{ . }}
{{- end }}
{{- end -}}
{{- end -}}
