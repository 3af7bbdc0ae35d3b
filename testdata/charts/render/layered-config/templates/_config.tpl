{{/* The base layer, then the environment, then overrides - later layers win. */}}
{{- define "layered.config" -}}
{{- $base := deepCopy .Values.base -}}
{{- $env := index .Values.environments .Values.environment | default dict | deepCopy -}}
{{- $merged := mergeOverwrite $base $env (deepCopy .Values.overrides) -}}
{{- $_ := set $merged "environment" .Values.environment -}}
{{- if hasKey $merged "debug" -}}
{{- $_ := unset $merged "debug" -}}
{{- end -}}
{{- toYaml $merged -}}
{{- end -}}
