// The TLS contexts shared by clients (impl/io/tls_context.hpp): one per distinct options while a
// client holds it, made once, a failure never remembered.
#include <genauth/impl/io/tls_context.hpp>

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

using genauth::error_code;
using genauth::tls_options;
using genauth::detail::tls_context_registry;
namespace asio = boost::asio;

namespace {

// A registry whose factory counts what it makes (the real one loads the trust store: 20 ms).
struct counting_registry {
    int made = 0;
    bool fail = false;
    tls_context_registry registry{[this](const tls_options&, error_code& ec, std::string& detail) {
        ++made;
        if (fail) {
            ec = genauth::errc::tls_ca_load_failed;
            detail = "refused by the test";
        }
        return std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    }};
    std::shared_ptr<asio::ssl::context> get(const tls_options& o) {
        error_code ec;
        std::string detail;
        auto ctx = registry.get(o, ec, detail);
        BOOST_TEST(!ec);
        return ctx;
    }
};

tls_options with_ca(std::string pem) {
    tls_options o;
    o.extra_ca_pem = std::move(pem);
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_tls_context)

BOOST_AUTO_TEST_CASE(equal_options_share_one_context_made_once) {
    counting_registry r;
    auto a = r.get(with_ca("A"));
    auto b = r.get(with_ca("A"));
    BOOST_TEST(a.get() == b.get());
    BOOST_TEST(r.made == 1);  // the trust store is loaded and prepared once
    auto c = r.get(with_ca("C"));
    BOOST_TEST(c.get() != a.get());
    tls_options insecure = with_ca("A");
    insecure.insecure_skip_verification = true;
    BOOST_TEST(r.get(insecure).get() != a.get());
    BOOST_TEST(r.made == 3);
}

BOOST_AUTO_TEST_CASE(a_context_no_client_holds_expires_and_its_entry_goes) {
    counting_registry r;
    std::weak_ptr<asio::ssl::context> watch = r.get(with_ca("A"));  // dropped at once
    BOOST_TEST(watch.expired());
    BOOST_TEST(r.registry.entries() == 1u);  // a weak entry, until the next context is made
    auto b = r.get(with_ca("B"));
    BOOST_TEST(r.registry.entries() == 1u);  // A's expired entry went when B was made
    auto a = r.get(with_ca("A"));            // made again: nothing kept it
    BOOST_TEST(r.made == 3);
    BOOST_TEST(r.registry.entries() == 2u);
}

BOOST_AUTO_TEST_CASE(the_default_context_is_kept_without_a_client) {
    counting_registry r;
    const void* first = r.get(tls_options{}).get();
    BOOST_TEST(r.get(tls_options{}).get() == first);
    BOOST_TEST(r.made == 1);
}

BOOST_AUTO_TEST_CASE(a_failure_is_reported_and_not_remembered) {
    counting_registry r;
    r.fail = true;
    error_code ec;
    std::string detail;
    BOOST_TEST(r.registry.get(with_ca("A"), ec, detail) == nullptr);
    BOOST_TEST((ec == genauth::errc::tls_ca_load_failed));
    BOOST_TEST(detail == "refused by the test");
    BOOST_TEST(r.registry.entries() == 0u);
    r.fail = false;
    BOOST_TEST(r.get(with_ca("A")) != nullptr);
    BOOST_TEST(r.made == 2);
}

BOOST_AUTO_TEST_CASE(make_tls_context_refuses_a_ca_that_is_not_one) {
    error_code ec;
    std::string detail;
    genauth::detail::make_tls_context(with_ca("not a certificate"), ec, detail);
    BOOST_TEST((ec == genauth::errc::tls_ca_load_failed));
    BOOST_TEST(detail.rfind("tls.extra_ca_pem: ", 0) == 0u, detail);
}

BOOST_AUTO_TEST_SUITE_END()
