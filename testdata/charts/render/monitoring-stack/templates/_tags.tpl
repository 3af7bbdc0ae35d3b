{{- define "monitoring.enabledTags" -}}
{{- $on := list -}}
{{- range $tag, $enabled := .Values.tags -}}
{{- if $enabled }}{{ $on = append $on $tag }}{{ end -}}
{{- end -}}
{{- join " " $on -}}
{{- end -}}
