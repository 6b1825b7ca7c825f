#ifndef GENAUTH_IMPL_IO_TLS_CONTEXT_IPP
#define GENAUTH_IMPL_IO_TLS_CONTEXT_IPP

#include <genauth/impl/io/tls_context.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <utility>

namespace genauth::detail {

GENAUTH_DECL tls_session_cache::~tls_session_cache() {
    if (session_ != nullptr) SSL_SESSION_free(session_);
}

GENAUTH_DECL void tls_session_cache::offer(SSL* ssl) {
    // Each connection gets its own copy: a session object shared by live connections is read
    // by one (a TLS 1.3 ticket duplicates it inside SSL_read) while another drops it, which
    // ThreadSanitizer reports as a race inside OpenSSL.
    SSL_SESSION* copy = nullptr;
    {
        std::lock_guard lock(mutex_);
        if (session_ != nullptr) copy = SSL_SESSION_dup(session_);
    }
    if (copy == nullptr) return;
    SSL_set_session(ssl, copy);  // takes its own reference
    SSL_SESSION_free(copy);
}

GENAUTH_DECL void tls_session_cache::store(SSL* ssl) {
    SSL_SESSION* current = SSL_get0_session(ssl);
    if (current == nullptr || !SSL_SESSION_is_resumable(current)) return;
    // A copy: OpenSSL marks a connection's own session non-resumable when the connection is
    // freed without a TLS shutdown, which is how idle connections usually end.
    SSL_SESSION* session = SSL_SESSION_dup(current);
    if (session == nullptr) return;
    std::lock_guard lock(mutex_);
    if (session_ != nullptr) SSL_SESSION_free(session_);
    session_ = session;
}

GENAUTH_DECL std::unique_ptr<asio::ssl::context> make_tls_context(const tls_options& opts, error_code& ec,
                                                                  std::string& detail) {
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression);
    error_code store_ec;
    ctx->set_default_verify_paths(store_ec);  // a missing system store is not fatal with an extra CA
    if (!opts.extra_ca_file.empty()) {
        ctx->load_verify_file(opts.extra_ca_file, ec);
        if (ec) {
            detail = "tls.extra_ca_file: " + ec.message();
            ec = errc::tls_ca_load_failed;
            return ctx;
        }
    }
    if (!opts.extra_ca_pem.empty()) {
        ctx->add_certificate_authority(asio::buffer(opts.extra_ca_pem), ec);
        if (ec) {
            detail = "tls.extra_ca_pem: " + ec.message();
            ec = errc::tls_ca_load_failed;
            return ctx;
        }
    }
    ctx->set_verify_mode(opts.insecure_skip_verification ? asio::ssl::verify_none : asio::ssl::verify_peer);
    prepare_trust_store(ctx->native_handle());
    return ctx;
}

GENAUTH_DECL void prepare_trust_store(SSL_CTX* ctx) {
    // OpenSSL computes a certificate's X.509v3 extension data (key identifiers, flags) on first
    // use, under the certificate's lock, but 3.0 does not look again after taking the write lock
    // (openssl/openssl#32609): two handshakes verifying against the same CA at once both write
    // the cache while the first already reads it (seen by TSan as ASN1_STRING_set racing with
    // ASN1_STRING_cmp in the concurrency tests, 2 runs in 12). Computing it here, before any
    // handshake can see the store, leaves only reads for later. X509_check_purpose with -1 does
    // just that. Certificates a hashed-directory lookup adds later are not covered; the system
    // bundle file that set_default_verify_paths loads is.
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    if (store == nullptr || X509_STORE_lock(store) != 1) return;
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store);
    for (int i = 0; i < sk_X509_OBJECT_num(objects); ++i) {
        if (X509* cert = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objects, i))) X509_check_purpose(cert, -1, 0);
    }
    X509_STORE_unlock(store);
}

GENAUTH_DECL tls_context_registry::tls_context_registry(context_factory make) : make_(std::move(make)) {}

GENAUTH_DECL std::shared_ptr<asio::ssl::context> tls_context_registry::get(const tls_options& opts, error_code& ec,
                                                                           std::string& detail) {
    key k{opts.extra_ca_file, opts.extra_ca_pem, opts.insecure_skip_verification};
    // Held while a context is made, so that clients made at once load the store once.
    std::lock_guard lock(mutex_);
    if (auto found = contexts_.find(k); found != contexts_.end()) {
        if (auto ctx = found->second.lock()) return ctx;
    }
    std::shared_ptr<asio::ssl::context> ctx = make_(opts, ec, detail);
    if (ec) return nullptr;
    std::erase_if(contexts_, [](const auto& entry) { return entry.second.expired(); });
    contexts_[std::move(k)] = ctx;
    if (opts.extra_ca_file.empty() && opts.extra_ca_pem.empty() && !opts.insecure_skip_verification)
        default_context_ = ctx;
    return ctx;
}

GENAUTH_DECL std::size_t tls_context_registry::entries() const {
    std::lock_guard lock(mutex_);
    return contexts_.size();
}

GENAUTH_DECL std::shared_ptr<asio::ssl::context> shared_tls_context(const tls_options& opts, error_code& ec,
                                                                    std::string& detail) {
    static tls_context_registry process_wide(make_tls_context);  // one per program, also header-only
    return process_wide.get(opts, ec, detail);
}

}  // namespace genauth::detail

#endif
