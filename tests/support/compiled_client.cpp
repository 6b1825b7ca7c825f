#include <genauth/src.hpp>
