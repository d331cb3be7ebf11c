import Foundation

/// What can go wrong talking to the UNAS API.
public enum UNASError: Error, Sendable, Equatable, CustomStringConvertible {
    /// UNAS answered `<Error>message</Error>`.
    case api(String)
    /// UNAS banned this server's address for too many calls; no call is made before `until`.
    case ipBanned(until: Date)
    /// The API key was refused.
    case loginFailed(String)
    /// The API could not be reached or answered with a server error; worth trying later.
    case unavailable(String)
    /// The answer was not the XML UNAS sends.
    case malformedAnswer

    public var description: String {
        switch self {
        case .api(let message): "UNAS error: \(message)"
        case .ipBanned(let until): "UNAS has banned this address until \(until)"
        case .loginFailed(let message): "UNAS login failed: \(message)"
        case .unavailable(let reason): "UNAS is unavailable: \(reason)"
        case .malformedAnswer: "UNAS answered with something that is not its XML"
        }
    }
}
