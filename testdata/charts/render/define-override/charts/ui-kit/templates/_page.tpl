{{- define "ui-kit.header" -}}
<header class="{{ .Values.theme }}">{{ .Values.title }}</header>
{{- end -}}

{{- define "ui-kit.footer" -}}
<footer>ui-kit {{ .Chart.Name }}</footer>
{{- end -}}

{{- define "ui-kit.page" -}}
{{ include "ui-kit.header" .context }}
<main>{{ block "ui-kit.content" .page }}default content for {{ . }}{{ end }}</main>
{{ include "ui-kit.footer" .context }}
{{- end -}}

{{- define "ui-kit.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-pages
  annotations:
    rendered-by: {{ .Template.Name | quote }}
data:
  {{- range .Values.pages }}
  {{ . }}.html: |
    {{- include "ui-kit.page" (dict "context" $ "page" .) | nindent 4 }}
  {{- end }}
{{- end -}}
