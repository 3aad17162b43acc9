/// The headers every answer carries, whoever writes it (a page, an error page, or the
/// connection guard's own 400, 408, 413 and 503): a Content-Security-Policy that allows
/// only this server's own styles and script, no framing unless the campaign names origins
/// that may embed it, no referrer (links carry tokens), no MIME sniffing, and HSTS when
/// the public address is https.
struct SecurityHeaders: Sendable {
    /// Whether `--base-url` is https: browsers are then told to use nothing else for a year.
    let https: Bool

    /// The headers for an answer that origins `embedders` may frame (none: no framing).
    func fields(embedders: [String] = []) -> [(name: String, value: String)] {
        let ancestors = embedders.isEmpty ? "'none'" : embedders.joined(separator: " ")
        var fields: [(name: String, value: String)] = [
            ("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors \(ancestors)"),
            ("Referrer-Policy", "no-referrer"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if embedders.isEmpty { fields.append(("X-Frame-Options", "DENY")) }
        if https { fields.append(("Strict-Transport-Security", "max-age=31536000")) }
        return fields
    }
}
