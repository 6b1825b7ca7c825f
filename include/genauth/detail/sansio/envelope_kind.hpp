#ifndef GENAUTH_DETAIL_SANSIO_ENVELOPE_KIND_HPP
#define GENAUTH_DETAIL_SANSIO_ENVELOPE_KIND_HPP

namespace genauth::detail {

/// The form of an endpoint's answer.
enum class envelope_kind {
    v3,    ///< `{statusCode, message, apiCode?, requestId?, data}`: success is statusCode 200
    v2,    ///< `{code, message, data}` (V2 routes): success is code 200 (statusCode read if code is absent)
    bare,  ///< the data itself (MFA token introspection); a body with a statusCode is read as a V3 error
};

}  // namespace genauth::detail

#endif
