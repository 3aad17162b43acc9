import CCurl
import CCurlShims
import Foundation

/// One libcurl easy handle, kept for a worker's lifetime so that libcurl reuses its
/// connection across messages. Not `Sendable`: a handle belongs to one thread.
final class EasyHandle {
    let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER, allocated for the handle's lifetime: it holds libcurl's
    /// detailed message ("RCPT failed: 550").
    private let errorBuffer: UnsafeMutablePointer<CChar>

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    init() throws(DeliveryError) {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw DeliveryError(.unavailable, "libcurl could not be initialised")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = ccurl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, discardCallback)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func set(_ option: CurlNumberOption, _ value: Int) {
        _ = ccurl_easy_setopt_long(handle, option.raw, value)
    }

    func set(_ option: CurlTextOption, _ value: String?) {
        if let value {
            _ = value.withCString { ccurl_easy_setopt_pointer(handle, option.raw, $0) }
        } else {
            _ = ccurl_easy_setopt_pointer(handle, option.raw, nil)
        }
    }

    /// CURLOPT_SSL_VERIFYPEER/VERIFYHOST off (`insecure`, test servers only) and CURLOPT_CAINFO.
    func setTLS(insecure: Bool, caFile: String?) {
        if insecure {
            set(.verifyPeer, 0)
            set(.verifyHost, 0)
        }
        if let caFile { set(.caInfo, caFile) }
    }

    /// CURLOPT_USERNAME and CURLOPT_PASSWORD, when given.
    func setLogin(user: String?, password: String?) {
        if let user { set(.userName, user) }
        if let password { set(.password, password) }
    }

    /// CURLOPT_INFILESIZE_LARGE.
    func setUploadSize(_ size: Int) {
        _ = ccurl_easy_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(size))
    }

    /// CURLOPT_MAIL_RCPT: libcurl does not copy the list, so the caller keeps it alive.
    func setRecipients(_ list: CurlStringList?) {
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_MAIL_RCPT, list?.pointer.map { UnsafeRawPointer($0) })
    }

    /// CURLOPT_READFUNCTION and CURLOPT_READDATA.
    func setReader(_ callback: ccurl_data_callback?, context: UnsafeMutableRawPointer?) {
        _ = ccurl_easy_setopt_data_callback(handle, CURLOPT_READFUNCTION, callback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_READDATA, context)
    }

    /// CURLOPT_DEBUGFUNCTION and CURLOPT_DEBUGDATA (with CURLOPT_VERBOSE on): how we
    /// see the SMTP dialogue, the only place libcurl shows each reply's text.
    func setDebug(_ callback: ccurl_debug_callback?, context: UnsafeMutableRawPointer?) {
        _ = ccurl_easy_setopt_debug_callback(handle, callback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_DEBUGDATA, context)
        set(.verbose, callback == nil ? 0 : 1)
    }

    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(handle)
    }

    /// CURLINFO_RESPONSE_CODE: the last reply, which can be stale after a network error.
    var responseCode: Int {
        var code = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// CURLINFO_NUM_CONNECTS: connections opened by the last transfer (0 when one was reused).
    var connectionsOpened: Int {
        var count = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &count)
        return count
    }

    /// The error buffer's text, or libcurl's generic text for `code`.
    func errorText(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }
}

@available(*, unavailable)
extension EasyHandle: Sendable {}

/// A `curl_slist` owned by Swift: freed when the value goes away.
final class CurlStringList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ items: [String]) {
        for item in items { pointer = curl_slist_append(pointer, item) }
    }

    deinit {
        curl_slist_free_all(pointer)
    }
}
