{{- define "postgres-ha.primary.fullname" -}}
{{- printf "%s-primary" (include "common.names.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "postgres-ha.readReplica.fullname" -}}
{{- printf "%s-read" (include "common.names.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "postgres-ha.secretName" -}}
{{- default (include "common.names.fullname" .) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "postgres-ha.image" -}}
{{- include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global) -}}
{{- end -}}

{{- define "postgres-ha.storageClass" -}}
{{- with (coalesce .persistence.storageClass .global.storageClass) -}}
{{- if eq "-" . }}
storageClassName: ""
{{- else }}
storageClassName: {{ . | quote }}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "postgres-ha.statefulset" -}}
{{- $ctx := .context -}}
{{- $role := .role -}}
{{- $cfg := .config -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .name }}
  labels: {{- include "common.labels.standard" (dict "customLabels" (dict "app.kubernetes.io/component" $role) "context" $ctx) | nindent 4 }}
spec:
  replicas: {{ default 1 $cfg.replicaCount }}
  serviceName: {{ .name }}-hl
  podManagementPolicy: {{ ternary "OrderedReady" "Parallel" (eq $role "primary") }}
  selector:
    matchLabels: {{- include "common.labels.matchLabels" (dict "component" $role "context" $ctx) | nindent 6 }}
  template:
    metadata:
      labels: {{- include "common.labels.matchLabels" (dict "component" $role "context" $ctx) | nindent 8 }}
      annotations:
        {{- /* The Secret holds generated passwords, so its checksum differs on every render. */}}
        random.render.helmsync.test/checksum-secret: {{ include "common.utils.checksumTemplate" (dict "path" "/secret.yaml" "context" $ctx) }}
    spec:
      containers:
        - name: postgresql
          image: {{ include "postgres-ha.image" $ctx }}
          env:
            - name: POSTGRESQL_REPLICATION_MODE
              value: {{ ternary "master" "slave" (eq $role "primary") | quote }}
            - name: POSTGRES_USER
              value: {{ $ctx.Values.auth.username | quote }}
            - name: POSTGRES_DATABASE
              value: {{ $ctx.Values.auth.database | quote }}
            - name: POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ include "postgres-ha.secretName" $ctx }}
                  key: postgres-password
            {{- if eq $ctx.Values.architecture "replication" }}
            - name: POSTGRES_REPLICATION_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ include "postgres-ha.secretName" $ctx }}
                  key: replication-password
            {{- if ne $role "primary" }}
            - name: POSTGRES_MASTER_HOST
              value: {{ include "postgres-ha.primary.fullname" $ctx }}
            {{- end }}
            {{- end }}
          resources: {{- include "common.resources.render" (dict "resources" $cfg.resources "preset" $cfg.resourcesPreset) | nindent 12 }}
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
            {{- if eq $role "primary" }}
            - name: initdb
              mountPath: /docker-entrypoint-initdb.d
            {{- end }}
      {{- if eq $role "primary" }}
      volumes:
        - name: initdb
          configMap:
            name: {{ include "common.names.fullname" $ctx }}-initdb
      {{- end }}
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        {{- include "postgres-ha.storageClass" (dict "persistence" $cfg.persistence "global" $ctx.Values.global) | nindent 8 }}
        resources:
          requests:
            storage: {{ $cfg.persistence.size | quote }}
{{- end -}}
