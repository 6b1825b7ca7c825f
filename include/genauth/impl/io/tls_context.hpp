#ifndef GENAUTH_IMPL_IO_TLS_CONTEXT_HPP
#define GENAUTH_IMPL_IO_TLS_CONTEXT_HPP

// TLS state that outlives one connection: the contexts (trust store, verification mode), shared
// process-wide by clients with equal options, and a client's resumable session. Only
// implementation files include this header: it pulls in Asio SSL and OpenSSL.

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/error.hpp>

#include <boost/asio/ssl/context.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

namespace genauth::detail {

namespace asio = boost::asio;

/// The client's last resumable TLS session, offered when a new connection is opened so the
/// handshake can skip the certificate exchange. Thread-safe.
class tls_session_cache {
public:
    tls_session_cache() = default;
    tls_session_cache(const tls_session_cache&) = delete;
    tls_session_cache& operator=(const tls_session_cache&) = delete;
    GENAUTH_DECL ~tls_session_cache();
    /// Offers the cached session to `ssl` (before its handshake).
    GENAUTH_DECL void offer(SSL* ssl);
    /// Keeps `ssl`'s session when it can be resumed.
    GENAUTH_DECL void store(SSL* ssl);

private:
    std::mutex mutex_;
    SSL_SESSION* session_ = nullptr;
};

/// A TLS context from `opts`: TLS 1.2 at least, system trust store, extra CA, verification mode,
/// trust store prepared for concurrent handshakes. On failure sets errc::tls_ca_load_failed and
/// explains in `detail`.
GENAUTH_DECL std::unique_ptr<asio::ssl::context> make_tls_context(const tls_options& opts, error_code& ec,
                                                                  std::string& detail);

/// The TLS contexts of a program, one per distinct tls_options, shared by every client made with
/// equal options while one of them lives (weak entries, dropped when a later context is made);
/// the context for the default options is kept until the registry ends. Thread-safe.
class tls_context_registry {
public:
    using context_factory =
        std::function<std::unique_ptr<asio::ssl::context>(const tls_options&, error_code&, std::string&)>;
    /// `make` builds a context (make_tls_context; tests count its calls).
    GENAUTH_DECL explicit tls_context_registry(context_factory make);
    tls_context_registry(const tls_context_registry&) = delete;
    tls_context_registry& operator=(const tls_context_registry&) = delete;

    /// The live context for `opts`, else a new one from the factory. On failure returns null and
    /// leaves the factory's `ec` and `detail` (a failure is not remembered).
    GENAUTH_DECL std::shared_ptr<asio::ssl::context> get(const tls_options& opts, error_code& ec, std::string& detail);

    /// How many entries the registry holds, expired ones included.
    GENAUTH_DECL std::size_t entries() const;

private:
    using key = std::tuple<std::string, std::string, bool>;
    context_factory make_;
    mutable std::mutex mutex_;
    std::map<key, std::weak_ptr<asio::ssl::context>> contexts_;
    std::shared_ptr<asio::ssl::context> default_context_;  // kept: the common case stays cheap
};

/// The TLS context for `opts` from the program's one tls_context_registry. Loading the system
/// trust store costs about 20 ms of CPU: the second client costs microseconds. An extra CA file
/// is read when the first client with that path is made. On failure returns null, sets
/// errc::tls_ca_load_failed and explains in `detail` (not cached).
GENAUTH_DECL std::shared_ptr<asio::ssl::context> shared_tls_context(const tls_options& opts, error_code& ec,
                                                                    std::string& detail);

/// Computes now, on this one thread, what OpenSSL caches lazily about each certificate in
/// `ctx`'s trust store. Must run before the context is shared by concurrent handshakes: see the
/// comment in the body.
GENAUTH_DECL void prepare_trust_store(SSL_CTX* ctx);

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/io/tls_context.ipp>
#endif

#endif
