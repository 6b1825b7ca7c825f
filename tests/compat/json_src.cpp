// The compiled part of Boost.JSON, for the Boost 1.90 compatibility build (no compiled Boost
// libraries come with those headers).
#include <boost/json/src.hpp>

static_assert(BOOST_VERSION >= 108700, "the compatibility build must use the newer Boost headers");
