{{- define "session-store.secretName" -}}
{{- default (printf "%s-session-store" .Release.Name) .Values.auth.existingSecret -}}
{{- end -}}

{{/*
The password, base64-encoded: the one given, else the one already stored in the cluster,
else a new random one. `lookup` returns an empty map when there is no cluster.
*/}}
{{- define "session-store.password" -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (include "session-store.secretName" .) -}}
{{- if .Values.auth.password -}}
{{- .Values.auth.password | b64enc -}}
{{- else if and $secret $secret.data (hasKey $secret.data "password") -}}
{{- index $secret.data "password" -}}
{{- else -}}
{{- randAlphaNum (int .Values.auth.passwordLength) | b64enc -}}
{{- end -}}
{{- end -}}
