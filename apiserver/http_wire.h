// apiserver/http_wire.h — the text of HTTP/1.1 that the server writes and
// reads, kept apart from sockets so it can be reasoned about (and tested) on
// its own. Internal to apiserver/http_*.cpp.
//
// Offers: reason phrases, response heads, chunk framing, the canned answers
// the server gives on its own (400, 413, 431), and request-target splitting
// with percent-decoding.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minik {
namespace http_wire {

// "OK", "Not Found", ...; "Unknown" for codes outside RFC 9110 and friends.
const char* reasonPhrase(int status);

// How the head ends: which framing header and which Connection header.
struct HeadFraming {
  bool chunked = false;        // Transfer-Encoding: chunked, else Content-Length
  size_t contentLength = 0;    // used when !chunked
  bool keepAlive = true;       // false adds "Connection: close"
  bool http10KeepAlive = false;  // an HTTP/1.0 client asked to keep alive
};

// Appends "HTTP/1.1 <status> <reason>\r\n" and headers up to the blank line.
// An empty contentType writes no Content-Type; 1xx, 204 and 304 carry no
// Content-Length (they never have a body).
void appendHead(std::string* out, int status, std::string_view contentType,
                const std::vector<std::pair<std::string, std::string>>& extraHeaders,
                const HeadFraming& framing);

// The "<hex size>\r\n" that precedes a chunk of `size` bytes (size > 0).
// Writes into buf (at least 20 bytes) and returns the length written.
size_t chunkPrefix(char* buf, size_t size);

// Complete responses the server writes without asking the handler; each
// closes the connection. They match what a Kubernetes API server (Go's
// net/http and apimachinery) answers, so clients print familiar errors.
std::string badRequestResponse();
std::string headerTooLargeResponse();
std::string bodyTooLargeResponse(size_t limit);

// Splits a request-target into the decoded path and the raw query. Accepts
// origin-form ("/a%20b?x=1"), absolute-form ("http://host/a?x") and "*".
// Returns false when the path holds a malformed %-escape or a decoded NUL.
bool splitTarget(std::string_view target, std::string* path, std::string* rawQuery);

// Lowercases ASCII letters in place.
void toLowerAscii(std::string* s);

}  // namespace http_wire
}  // namespace minik
