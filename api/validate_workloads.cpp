// Deployment and ReplicaSet validation (apps validation's
// ValidateDeploymentSpec, ValidateReplicaSetSpec,
// ValidatePodTemplateSpecForReplicaSet, and the apps/v1 rule that a selector
// never changes).
#include "api/json_fields.h"
#include "api/kind_rules.h"
#include "api/labels.h"
#include "api/validation_messages.h"

namespace minik {

namespace {

const json kEmptyObject = json::object();

void validateNonnegative(const json& spec, const char* key, const std::string& path, FieldErrors& errors) {
  if (auto v = integerMember(spec, key, path, errors); v && *v < 0) {
    errors.push_back(invalidError(path, BadValue::number(*v), kNegativeMessage));
  }
}

// Go's %#v of a *metav1.LabelSelector, dereferenced as field.Error prints it.
std::string renderSelector(const json* selector) {
  if (selector == nullptr || !selector->is_object()) return "null";
  std::string out = "v1.LabelSelector{MatchLabels:" + BadValue::stringMap(member(*selector, "matchLabels")).text +
                    ", MatchExpressions:";
  const json* exprs = member(*selector, "matchExpressions");
  if (exprs == nullptr || !exprs->is_array()) return out + "[]v1.LabelSelectorRequirement(nil)}";
  out += "[]v1.LabelSelectorRequirement{";
  for (size_t i = 0; i < exprs->size(); ++i) {
    const json& e = (*exprs)[i];
    if (i) out += ", ";
    out += "v1.LabelSelectorRequirement{Key:" + quoteGo(stringMember(e, "key")) +
           ", Operator:" + quoteGo(stringMember(e, "operator")) +
           ", Values:" + BadValue::stringList(member(e, "values")).text + "}";
  }
  return out + "}}";
}

// Go's %#v of an intstr.IntOrString.
std::string renderIntOrString(const json& v) {
  if (v.is_string()) return "intstr.IntOrString{Type:1, IntVal:0, StrVal:" + quoteGo(v.get<std::string>()) + "}";
  return "intstr.IntOrString{Type:0, IntVal:" + v.dump() + ", StrVal:\"\"}";
}

// The value of an int-or-percent ("25%" -> 25), or nullopt when malformed.
std::optional<long long> intOrPercentValue(const json& v, bool* isPercent) {
  *isPercent = false;
  if (v.is_number_integer()) return v.get<long long>();
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() < 2 || s.back() != '%') return std::nullopt;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (!isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  *isPercent = true;
  return std::stoll(s.substr(0, s.size() - 1));
}

void validateIntOrPercent(const json* v, const std::string& path, FieldErrors& errors) {
  if (v == nullptr) return;
  bool percent = false;
  if (v->is_string()) {
    if (!intOrPercentValue(*v, &percent)) {
      errors.push_back(invalidError(path, BadValue::verbatim(renderIntOrString(*v)),
                                    "a valid percent string must be a numeric string followed by an ending '%' "
                                    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    }
  } else if (v->is_number_integer()) {
    if (v->get<long long>() < 0) errors.push_back(invalidError(path, BadValue::number(v->get<long long>()), kNegativeMessage));
  } else {
    errors.push_back(invalidError(path, BadValue::of(*v), "must be an integer or percentage (e.g '5%%')"));
  }
}

void validateStrategy(const json& spec, FieldErrors& errors) {
  const json* strategy = member(spec, "strategy");
  const json& s = strategy && strategy->is_object() ? *strategy : kEmptyObject;
  std::string type = stringMember(s, "type");
  const json* rolling = member(s, "rollingUpdate");
  if (type == "Recreate") {
    if (rolling) {
      errors.push_back(forbiddenError("spec.strategy.rollingUpdate",
                                      "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type == "RollingUpdate") {
    if (rolling == nullptr || !rolling->is_object()) {
      errors.push_back(requiredError("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"));
      return;
    }
    const json* maxUnavailable = member(*rolling, "maxUnavailable");
    const json* maxSurge = member(*rolling, "maxSurge");
    validateIntOrPercent(maxUnavailable, "spec.strategy.rollingUpdate.maxUnavailable", errors);
    validateIntOrPercent(maxSurge, "spec.strategy.rollingUpdate.maxSurge", errors);
    bool percent = false, surgePercent = false;
    auto unavailable = maxUnavailable ? intOrPercentValue(*maxUnavailable, &percent) : std::optional<long long>(0);
    auto surge = maxSurge ? intOrPercentValue(*maxSurge, &surgePercent) : std::optional<long long>(0);
    if (unavailable.value_or(0) == 0 && surge.value_or(0) == 0) {
      errors.push_back(invalidError("spec.strategy.rollingUpdate.maxUnavailable",
                                    BadValue::verbatim(renderIntOrString(maxUnavailable ? *maxUnavailable : json(0))),
                                    "may not be 0 when `maxSurge` is 0"));
    }
    if (percent && unavailable && *unavailable > 100) {
      errors.push_back(invalidError("spec.strategy.rollingUpdate.maxUnavailable",
                                    BadValue::verbatim(renderIntOrString(*maxUnavailable)),
                                    "must not be greater than 100%"));
    }
  } else {
    std::string rendered = "apps.DeploymentStrategy{Type:" + quoteGo(type) +
                           ", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}";
    errors.push_back(notSupportedError("spec.strategy", BadValue::verbatim(rendered), {"Recreate", "RollingUpdate"}));
  }
}

// The parts of a Deployment's and a ReplicaSet's spec they share: replicas,
// selector, and a template whose labels the selector matches.
void validateSelectorAndTemplate(const json& spec, const char* kindWord, FieldErrors& errors) {
  const json* selector = member(spec, "selector");
  std::optional<LabelSelector> parsed;
  if (selector == nullptr) {
    errors.push_back(requiredError("spec.selector"));
  } else {
    validateLabelSelector(*selector, "spec.selector", errors);
    size_t terms = 0;
    if (const json* ml = member(*selector, "matchLabels"); ml && ml->is_object()) terms += ml->size();
    if (const json* me = member(*selector, "matchExpressions"); me && me->is_array()) terms += me->size();
    if (selector->is_object() && terms == 0) {
      errors.push_back(invalidError("spec.selector", BadValue::verbatim(renderSelector(selector)),
                                    std::string("empty selector is invalid for ") + kindWord));
    }
    std::string error;
    parsed = LabelSelector::fromJson(*selector, &error);
    if (!parsed) {
      errors.push_back(invalidError("spec.selector", BadValue::verbatim(renderSelector(selector)), "invalid label selector"));
      return;
    }
  }
  const json* tmpl = member(spec, "template");
  if (tmpl == nullptr || !tmpl->is_object()) {
    errors.push_back(requiredError("spec.template"));
    return;
  }
  const json* meta = member(*tmpl, "metadata");
  const json* labels = meta ? member(*meta, "labels") : nullptr;
  // A missing selector selects nothing (Go's labels.Nothing()), so it never matches.
  bool selects = parsed && (parsed->empty() || parsed->matches(labelsOf(*tmpl)));
  if (!(parsed && parsed->empty()) && !selects) {
    errors.push_back(invalidError("spec.template.metadata.labels", BadValue::stringMap(labels),
                                  "`selector` does not match template `labels`"));
  }
  validatePodTemplate(*tmpl, "spec.template", errors);
  const json* podSpec = member(*tmpl, "spec");
  const json& ps = podSpec && podSpec->is_object() ? *podSpec : kEmptyObject;
  std::string restartPolicy = stringMember(ps, "restartPolicy");
  if (restartPolicy != "Always") {
    errors.push_back(notSupportedError("spec.template.spec.restartPolicy", BadValue::quoted(restartPolicy), {"Always"}));
  }
  if (member(ps, "activeDeadlineSeconds")) {
    errors.push_back(forbiddenError("spec.template.spec.activeDeadlineSeconds",
                                    std::string("activeDeadlineSeconds in ReplicaSet is not Supported")));
  }
}

void validateSelectorUnchanged(const json& spec, const json* old, FieldErrors& errors) {
  if (old == nullptr) return;
  const json* oldSpec = member(*old, "spec");
  const json* was = oldSpec ? member(*oldSpec, "selector") : nullptr;
  const json* now = member(spec, "selector");
  // Semantic equality: an empty list or map equals an absent one.
  auto normalized = [](const json* s) {
    json out = json::object();
    if (s && s->is_object()) {
      for (const char* key : {"matchLabels", "matchExpressions"}) {
        if (s->contains(key) && !(*s)[key].is_null() && !(*s)[key].empty()) out[key] = (*s)[key];
      }
    }
    return out;
  };
  if ((was == nullptr) != (now == nullptr) || normalized(was) != normalized(now)) {
    errors.push_back(invalidError("spec.selector", BadValue::verbatim(renderSelector(now)), kImmutableMessage));
  }
}

const json& specOf(const json& object) {
  const json* spec = member(object, "spec");
  return spec && spec->is_object() ? *spec : kEmptyObject;
}

}  // namespace

void validateDeployment(const json& deployment, const json* old, FieldErrors& errors) {
  const json& spec = specOf(deployment);
  validateNonnegative(spec, "replicas", "spec.replicas", errors);
  validateSelectorAndTemplate(spec, "deployment", errors);
  validateStrategy(spec, errors);
  validateNonnegative(spec, "minReadySeconds", "spec.minReadySeconds", errors);
  validateNonnegative(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", errors);
  if (auto deadline = integerMember(spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds", errors)) {
    if (*deadline < 0) {
      errors.push_back(invalidError("spec.progressDeadlineSeconds", BadValue::number(*deadline), kNegativeMessage));
    }
    FieldErrors ignored;
    long long minReady = integerMember(spec, "minReadySeconds", "", ignored).value_or(0);
    if (*deadline <= minReady) {
      errors.push_back(invalidError("spec.progressDeadlineSeconds", BadValue::number(*deadline),
                                    "must be greater than minReadySeconds"));
    }
  }
  validateSelectorUnchanged(spec, old, errors);
}

void validateReplicaSet(const json& replicaSet, const json* old, FieldErrors& errors) {
  const json& spec = specOf(replicaSet);
  validateNonnegative(spec, "replicas", "spec.replicas", errors);
  validateNonnegative(spec, "minReadySeconds", "spec.minReadySeconds", errors);
  // Kubernetes words the empty-selector error "for deployment" for ReplicaSets too.
  validateSelectorAndTemplate(spec, "deployment", errors);
  validateSelectorUnchanged(spec, old, errors);
}

}  // namespace minik
