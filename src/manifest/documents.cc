#include "manifest/documents.h"

#include <openssl/evp.h>

#include "manifest/decode.h"

namespace podlet::manifest::detail {
namespace {

using Labels = std::map<std::string, std::string>;

void decode_label_selector(DocContext& c, const Node* n, const std::string& path, Labels& match_labels) {
  Fields f(c, n, path);
  f.get("matchLabels", match_labels);
  f.accept("matchExpressions");
}

// The value of a key the object must have; nullptr after reporting it missing at `parent`.
const Node* take_required(DocContext& c, Fields& f, std::string_view key, const Node* parent) {
  const Node* v = f.take(key);
  if (!v) c.error(parent, f.path(key), "Required value");
  return v;
}

// spec.template of a workload: the pod's labels, annotations and spec.
void decode_template(DocContext& c, const Node* n, const std::string& path, Pod& pod) {
  Fields f(c, n, path);
  pod.source.pod_meta_path = f.path("metadata");
  pod.source.pod_spec_path = f.path("spec");
  ObjectMeta meta;
  f.get("metadata", meta);
  pod.metadata.labels = std::move(meta.labels);
  pod.metadata.annotations = std::move(meta.annotations);
  if (const Node* spec = take_required(c, f, "spec", n)) decode(c, spec, f.path("spec"), pod.spec);
}

void take_template(DocContext& c, Fields& f, const Node* parent, Pod& pod) {
  if (const Node* t = take_required(c, f, "template", parent)) decode_template(c, t, f.path("template"), pod);
}

// The selector must select the template's own labels, as Kubernetes requires.
void check_selector(DocContext& c, const Node* sel, const Node* parent, const std::string& path,
                    const Labels& match_labels, const Pod& pod) {
  if (!sel) {
    c.error(parent, path, "Required value");
    return;
  }
  for (const auto& [k, v] : match_labels) {
    auto it = pod.metadata.labels.find(k);
    if (it == pod.metadata.labels.end() || it->second != v) {
      c.error(sel, path, "selector does not match template labels");
      return;
    }
  }
}

void decode_job_spec(DocContext& c, const Node* n, const std::string& path, Pod& pod) {
  Fields f(c, n, path);
  Labels match_labels;
  if (const Node* sel = f.take("selector")) decode_label_selector(c, sel, f.path("selector"), match_labels);
  take_template(c, f, n, pod);
  std::optional<int64_t> deadline;
  f.get("activeDeadlineSeconds", deadline);
  if (deadline) pod.spec.active_deadline_seconds = deadline;
  for (auto key : {"parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished", "completionMode",
                   "suspend", "manualSelector", "podFailurePolicy", "backoffLimitPerIndex",
                   "maxFailedIndexes", "podReplacementPolicy", "successPolicy", "managedBy"}) {
    f.not_honoured(key, "podlet runs the job's pod once");
  }
}

void decode_cron_job_spec(DocContext& c, const Node* n, const std::string& path, Pod& pod) {
  Fields f(c, n, path);
  if (const Node* s = take_required(c, f, "schedule", n)) {
    std::string schedule;
    decode(c, s, f.path("schedule"), schedule);
    c.warn(s, f.path("schedule"), "podlet does not honour this field; the job's pod is run once, now");
  }
  for (auto key : {"timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend",
                   "successfulJobsHistoryLimit", "failedJobsHistoryLimit"}) {
    f.not_honoured(key, "no schedule");
  }
  const Node* jt = take_required(c, f, "jobTemplate", n);
  if (!jt) return;
  Fields jf(c, jt, f.path("jobTemplate"));
  ObjectMeta ignored;
  jf.get("metadata", ignored);
  if (const Node* js = take_required(c, jf, "spec", jt)) decode_job_spec(c, js, jf.path("spec"), pod);
}

// Deployment, ReplicaSet, StatefulSet, DaemonSet.
void decode_replicated_spec(DocContext& c, const Node* n, const std::string& path, std::string_view kind,
                            Pod& pod) {
  Fields f(c, n, path);
  Labels match_labels;
  const Node* sel = f.take("selector");
  if (sel) decode_label_selector(c, sel, f.path("selector"), match_labels);
  if (kind != "DaemonSet") {
    if (const Node* r = f.take("replicas")) {
      int32_t replicas = 1;
      decode(c, r, f.path("replicas"), replicas);
      if (replicas > 1) c.warn(r, f.path("replicas"), "podlet runs one replica of the pod");
      if (replicas < 0) c.error(r, f.path("replicas"), "must be greater than or equal to 0");
    }
  }
  take_template(c, f, n, pod);
  check_selector(c, sel, n, f.path("selector"), match_labels, pod);
  for (auto key :
       {"strategy", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "paused"}) {
    if (kind == "Deployment" || std::string_view(key) == "minReadySeconds") {
      f.not_honoured(key, "no rollouts");
    }
  }
  if (kind == "StatefulSet") {
    for (auto key : {"updateStrategy", "serviceName", "podManagementPolicy", "volumeClaimTemplates",
                     "persistentVolumeClaimRetentionPolicy", "ordinals", "revisionHistoryLimit"}) {
      f.not_honoured(key, "no rollouts or replicas");
    }
  }
  if (kind == "DaemonSet") {
    for (auto key : {"updateStrategy", "revisionHistoryLimit"}) f.not_honoured(key, "no rollouts");
  }
}

void decode_workload(DocContext& c, Fields& f, const Node* root, std::string_view kind, Manifest& out) {
  Pod pod;
  pod.source = c.source(std::string(kind));
  ObjectMeta meta;
  f.get("metadata", meta);
  pod.owner_kind = std::string(kind);
  pod.owner_name = meta.name;
  pod.metadata.namespace_ = meta.namespace_;
  if (!meta.name.empty()) pod.metadata.name = meta.name + "-pod";
  if (meta.name.empty() && !meta.generate_name.empty()) pod.metadata.generate_name = meta.generate_name;
  pod.metadata.uid = meta.uid;
  if (const Node* spec = take_required(c, f, "spec", root)) {
    if (kind == "Job") {
      decode_job_spec(c, spec, f.path("spec"), pod);
    } else if (kind == "CronJob") {
      decode_cron_job_spec(c, spec, f.path("spec"), pod);
    } else {
      decode_replicated_spec(c, spec, f.path("spec"), kind, pod);
    }
  }
  f.accept("status");
  out.pods.push_back(std::move(pod));
}

// An object of `kind` (a Pod, ConfigMap, Secret or PVC) with its source and metadata read.
template <typename Object>
Object start_object(DocContext& c, Fields& f, std::string kind) {
  Object o;
  o.source = c.source(std::move(kind));
  o.source.pod_meta_path = f.path("metadata");
  f.get("metadata", o.metadata);
  return o;
}

// Keeps the object under "namespace/name"; a second object of that name is an error.
template <typename Object>
void add_once(DocContext& c, Fields& f, Object o, std::map<std::string, Object>& objects) {
  const std::string key = o.metadata.namespace_ + "/" + o.metadata.name;
  const std::string kind = o.source.kind;
  if (!objects.emplace(key, std::move(o)).second) {
    c.error(f.take("metadata"), f.path("metadata.name"), kind + " " + key + " is defined more than once");
  }
}

void decode_pod(DocContext& c, Fields& f, const Node* root, Manifest& out) {
  auto pod = start_object<Pod>(c, f, "Pod");
  pod.source.pod_spec_path = f.path("spec");
  if (const Node* spec = take_required(c, f, "spec", root)) decode(c, spec, f.path("spec"), pod.spec);
  f.accept("status");
  out.pods.push_back(std::move(pod));
}

void decode_bytes_map(DocContext& c, const Node* n, const std::string& path, Labels& out) {
  Labels encoded;
  decode(c, n, path, encoded);
  for (auto& [k, v] : encoded) {
    if (auto bytes = decode_base64(v)) {
      out[k] = std::move(*bytes);
    } else {
      const Node* at = n;
      for (const auto& entry : n->entries) {
        if (entry.first->value == k) at = entry.first;
      }
      c.error(at, join_path(path, k), "illegal base64 data");
    }
  }
}

void decode_config_map(DocContext& c, Fields& f, Manifest& out) {
  auto cm = start_object<ConfigMap>(c, f, "ConfigMap");
  f.get("data", cm.data);
  if (const Node* b = f.take("binaryData")) decode_bytes_map(c, b, f.path("binaryData"), cm.binary_data);
  f.get("immutable", cm.immutable);
  add_once(c, f, std::move(cm), out.config_maps);
}

void decode_secret(DocContext& c, Fields& f, Manifest& out) {
  auto s = start_object<Secret>(c, f, "Secret");
  f.get("type", s.type);
  if (s.type.empty()) s.type = "Opaque";
  if (const Node* d = f.take("data")) decode_bytes_map(c, d, f.path("data"), s.data);
  Labels string_data;
  f.get("stringData", string_data);
  for (auto& [k, v] : string_data) s.data[k] = std::move(v);  // stringData wins, as in Kubernetes
  f.get("immutable", s.immutable);
  add_once(c, f, std::move(s), out.secrets);
}

void decode_pvc_spec(DocContext& c, const Node* n, const std::string& path, PersistentVolumeClaim& pvc) {
  Fields f(c, n, path);
  f.get("accessModes", pvc.access_modes);
  if (const Node* r = f.take("resources")) {
    Fields rf(c, r, f.path("resources"));
    std::map<std::string, Quantity> requests, limits;
    rf.get("requests", requests);
    rf.get("limits", limits);
    if (auto it = requests.find("storage"); it != requests.end()) pvc.storage_request = it->second;
  }
  f.get("storageClassName", pvc.storage_class_name);
  f.get("volumeMode", pvc.volume_mode);
  if (pvc.volume_mode.empty()) pvc.volume_mode = "Filesystem";
  for (auto key : {"selector", "volumeName", "dataSource", "dataSourceRef", "volumeAttributesClassName"}) {
    f.not_honoured(key, "a PVC is a local named volume");
  }
}

void decode_pvc(DocContext& c, Fields& f, const Node* root, Manifest& out) {
  auto pvc = start_object<PersistentVolumeClaim>(c, f, "PersistentVolumeClaim");
  if (const Node* spec = take_required(c, f, "spec", root)) decode_pvc_spec(c, spec, f.path("spec"), pvc);
  f.accept("status");
  add_once(c, f, std::move(pvc), out.pvcs);
}

std::string_view expected_api_version(std::string_view kind) {
  static constexpr std::pair<std::string_view, std::string_view> kKinds[] = {{"Pod", "v1"},
                                                                             {"ConfigMap", "v1"},
                                                                             {"Secret", "v1"},
                                                                             {"PersistentVolumeClaim", "v1"},
                                                                             {"List", "v1"},
                                                                             {"Deployment", "apps/v1"},
                                                                             {"ReplicaSet", "apps/v1"},
                                                                             {"StatefulSet", "apps/v1"},
                                                                             {"DaemonSet", "apps/v1"},
                                                                             {"Job", "batch/v1"},
                                                                             {"CronJob", "batch/v1"}};
  for (const auto& [k, v] : kKinds) {
    if (k == kind) return v;
  }
  return {};
}

}  // namespace

void decode_document(DocContext& c, const Node* root, const std::string& prefix, Manifest& out) {
  if (root->is_null()) return;  // empty documents are skipped, as kubectl does
  if (!root->is_map()) {
    c.error(root, prefix, std::string("expected a Kubernetes object, got ") + yaml::type_name(*root));
    return;
  }
  Fields f(c, root, prefix);
  std::string kind, api_version;
  f.get("kind", kind);
  f.get("apiVersion", api_version);
  if (kind.empty() || api_version.empty()) {
    c.error(root, f.path(kind.empty() ? "kind" : "apiVersion"),
            "Required value: every object needs a kind and an apiVersion");
    f.accept("metadata");
    f.accept("spec");
    return;
  }
  const std::string_view expected = expected_api_version(kind);
  if (expected.empty()) {
    c.warn(f.take("kind"), f.path("kind"),
           "kind " + kind + " (" + api_version + ") is not run by podlet; ignored");
    for (const auto& entry : root->entries) f.accept(entry.first->value);
    return;
  }
  if (api_version != expected) {
    c.error(f.take("apiVersion"), f.path("apiVersion"),
            "no kind " + kind + " in version " + api_version + " (use " + std::string(expected) + ")");
    for (const auto& entry : root->entries) f.accept(entry.first->value);
    return;
  }
  if (kind == "Pod") {
    decode_pod(c, f, root, out);
  } else if (kind == "ConfigMap") {
    decode_config_map(c, f, out);
  } else if (kind == "Secret") {
    decode_secret(c, f, out);
  } else if (kind == "PersistentVolumeClaim") {
    decode_pvc(c, f, root, out);
  } else if (kind == "List") {
    f.accept("metadata");
    const Node* items = f.take("items");
    if (items && !items->is_sequence()) {
      c.error(items, f.path("items"), std::string("expected a list, got ") + yaml::type_name(*items));
    } else if (items) {
      for (size_t i = 0; i < items->items.size(); ++i) {
        const std::string p = index_path(f.path("items"), i);
        c.record(p, items->items[i]);
        decode_document(c, items->items[i], p, out);
      }
    }
  } else {
    decode_workload(c, f, root, kind, out);
  }
}

std::optional<std::string> decode_base64(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char ch : text) {
    if (ch != '\n' && ch != '\r') clean += ch;
  }
  if (clean.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  for (size_t i = 0; i < clean.size(); ++i) {
    const unsigned char ch = static_cast<unsigned char>(clean[i]);
    if (ch == '=') {
      if (i + 2 < clean.size()) return std::nullopt;  // '=' only in the last two places
      ++padding;
      continue;
    }
    if (padding > 0 || !(std::isalnum(ch) || ch == '+' || ch == '/')) return std::nullopt;
  }
  std::string out(clean.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace podlet::manifest::detail
