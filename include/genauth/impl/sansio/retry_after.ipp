#ifndef GENAUTH_IMPL_SANSIO_RETRY_AFTER_IPP
#define GENAUTH_IMPL_SANSIO_RETRY_AFTER_IPP

#include <genauth/impl/sansio/retry_after.hpp>

#include <array>
#include <cstdint>

namespace genauth::detail {

namespace retry_after_parsing {

// A cursor over the field value: each step consumes what it matches or fails.
struct cursor {
    std::string_view rest;

    bool literal(std::string_view s) noexcept {
        if (rest.substr(0, s.size()) != s) return false;
        rest.remove_prefix(s.size());
        return true;
    }
    // Exactly `digits` decimal digits (1 to 4).
    bool number(int digits, int& out) noexcept {
        if (rest.size() < static_cast<std::size_t>(digits)) return false;
        out = 0;
        for (int i = 0; i < digits; ++i) {
            const char c = rest[static_cast<std::size_t>(i)];
            if (c < '0' || c > '9') return false;
            out = out * 10 + (c - '0');
        }
        rest.remove_prefix(static_cast<std::size_t>(digits));
        return true;
    }
    // One of `names`, case-sensitively as RFC 9110 writes them; its index in `index`.
    template <std::size_t N>
    bool one_of(const std::array<std::string_view, N>& names, int& index) noexcept {
        for (std::size_t i = 0; i < N; ++i) {
            if (literal(names[i])) {
                index = static_cast<int>(i);
                return true;
            }
        }
        return false;
    }
};

inline constexpr std::array<std::string_view, 7> short_days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
inline constexpr std::array<std::string_view, 7> long_days{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                           "Friday", "Saturday", "Sunday"};
inline constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "HH:MM:SS"
inline bool time_of_day(cursor& c, int& h, int& m, int& s) noexcept {
    return c.number(2, h) && c.literal(":") && c.number(2, m) && c.literal(":") && c.number(2, s) && h < 24 && m < 60 &&
           s < 61;  // 60: a leap second, read as the next minute's first
}

// The date in seconds (not the system clock's nanoseconds, which end in 2262: a date in year 9999
// would wrap into the past), or nullopt when it is not a valid calendar date.
inline std::optional<std::chrono::sys_seconds> make_time(int year, int month_index, int day, int h, int m, int s) {
    using namespace std::chrono;
    const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month_index + 1)},
                              std::chrono::day{static_cast<unsigned>(day)}};
    if (!date.ok()) return std::nullopt;
    return sys_seconds{sys_days{date}} + hours{h} + minutes{m} + seconds{s};
}

inline std::optional<std::chrono::sys_seconds> http_date(std::string_view value) {
    int weekday = 0, day = 0, month = 0, year = 0, h = 0, m = 0, s = 0;
    {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        cursor c{value};
        if (c.one_of(short_days, weekday) && c.literal(", ") && c.number(2, day) && c.literal(" ") &&
            c.one_of(months, month) && c.literal(" ") && c.number(4, year) && c.literal(" ") &&
            time_of_day(c, h, m, s) && c.literal(" GMT") && c.rest.empty())
            return make_time(year, month, day, h, m, s);
    }
    {  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year more than 50 years ahead is
       // in the past century (RFC 9110 section 5.6.7): read as 1970-2069, which holds for now.
        cursor c{value};
        if (c.one_of(long_days, weekday) && c.literal(", ") && c.number(2, day) && c.literal("-") &&
            c.one_of(months, month) && c.literal("-") && c.number(2, year) && c.literal(" ") &&
            time_of_day(c, h, m, s) && c.literal(" GMT") && c.rest.empty())
            return make_time(year < 70 ? 2000 + year : 1900 + year, month, day, h, m, s);
    }
    {  // asctime: "Sun Nov  6 08:49:37 1994" (a one-digit day has a space before it)
        cursor c{value};
        if (c.one_of(short_days, weekday) && c.literal(" ") && c.one_of(months, month) && c.literal(" ") &&
            (c.literal(" ") ? c.number(1, day) : c.number(2, day)) && c.literal(" ") && time_of_day(c, h, m, s) &&
            c.literal(" ") && c.number(4, year) && c.rest.empty())
            return make_time(year, month, day, h, m, s);
    }
    return std::nullopt;
}

}  // namespace retry_after_parsing

GENAUTH_DECL std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                                   std::chrono::system_clock::time_point now) {
    using std::chrono::seconds;
    if (value.empty()) return std::nullopt;
    if (value.find_first_not_of("0123456789") == std::string_view::npos) {
        // delta-seconds: any number of digits, saturating at the bound.
        std::int64_t n = 0;
        for (const char c : value) {
            n = n * 10 + (c - '0');
            if (n > max_retry_after.count()) return max_retry_after;
        }
        return seconds{n};
    }
    const auto date = retry_after_parsing::http_date(value);
    if (!date) return std::nullopt;
    const auto now_s = std::chrono::floor<seconds>(now);
    if (*date <= now_s) return seconds{0};
    const auto ahead = *date - now_s;
    return ahead > max_retry_after ? max_retry_after : ahead;
}

GENAUTH_DECL void read_retry_after(call_outcome& out, std::string_view field,
                                   std::chrono::system_clock::time_point now) {
    if (field.empty() || !asks_to_slow_down(out.diag.http_status, out.envelope.status_code)) return;
    out.diag.retry_after = parse_retry_after(field, now);
}

}  // namespace genauth::detail

#endif
