{{/* The prefix of every object's name: with release `tessera`, the Services are tessera-<service>. */}}
{{- define "tessera.fullname" -}}
{{- .Release.Name -}}
{{- end -}}

{{/* Labels on every object (root context). */}}
{{- define "tessera.labels" -}}
app.kubernetes.io/part-of: tessera
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The labels that select one service's pods: (dict "root" $ "name" <service>). */}}
{{- define "tessera.selectorLabels" -}}
app.kubernetes.io/name: tessera-{{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "tessera.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "tessera.secretName" -}}
{{ .Values.secrets.existingSecret | default (printf "%s-secrets" .Release.Name) }}
{{- end -}}

{{/* One variable of the Secret: (dict "root" $ "name" <VARIABLE>). */}}
{{- define "tessera.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "tessera.secretName" .root }}
      key: {{ .name }}
{{- end -}}

{{/* The variables (DESIGN §9) every Tessera process reads, services and migration alike. */}}
{{- define "tessera.commonEnv" -}}
{{ include "tessera.secretEnv" (dict "root" . "name" "DATABASE_URL") }}
- name: KAFKA_BROKERS
  value: {{ .Values.kafka.brokers | quote }}
- name: TESSERA_TOPIC_PREFIX
  value: {{ .Values.topics.prefix | quote }}
- name: TESSERA_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: TESSERA_TRUSTED_PROXIES
  value: {{ .Values.trustedProxies | quote }}
{{- with .Values.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end -}}
