/// What the connection guard answers with when it refuses a request before any route
/// (and so any campaign) is known: from the strings file of the first served
/// campaign's language, English where none is loaded.
struct GuardTexts: Sendable {
    let tooLarge: String
    let badRequest: String
    let timeout: String
    let serverFull: String
    let clientFull: String
    let noHost: String
    /// With `{{count}}` for how many Host headers came.
    let manyHosts: String

    init(pages: PageRenderer?) {
        let pages = pages ?? PageRenderer.english
        func text(_ key: String) -> String { pages?.text(key) ?? key }
        tooLarge = text("error_too_large_text")
        badRequest = text("error_bad_request_text")
        timeout = text("error_timeout_text")
        serverFull = text("error_busy_text")
        clientFull = text("error_busy_client_text")
        noHost = text("error_no_host_text")
        manyHosts = text("error_many_hosts_text")
    }
}
