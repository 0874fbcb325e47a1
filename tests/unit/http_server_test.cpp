// Tests for apiserver/http_server.h over real sockets on 127.0.0.1: the
// server's loop runs in a thread, the test is a plain blocking POSIX client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "apiserver/http_server.h"

using namespace minik;

namespace {

// An HttpServer whose loop runs in its own thread until the fixture ends.
class RunningServer {
 public:
  RunningServer(HttpLimits limits, HttpHandler handler, const std::string& host = "127.0.0.1") {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &wakeup_, [](uv_async_t* async) {
      static_cast<RunningServer*>(async->data)->runQueued();
    });
    wakeup_.data = this;
    server_ = std::make_unique<HttpServer>(&loop_, limits, std::move(handler));
    listening_ = server_->listen(host, 0, &error_);
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }

  ~RunningServer() {
    runOnLoop([this] {
      server_->close();
      uv_close(reinterpret_cast<uv_handle_t*>(&wakeup_), nullptr);
    });
    thread_.join();
    server_.reset();
    CHECK(uv_loop_close(&loop_) == 0);  // every handle was closed and freed
  }

  bool listening() const { return listening_; }
  const std::string& error() const { return error_; }
  int port() const { return server_->port(); }
  uv_loop_t* loop() { return &loop_; }

  // Runs fn on the loop thread and waits for it.
  void runOnLoop(std::function<void()> fn) {
    std::promise<void> done;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back([&] {
        fn();
        done.set_value();
      });
    }
    uv_async_send(&wakeup_);
    done.get_future().wait();
  }

 private:
  void runQueued() {
    std::deque<std::function<void()>> work;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      work.swap(queue_);
    }
    for (auto& fn : work) fn();
  }

  uv_loop_t loop_;
  uv_async_t wakeup_;
  std::unique_ptr<HttpServer> server_;
  bool listening_ = false;
  std::string error_;
  std::thread thread_;
  std::mutex mutex_;
  std::deque<std::function<void()>> queue_;
};

// Waits (bounded, so a bug fails instead of hanging) until pred holds.
bool eventually(const std::function<bool()>& pred) {
  for (int i = 0; i < 1000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

// Responds after `ms` from a libuv timer: the handler has long returned.
void respondLater(uv_loop_t* loop, uint64_t ms, std::shared_ptr<HttpExchange> exchange,
                  std::string body, std::function<void()> before = {}) {
  struct Later {
    uv_timer_t timer;
    std::shared_ptr<HttpExchange> exchange;
    std::string body;
    std::function<void()> before;
  };
  auto* later = new Later{{}, std::move(exchange), std::move(body), std::move(before)};
  uv_timer_init(loop, &later->timer);
  later->timer.data = later;
  uv_timer_start(
      &later->timer,
      [](uv_timer_t* timer) {
        auto* later = static_cast<Later*>(timer->data);
        if (later->before) later->before();
        later->exchange->respond(200, "text/plain", later->body);
        uv_close(reinterpret_cast<uv_handle_t*>(timer),
                 [](uv_handle_t* handle) { delete static_cast<Later*>(handle->data); });
      },
      ms, 0);
}

struct Response {
  int status = 0;
  std::string statusLine;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    }
    return "";
  }
};

// A blocking client with a read buffer, so pipelined responses that arrive
// in one read are split correctly.
class Client {
 public:
  explicit Client(int port, int receiveBuffer = 0) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (receiveBuffer > 0) {
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    }
    timeval timeout{10, 0};  // guards against hangs; never a timing assertion
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  explicit Client(int fd, bool connected) : fd_(fd), connected_(connected) {}
  ~Client() { close(); }

