// Non-variadic wrappers of curl_easy_setopt / curl_easy_getinfo, which Swift
// cannot call (C variadic functions are unavailable in Swift).
#ifndef CCURL_SHIMS_H
#define CCURL_SHIMS_H

#include <curl/curl.h>

typedef size_t (*ccurl_data_callback)(char *_Nonnull buffer, size_t size, size_t count, void *_Nullable context);
typedef int (*ccurl_debug_callback)(CURL *_Nonnull handle, curl_infotype type, char *_Nonnull data, size_t size, void *_Nullable context);

CURLcode ccurl_easy_setopt_long(CURL *_Nonnull handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_pointer(CURL *_Nonnull handle, CURLoption option, const void *_Nullable value);
CURLcode ccurl_easy_setopt_off_t(CURL *_Nonnull handle, CURLoption option, curl_off_t value);
CURLcode ccurl_easy_setopt_data_callback(CURL *_Nonnull handle, CURLoption option, ccurl_data_callback _Nullable callback);
CURLcode ccurl_easy_setopt_debug_callback(CURL *_Nonnull handle, ccurl_debug_callback _Nullable callback);
CURLcode ccurl_easy_getinfo_long(CURL *_Nonnull handle, CURLINFO info, long *_Nonnull value);

/// CURLINFO_HEADER_IN and CURLINFO_HEADER_OUT (curl_infotype), as functions: Swift's
/// import of these enum constants is not reliable across clean and incremental builds.
curl_infotype ccurl_infotype_header_in(void);
curl_infotype ccurl_infotype_header_out(void);

/// CURLOPT_MAIL_RCPT_ALLOWFAILS, spelled CURLOPT_MAIL_RCPT_ALLLOWFAILS before curl 8.2.
CURLoption ccurl_option_mail_rcpt_allowfails(void);

#endif
