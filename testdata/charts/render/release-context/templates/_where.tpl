{{- define "release-context.where" -}}
{{ .Template.Name }} via {{ .Template.BasePath }}
{{- end -}}
