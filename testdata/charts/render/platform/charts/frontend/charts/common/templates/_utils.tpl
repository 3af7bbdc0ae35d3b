{{/*
The checksum of another template of the same chart, for rollout-on-change annotations.
Usage: {{ include "common.utils.checksumTemplate" (dict "path" "/configmap.yaml" "context" $) }}
*/}}
{{- define "common.utils.checksumTemplate" -}}
{{- include (print .context.Template.BasePath .path) .context | sha256sum -}}
{{- end -}}

{{/*
Reads a value by a dotted path, e.g. "auth.existingSecret".
Usage: {{ include "common.utils.getValueFromKey" (dict "key" "path.to.key" "context" $) }}
*/}}
{{- define "common.utils.getValueFromKey" -}}
{{- $value := .context.Values -}}
{{- range (splitList "." .key) -}}
{{- if kindIs "map" $value -}}
{{- $value = index $value . -}}
{{- else -}}
{{- $value = "" -}}
{{- end -}}
{{- end -}}
{{- if kindIs "map" $value -}}
{{- toYaml $value -}}
{{- else if not (kindIs "invalid" $value) -}}
{{- $value -}}
{{- end -}}
{{- end -}}

{{/*
Fails with a list of messages when any is non-empty.
Usage: {{ include "common.errors.validate" (list (include "x.validate.a" .) (include "x.validate.b" .)) }}
*/}}
{{- define "common.errors.validate" -}}
{{- $messages := without . "" -}}
{{- if $messages -}}
{{- printf "\nVALUES VALIDATION:\n%s" (join "\n" $messages) | fail -}}
{{- end -}}
{{- end -}}
