{{- define "webhook.service" -}}
{{- printf "%s-admission-webhook" .Release.Name -}}
{{- end -}}

{{/*
The certificate set as a dict of PEM strings: cert, key, ca.
*/}}
{{- define "webhook.certificates" -}}
{{- $service := include "webhook.service" . -}}
{{- $cn := default (printf "%s.%s.svc" $service .Release.Namespace) .Values.certificate.commonName -}}
{{- $dns := concat (list $service (printf "%s.%s" $service .Release.Namespace) (printf "%s.%s.svc" $service .Release.Namespace)) .Values.certificate.extraDnsNames -}}
{{- $ips := .Values.certificate.ipAddresses -}}
{{- if eq .Values.certificate.mode "generate" -}}
{{- $ca := genCA (printf "%s-ca" $service) (int .Values.certificate.caDays) -}}
{{- $cert := genSignedCert $cn $ips $dns (int .Values.certificate.days) $ca -}}
{{- dict "cert" $cert.Cert "key" $cert.Key "ca" $ca.Cert | toYaml -}}
{{- else if eq .Values.certificate.mode "selfSigned" -}}
{{- $cert := genSelfSignedCert $cn $ips $dns (int .Values.certificate.days) -}}
{{- dict "cert" $cert.Cert "key" $cert.Key "ca" $cert.Cert | toYaml -}}
{{- else if eq .Values.certificate.mode "provided" -}}
{{- $p := .Values.certificate.provided -}}
{{- dict "cert" (required "certificate.provided.cert is required" $p.cert) "key" (required "certificate.provided.key is required" $p.key) "ca" (default $p.cert $p.ca) | toYaml -}}
{{- else -}}
{{- fail (printf "certificate.mode must be generate, selfSigned or provided, not %q" .Values.certificate.mode) -}}
{{- end -}}
{{- end -}}
