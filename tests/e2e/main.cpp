#define BOOST_TEST_MODULE genauth end - to - end tests
#include <boost/test/unit_test.hpp>
