public import Foundation

/// What happens during a run, for progress displays.
public enum SendEvent: Sendable {
    case waiting(until: Date)
    case started(toSend: Int, summary: SendSummary)
    case progress(SendSummary)
    case message(String)
}