  bool connected() const { return connected_; }
  // Makes close() send a reset, as a crashed or killed client does.
  void resetOnClose() {
    linger abort{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  }
  void shutdownWrite() { shutdown(fd_, SHUT_WR); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads until buffer_ holds n bytes; false on EOF, error or timeout.
  bool fill(size_t n) {
    while (buffer_.size() < n) {
      char chunk[16384];
      ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
      if (got <= 0) return false;
      buffer_.append(chunk, static_cast<size_t>(got));
    }
    return true;
  }

  bool readLine(std::string* line) {
    size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos) {
      if (!fill(buffer_.size() + 1)) return false;
    }
    *line = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    return true;
  }

  bool readExact(size_t n, std::string* out) {
    if (!fill(n)) return false;
    out->append(buffer_, 0, n);
    buffer_.erase(0, n);
    return true;
  }

  // Reads one response: head, then the body by Content-Length or chunks.
  Response readResponse(bool headRequest = false) {
    Response response;
    if (!readLine(&response.statusLine)) return response;
    if (response.statusLine.size() >= 12) response.status = std::stoi(response.statusLine.substr(9, 3));
    std::string line;
    while (readLine(&line) && !line.empty()) {
      size_t colon = line.find(':');
      response.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
    if (headRequest) return response;
    if (response.header("Transfer-Encoding") == "chunked") {
      while (readLine(&line)) {
        size_t size = std::stoul(line, nullptr, 16);
        if (size == 0) {
          readLine(&line);  // the CRLF after the last chunk
          break;
        }
        std::string crlf;
        if (!readExact(size, &response.body) || !readExact(2, &crlf)) break;
      }
    } else if (!response.header("Content-Length").empty()) {
      readExact(std::stoul(response.header("Content-Length")), &response.body);
    }
    return response;
  }

  // True when the server closed the connection (EOF or reset), after
  // discarding whatever it still sent; false on timeout.
  bool readsEndOfStream() {
    buffer_.clear();
    for (;;) {
      char chunk[65536];
      ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
      if (got == 0) return true;
      if (got < 0) return errno == ECONNRESET || errno == EPIPE;
    }
  }

  const std::string& buffered() const { return buffer_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

HttpHandler echoPath() {
  return [](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    exchange->respond(200, "text/plain", request.method + " " + request.path);
  };
}

std::string get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

}  // namespace

TEST_CASE("a simple GET is parsed and answered", "[http]") {
  std::mutex mutex;
  HttpRequest seen;
  RunningServer server({}, [&](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      seen = request;
    }
    exchange->respond(200, "application/json", "{\"ok\":true}", {{"X-Served-By", "minik"}});
  });
  REQUIRE(server.listening());
  REQUIRE(server.port() > 0);

  Client client(server.port());
  REQUIRE(client.connected());
  REQUIRE(client.send("GET /api/v1/namespaces/my%20ns/pods?labelSelector=app%3Dweb&limit=5 HTTP/1.1\r\n"
                      "Host: localhost\r\nX-Custom-Header: Some Value  \r\nAccept: */*\r\n\r\n"));
  Response response = client.readResponse();
  CHECK(response.statusLine == "HTTP/1.1 200 OK");
  CHECK(response.header("Content-Type") == "application/json");
  CHECK(response.header("Content-Length") == "11");
  CHECK(response.header("X-Served-By") == "minik");
  CHECK(response.body == "{\"ok\":true}");

  std::lock_guard<std::mutex> lock(mutex);
  CHECK(seen.method == "GET");
  CHECK(seen.path == "/api/v1/namespaces/my ns/pods");
  CHECK(seen.rawQuery == "labelSelector=app%3Dweb&limit=5");
  CHECK(seen.header("x-custom-header") == "Some Value");
  CHECK(seen.header("host") == "localhost");
  CHECK(seen.header("missing") == "");
  CHECK(seen.remoteAddress == "127.0.0.1");
}

TEST_CASE("status lines carry the reason phrase", "[http]") {
  RunningServer server({}, [](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    exchange->respond(std::stoi(request.path.substr(1)), "text/plain", "x");
  });
  Client client(server.port());
  const std::pair<int, const char*> cases[] = {
      {201, "HTTP/1.1 201 Created"}, {404, "HTTP/1.1 404 Not Found"},
      {409, "HTTP/1.1 409 Conflict"}, {410, "HTTP/1.1 410 Gone"},
      {422, "HTTP/1.1 422 Unprocessable Entity"}, {500, "HTTP/1.1 500 Internal Server Error"}};
  for (const auto& [status, line] : cases) {
    REQUIRE(client.send(get("/" + std::to_string(status))));
    CHECK(client.readResponse().statusLine == line);
  }
}

TEST_CASE("keep-alive serves two requests on one connection", "[http]") {
  RunningServer server({}, echoPath());
  Client client(server.port());
  REQUIRE(client.send(get("/first")));
  CHECK(client.readResponse().body == "GET /first");
  REQUIRE(client.send(get("/second")));
  Response second = client.readResponse();
  CHECK(second.body == "GET /second");
  CHECK(second.header("Connection") == "");
}

TEST_CASE("pipelined requests are answered in order even when the first answers later", "[http]") {
  std::mutex mutex;
  std::vector<std::string> events;
  auto record = [&](const std::string& event) {
    std::lock_guard<std::mutex> lock(mutex);
    events.push_back(event);
  };
  RunningServer* running = nullptr;
  RunningServer server({}, [&](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    record("dispatch " + request.path);
    if (request.path == "/slow") {
      respondLater(running->loop(), 100, exchange, "slow", [&] { record("respond /slow"); });
    } else {
      exchange->respond(200, "text/plain", request.path.substr(1));
    }
  });
  running = &server;

  Client client(server.port());
  REQUIRE(client.send(get("/slow") + get("/fast") + get("/third")));
  CHECK(client.readResponse().body == "slow");
  CHECK(client.readResponse().body == "fast");
  CHECK(client.readResponse().body == "third");

  std::lock_guard<std::mutex> lock(mutex);
  CHECK(events == std::vector<std::string>{"dispatch /slow", "respond /slow", "dispatch /fast",
                                           "dispatch /third"});
}

TEST_CASE("request bodies arrive intact", "[http]") {
  RunningServer server({}, [](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    exchange->respond(200, "application/octet-stream", request.body);
  });
  Client client(server.port());

  SECTION("with Content-Length") {
    std::string body;
    for (int i = 0; i < 200000; ++i) body.push_back(static_cast<char>(i * 7 % 251));
    REQUIRE(client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body));
    Response response = client.readResponse();
    CHECK(response.status == 200);
    CHECK(response.body == body);
  }
  SECTION("chunked, split across writes") {
    REQUIRE(client.send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(client.send("7\r\n, world\r\n0\r\n\r\n"));
    Response response = client.readResponse();
    CHECK(response.body == "hello, world");
    // The connection stays usable after a chunked request.
    REQUIRE(client.send("PUT /again HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"));
    CHECK(client.readResponse().body == "abc");
  }
}

TEST_CASE("an oversized body is refused with 413 and the connection closed", "[http]") {
  std::atomic<int> handled{0};
  HttpLimits limits;
  limits.maxBodyBytes = 1000;
  RunningServer server(limits, [&](const HttpRequest&, std::shared_ptr<HttpExchange> exchange) {
    ++handled;
    exchange->respond(200, "text/plain", "ok");
  });
  Client client(server.port());

  SECTION("by Content-Length, before the body is sent") {
    REQUIRE(client.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n"));
  }
  SECTION("while receiving a chunked body") {
    REQUIRE(client.send("POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
    std::string chunk(600, 'z');
    client.send("258\r\n" + chunk + "\r\n");
    client.send("258\r\n" + chunk + "\r\n");
  }
  Response response = client.readResponse();
  CHECK(response.statusLine == "HTTP/1.1 413 Request Entity Too Large");
  CHECK(response.header("Connection") == "close");
  CHECK(response.header("Content-Type") == "application/json");
  CHECK(response.body.find("\"reason\":\"RequestEntityTooLarge\"") != std::string::npos);
  CHECK(response.body.find("Request entity too large: limit is 1000") != std::string::npos);
  CHECK(client.readsEndOfStream());
  CHECK(handled == 0);
}

TEST_CASE("an oversized request head is refused with 431", "[http]") {
  HttpLimits limits;
  limits.maxHeaderBytes = 1024;
  RunningServer server(limits, echoPath());
  Client client(server.port());
  REQUIRE(client.send(get("/x", "X-Big: " + std::string(4000, 'a') + "\r\n")));
  Response response = client.readResponse();
  CHECK(response.statusLine == "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK(client.readsEndOfStream());

  Client manyHeaders(server.port());
  std::string extra;
  for (int i = 0; i < 300; ++i) extra += "A" + std::to_string(i) + ": b\r\n";
  REQUIRE(manyHeaders.send(get("/x", extra)));
  CHECK(manyHeaders.readResponse().status == 431);
}

TEST_CASE("garbage is answered with 400 and the connection closed", "[http]") {
  RunningServer server({}, echoPath());
  Client client(server.port());
  REQUIRE(client.send("THIS IS NOT HTTP\r\n\r\n"));
  Response response = client.readResponse();
  CHECK(response.statusLine == "HTTP/1.1 400 Bad Request");
  CHECK(response.body == "400 Bad Request");
  CHECK(client.readsEndOfStream());

  Client badEscape(server.port());
  REQUIRE(badEscape.send(get("/a%zz")));
  CHECK(badEscape.readResponse().status == 400);
}

TEST_CASE("a chunked streaming response is framed and keeps the connection", "[http]") {
  RunningServer server({}, [](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    if (request.path != "/watch") {
      exchange->respond(200, "text/plain", "after");
      return;
    }
    exchange->beginStream(200, "application/json");
    CHECK(exchange->write("{\"type\":\"ADDED\"}\n"));
    CHECK(exchange->write(""));  // an empty write must not end the body
    CHECK(exchange->write(std::string(70000, 'x')));
    exchange->endStream();
    CHECK_FALSE(exchange->write("late"));
  });
  Client client(server.port());
  REQUIRE(client.send(get("/watch")));
  Response response = client.readResponse();
  CHECK(response.status == 200);
  CHECK(response.header("Transfer-Encoding") == "chunked");
  CHECK(response.header("Content-Length") == "");
  CHECK(response.body == "{\"type\":\"ADDED\"}\n" + std::string(70000, 'x'));
  REQUIRE(client.send(get("/next")));
  CHECK(client.readResponse().body == "after");
}

TEST_CASE("a client closing mid-stream fires onClose and later writes fail", "[http]") {
  std::mutex mutex;
  std::shared_ptr<HttpExchange> kept;
  std::atomic<int> closes{0};
  RunningServer server({}, [&](const HttpRequest&, std::shared_ptr<HttpExchange> exchange) {
    exchange->onClose([&] { ++closes; });
    exchange->beginStream(200, "application/json");
    exchange->write("first");
    std::lock_guard<std::mutex> lock(mutex);
    kept = exchange;
  });
  {
    Client client(server.port());
    REQUIRE(client.send(get("/watch")));
    std::string line;
    REQUIRE(client.readLine(&line));  // the status line: the stream is open
  }
  REQUIRE(eventually([&] { return closes.load() == 1; }));

  bool wrote = true, closed = false;
  int lateCallbacks = 0;
  server.runOnLoop([&] {
    std::lock_guard<std::mutex> lock(mutex);
    wrote = kept->write("second");
    closed = kept->closed();
    kept->endStream();
    kept->onClose([&] { ++lateCallbacks; });  // registered after close: runs at once
  });
  CHECK_FALSE(wrote);
  CHECK(closed);
  CHECK(lateCallbacks == 1);
  CHECK(closes == 1);
}

TEST_CASE("a handler may answer after its connection closed", "[http]") {
  std::mutex mutex;
  std::shared_ptr<HttpExchange> kept;
  std::atomic<int> closes{0};
  RunningServer server({}, [&](const HttpRequest&, std::shared_ptr<HttpExchange> exchange) {
    exchange->onClose([&] { ++closes; });
    std::lock_guard<std::mutex> lock(mutex);
    kept = exchange;
  });
  {
    Client client(server.port());
    REQUIRE(client.send(get("/pending")));
    REQUIRE(eventually([&] {
      std::lock_guard<std::mutex> lock(mutex);
      return kept != nullptr;
    }));
    client.resetOnClose();
  }
  REQUIRE(eventually([&] { return closes.load() == 1; }));
  server.runOnLoop([&] {
    std::lock_guard<std::mutex> lock(mutex);
    CHECK(kept->closed());
    kept->respond(200, "text/plain", "too late");
  });
  CHECK(closes == 1);
}

TEST_CASE("a client that half-closes after its request still gets the answer", "[http]") {
  RunningServer* running = nullptr;
  RunningServer server({}, [&](const HttpRequest&, std::shared_ptr<HttpExchange> exchange) {
    respondLater(running->loop(), 50, exchange, "answer");
  });
  running = &server;
  Client client(server.port());
  REQUIRE(client.send(get("/x") + get("/y")));
  client.shutdownWrite();
  CHECK(client.readResponse().body == "answer");
  CHECK(client.readResponse().body == "answer");
  CHECK(client.readsEndOfStream());
}

TEST_CASE("idle keep-alive connections and slow requests are closed", "[http]") {
  HttpLimits limits;
  limits.idleTimeoutMs = 200;
  limits.requestTimeoutMs = 200;
  RunningServer server(limits, echoPath());

  SECTION("idle after a response") {
    Client client(server.port());
    REQUIRE(client.send(get("/once")));
    CHECK(client.readResponse().status == 200);
    CHECK(client.readsEndOfStream());
  }
  SECTION("idle from the start") {
    Client client(server.port());
    CHECK(client.readsEndOfStream());
  }
  SECTION("a request head that never completes") {
    Client client(server.port());
    REQUIRE(client.send("GET /slow HTTP/1.1\r\nHost: t\r\n"));
    CHECK(client.readsEndOfStream());
  }
}

TEST_CASE("a reader too slow for a stream gets its connection closed", "[http]") {
  HttpLimits limits;
  limits.maxPendingWrite = 64 * 1024;
  std::atomic<bool> writeFailed{false};
  std::atomic<int> closes{0};
  std::atomic<size_t> written{0};
  RunningServer server(limits, [&](const HttpRequest&, std::shared_ptr<HttpExchange> exchange) {
    exchange->onClose([&] { ++closes; });
    exchange->beginStream(200, "application/json");
    std::string chunk(16 * 1024, 'e');
    // Kernel buffers absorb the first megabytes; the bound is what stops it.
    for (int i = 0; i < 64 * 1024; ++i) {
      if (!exchange->write(chunk)) {
        writeFailed = true;
        break;
      }
      written += chunk.size();
    }
  });
  Client client(server.port(), 4096);
  REQUIRE(client.send(get("/watch")));
  REQUIRE(eventually([&] { return closes.load() == 1; }));
  CHECK(writeFailed);
  CHECK(written < size_t{512} * 1024 * 1024);
  CHECK(client.readsEndOfStream());
}

TEST_CASE("connections beyond maxConnections are closed at once", "[http]") {
  HttpLimits limits;
  limits.maxConnections = 1;
  RunningServer server(limits, echoPath());
  Client first(server.port());
  REQUIRE(first.send(get("/one")));
  CHECK(first.readResponse().body == "GET /one");

  Client second(server.port());
  CHECK(second.readsEndOfStream());

  REQUIRE(first.send(get("/still")));
  CHECK(first.readResponse().body == "GET /still");
}

TEST_CASE("HEAD gets the head only", "[http]") {
  RunningServer server({}, [](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    exchange->respond(200, "text/plain", "hello body");
  });
  Client client(server.port());
  REQUIRE(client.send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n"));
  Response head = client.readResponse(/*headRequest=*/true);
  CHECK(head.status == 200);
  CHECK(head.header("Content-Length") == "10");
  // No body bytes may follow: the next response must start right away.
  REQUIRE(client.send(get("/y")));
  CHECK(client.readResponse().body == "hello body");
}

TEST_CASE("Expect: 100-continue is answered before the body is sent", "[http]") {
  RunningServer server({}, [](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    exchange->respond(201, "text/plain", request.body);
  });
  Client client(server.port());
  REQUIRE(client.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  std::string line;
  REQUIRE(client.readLine(&line));
  CHECK(line == "HTTP/1.1 100 Continue");
  REQUIRE(client.readLine(&line));
  CHECK(line.empty());
  REQUIRE(client.send("abcde"));
  Response response = client.readResponse();
  CHECK(response.status == 201);
  CHECK(response.body == "abcde");
}

TEST_CASE("HTTP/1.0 and Connection: close end the connection after the response", "[http]") {
  RunningServer server({}, [](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
    if (request.path == "/stream") {
      exchange->beginStream(200, "text/plain");
      exchange->write("raw ");
      exchange->write("bytes");
      exchange->endStream();
    } else {
      exchange->respond(200, "text/plain", "bye");
    }
  });

  SECTION("HTTP/1.0") {
    Client client(server.port());
    REQUIRE(client.send("GET / HTTP/1.0\r\n\r\n"));
    Response response = client.readResponse();
    CHECK(response.body == "bye");
    CHECK(response.header("Connection") == "close");
    CHECK(client.readsEndOfStream());
  }
  SECTION("HTTP/1.0 keep-alive") {
    Client client(server.port());
    REQUIRE(client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    Response response = client.readResponse();
    CHECK(response.header("Connection") == "keep-alive");
    REQUIRE(client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    CHECK(client.readResponse().body == "bye");
  }
  SECTION("HTTP/1.0 stream: no chunking, the close ends the body") {
    Client client(server.port());
    REQUIRE(client.send("GET /stream HTTP/1.0\r\n\r\n"));
    Response response = client.readResponse(/*headRequest=*/true);
    CHECK(response.header("Transfer-Encoding") == "");
    while (client.fill(client.buffered().size() + 1)) {
    }
    CHECK(client.buffered() == "raw bytes");
  }
  SECTION("Connection: close, with a pipelined request after it ignored") {
    Client client(server.port());
    REQUIRE(client.send(get("/", "Connection: close\r\n") + get("/ignored")));
    Response response = client.readResponse();
    CHECK(response.body == "bye");
    CHECK(response.header("Connection") == "close");
    CHECK(client.readsEndOfStream());
  }
}

TEST_CASE("listening on IPv6 and on a taken port", "[http]") {
  RunningServer server({}, echoPath(), "::1");
  if (!server.listening()) {
    WARN("no IPv6 loopback here: " << server.error());
    return;
  }
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_port = htons(static_cast<uint16_t>(server.port()));
  address.sin6_addr = in6addr_loopback;
  Client client(fd, connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(client.connected());
  REQUIRE(client.send(get("/six")));
  CHECK(client.readResponse().body == "GET /six");

  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    HttpServer taken(&loop, {}, echoPath());
    std::string error;
    CHECK_FALSE(taken.listen("::1", server.port(), &error));
    CHECK(error.find("address already in use") != std::string::npos);
    CHECK_FALSE(taken.listen("not-an-ip", 0, &error));
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  CHECK(uv_loop_close(&loop) == 0);
}

TEST_CASE("destroying the server with open connections, then running the loop, frees all", "[http]") {
  uv_loop_t loop;
  uv_loop_init(&loop);
  auto server = std::make_unique<HttpServer>(&loop, HttpLimits{}, echoPath());
  std::string error;
  REQUIRE(server->listen("127.0.0.1", 0, &error));
  Client client(server->port());
  REQUIRE(client.connected());
  REQUIRE(client.send("GET /partial HTTP/1.1\r\n"));
  for (int i = 0; i < 20; ++i) uv_run(&loop, UV_RUN_NOWAIT);  // accept and read

  server.reset();
  uv_run(&loop, UV_RUN_DEFAULT);  // returns once the closed handles are freed
  CHECK(uv_loop_close(&loop) == 0);
  CHECK(client.readsEndOfStream());
}
