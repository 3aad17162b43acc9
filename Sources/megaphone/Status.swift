/// Exit statuses from sysexits.h, so scripts can tell one failure from another.
enum Status: Int32 {
    case success = 0
    case failure = 1
    /// EX_USAGE: the command was used wrongly.
    case usage = 64
    /// EX_DATAERR: a template, campaign or data file is wrong.
    case dataError = 65
    /// EX_NOINPUT: an input file is missing or unreadable.
    case noInput = 66
    /// EX_UNAVAILABLE: a service (the SMTP server) refused.
    case unavailable = 69
    /// EX_SOFTWARE: a bug in Megaphone.
    case software = 70
    /// EX_CANTCREAT: an output file cannot be created.
    case cannotCreate = 73
    /// EX_IOERR: writing failed.
    case ioError = 74
    /// EX_TEMPFAIL: try again later.
    case temporaryFailure = 75
    /// EX_CONFIG: the configuration is wrong.
    case config = 78
    /// Stopped by SIGINT (128 + 2), as shells report it.
    case interrupted = 130
    /// Stopped by SIGTERM (128 + 15).
    case terminated = 143
}
