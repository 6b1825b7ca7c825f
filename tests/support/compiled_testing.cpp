#include <genauth/testing/fake_genauth_server.hpp>
#include <genauth/testing/local_https_server.hpp>
#include <genauth/testing/scripted_proxy.hpp>
#include <genauth/testing/src.hpp>
