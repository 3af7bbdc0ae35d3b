{{/*
Component helpers: each service of the suite is rendered from the same templates, with the
component's own values merged over componentDefaults.
A component removed from .Values.components (set to null) renders nothing.
Usage: {{ include "suite.deployment" (dict "component" "cart" "context" $) }}
*/}}

{{- define "suite.values" -}}
{{- $own := index .context.Values.components .component | default dict -}}
{{- mergeOverwrite (deepCopy .context.Values.componentDefaults) (deepCopy $own) | toYaml -}}
{{- end -}}

{{- define "suite.name" -}}
{{- printf "%s-%s" (include "common.names.fullname" .context) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "suite.labels" -}}
{{- $labels := include "common.labels.standard" (dict "customLabels" .context.Values.global.labels "context" .context) | fromYaml -}}
{{- $_ := set $labels "app.kubernetes.io/component" .component -}}
{{- toYaml $labels -}}
{{- end -}}

{{- define "suite.selector" -}}
{{- include "common.labels.matchLabels" (dict "component" .component "context" .context) -}}
{{- end -}}

{{- define "suite.image" -}}
{{- $image := dict "registry" "docker.io" "repository" (printf "%s/%s" .context.Values.image.repository .component) "tag" .context.Values.image.tag -}}
{{- include "common.images.image" (dict "imageRoot" $image "global" .context.Values.global "chart" .context.Chart) -}}
{{- end -}}

{{- define "suite.deployment" -}}
{{- if hasKey .context.Values.components .component -}}
{{- $v := include "suite.values" . | fromYaml -}}
{{- $ctx := .context -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "suite.name" . }}
  labels: {{- include "suite.labels" . | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  selector:
    matchLabels: {{- include "suite.selector" . | nindent 6 }}
  template:
    metadata:
      labels: {{- include "suite.selector" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "suite.configmap" . | sha256sum }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $v.metricsPort | quote }}
    spec:
      serviceAccountName: {{ ternary (include "suite.name" .) "default" $v.serviceAccount.create }}
      {{- include "common.images.pullSecrets" (dict "images" list "global" $ctx.Values.global) | nindent 6 }}
      containers:
        - name: {{ .component }}
          image: {{ include "suite.image" . }}
          imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.port }}
            - name: metrics
              containerPort: {{ $v.metricsPort }}
          env:
            - name: ENVIRONMENT
              value: {{ $ctx.Values.global.environment | quote }}
            {{- range $name, $value := $v.env }}
            - name: {{ $name }}
              value: {{ tpl (toString $value) (dict "component" $.component "Template" $ctx.Template) | quote }}
            {{- end }}
            {{- if $ctx.Values.busConnection.url }}
            - name: BUS_URL
              value: {{ $ctx.Values.busConnection.url | quote }}
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "suite.name" . }}
          livenessProbe:
            httpGet: {path: {{ $v.probes.liveness }}, port: http}
          readinessProbe:
            httpGet: {path: {{ $v.probes.readiness }}, port: http}
          resources: {{- include "common.resources.render" (dict "resources" $v.resources "preset" $v.resourcesPreset) | nindent 12 }}
{{- end -}}
{{- end -}}

{{- define "suite.service" -}}
{{- if hasKey .context.Values.components .component -}}
{{- $v := include "suite.values" . | fromYaml -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "suite.name" . }}
  labels: {{- include "suite.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  ports:
    - name: http
      port: 80
      targetPort: http
    - name: metrics
      port: {{ $v.metricsPort }}
      targetPort: metrics
  selector: {{- include "suite.selector" . | nindent 4 }}
{{- end -}}
{{- end -}}

{{- define "suite.configmap" -}}
{{- if hasKey .context.Values.components .component -}}
{{- $v := include "suite.values" . | fromYaml -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "suite.name" . }}
  labels: {{- include "suite.labels" . | nindent 4 }}
data:
  COMPONENT: {{ .component | quote }}
  PORT: {{ $v.port | quote }}
  {{- range $key, $value := $v.config }}
  {{ printf "%s_%s" ($.component | upper) ($key | snakecase | upper) }}: {{ ternary (toJson $value) (toString $value) (or (kindIs "slice" $value) (kindIs "map" $value)) | quote }}
  {{- end }}
{{- end -}}
{{- end -}}

{{- define "suite.hpa" -}}
{{- if hasKey .context.Values.components .component -}}
{{- $v := include "suite.values" . | fromYaml -}}
{{- if $v.autoscaling.enabled -}}
apiVersion: {{ include "common.capabilities.hpa.apiVersion" .context }}
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "suite.name" . }}
  labels: {{- include "suite.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "suite.name" . }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPU }}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "suite.pdb" -}}
{{- if hasKey .context.Values.components .component -}}
{{- $v := include "suite.values" . | fromYaml -}}
{{- if or $v.autoscaling.enabled (gt (int $v.replicas) 1) -}}
apiVersion: {{ include "common.capabilities.policy.apiVersion" .context }}
kind: PodDisruptionBudget
metadata:
  name: {{ include "suite.name" . }}
  labels: {{- include "suite.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $v.pdb.maxUnavailable }}
  selector:
    matchLabels: {{- include "suite.selector" . | nindent 6 }}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "suite.serviceaccount" -}}
{{- if hasKey .context.Values.components .component -}}
{{- $v := include "suite.values" . | fromYaml -}}
{{- if $v.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "suite.name" . }}
  labels: {{- include "suite.labels" . | nindent 4 }}
  {{- with $v.serviceAccount.annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end -}}
{{- end -}}
{{- end -}}
