{{/* Chart name, overridable. */}}
{{- define "unikernetes.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every resource name. */}}
{{- define "unikernetes.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else if contains (include "unikernetes.name" .) .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "unikernetes.name" .) | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "unikernetes.operator.fullname" -}}{{ include "unikernetes.fullname" . }}-operator{{- end -}}
{{- define "unikernetes.agent.fullname" -}}{{ include "unikernetes.fullname" . }}-xen-agent{{- end -}}

{{- define "unikernetes.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "unikernetes.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: unikernetes
{{- end -}}

{{- define "unikernetes.selectorLabels" -}}
app.kubernetes.io/name: {{ include "unikernetes.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "unikernetes.image" -}}
{{- $root := index . 0 -}}{{- $repository := index . 1 -}}
{{ $root.Values.image.registry }}/{{ $repository }}:{{ default $root.Chart.AppVersion $root.Values.image.tag }}
{{- end -}}

{{/* Restricted Pod Security Standard container context. */}}
{{- define "unikernetes.restrictedContainerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}
