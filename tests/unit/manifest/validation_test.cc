// One case per validation rule: a pod spec that breaks exactly that rule, and the
// error it must produce ("path: message" starts with the expected text).
#include <gtest/gtest.h>

#include "test_util.h"

namespace podlet::manifest {
namespace {

using testing::errors;
using testing::pod_yaml;
using testing::warnings;

struct Case {
  const char* name;
  const char* spec;
  const char* error;  // expected prefix of "path: message"
};

const Case kCases[] = {
    {"container_name_dns_label", "containers: [{name: Web, image: b}]",
     "spec.containers[0].name: Invalid value: \"Web\""},
    {"container_name_required", "containers: [{image: b}]", "spec.containers[0].name: Required value"},
    {"container_names_unique_across_init",
     "initContainers: [{name: a, image: b}]\ncontainers: [{name: a, image: b}]",
     "spec.containers[0].name: Duplicate value: \"a\""},
    {"image_required", "containers: [{name: a}]", "spec.containers[0].image: Required value"},
    {"image_whitespace", "containers: [{name: a, image: \" b\"}]", "spec.containers[0].image: Invalid value"},
    {"containers_required", "containers: []", "spec.containers: Required value"},
    {"pull_policy", "containers: [{name: a, image: b, imagePullPolicy: Sometimes}]",
     "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\""},
    {"termination_message_policy", "containers: [{name: a, image: b, terminationMessagePolicy: Log}]",
     "spec.containers[0].terminationMessagePolicy: Unsupported value"},
    {"app_container_restart_policy", "containers: [{name: a, image: b, restartPolicy: Always}]",
     "spec.containers[0].restartPolicy: Forbidden"},
    {"init_restart_policy_only_always",
     "initContainers: [{name: i, image: b, restartPolicy: Never}]\ncontainers: [{name: a, image: b}]",
     "spec.initContainers[0].restartPolicy: Unsupported value: \"Never\""},
    {"stdin_once_needs_stdin", "containers: [{name: a, image: b, stdinOnce: true}]",
     "spec.containers[0].stdinOnce: Invalid value"},
    // ports
    {"container_port_required", "containers: [{name: a, image: b, ports: [{name: x}]}]",
     "spec.containers[0].ports[0].containerPort: Required value"},
    {"container_port_range", "containers: [{name: a, image: b, ports: [{containerPort: 70000}]}]",
     "spec.containers[0].ports[0].containerPort: Invalid value: \"70000\": must be between 1 and 65535"},
    {"host_port_range", "containers: [{name: a, image: b, ports: [{containerPort: 80, hostPort: -1}]}]",
     "spec.containers[0].ports[0].hostPort: Invalid value: \"-1\""},
    {"port_protocol", "containers: [{name: a, image: b, ports: [{containerPort: 80, protocol: tcp}]}]",
     "spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\""},
    {"port_name_syntax", "containers: [{name: a, image: b, ports: [{containerPort: 80, name: \"80\"}]}]",
     "spec.containers[0].ports[0].name: Invalid value: \"80\": must contain at least one letter"},
    {"port_name_unique",
     "containers: [{name: a, image: b, ports: [{containerPort: 80, name: h}, {containerPort: 81, name: h}]}]",
     "spec.containers[0].ports[1].name: Duplicate value: \"h\""},
    {"host_port_unique",
     "containers: [{name: a, image: b, ports: [{containerPort: 80, hostPort: 80}]}, {name: c, image: b, "
     "ports: [{containerPort: 81, hostPort: 80}]}]",
     "spec.containers[1].ports[0].hostPort: Duplicate value: \"80/TCP\""},
    {"host_ip", "containers: [{name: a, image: b, ports: [{containerPort: 80, hostIP: localhost}]}]",
     "spec.containers[0].ports[0].hostIP: Invalid value: \"localhost\""},
    {"host_network_ports_match",
     "hostNetwork: true\ncontainers: [{name: a, image: b, ports: [{containerPort: 80, hostPort: 81}]}]",
     "spec.containers[0].ports[0].hostPort: Invalid value: \"81\": must match `containerPort`"},
    // env
    {"env_name", "containers: [{name: a, image: b, env: [{name: 1X}]}]",
     "spec.containers[0].env[0].name: Invalid value: \"1X\""},
    {"env_name_required", "containers: [{name: a, image: b, env: [{value: x}]}]",
     "spec.containers[0].env[0].name: Required value"},
    {"env_value_and_value_from",
     "containers: [{name: a, image: b, env: [{name: X, value: v, valueFrom: {fieldRef: {fieldPath: "
     "metadata.name}}}]}]",
     "spec.containers[0].env[0].value: Invalid value: \"v\""},
    {"env_value_from_empty", "containers: [{name: a, image: b, env: [{name: X, valueFrom: {}}]}]",
     "spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of"},
    {"env_value_from_two",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {fieldRef: {fieldPath: metadata.name}, "
     "resourceFieldRef: {resource: limits.cpu}}}]}]",
     "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not have more than one field"},
    {"env_field_path",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {fieldRef: {fieldPath: spec.hostname}}}]}]",
     "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"spec.hostname\""},
    {"env_field_api_version",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {fieldRef: {apiVersion: v2, fieldPath: "
     "metadata.name}}}]}]",
     "spec.containers[0].env[0].valueFrom.fieldRef.apiVersion: Unsupported value: \"v2\""},
    {"env_field_label_key",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {fieldRef: {fieldPath: "
     "\"metadata.labels['bad key']\"}}}]}]",
     "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"bad key\""},
    {"env_resource",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {resourceFieldRef: {resource: "
     "limits.gpu}}}]}]",
     "spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value"},
    {"env_resource_container",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {resourceFieldRef: {containerName: z, "
     "resource: limits.cpu}}}]}]",
     "spec.containers[0].env[0].valueFrom.resourceFieldRef.containerName: Not found: \"z\""},
    {"env_resource_cpu_divisor",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {resourceFieldRef: {resource: limits.cpu, "
     "divisor: 2}}}]}]",
     "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"2\""},
    {"env_resource_memory_divisor",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {resourceFieldRef: {resource: "
     "limits.memory, divisor: 3Mi}}}]}]",
     "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"3Mi\""},
    {"env_config_map_key",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {configMapKeyRef: {name: c, key: \"a/b\", "
     "optional: true}}}]}]",
     "spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Invalid value: \"a/b\""},
    {"env_secret_name",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {secretKeyRef: {key: k, optional: "
     "true}}}]}]",
     "spec.containers[0].env[0].valueFrom.secretKeyRef.name: Required value"},
    {"env_from_none", "containers: [{name: a, image: b, envFrom: [{prefix: P}]}]",
     "spec.containers[0].envFrom[0]: Invalid value: \"\": must specify one of"},
    {"env_from_prefix",
     "containers: [{name: a, image: b, envFrom: [{prefix: \"a b\", configMapRef: {name: c, optional: "
     "true}}]}]",
     "spec.containers[0].envFrom[0].prefix: Invalid value: \"a b\""},
    // references
    {"config_map_missing", "containers: [{name: a, image: b, envFrom: [{configMapRef: {name: nope}}]}]",
     "spec.containers[0].envFrom[0].configMapRef: ConfigMap default/nope is not in the input"},
    {"secret_missing",
     "containers: [{name: a, image: b, env: [{name: X, valueFrom: {secretKeyRef: {name: s, key: k}}}]}]",
     "spec.containers[0].env[0].valueFrom.secretKeyRef: Secret default/s is not in the input"},
    {"secret_volume_missing",
     "volumes: [{name: v, secret: {secretName: s}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].secret: Secret default/s is not in the input"},
    // mounts
    {"mount_volume_exists", "containers: [{name: a, image: b, volumeMounts: [{name: v, mountPath: /v}]}]",
     "spec.containers[0].volumeMounts[0].name: Not found: \"v\""},
    {"mount_path_required",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v}]}]",
     "spec.containers[0].volumeMounts[0].mountPath: Required value"},
    {"mount_path_unique",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v, "
     "mountPath: /v}, {name: v, mountPath: /v}]}]",
     "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/v\": must be unique"},
    {"mount_path_absolute",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v, "
     "mountPath: v}]}]",
     "spec.containers[0].volumeMounts[0].mountPath: Invalid value: \"v\": must be an absolute path"},
    {"sub_path_backsteps",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v, "
     "mountPath: /v, subPath: a/../../b}]}]",
     "spec.containers[0].volumeMounts[0].subPath: Invalid value: \"a/../../b\": must not contain '..'"},
    {"sub_path_absolute",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v, "
     "mountPath: /v, subPath: /etc}]}]",
     "spec.containers[0].volumeMounts[0].subPath: Invalid value: \"/etc\": must be a relative path"},
    {"sub_path_expr_exclusive",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v, "
     "mountPath: /v, subPath: a, subPathExpr: b}]}]",
     "spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: \"b\": subPathExpr and subPath are "
     "mutually exclusive"},
    {"mount_propagation",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v, "
     "mountPath: /v, mountPropagation: Shared}]}]",
     "spec.containers[0].volumeMounts[0].mountPropagation: Unsupported value: \"Shared\""},
    {"bidirectional_needs_privileged",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v, "
     "mountPath: /v, mountPropagation: Bidirectional}]}]",
     "spec.containers[0].volumeMounts[0].mountPropagation: Forbidden"},
    {"recursive_read_only_needs_read_only",
     "volumes: [{name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b, volumeMounts: [{name: v, "
     "mountPath: /v, recursiveReadOnly: Enabled}]}]",
     "spec.containers[0].volumeMounts[0].recursiveReadOnly: Forbidden: may only be specified when readOnly "
     "is true"},
    // volumes
    {"volume_name", "volumes: [{name: V, emptyDir: {}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].name: Invalid value: \"V\""},
    {"volume_name_unique",
     "volumes: [{name: v, emptyDir: {}}, {name: v, emptyDir: {}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[1].name: Duplicate value: \"v\""},
    {"volume_one_type",
     "volumes: [{name: v, emptyDir: {}, hostPath: {path: /x}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0]: Forbidden: may not specify more than 1 volume type"},
    {"empty_dir_medium", "volumes: [{name: v, emptyDir: {medium: Disk}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].emptyDir.medium: Unsupported value: \"Disk\""},
    {"empty_dir_size", "volumes: [{name: v, emptyDir: {sizeLimit: -1Mi}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].emptyDir.sizeLimit: Invalid value: \"-1Mi\""},
    {"host_path_required",
     "volumes: [{name: v, hostPath: {type: Directory}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].hostPath.path: Required value"},
    {"host_path_type",
     "volumes: [{name: v, hostPath: {path: /x, type: Dir}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].hostPath.type: Unsupported value: \"Dir\""},
    {"host_path_backsteps",
     "volumes: [{name: v, hostPath: {path: /x/../etc}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].hostPath.path: Invalid value: \"/x/../etc\""},
    {"config_map_name_required",
     "volumes: [{name: v, configMap: {optional: true}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].configMap.name: Required value"},
    {"items_path_relative",
     "volumes: [{name: v, configMap: {name: c, optional: true, items: [{key: k, path: /abs}]}}]\ncontainers: "
     "[{name: a, image: b}]",
     "spec.volumes[0].configMap.items[0].path: Invalid value: \"/abs\": must be a relative path"},
    {"items_key",
     "volumes: [{name: v, configMap: {name: c, optional: true, items: [{key: \"k k\", path: "
     "p}]}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].configMap.items[0].key: Invalid value: \"k k\""},
    {"items_mode",
     "volumes: [{name: v, configMap: {name: c, optional: true, items: [{key: k, path: p, mode: "
     "1000}]}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].configMap.items[0].mode: Invalid value: \"1000\""},
    {"default_mode",
     "volumes: [{name: v, secret: {secretName: s, optional: true, defaultMode: -1}}]\ncontainers: [{name: a, "
     "image: b}]",
     "spec.volumes[0].secret.defaultMode: Invalid value: \"-1\""},
    {"secret_name_required",
     "volumes: [{name: v, secret: {optional: true}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].secret.secretName: Required value"},
    {"claim_name_required",
     "volumes: [{name: v, persistentVolumeClaim: {readOnly: true}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].persistentVolumeClaim.claimName: Required value"},
    {"downward_field",
     "volumes: [{name: v, downwardAPI: {items: [{path: p, fieldRef: {fieldPath: "
     "status.podIP}}]}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: Unsupported value: \"status.podIP\""},
    {"downward_resource_container",
     "volumes: [{name: v, downwardAPI: {items: [{path: p, resourceFieldRef: {resource: "
     "limits.cpu}}]}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].downwardAPI.items[0].resourceFieldRef.containerName: Required value"},
    {"downward_one_ref",
     "volumes: [{name: v, downwardAPI: {items: [{path: p}]}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].downwardAPI.items[0]: Invalid value"},
    {"projected_one_source",
     "volumes: [{name: v, projected: {sources: [{}]}}]\ncontainers: [{name: a, image: b}]",
     "spec.volumes[0].projected.sources[0]: Forbidden"},
    // resources
    {"resource_negative", "containers: [{name: a, image: b, resources: {limits: {memory: -1}}}]",
     "spec.containers[0].resources.limits.memory: Invalid value: \"-1\""},
    {"resource_name", "containers: [{name: a, image: b, resources: {limits: {gpu: 1}}}]",
     "spec.containers[0].resources.limits.gpu: Invalid value: \"gpu\": must be a standard resource type or "
     "fully qualified"},
    {"request_above_limit",
     "containers: [{name: a, image: b, resources: {limits: {cpu: 1}, requests: {cpu: 2}}}]",
     "spec.containers[0].resources.requests.cpu: Invalid value: \"2\": must be less than or equal to cpu "
     "limit of 1"},
    // probes and lifecycle
    {"probe_handler_required", "containers: [{name: a, image: b, livenessProbe: {periodSeconds: 1}}]",
     "spec.containers[0].livenessProbe: Required value: must specify a handler type"},
    {"probe_one_handler",
     "containers: [{name: a, image: b, livenessProbe: {exec: {command: [x]}, grpc: {port: 1}}}]",
     "spec.containers[0].livenessProbe: Forbidden: may not specify more than 1 handler type"},
    {"probe_exec_command", "containers: [{name: a, image: b, livenessProbe: {exec: {}}}]",
     "spec.containers[0].livenessProbe.exec.command: Required value"},
    {"probe_http_port", "containers: [{name: a, image: b, readinessProbe: {httpGet: {port: 0}}}]",
     "spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"0\""},
    {"probe_named_port", "containers: [{name: a, image: b, readinessProbe: {tcpSocket: {port: Http_Port}}}]",
     "spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: \"Http_Port\""},
    {"probe_scheme", "containers: [{name: a, image: b, readinessProbe: {httpGet: {port: 80, scheme: ftp}}}]",
     "spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: \"ftp\""},
    {"probe_header",
     "containers: [{name: a, image: b, readinessProbe: {httpGet: {port: 80, httpHeaders: [{name: \"a b\", "
     "value: c}]}}}]",
     "spec.containers[0].readinessProbe.httpGet.httpHeaders[0].name: Invalid value: \"a b\""},
    {"probe_grpc_port", "containers: [{name: a, image: b, readinessProbe: {grpc: {port: 70000}}}]",
     "spec.containers[0].readinessProbe.grpc.port: Invalid value: \"70000\""},
    {"probe_negative",
     "containers: [{name: a, image: b, readinessProbe: {grpc: {port: 1}, initialDelaySeconds: -1}}]",
     "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or "
     "equal to 0"},
    {"liveness_success_threshold",
     "containers: [{name: a, image: b, livenessProbe: {grpc: {port: 1}, successThreshold: 2}}]",
     "spec.containers[0].livenessProbe.successThreshold: Invalid value: \"2\": must be 1"},
    {"readiness_grace",
     "containers: [{name: a, image: b, readinessProbe: {grpc: {port: 1}, terminationGracePeriodSeconds: 1}}]",
     "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: \"1\": must not be "
     "set"},
    {"probe_grace_positive",
     "containers: [{name: a, image: b, startupProbe: {grpc: {port: 1}, terminationGracePeriodSeconds: 0}}]",
     "spec.containers[0].startupProbe.terminationGracePeriodSeconds: Invalid value: \"0\": must be greater "
     "than 0"},
    {"init_probe_forbidden",
     "initContainers: [{name: i, image: b, startupProbe: {grpc: {port: 1}}}]\ncontainers: [{name: a, image: "
     "b}]",
     "spec.initContainers[0].startupProbe: Forbidden"},
    {"init_lifecycle_forbidden",
     "initContainers: [{name: i, image: b, lifecycle: {preStop: {exec: {command: [x]}}}}]\ncontainers: "
     "[{name: a, image: b}]",
     "spec.initContainers[0].lifecycle: Forbidden"},
    {"lifecycle_handler_required", "containers: [{name: a, image: b, lifecycle: {postStart: {}}}]",
     "spec.containers[0].lifecycle.postStart: Required value: must specify a handler type"},
    {"lifecycle_sleep",
     "terminationGracePeriodSeconds: 5\ncontainers: [{name: a, image: b, lifecycle: {preStop: {sleep: "
     "{seconds: 10}}}}]",
     "spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: \"10\""},
    // security
    {"run_as_user_range", "containers: [{name: a, image: b, securityContext: {runAsUser: -1}}]",
     "spec.containers[0].securityContext.runAsUser: Invalid value: \"-1\""},
    {"privileged_no_escalation",
     "containers: [{name: a, image: b, securityContext: {privileged: true, allowPrivilegeEscalation: "
     "false}}]",
     "spec.containers[0].securityContext: Invalid value: \"\": cannot set `allowPrivilegeEscalation` to "
     "false and `privileged` to true"},
    {"sys_admin_no_escalation",
     "containers: [{name: a, image: b, securityContext: {capabilities: {add: [SYS_ADMIN]}, "
     "allowPrivilegeEscalation: false}}]",
     "spec.containers[0].securityContext: Invalid value: \"\": cannot set `allowPrivilegeEscalation` to "
     "false and `capabilities.Add` CAP_SYS_ADMIN"},
    {"proc_mount", "containers: [{name: a, image: b, securityContext: {procMount: Hidden}}]",
     "spec.containers[0].securityContext.procMount: Unsupported value: \"Hidden\""},
    {"proc_mount_unmasked_host_users",
     "containers: [{name: a, image: b, securityContext: {procMount: Unmasked}}]",
     "spec.containers[0].securityContext.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false "
     "to use `Unmasked`"},
    {"seccomp_type", "containers: [{name: a, image: b, securityContext: {seccompProfile: {type: Strict}}}]",
     "spec.containers[0].securityContext.seccompProfile.type: Unsupported value: \"Strict\""},
    {"seccomp_localhost_profile",
     "containers: [{name: a, image: b, securityContext: {seccompProfile: {type: Localhost}}}]",
     "spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value"},
    {"seccomp_profile_only_localhost",
     "containers: [{name: a, image: b, securityContext: {seccompProfile: {type: RuntimeDefault, "
     "localhostProfile: x.json}}}]",
     "spec.containers[0].securityContext.seccompProfile.localhostProfile: Invalid value: \"x.json\""},
    {"capability_name", "containers: [{name: a, image: b, securityContext: {capabilities: {drop: [all]}}}]",
     "spec.containers[0].securityContext.capabilities.drop[0]: Invalid value: \"all\""},
    {"pod_fs_group", "securityContext: {fsGroup: 3000000000}\ncontainers: [{name: a, image: b}]",
     "spec.securityContext.fsGroup: Invalid value: \"3000000000\""},
    {"supplemental_groups", "securityContext: {supplementalGroups: [-1]}\ncontainers: [{name: a, image: b}]",
     "spec.securityContext.supplementalGroups[0]: Invalid value: \"-1\""},
    {"fs_group_change_policy",
     "securityContext: {fsGroupChangePolicy: Never}\ncontainers: [{name: a, image: b}]",
     "spec.securityContext.fsGroupChangePolicy: Unsupported value: \"Never\""},
    {"sysctl_name",
     "securityContext: {sysctls: [{name: Kernel.X, value: \"1\"}]}\ncontainers: [{name: a, image: b}]",
     "spec.securityContext.sysctls[0].name: Invalid value: \"Kernel.X\""},
    {"sysctl_unique",
     "securityContext: {sysctls: [{name: kernel.x, value: \"1\"}, {name: kernel.x, value: "
     "\"2\"}]}\ncontainers: [{name: a, image: b}]",
     "spec.securityContext.sysctls[1].name: Duplicate value: \"kernel.x\""},
    {"share_pid_and_host_pid",
     "hostPID: true\nshareProcessNamespace: true\ncontainers: [{name: a, image: b}]",
     "spec.shareProcessNamespace: Invalid value: \"true\""},
    // pod level
    {"restart_policy", "restartPolicy: Sometimes\ncontainers: [{name: a, image: b}]",
     "spec.restartPolicy: Unsupported value: \"Sometimes\""},
    {"active_deadline", "activeDeadlineSeconds: 0\ncontainers: [{name: a, image: b}]",
     "spec.activeDeadlineSeconds: Invalid value: \"0\""},
    {"dns_policy", "dnsPolicy: Host\ncontainers: [{name: a, image: b}]",
     "spec.dnsPolicy: Unsupported value: \"Host\""},
    {"dns_none_needs_nameservers", "dnsPolicy: None\ncontainers: [{name: a, image: b}]",
     "spec.dnsConfig.nameservers: Required value"},
    {"dns_nameserver_ip", "dnsConfig: {nameservers: [dns.google]}\ncontainers: [{name: a, image: b}]",
     "spec.dnsConfig.nameservers[0]: Invalid value: \"dns.google\""},
    {"dns_nameserver_count",
     "dnsConfig: {nameservers: [1.1.1.1, 1.1.1.2, 1.1.1.3, 1.1.1.4]}\ncontainers: [{name: a, image: b}]",
     "spec.dnsConfig.nameservers: Invalid value"},
    {"dns_search", "dnsConfig: {searches: [Bad_Domain]}\ncontainers: [{name: a, image: b}]",
     "spec.dnsConfig.searches[0]: Invalid value: \"Bad_Domain\""},
    {"dns_option_name", "dnsConfig: {options: [{value: \"1\"}]}\ncontainers: [{name: a, image: b}]",
     "spec.dnsConfig.options[0].name: Required value"},
    {"hostname", "hostname: my.host\ncontainers: [{name: a, image: b}]",
     "spec.hostname: Invalid value: \"my.host\""},
    {"subdomain", "subdomain: Sub\ncontainers: [{name: a, image: b}]",
     "spec.subdomain: Invalid value: \"Sub\""},
    {"host_alias_ip", "hostAliases: [{ip: 300.1.1.1, hostnames: [a]}]\ncontainers: [{name: a, image: b}]",
     "spec.hostAliases[0].ip: Invalid value: \"300.1.1.1\""},
    {"host_alias_hostname",
     "hostAliases: [{ip: 10.0.0.1, hostnames: [A_B]}]\ncontainers: [{name: a, image: b}]",
     "spec.hostAliases[0].hostnames[0]: Invalid value: \"A_B\""},
    {"os_name", "os: {name: plan9}\ncontainers: [{name: a, image: b}]",
     "spec.os.name: Unsupported value: \"plan9\""},
    {"os_windows", "os: {name: windows}\ncontainers: [{name: a, image: b}]",
     "spec.os.name: Forbidden: podlet runs Linux pods only"},
    {"ephemeral_containers", "ephemeralContainers: [{name: e, image: b}]\ncontainers: [{name: a, image: b}]",
     "spec.ephemeralContainers: ephemeral containers cannot be set"},
};

class Rule : public ::testing::TestWithParam<Case> {};

TEST_P(Rule, IsEnforced) {
  const Case& c = GetParam();
  const Manifest m = load_manifest(pod_yaml(c.spec), "rule.yaml");
  const auto errs = errors(m);
  bool found = false;
  for (const auto& e : errs) found = found || e.rfind(c.error, 0) == 0;
  std::string all;
  for (const auto& e : errs) all += "\n  " + e;
  EXPECT_TRUE(found) << "expected: " << c.error << "\ngot:" << all;
}

INSTANTIATE_TEST_SUITE_P(Validation, Rule, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST(Validation, ValidPodHasNoDiagnostics) {
  const Manifest m = load_manifest(pod_yaml("containers: [{name: a, image: b}]"), "ok.yaml");
  EXPECT_TRUE(m.diagnostics.empty());
}

// procMount: Unmasked is valid for a pod with hostUsers: false (which only warns).
TEST(Validation, ProcMountUnmaskedWithoutHostUsers) {
  const Manifest m = load_manifest(
      pod_yaml("hostUsers: false\ncontainers: [{name: a, image: b, securityContext: {procMount: Unmasked}}]"),
      "u.yaml");
  EXPECT_TRUE(m.ok());
}

TEST(Validation, MetadataRules) {
  auto errs = [](const std::string& meta) {
    return errors(load_manifest(
        "apiVersion: v1\nkind: Pod\nmetadata: " + meta + "\nspec: {containers: [{name: a, image: b}]}\n",
        "m.yaml"));
  };
  EXPECT_EQ(errs("{}"), std::vector<std::string>{"metadata.name: Required value"});
  EXPECT_EQ(errs("{name: a_b}").at(0).rfind("metadata.name: Invalid value: \"a_b\"", 0), 0u);
  EXPECT_EQ(
      errs("{name: " + std::string(254, 'a') + "}").at(0),
      "metadata.name: Invalid value: \"" + std::string(254, 'a') + "\": must be no more than 253 characters");
  EXPECT_EQ(errs("{name: a, namespace: a.b}").at(0).rfind("metadata.namespace: Invalid value", 0), 0u);
  EXPECT_EQ(errs("{name: a, labels: {\"a/b/c\": x}}").size(), 1u);
  EXPECT_EQ(errs("{name: a, labels: {k: \"-x\"}}").size(), 1u);
  EXPECT_EQ(errs("{name: a, annotations: {\"-k\": x}}").size(), 1u);
  EXPECT_TRUE(
      errs("{name: a.b-c, labels: {example.com/k: v_1.2}, annotations: {k: \"any value !\"}}").empty());
}

TEST(Validation, WorkloadRules) {
  const Manifest job = load_manifest(R"(apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec: {template: {spec: {containers: [{name: a, image: b}]}}}
)",
                                     "j.yaml");
  EXPECT_EQ(errors(job).at(0).rfind("spec.template.spec.restartPolicy: Unsupported value: \"Always\"", 0),
            0u);
  const Manifest dep = load_manifest(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata: {labels: {a: b}}
    spec: {restartPolicy: Never, containers: [{name: a, image: b}]}
)",
                                     "d.yaml");
  // A structural error stops the document before validation, as in Kubernetes.
  EXPECT_EQ(errors(dep), std::vector<std::string>{"spec.selector: Required value"});
  const Manifest never = load_manifest(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec: {restartPolicy: Never, containers: [{name: a, image: b}]}
)",
                                       "d.yaml");
  ASSERT_EQ(errors(never).size(), 1u);
  EXPECT_EQ(errors(never)[0].rfind("spec.template.spec.restartPolicy: Unsupported value: \"Never\"", 0), 0u);
}

TEST(Validation, NotHonouredFieldsWarn) {
  const Manifest m = load_manifest(pod_yaml(R"(nodeSelector: {disk: ssd}
affinity: {nodeAffinity: {}}
tolerations: [{operator: Exists}]
priorityClassName: high
serviceAccountName: sa
runtimeClassName: gvisor
topologySpreadConstraints: [{maxSkew: 1}]
imagePullSecrets: [{name: reg}]
hostUsers: false
containers: [{name: a, image: b}])"),
                                   "w.yaml");
  EXPECT_TRUE(m.ok());
  const auto w = warnings(m);
  for (const char* field : {"spec.nodeSelector", "spec.affinity", "spec.tolerations",
                            "spec.priorityClassName", "spec.serviceAccountName", "spec.runtimeClassName",
                            "spec.topologySpreadConstraints", "spec.imagePullSecrets[0]", "spec.hostUsers"}) {
    bool found = false;
    for (const auto& x : w) found = found || x.rfind(std::string(field) + ": ", 0) == 0;
    EXPECT_TRUE(found) << field;
  }
  EXPECT_EQ(m.pods.at(0).spec.ignored_fields.size(), 7u);
}

TEST(Validation, OtherKindsWarn) {
  const Manifest m =
      load_manifest("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n", "i.yaml");
  EXPECT_TRUE(m.ok());
  ASSERT_EQ(warnings(m).size(), 1u);
  EXPECT_EQ(warnings(m)[0], "kind: kind Ingress (networking.k8s.io/v1) is not run by podlet; ignored");
}

TEST(Validation, ConfigMapAndSecretRules) {
  const Manifest m = load_manifest(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {"bad key": x, k: v}
binaryData: {k: eA==}
---
apiVersion: v1
kind: Secret
metadata: {name: s}
type: kubernetes.io/tls
data: {tls.crt: eA==}
)",
                                   "c.yaml");
  const auto errs = errors(m);
  ASSERT_EQ(errs.size(), 3u);
  EXPECT_EQ(errs[0].rfind("data.bad key: Invalid value: \"bad key\"", 0), 0u);
  EXPECT_EQ(errs[1], "binaryData.k: Invalid value: \"k\": duplicate of key present in data");
  EXPECT_EQ(errs[2], "data[tls.key]: Required value");
  EXPECT_EQ(m.config_maps.at("default/c").binary_data.at("k"), "x");
}

}  // namespace
}  // namespace podlet::manifest
