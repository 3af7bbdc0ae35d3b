{{- define "ingress-versions.kubeVersion" -}}
{{- default .Capabilities.KubeVersion.GitVersion .Values.kubeVersionOverride -}}
{{- end -}}

{{- define "ingress-versions.apiVersion" -}}
{{- $kube := include "ingress-versions.kubeVersion" . -}}
{{- if and (.Capabilities.APIVersions.Has "networking.k8s.io/v1") (semverCompare ">= 1.19-0" $kube) -}}
networking.k8s.io/v1
{{- else if and (.Capabilities.APIVersions.Has "networking.k8s.io/v1beta1") (semverCompare ">= 1.14-0" $kube) -}}
networking.k8s.io/v1beta1
{{- else -}}
extensions/v1beta1
{{- end -}}
{{- end -}}

{{- define "ingress-versions.isStable" -}}
{{- eq (include "ingress-versions.apiVersion" .) "networking.k8s.io/v1" -}}
{{- end -}}
