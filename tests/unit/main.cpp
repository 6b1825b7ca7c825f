#define BOOST_TEST_MODULE genauth unit tests
#include <boost/test/unit_test.hpp>
