{{- define "platform.host" -}}
{{- printf "%s.%s.%s" .name .global.environment .global.domain -}}
{{- end -}}
