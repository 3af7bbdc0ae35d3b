worker_processes {{ .Values.server.workerProcesses }};
events {
  worker_connections {{ .Values.server.workerConnections }};
}
http {
  include /etc/nginx/conf.d/*.conf;
{{- range .Values.server.upstreams }}
  upstream {{ .name }} {
  {{- range .servers }}
    server {{ . }};
  {{- end }}
  }
{{- end }}
}
