{{- define "broken.recurse" -}}
{{- include "broken.recurse" . -}}
{{- end -}}

{{- define "broken.deep" -}}
{{- .Values.config.tls.certFile -}}
{{- end -}}
