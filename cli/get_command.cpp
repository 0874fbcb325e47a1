// `minik get`: tables from the server's Table answers, or objects.
#include <cstdio>

#include "cli/command_context.h"
#include "cli/printers.h"
#include "cli/table_printer.h"

namespace minik {

namespace {

using json = nlohmann::json;

struct GetRequest {
  const ResourceType* type;
  std::vector<std::string> names;  // empty: the collection
};

struct GetOptions {
  OutputSpec output;
  std::string ns;  // "" with -A
  bool allNamespaces = false;
  std::string labelSelector;
  std::string fieldSelector;
  bool ignoreNotFound = false;
  bool noHeaders = false;
  bool showLabels = false;
};

std::string listQuery(const GetOptions& o, const std::string& extraFieldSelector = "") {
  std::string q;
  auto add = [&](const std::string& key, const std::string& value) {
    q += (q.empty() ? "?" : "&") + key + "=" + queryEscape(value);
  };
  if (!o.labelSelector.empty()) add("labelSelector", o.labelSelector);
  std::string fields = o.fieldSelector;
  if (!extraFieldSelector.empty()) fields += (fields.empty() ? "" : ",") + extraFieldSelector;
  if (!fields.empty()) add("fieldSelector", fields);
  return q;
}

// Splits "pods,svc name1 name2" or "pod/a svc/b" into requests.
bool parseRequests(const std::vector<std::string>& args, CommandContext& context, std::vector<GetRequest>* out,
                   std::string* error) {
  bool slashForm = args[0].find('/') != std::string::npos;
  if (slashForm) {
    for (const auto& arg : args) {
      size_t slash = arg.find('/');
      if (slash == std::string::npos) {
        *error = "there is no need to specify a resource type as a separate argument when passing arguments in "
                 "resource/name form (e.g. 'minik get resource/<resource_name>' instead of 'minik get resource "
                 "resource/<resource_name>'";
        return false;
      }
      const ResourceType* type = context.resolver->byName(arg.substr(0, slash), error);
      if (!type) return false;
      GetRequest* existing = nullptr;
      for (auto& r : *out) {
        if (r.type == type) existing = &r;
      }
      if (!existing) {
        out->push_back({type, {}});
        existing = &out->back();
      }
      existing->names.push_back(arg.substr(slash + 1));
    }
    return true;
  }
  std::vector<const ResourceType*> types;
  if (!context.resolver->expand(args[0], &types, error)) return false;
  std::vector<std::string> names(args.begin() + 1, args.end());
  for (const ResourceType* t : types) out->push_back({t, names});
  return true;
}

void printText(const std::string& text, bool* printed) {
  if (text.empty()) return;
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  *printed = true;
}

void addKindAndVersion(json& item, const ResourceType& type) {
  if (!item.contains("apiVersion")) item["apiVersion"] = type.apiVersion();
  if (!item.contains("kind")) item["kind"] = type.kind;
}

int printTables(const std::vector<GetRequest>& requests, const GetOptions& o, CommandContext& context,
                bool multipleKinds, bool* printedAny, std::vector<std::string>* errors) {
  for (const auto& request : requests) {
    const ResourceType& type = *request.type;
    TableOptions options;
    options.wide = o.output.format == OutputFormat::Wide;
    options.withNamespace = o.allNamespaces && type.namespaced;
    options.kindPrefix = multipleKinds ? type.displayName() : "";
    options.noHeaders = o.noHeaders;
    options.showLabels = o.showLabels;
    TablePrinter printer(options);
    bool headers = true;
    if (request.names.empty()) {
      ApiResponse r = context.client.get(type.path(o.ns) + listQuery(o), kTableAccept);
      if (r.ok()) printer.add(r.body, true);
      else errors->push_back(apiErrorMessage(r));
    } else {
      for (const auto& name : request.names) {
        ApiResponse r = context.client.get(type.path(o.ns, name), kTableAccept);
        if (r.ok()) {
          printer.add(r.body, headers);
          headers = printer.empty() && headers;
        } else if (!(o.ignoreNotFound && r.status == 404)) {
          errors->push_back(apiErrorMessage(r));
        }
      }
    }
    std::string text = printer.flush();
    if (!text.empty() && *printedAny) text = "\n" + text;
    printText(text, printedAny);
  }
  return 0;
}

void printObjects(const std::vector<GetRequest>& requests, const GetOptions& o, CommandContext& context,
                  bool* printedAny, std::vector<std::string>* errors) {
  json items = json::array();
  std::vector<const ResourceType*> typeOf;
  bool single = requests.size() == 1 && requests[0].names.size() == 1;
  for (const auto& request : requests) {
    const ResourceType& type = *request.type;
    if (request.names.empty()) {
      ApiResponse r = context.client.get(type.path(o.ns) + listQuery(o));
      if (!r.ok()) {
        errors->push_back(apiErrorMessage(r));
        continue;
      }
      for (auto item : r.body.value("items", json::array())) {
        addKindAndVersion(item, type);
        items.push_back(std::move(item));
        typeOf.push_back(&type);
      }
    } else {
      for (const auto& name : request.names) {
        ApiResponse r = context.client.get(type.path(o.ns, name));
        if (r.ok()) {
          items.push_back(r.body);
          typeOf.push_back(&type);
        } else if (!(o.ignoreNotFound && r.status == 404)) {
          errors->push_back(apiErrorMessage(r));
          single = false;
        }
      }
    }
  }
  if (o.output.format == OutputFormat::Name) {
    std::string text;
    for (size_t i = 0; i < items.size(); ++i) {
      text += typeOf[i]->displayName() + "/" + items[i]["metadata"].value("name", "") + "\n";
    }
    printText(text, printedAny);
    return;
  }
  if (single && items.empty()) return;
  std::string text, error;
  if (!formatObjects(o.output, single ? items[0] : listOf(items), &text, &error)) {
    errors->push_back("error: " + error);
    return;
  }
  printText(text, printedAny);
  *printedAny = true;
}

int watch(const GetRequest& request, const GetOptions& o, CommandContext& context) {
  const ResourceType& type = *request.type;
  std::string extra = request.names.empty() ? "" : "metadata.name=" + request.names[0];
  bool table = o.output.format == OutputFormat::Table || o.output.format == OutputFormat::Wide;
  TableOptions options;
  options.wide = o.output.format == OutputFormat::Wide;
  options.withNamespace = o.allNamespaces && type.namespaced;
  options.noHeaders = o.noHeaders;
  options.showLabels = o.showLabels;
  TablePrinter printer(options);
  ApiResponse list = context.client.get(type.path(o.ns) + listQuery(o, extra), table ? kTableAccept : "application/json");
  if (!list.ok()) {
    std::fprintf(stderr, "%s\n", apiErrorMessage(list).c_str());
    return 1;
  }
  bool printed = false;
  auto show = [&](const json& object, bool headers) {
    if (table) {
      printer.add(object, headers);
      printText(printer.flush(), &printed);
      return;
    }
    std::vector<json> objects;
    if (object.contains("items")) {
      for (auto item : object["items"]) {
        addKindAndVersion(item, type);
        objects.push_back(std::move(item));
      }
    } else {
      objects.push_back(object);
    }
    for (const auto& obj : objects) {
      std::string text, error;
      if (o.output.format == OutputFormat::Name) {
        text = type.displayName() + "/" + obj["metadata"].value("name", "") + "\n";
      } else if (!formatObjects(o.output, obj, &text, &error)) {
        printError(error);
        return;
      }
      if (o.output.format == OutputFormat::Yaml && printed) text = "---\n" + text;
      printText(text, &printed);
    }
  };
  show(list.body, true);
  std::string rv = list.body.contains("metadata") ? list.body["metadata"].value("resourceVersion", "") : "";
  std::string query = listQuery(o, extra);
  query += (query.empty() ? "?" : "&") + std::string("watch=1&resourceVersion=") + queryEscape(rv);
  int status = 0;
  ApiResponse end = context.client.watch(type.path(o.ns) + query, table ? kTableAccept : "application/json",
                                         [&](const json& event) {
                                           std::string kind = event.value("type", "");
                                           if (kind == "ERROR") {
                                             std::fprintf(stderr, "%s\n",
                                                          apiErrorMessage({500, event.value("object", json())}).c_str());
                                             status = 1;
                                             return false;
                                           }
                                           if (kind == "BOOKMARK") return true;
                                           show(event.value("object", json()), false);
                                           return true;
                                         });
  if (!end.ok()) {
    std::fprintf(stderr, "%s\n", apiErrorMessage(end).c_str());
    return 1;
  }
  return status;
}

}  // namespace

void declareGetFlags(CliFlags& flags) {
  flags.value("output", 'o', "", "Output format: json, yaml, name, wide, jsonpath=TEMPLATE");
  flags.boolean("all-namespaces", 'A', false, "List the objects across all namespaces");
  flags.value("selector", 'l', "", "Label selector to filter on, e.g. -l app=x,tier!=db");
  flags.value("field-selector", 0, "", "Field selector to filter on, e.g. --field-selector status.phase=Running");
  flags.boolean("watch", 'w', false, "After listing the objects, watch for changes");
  flags.boolean("ignore-not-found", 0, false, "Treat objects that are not found as a success");
  flags.boolean("no-headers", 0, false, "Do not print the table headers");
  flags.boolean("show-labels", 0, false, "Show all labels as the last column");
}

int runGet(const CliFlags& flags, CommandContext& context) {
  GetOptions o;
  std::string error;
  if (!parseOutputFormat(flags.get("output"), &o.output, &error)) {
    printError(error);
    return 1;
  }
  const auto& args = flags.positional();
  if (args.empty()) {
    printError("you must specify the type of resource to get, e.g. 'minik get pods'\n"
               "See 'minik get --help' for usage.");
    return 1;
  }
  o.allNamespaces = flags.on("all-namespaces");
  o.ns = o.allNamespaces ? "" : context.namespace_;
  o.labelSelector = flags.get("selector");
  o.fieldSelector = flags.get("field-selector");
  o.ignoreNotFound = flags.on("ignore-not-found");
  o.noHeaders = flags.on("no-headers");
  o.showLabels = flags.on("show-labels");

  std::vector<GetRequest> requests;
  if (!parseRequests(args, context, &requests, &error)) {
    printError(error);
    return 1;
  }
  bool byName = false;
  for (const auto& r : requests) byName = byName || !r.names.empty();
  if (byName && o.allNamespaces) {
    printError("a resource cannot be retrieved by name across all namespaces");
    return 1;
  }
  if (flags.on("watch")) {
    if (requests.size() != 1 || requests[0].names.size() > 1) {
      printError("you may only specify a single resource type");
      return 1;
    }
    return watch(requests[0], o, context);
  }
  bool printed = false;
  std::vector<std::string> errors;
  if (o.output.format == OutputFormat::Table || o.output.format == OutputFormat::Wide) {
    printTables(requests, o, context, requests.size() > 1, &printed, &errors);
  } else {
    printObjects(requests, o, context, &printed, &errors);
  }
  if (!printed && errors.empty() && !o.ignoreNotFound) {
    bool allNamespaced = !o.allNamespaces;
    for (const auto& r : requests) allNamespaced = allNamespaced && r.type->namespaced;
    if (allNamespaced) std::fprintf(stderr, "No resources found in %s namespace.\n", o.ns.c_str());
    else std::fprintf(stderr, "No resources found\n");
  }
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
  return errors.empty() ? 0 : 1;
}

}  // namespace minik
