{{- define "webapp.image" -}}
{{- include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global "chart" .Chart) -}}
{{- end -}}

{{- define "webapp.labels" -}}
{{- include "common.labels.standard" (dict "customLabels" .Values.commonLabels "context" .) -}}
{{- end -}}

{{- define "webapp.selectorLabels" -}}
{{- include "common.labels.matchLabels" (dict "component" "web" "context" .) -}}
{{- end -}}
