/// A file attached to a message, sent base64-encoded.
public struct Attachment: Sendable {
    /// The name shown to the reader (any Unicode; encoded per RFC 2231).
    public let filename: String
    /// The MIME type, such as `application/pdf`.
    public let contentType: String
    public let data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }

    /// A MIME type for a file name's extension, `application/octet-stream` if unknown.
    public static func contentType(forFilename name: String) -> String {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "pdf": return "application/pdf"
        case "txt": return "text/plain"
        case "csv": return "text/csv"
        case "html", "htm": return "text/html"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "svg": return "image/svg+xml"
        case "doc": return "application/msword"
        case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "odt": return "application/vnd.oasis.opendocument.text"
        case "zip": return "application/zip"
        default: return "application/octet-stream"
        }
    }
}
