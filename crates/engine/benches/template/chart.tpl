{{- /* The entry template: renders every manifest of the chart, separated like helm template. */ -}}
{{- template "deployment.yaml" . }}
---
{{ template "service.yaml" . }}
---
{{ template "configmap.yaml" . }}
{{- if .Values.ingress.enabled }}
---
{{ template "ingress.yaml" . }}
{{- end }}
