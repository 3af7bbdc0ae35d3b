{{- define "required-values.validate.credentials" -}}
{{- $c := .Values.storage.credentials -}}
{{- if and $c.existingSecret (or $c.accessKey $c.secretKey) -}}
storage.credentials: existingSecret and accessKey/secretKey are mutually exclusive
{{- else if and (not $c.existingSecret) (not (and $c.accessKey $c.secretKey)) -}}
storage.credentials: set existingSecret, or both accessKey and secretKey
{{- end -}}
{{- end -}}

{{- define "required-values.validate.tls" -}}
{{- if and (not .Values.storage.tls.enabled) .Values.storage.tls.insecureSkipVerify -}}
storage.tls: insecureSkipVerify makes no sense without tls.enabled
{{- end -}}
{{- end -}}

{{- define "required-values.validate.replicas" -}}
{{- if gt (int .Values.replicas) 5 -}}
replicas: at most 5 clients may share a bucket, got {{ .Values.replicas }}
{{- end -}}
{{- end -}}
