#define BOOST_TEST_MODULE genauth e2e tests
#include <boost/test/unit_test.hpp>
