#include "dns/tcp_server.h"

#include <cstring>

namespace minik::dns {

struct TcpServer::Connection {
  uv_tcp_t tcp;
  uv_timer_t idle;
  uv_write_t write;
  TcpServer* server = nullptr;
  uint64_t id = 0;
  ReplyRoute route;
  std::vector<uint8_t> in;  // [start, end) unread bytes
  size_t start = 0, end = 0;
  std::vector<uint8_t> out;
  bool reading = false, writing = false, waiting = false, closing = false;
  int open = 0;  // handles not yet closed
};

namespace {
template <typename T>
TcpServer::Connection* connectionOf(T* handle) {
  return static_cast<TcpServer::Connection*>(handle->data);
}
}  // namespace

TcpServer::~TcpServer() { close(); }

bool TcpServer::listen(const sockaddr* address, std::string* error) {
  listener_ = new uv_tcp_t;
  uv_tcp_init(loop_, listener_);
  listener_->data = this;
  int rc = uv_tcp_bind(listener_, address, address->sa_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_), 128, [](uv_stream_t* s, int status) {
      if (status == 0) static_cast<TcpServer*>(s->data)->accept();
    });
  }
  if (rc != 0) {
    *error = uv_strerror(rc);
    uv_close(reinterpret_cast<uv_handle_t*>(listener_), [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    listener_ = nullptr;
    return false;
  }
  return true;
}

void TcpServer::close() {
  if (listener_) {
    uv_close(reinterpret_cast<uv_handle_t*>(listener_), [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    listener_ = nullptr;
  }
  while (!connections_.empty()) closeConnection(connections_.begin()->second);
}

void TcpServer::accept() {
  auto* c = new Connection;
  c->server = this;
  uv_tcp_init(loop_, &c->tcp);
  c->tcp.data = c;
  c->open = 1;
  if (uv_accept(reinterpret_cast<uv_stream_t*>(listener_), reinterpret_cast<uv_stream_t*>(&c->tcp)) != 0 ||
      connections_.size() >= kMaxConnections) {
    uv_close(reinterpret_cast<uv_handle_t*>(&c->tcp), [](uv_handle_t* h) { delete connectionOf(h); });
    return;
  }
  uv_timer_init(loop_, &c->idle);
  c->idle.data = c;
  c->open = 2;
  c->id = nextId_++;
  c->route.target = this;
  c->route.token = c->id;
  c->route.tcp = true;
  int length = sizeof c->route.address;
  uv_tcp_getpeername(&c->tcp, reinterpret_cast<sockaddr*>(&c->route.address), &length);
  c->in.resize(512);
  connections_[c->id] = c;
  armIdle(c);
  process(c);
}

void TcpServer::process(Connection* c) {
  while (!c->closing && !c->writing && !c->waiting && c->end - c->start >= 2) {
    size_t frame = readU16(c->in.data() + c->start);
    if (frame < kHeaderSize) {
      closeConnection(c);
      return;
    }
    if (c->end - c->start < 2 + frame) {
      if (c->in.size() - c->start < 2 + frame) {  // make room for the whole frame
        std::memmove(c->in.data(), c->in.data() + c->start, c->end - c->start);
        c->end -= c->start;
        c->start = 0;
        if (c->in.size() < 2 + frame) c->in.resize(2 + frame);
      }
      break;
    }
    const uint8_t* query = c->in.data() + c->start + 2;
    c->start += 2 + frame;
    size_t length = 0;
    Responder::Outcome outcome = responder_.respond(query, frame, c->route, scratch_, sizeof scratch_, &length);
    if (c->start == c->end) c->start = c->end = 0;
    if (outcome == Responder::Outcome::Drop) {
      closeConnection(c);
      return;
    }
    if (outcome == Responder::Outcome::Pending) {
      c->waiting = true;
      uv_timer_stop(&c->idle);  // the forwarder answers or fails within seconds
      break;
    }
    send(c, scratch_, length);
  }
  bool wantRead = !c->closing && !c->writing && !c->waiting;
  if (wantRead && !c->reading) {
    c->reading = true;
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&c->tcp),
        [](uv_handle_t* h, size_t, uv_buf_t* buf) {
          Connection* conn = connectionOf(h);
          if (conn->end == conn->in.size()) {
            if (conn->start > 0) {
              std::memmove(conn->in.data(), conn->in.data() + conn->start, conn->end - conn->start);
              conn->end -= conn->start;
              conn->start = 0;
            } else {
              conn->in.resize(conn->in.size() * 2 > 2 + kMaxMessageSize ? 2 + kMaxMessageSize
                                                                         : conn->in.size() * 2);
            }
          }
          *buf = uv_buf_init(reinterpret_cast<char*>(conn->in.data() + conn->end),
                             unsigned(conn->in.size() - conn->end));
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
          Connection* conn = connectionOf(s);
          if (n < 0) {
            conn->server->closeConnection(conn);
            return;
          }
          conn->end += size_t(n);
          armIdle(conn);
          conn->server->process(conn);
        });
  } else if (!wantRead && c->reading) {
    c->reading = false;
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&c->tcp));
  }
}

void TcpServer::send(Connection* c, const uint8_t* message, size_t length) {
  c->out.resize(2 + length);
  writeU16(c->out.data(), uint16_t(length));
  std::memcpy(c->out.data() + 2, message, length);
  c->writing = true;
  c->write.data = c;
  uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(c->out.data()), unsigned(c->out.size()));
  uv_write(&c->write, reinterpret_cast<uv_stream_t*>(&c->tcp), &buf, 1, [](uv_write_t* w, int status) {
    Connection* conn = static_cast<Connection*>(w->data);
    conn->writing = false;
    if (conn->closing) return;
    if (status != 0) {
      conn->server->closeConnection(conn);
      return;
    }
    conn->server->process(conn);
  });
}

void TcpServer::deliver(const ReplyRoute& route, const uint8_t* message, size_t length) {
  auto it = connections_.find(route.token);
  if (it == connections_.end()) return;  // closed meanwhile
  Connection* c = it->second;
  c->waiting = false;
  armIdle(c);
  send(c, message, length);
}

void TcpServer::closeConnection(Connection* c) {
  if (c->closing) return;
  c->closing = true;
  connections_.erase(c->id);
  auto closed = [](uv_handle_t* h) {
    Connection* conn = connectionOf(h);
    if (--conn->open == 0) delete conn;
  };
  uv_timer_stop(&c->idle);
  uv_close(reinterpret_cast<uv_handle_t*>(&c->idle), closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&c->tcp), closed);
}

void TcpServer::armIdle(Connection* c) {
  uv_timer_start(&c->idle, [](uv_timer_t* t) { connectionOf(t)->server->closeConnection(connectionOf(t)); },
                 kIdleMs, 0);
}

}  // namespace minik::dns
