// JSON mapping of the DTOs, both ways, with no I/O.
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_factors.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/test/unit_test.hpp>

namespace json = boost::json;
using namespace genauth;

namespace {
enroll_factor_response decode_ok(std::string_view text) {
    detail::decode_context ctx;
    enroll_factor_response r;
    BOOST_TEST_REQUIRE(decode_value(json::parse(text), r, ctx), ctx.detail);
    return r;
}

std::pair<error_code, std::string> decode_error(std::string_view text) {
    detail::decode_context ctx;
    enroll_factor_response r;
    BOOST_TEST_REQUIRE(!decode_value(json::parse(text), r, ctx));
    return {ctx.ec, ctx.detail};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(test_json)

BOOST_AUTO_TEST_CASE(request_uses_exact_camel_case_names) {
    enroll_factor_request req;
    req.enrollment_token = "tok";
    req.factor_type = factor_type::sms;
    req.enrollment_data.pass_code = "123456";
    BOOST_TEST(json::serialize(json::value_from(req)) ==
               R"({"enrollmentToken":"tok","factorType":"SMS","enrollmentData":{"passCode":"123456"}})");
}

BOOST_AUTO_TEST_CASE(absent_optionals_are_omitted_not_null) {
    enroll_factor_request req;
    req.enrollment_token = "tok";
    req.factor_type = factor_type::face;
    req.enrollment_data.photo = "https://img/1.png";
    const auto jv = json::value_from(req);
    const auto& data = jv.at("enrollmentData").as_object();
    BOOST_TEST(data.size() == 1u);
    BOOST_TEST(!data.contains("passCode"));
    BOOST_TEST(!data.contains("isExternalPhoto"));
}

BOOST_AUTO_TEST_CASE(false_is_external_photo_is_sent) {
    // The Go SDK's omitempty can never send false; we can.
    enroll_factor_enrollment_data d;
    d.is_external_photo = false;
    BOOST_TEST(json::serialize(json::value_from(d)) == R"({"isExternalPhoto":false})");
}

BOOST_AUTO_TEST_CASE(request_round_trips) {
    enroll_factor_request req;
    req.enrollment_token =
        "TQoCISidM0kBji0dxRi3afSDtkvvMiUphenIgLF87y+JOw4T8fDWOsHHXIcvZ2EVESXhTrfGyh1iGf52Cg9e9byeFQ==";
    req.factor_type = factor_type::face;
    req.enrollment_data.photo = "132434235ad244";
    req.enrollment_data.is_external_photo = true;
    BOOST_TEST((json::value_to<enroll_factor_request>(json::value_from(req)) == req));
}

BOOST_AUTO_TEST_CASE(every_factor_type_maps_both_ways) {
    const std::pair<factor_type, std::string_view> table[] = {{factor_type::otp, "OTP"},
                                                              {factor_type::sms, "SMS"},
                                                              {factor_type::email, "EMAIL"},
                                                              {factor_type::face, "FACE"}};
    for (const auto& [type, name] : table) {
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(json::value_from(type).as_string() == name);
            BOOST_TEST((json::value_to<factor_type>(json::value(name)) == type));
            BOOST_TEST((parse_factor_type(name) == type));
        }
    }
    BOOST_TEST(!parse_factor_type("sms").has_value());
    BOOST_TEST(json::try_value_to<factor_type>(json::value("TOTP")).has_error());
}

BOOST_AUTO_TEST_CASE(a_newer_servers_factor_types_pass_through_by_name) {
    // A list with a type this library does not know decodes; the known items as usual.
    auto jv = json::parse(R"({"statusCode":200,"message":"ok","data":[{"factorType":"OTP"},)"
                          R"({"factorType":"WEBAUTHN","newField":{"a":1}},{"factorType":"EMAIL"}]})");
    detail::decode_context ctx;
    list_factors_to_enroll_response to_enroll;
    BOOST_TEST_REQUIRE(decode_value(jv, to_enroll, ctx), ctx.detail);
    BOOST_TEST_REQUIRE(to_enroll.data.size() == 3u);
    BOOST_TEST((to_enroll.data[0].factor_type == factor_type::otp));
    BOOST_TEST(to_enroll.data[0].factor_type_name.empty());
    BOOST_TEST((to_enroll.data[1].factor_type == factor_type::unknown));
    BOOST_TEST(to_enroll.data[1].factor_type_name == "WEBAUTHN");
    BOOST_TEST(wire_name(to_enroll.data[1].factor_type, to_enroll.data[1].factor_type_name) == "WEBAUTHN");
    BOOST_TEST((to_enroll.data[2].factor_type == factor_type::email));

    auto listed = json::parse(R"({"statusCode":200,"message":"ok","data":[)"
                              R"({"factorId":"f1","factorType":"PASSKEY","profile":null},)"
                              R"({"factorId":"f2","factorType":"SMS","profile":{"phoneNumber":"188"}}]})");
    list_enrolled_factors_response enrolled;
    BOOST_TEST_REQUIRE(decode_value(listed, enrolled, ctx), ctx.detail);
    BOOST_TEST((enrolled.data[0].factor_type == factor_type::unknown));
    BOOST_TEST(enrolled.data[0].factor_type_name == "PASSKEY");
    BOOST_TEST((enrolled.data[1].factor_type == factor_type::sms));
    // What was received is sent back as it came.
    BOOST_TEST(json::value_from(enrolled.data[0]).as_object().at("factorType") == "PASSKEY");

    // A wrong type still fails, naming the field.
    list_enrolled_factors_response broken;
    detail::decode_context bad;
    BOOST_TEST(
        !decode_value(json::parse(R"({"statusCode":200,"data":[{"factorId":"f","factorType":7}]})"), broken, bad));
    BOOST_TEST((bad.ec == errc::wrong_field_type));
    BOOST_TEST(bad.detail.find("data[0].factorType") != std::string::npos, bad.detail);
}

BOOST_AUTO_TEST_CASE(unknown_factor_type_cannot_be_sent) {
    enroll_factor_request req;
    req.enrollment_token = "t";
    req.factor_type = factor_type::unknown;
    req.enrollment_data.pass_code = "1";
    BOOST_TEST((validate(req) == errc::invalid_factor_type));
    send_enroll_factor_request_params start;
    start.factor_type = factor_type::unknown;
    BOOST_TEST((validate(start) == errc::invalid_factor_type));
}

BOOST_AUTO_TEST_CASE(envelope_only_answers_accept_null_missing_or_extra_data) {
    for (const char* body : {R"({"statusCode":200,"message":"ok","data":null})", R"({"statusCode":200,"message":"ok"})",
                             R"({"statusCode":200,"message":"ok","data":{"anything":[1,{"x":null}]},"more":true})",
                             R"({"statusCode":200,"message":"ok","data":true})"}) {
        BOOST_TEST_CONTEXT(body) {
            detail::decode_context ctx;
            enroll_factor_response enrolled;
            reset_factor_response reset;
            BOOST_TEST(decode_value(json::parse(body), enrolled, ctx), ctx.detail);
            BOOST_TEST(decode_value(json::parse(body), reset, ctx), ctx.detail);
        }
    }
}

BOOST_AUTO_TEST_CASE(response_ignores_unknown_keys) {
    auto r = decode_ok(R"({"statusCode":200,"message":"ok","requestId":"r-1","data":{"x":1},"extra":[1,2]})");
    BOOST_TEST(r.status_code == 200);
    BOOST_TEST(r.message == "ok");
    BOOST_TEST((r.request_id == std::optional<std::string>("r-1")));
    BOOST_TEST(!r.api_code.has_value());
}

BOOST_AUTO_TEST_CASE(api_code_as_number_or_numeric_string) {
    BOOST_TEST(decode_ok(R"({"statusCode":403,"apiCode":2333,"message":"m"})").api_code.value() == 2333);
    BOOST_TEST(decode_ok(R"({"statusCode":499,"apiCode":"2011","message":"m"})").api_code.value() == 2011);
    BOOST_TEST(!decode_ok(R"({"statusCode":499,"apiCode":null,"message":"m"})").api_code.has_value());
    auto [ec, why] = decode_error(R"({"statusCode":499,"apiCode":"20x1"})");
    BOOST_TEST((ec == errc::wrong_field_type));
    BOOST_TEST(why.find("apiCode") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(optional_members_may_be_absent_or_null) {
    auto r = decode_ok(R"({"statusCode":200,"requestId":null})");
    BOOST_TEST(r.message.empty());
    BOOST_TEST(!r.request_id.has_value());
}

BOOST_AUTO_TEST_CASE(wrong_types_name_the_field) {
    struct row {
        const char* json;
        errc expected;
        const char* field;
    } rows[] = {
        {R"({"statusCode":"200"})", errc::wrong_field_type, "'statusCode'"},
        {R"({"message":"no status"})", errc::missing_field, "'statusCode'"},
        {R"({"statusCode":200,"message":5})", errc::wrong_field_type, "'message'"},
        {R"({"statusCode":200,"requestId":{}})", errc::wrong_field_type, "'requestId'"},
        {R"({"statusCode":1.5})", errc::wrong_field_type, "'statusCode'"},
        {R"([1,2])", errc::wrong_field_type, "top level"},
    };
    for (const auto& row : rows) {
        BOOST_TEST_CONTEXT(row.json) {
            auto [ec, why] = decode_error(row.json);
            BOOST_TEST((ec == row.expected));
            BOOST_TEST(why.find(row.field) != std::string::npos, why);
        }
    }
}

BOOST_AUTO_TEST_CASE(nested_request_field_path_is_named) {
    detail::decode_context ctx;
    enroll_factor_request r;
    BOOST_TEST(!decode_value(
        json::parse(R"({"enrollmentToken":"t","factorType":"SMS","enrollmentData":{"passCode":123}})"), r, ctx));
    BOOST_TEST(ctx.detail == "field 'enrollmentData.passCode': expected a string");
}

BOOST_AUTO_TEST_CASE(try_value_to_reports_errors_without_throwing) {
    auto result = json::try_value_to<enroll_factor_response>(json::parse(R"({"statusCode":"x"})"));
    BOOST_TEST_REQUIRE(result.has_error());
    BOOST_TEST((result.error() == errc::wrong_field_type));
    BOOST_CHECK_THROW(json::value_to<enroll_factor_response>(json::parse("{}")), boost::system::system_error);
}

BOOST_AUTO_TEST_CASE(response_serialises_envelope) {
    enroll_factor_response r;
    r.status_code = 400;
    r.message = "bad";
    r.api_code = 6001;
    BOOST_TEST(json::serialize(json::value_from(r)) == R"({"statusCode":400,"message":"bad","apiCode":6001})");
}

BOOST_AUTO_TEST_CASE(validation_before_any_io) {
    auto make = [](factor_type t) {
        enroll_factor_request r;
        r.enrollment_token = "tok";
        r.factor_type = t;
        return r;
    };
    for (auto t : {factor_type::sms, factor_type::email, factor_type::otp}) {
        auto r = make(t);
        BOOST_TEST((validate(r) == errc::missing_pass_code));
        r.enrollment_data.pass_code = "";
        BOOST_TEST((validate(r) == errc::missing_pass_code));
        r.enrollment_data.pass_code = "123456";
        BOOST_TEST(!validate(r));
        r.enrollment_token.clear();
        BOOST_TEST((validate(r) == errc::missing_enrollment_token));
    }
    auto face = make(factor_type::face);
    BOOST_TEST((validate(face) == errc::missing_photo));
    face.enrollment_data.photo = "https://x/y.png";
    BOOST_TEST(!validate(face));
    face.factor_type = static_cast<factor_type>(42);
    BOOST_TEST((validate(face) == errc::invalid_factor_type));
    BOOST_TEST((validate(enroll_factor_request{}) == std::errc::invalid_argument));
}

BOOST_AUTO_TEST_SUITE_END()
