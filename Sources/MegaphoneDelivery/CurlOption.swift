import CCurl
import CCurlShims

/// A libcurl option that takes a number (`long`): a wrong-typed value cannot compile.
struct CurlNumberOption {
    let raw: CURLoption

    /// The corresponding libcurl option is CURLOPT_UPLOAD.
    static let upload = CurlNumberOption(raw: CURLOPT_UPLOAD)
    /// The corresponding libcurl option is CURLOPT_NOSIGNAL.
    static let noSignal = CurlNumberOption(raw: CURLOPT_NOSIGNAL)
    /// The corresponding libcurl option is CURLOPT_USE_SSL.
    static let useSSL = CurlNumberOption(raw: CURLOPT_USE_SSL)
    /// The corresponding libcurl option is CURLOPT_SSL_VERIFYPEER.
    static let verifyPeer = CurlNumberOption(raw: CURLOPT_SSL_VERIFYPEER)
    /// The corresponding libcurl option is CURLOPT_SSL_VERIFYHOST.
    static let verifyHost = CurlNumberOption(raw: CURLOPT_SSL_VERIFYHOST)
    /// The corresponding libcurl option is CURLOPT_NETRC.
    static let netrc = CurlNumberOption(raw: CURLOPT_NETRC)
    /// The corresponding libcurl option is CURLOPT_CONNECTTIMEOUT.
    static let connectTimeout = CurlNumberOption(raw: CURLOPT_CONNECTTIMEOUT)
    /// The corresponding libcurl option is CURLOPT_SERVER_RESPONSE_TIMEOUT.
    static let serverResponseTimeout = CurlNumberOption(raw: CURLOPT_SERVER_RESPONSE_TIMEOUT)
    /// The corresponding libcurl option is CURLOPT_MAIL_RCPT_ALLOWFAILS (three Ls before curl 8.2).
    static let mailRecipientAllowFails = CurlNumberOption(raw: ccurl_option_mail_rcpt_allowfails())
    /// The corresponding libcurl option is CURLOPT_VERBOSE.
    static let verbose = CurlNumberOption(raw: CURLOPT_VERBOSE)
    /// The corresponding libcurl option is CURLOPT_TCP_KEEPALIVE.
    static let tcpKeepAlive = CurlNumberOption(raw: CURLOPT_TCP_KEEPALIVE)
}

/// A libcurl option that takes text; libcurl keeps its own copy.
struct CurlTextOption {
    let raw: CURLoption

    /// The corresponding libcurl option is CURLOPT_URL.
    static let url = CurlTextOption(raw: CURLOPT_URL)
    /// The corresponding libcurl option is CURLOPT_MAIL_FROM.
    static let mailFrom = CurlTextOption(raw: CURLOPT_MAIL_FROM)
    /// The corresponding libcurl option is CURLOPT_USERNAME.
    static let userName = CurlTextOption(raw: CURLOPT_USERNAME)
    /// The corresponding libcurl option is CURLOPT_PASSWORD.
    static let password = CurlTextOption(raw: CURLOPT_PASSWORD)
    /// The corresponding libcurl option is CURLOPT_CAINFO.
    static let caInfo = CurlTextOption(raw: CURLOPT_CAINFO)
    /// The corresponding libcurl option is CURLOPT_XOAUTH2_BEARER.
    static let bearer = CurlTextOption(raw: CURLOPT_XOAUTH2_BEARER)
    /// The corresponding libcurl option is CURLOPT_CUSTOMREQUEST.
    static let customRequest = CurlTextOption(raw: CURLOPT_CUSTOMREQUEST)
    /// The corresponding libcurl option is CURLOPT_LOGIN_OPTIONS.
    static let loginOptions = CurlTextOption(raw: CURLOPT_LOGIN_OPTIONS)
    /// The corresponding libcurl option is CURLOPT_NETRC_FILE.
    static let netrcFile = CurlTextOption(raw: CURLOPT_NETRC_FILE)
}

/// libcurl's `CURLUSESSL_*` values for CURLOPT_USE_SSL.
enum CurlUseSSL: Int {
    /// CURLUSESSL_NONE: plain text (loopback relays only).
    case none = 0
    /// CURLUSESSL_ALL: TLS is required; never falls back to plain text.
    case all = 3
}
