#include "cli/http_client.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <strings.h>

namespace minik {

namespace {

std::string lowerFirst(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string errnoText(int err) { return lowerFirst(std::strerror(err)); }

}  // namespace

HttpClient::~HttpClient() { disconnect(); }

bool HttpClient::setServer(const std::string& url, std::string* error) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) {
    if (url.compare(0, 8, "https://") == 0) {
      *error = "the server " + url + " uses https, which minik's client does not speak: use the http:// "
               "address minik server writes to its kubeconfig";
    } else {
      *error = "the server address " + url + " is not an http:// URL";
    }
    return false;
  }
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  prefix_ = slash == std::string::npos ? "" : rest.substr(slash);
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    host_ = authority.substr(1, close - 1);
    port_ = close + 1 < authority.size() && authority[close + 1] == ':' ? authority.substr(close + 2) : "80";
  } else {
    size_t colon = authority.rfind(':');
    host_ = authority.substr(0, colon);
    port_ = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  }
  if (host_.empty()) {
    *error = "the server address " + url + " has no host";
    return false;
  }
  disconnect();
  return true;
}

void HttpClient::disconnect() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool HttpClient::connectIfNeeded(std::string* error) {
  if (fd_ >= 0) return true;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host_.c_str(), port_.c_str(), &hints, &found);
  if (rc != 0) {
    *error = rc == EAI_NONAME ? "no such host" : lowerFirst(gai_strerror(rc));
    return false;
  }
  int lastErr = ECONNREFUSED;
  for (addrinfo* a = found; a; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      lastErr = errno;
      continue;
    }
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      fd_ = fd;
      break;
    }
    lastErr = errno;
    close(fd);
  }
  freeaddrinfo(found);
  if (fd_ < 0) {
    *error = errnoText(lastErr);
    return false;
  }
  return true;
}

bool HttpClient::sendAll(const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      readError_ = errnoText(errno);
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool HttpClient::fill() {
  char chunk[16384];
  while (true) {
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) readError_ = errnoText(errno);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

bool HttpClient::readLine(std::string* line) {
  size_t eol;
  while ((eol = buffer_.find("\r\n")) == std::string::npos) {
    if (!fill()) return false;
  }
  *line = buffer_.substr(0, eol);
  buffer_.erase(0, eol + 2);
  return true;
}

bool HttpClient::exchange(const std::string& method, const std::string& target, const HttpHeaders& headers,
                          const std::string& body, HttpResponse* head,
                          const std::function<bool(const std::string&)>& onData, std::string* error) {
  std::string message = method + " " + prefix_ + target + " HTTP/1.1\r\nHost: " + host_ + ":" + port_ +
                        "\r\nUser-Agent: minik\r\n";
  for (const auto& [name, value] : headers) message += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    message += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  message += "\r\n" + body;

  // A kept-alive connection may have been closed by the server while idle:
  // if nothing at all comes back on a reused connection, reconnect once.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = fd_ >= 0;
    if (!connectIfNeeded(error)) return false;
    readError_.clear();
    std::string statusLine;
    if (!sendAll(message) || !readLine(&statusLine)) {
      disconnect();
      if (reused && attempt == 0) continue;
      *error = readError_.empty() ? "the server closed the connection" : readError_;
      return false;
    }
    // "HTTP/1.1 200 OK"
    size_t sp = statusLine.find(' ');
    head->status = sp == std::string::npos ? 0 : std::atoi(statusLine.c_str() + sp + 1);
    long long contentLength = -1;
    bool chunked = false, closeAfter = false;
    std::string line;
    while (true) {
      if (!readLine(&line)) {
        disconnect();
        *error = "the server closed the connection in the middle of a response";
        return false;
      }
      if (line.empty()) break;
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value[0] == ' ') value.erase(0, 1);
      if (strcasecmp(name.c_str(), "content-length") == 0) contentLength = std::atoll(value.c_str());
      else if (strcasecmp(name.c_str(), "transfer-encoding") == 0) chunked = strcasestr(value.c_str(), "chunked");
      else if (strcasecmp(name.c_str(), "connection") == 0) closeAfter = strcasestr(value.c_str(), "close");
      else if (strcasecmp(name.c_str(), "content-type") == 0) head->contentType = value;
    }
    auto deliver = [&](std::string data) {
      if (data.empty()) return true;
      if (!onData(data)) {
        disconnect();
        return false;
      }
      return true;
    };
    if (method == "HEAD" || head->status == 204 || head->status == 304) {
      // no body
    } else if (chunked) {
      while (true) {
        if (!readLine(&line)) {
          disconnect();
          *error = "the server closed the connection in the middle of a response";
          return false;
        }
        size_t size = std::strtoul(line.c_str(), nullptr, 16);
        if (size == 0) {
          while (readLine(&line) && !line.empty()) {
          }
          break;
        }
        while (buffer_.size() < size + 2) {
          // Hand over what has arrived so a slow stream is seen promptly.
          if (buffer_.size() > 0 && buffer_.size() < size) {
            std::string part = buffer_;
            size -= part.size();
            buffer_.clear();
            if (!deliver(part)) return true;
            continue;
          }
          if (!fill()) {
            disconnect();
            *error = "the server closed the connection in the middle of a response";
            return false;
          }
        }
        std::string part = buffer_.substr(0, size);
        buffer_.erase(0, size + 2);
        if (!deliver(part)) return true;
      }
    } else if (contentLength >= 0) {
      while (buffer_.size() < static_cast<size_t>(contentLength)) {
        if (!fill()) {
          disconnect();
          *error = "the server closed the connection in the middle of a response";
          return false;
        }
      }
      std::string part = buffer_.substr(0, contentLength);
      buffer_.erase(0, contentLength);
      if (!deliver(part)) return true;
    } else {
      closeAfter = true;
      while (true) {
        if (!buffer_.empty()) {
          std::string part;
          part.swap(buffer_);
          if (!deliver(part)) return true;
        }
        if (!fill()) break;
      }
    }
    if (closeAfter) disconnect();
    return true;
  }
  return false;
}

bool HttpClient::request(const std::string& method, const std::string& target, const HttpHeaders& headers,
                         const std::string& body, HttpResponse* response, std::string* error) {
  response->body.clear();
  return exchange(method, target, headers, body, response,
                  [&](const std::string& data) {
                    response->body += data;
                    return true;
                  },
                  error);
}

bool HttpClient::stream(const std::string& method, const std::string& target, const HttpHeaders& headers,
                        const std::function<bool(const std::string&)>& onData, HttpResponse* head,
                        std::string* error) {
  return exchange(method, target, headers, "", head, onData, error);
}

}  // namespace minik
