{{/* The portal's own footer replaces the library's. */}}
{{- define "ui-kit.footer" -}}
<footer>{{ .Values.title }} &copy; {{ .Release.Name }}</footer>
{{- end -}}

{{- define "ui-kit.content" -}}
page {{ . | title }} of the portal
{{- end -}}
