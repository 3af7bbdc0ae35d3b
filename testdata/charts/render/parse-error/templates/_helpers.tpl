{{- define "parse-error.labels" -}}
app: {{ .Chart.Name }}
{{- if .Values.enabled }}
enabled: "true"
{{- end -}}
{{- end -}}
