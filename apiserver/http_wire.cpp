// apiserver/http_wire.cpp — see http_wire.h.
#include "apiserver/http_wire.h"

#include <cstdio>

namespace minik {
namespace http_wire {

const char* reasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Request Entity Too Large";  // Go's wording, which kubectl users see
    case 414: return "Request URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Requested Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 418: return "I'm a teapot";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Entity";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

static bool hasNoBody(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

void appendHead(std::string* out, int status, std::string_view contentType,
                const std::vector<std::pair<std::string, std::string>>& extraHeaders,
                const HeadFraming& framing) {
  char num[24];
  out->append("HTTP/1.1 ");
  out->append(num, std::snprintf(num, sizeof num, "%d", status));
  out->push_back(' ');
  out->append(reasonPhrase(status));
  out->append("\r\n");
  if (!contentType.empty()) {
    out->append("Content-Type: ").append(contentType).append("\r\n");
  }
  if (framing.chunked) {
    out->append("Transfer-Encoding: chunked\r\n");
  } else if (!hasNoBody(status)) {
    out->append("Content-Length: ");
    out->append(num, std::snprintf(num, sizeof num, "%zu", framing.contentLength));
    out->append("\r\n");
  }
  if (!framing.keepAlive) {
    out->append("Connection: close\r\n");
  } else if (framing.http10KeepAlive) {
    out->append("Connection: keep-alive\r\n");
  }
  for (const auto& [name, value] : extraHeaders) {
    out->append(name).append(": ").append(value).append("\r\n");
  }
  out->append("\r\n");
}

size_t chunkPrefix(char* buf, size_t size) {
  return static_cast<size_t>(std::snprintf(buf, 20, "%zx\r\n", size));
}

static std::string plainClosingResponse(std::string_view statusText) {
  // Go's net/http writes exactly this head for errors it answers itself.
  std::string out = "HTTP/1.1 ";
  out.append(statusText);
  out.append("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ");
  out.append(std::to_string(statusText.size()));
  out.append("\r\nConnection: close\r\n\r\n");
  out.append(statusText);
  return out;
}

std::string badRequestResponse() { return plainClosingResponse("400 Bad Request"); }

std::string headerTooLargeResponse() {
  return plainClosingResponse("431 Request Header Fields Too Large");
}

std::string bodyTooLargeResponse(size_t limit) {
  // apimachinery's NewRequestEntityTooLargeError("limit is N"), as a Status.
  std::string body =
      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
      "\"message\":\"Request entity too large: limit is " +
      std::to_string(limit) + "\",\"reason\":\"RequestEntityTooLarge\",\"code\":413}";
  std::string out;
  HeadFraming framing;
  framing.contentLength = body.size();
  framing.keepAlive = false;
  appendHead(&out, 413, "application/json", {}, framing);
  out.append(body);
  return out;
}

static int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool splitTarget(std::string_view target, std::string* path, std::string* rawQuery) {
  // absolute-form: drop "scheme://authority", keep what follows.
  size_t scheme = target.find("://");
  if (scheme != std::string_view::npos && target.substr(0, 1) != "/") {
    size_t slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  size_t fragment = target.find('#');
  if (fragment != std::string_view::npos) target = target.substr(0, fragment);

  size_t question = target.find('?');
  std::string_view rawPath = target.substr(0, question);
  rawQuery->assign(question == std::string_view::npos ? std::string_view()
                                                      : target.substr(question + 1));
  path->clear();
  path->reserve(rawPath.size());
  for (size_t i = 0; i < rawPath.size(); ++i) {
    char c = rawPath[i];
    if (c != '%') {
      path->push_back(c);
      continue;
    }
    if (i + 2 >= rawPath.size()) return false;
    int hi = hexValue(rawPath[i + 1]);
    int lo = hexValue(rawPath[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return false;
    path->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

void toLowerAscii(std::string* s) {
  for (char& c : *s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

}  // namespace http_wire
}  // namespace minik
