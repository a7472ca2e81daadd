{{/* Chart name, overridable. */}}
{{- define "otel-netif.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, plus the chart name unless the release name already has it. */}}
{{- define "otel-netif.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "otel-netif.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: never change these after a release, a DaemonSet's selector is immutable. */}}
{{- define "otel-netif.selectorLabels" -}}
app.kubernetes.io/name: {{ include "otel-netif.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "otel-netif.labels" -}}
helm.sh/chart: {{ include "otel-netif.chart" . }}
{{ include "otel-netif.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: agent
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "otel-netif.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* host:port for --listen; IPv6 literals need brackets. */}}
{{- define "otel-netif.listen" -}}
{{- $host := .Values.agent.listenHost }}
{{- if and (contains ":" $host) (not (hasPrefix "[" $host)) }}
{{- printf "[%s]:%d" $host (int .Values.agent.port) }}
{{- else }}
{{- printf "%s:%d" $host (int .Values.agent.port) }}
{{- end }}
{{- end }}

{{- define "otel-netif.otlpEnabled" -}}
{{- if has "otlp" .Values.agent.exporters }}true{{ end }}
{{- end }}
