{{/* A DNS-1123 label from any text: lower case, runs of other characters become "-". */}}
{{- define "naming.dnsLabel" -}}
{{- regexReplaceAll "[^a-z0-9]+" (lower .) "-" | trimAll "-" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "naming.envName" -}}
{{- regexReplaceAll "[^A-Z0-9_]+" (snakecase . | upper) "_" -}}
{{- end -}}
