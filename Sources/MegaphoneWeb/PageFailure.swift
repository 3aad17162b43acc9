import Hummingbird

/// A page that says what went wrong and what to do, with its status.
struct PageFailure: Error {
    let status: HTTPResponse.Status
    let heading: String
    let text: String
    let back: String?

    init(_ status: HTTPResponse.Status, heading: String, _ text: String, back: String? = nil) {
        self.status = status
        self.heading = heading
        self.text = text
        self.back = back
    }
}
