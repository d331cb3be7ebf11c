import Foundation
import Yams

/// Typed, line-aware reading of one YAML mapping of a configuration file.
public struct ConfigSection {
    public let file: String
    /// Dotted path of this section (`channels.messenger`); empty at the top.
    public let path: String
    public let line: Int?
    /// The folder of the deployment configuration, against which relative paths are resolved.
    public let folder: String
    private let values: [String: Node]
    private let keyLines: [String: Int]
    let substitution: EnvironmentSubstitution

    /// - Parameter line: where the section's key stands; defaults to where its mapping starts.
    init(file: String, path: String, node: Node?, line: Int? = nil, folder: String, substitution: EnvironmentSubstitution) throws(ConfigError) {
        self.file = file
        self.folder = folder
        self.path = path
        self.substitution = substitution
        self.line = line ?? node?.mark?.line
        guard let node else {
            values = [:]
            keyLines = [:]
            return
        }
        guard let mapping = node.mapping else {
            throw ConfigError(file: file, line: node.mark?.line, key: path, reason: "expected a mapping of keys to values")
        }
        var values: [String: Node] = [:]
        var keyLines: [String: Int] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                throw ConfigError(file: file, line: key.mark?.line, key: path, reason: "keys must be strings")
            }
            values[name] = value
            keyLines[name] = key.mark?.line
        }
        self.values = values
        self.keyLines = keyLines
    }

    /// Fails on the first key that is not in `known`.
    public func allowOnly(_ known: Set<String>) throws(ConfigError) {
        for (key, node) in values.sorted(by: { (keyLines[$0.key] ?? 0) < (keyLines[$1.key] ?? 0) })
        where !known.contains(key) {
            throw ConfigError(
                file: file, line: keyLines[key] ?? node.mark?.line, key: qualified(key),
                reason: "unknown key (expected one of: \(known.sorted().joined(separator: ", ")))")
        }
    }

    public func section(_ key: String) throws(ConfigError) -> ConfigSection {
        try ConfigSection(file: file, path: qualified(key), node: values[key], line: keyLines[key], folder: folder, substitution: substitution)
    }

    /// The expanded text of a scalar, or nil when the key is absent.
    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = values[key] else { return nil }
        guard case .scalar(let scalar) = node else {
            throw error(key, "expected a single value, not a list or mapping")
        }
        do {
            return try substitution.expand(scalar.string)
        } catch {
            throw self.error(key, error.reason)
        }
    }

    public func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        try string(key) ?? fallback
    }

    /// A YAML list of scalars, or one scalar holding a comma-separated list (handy from an environment
    /// variable); nil when the key is absent.
    public func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let node = values[key] else { return nil }
        let items: [String]
        switch node {
        case .scalar:
            items = (try string(key) ?? "").split(separator: ",").map(String.init)
        case .sequence(let sequence):
            var expanded: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else { throw error(key, "expected a list of single values") }
                do {
                    expanded.append(try substitution.expand(scalar.string))
                } catch {
                    throw self.error(key, error.reason)
                }
            }
            items = expanded
        default:
            throw error(key, "expected a list or a comma-separated value")
        }
        return items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let value = try string(key), !value.isEmpty else { throw error(key, "a value is required") }
        return value
    }

    public func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let text = try string(key) else { return fallback }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(key, "expected an integer, got '\(text)'")
        }
        guard range.contains(value) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    /// An http(s) URL, or `fallback` when the key is absent; anything else is an error.
    public func httpURL(_ key: String, default fallback: String) throws(ConfigError) -> String {
        let value = try string(key, default: fallback)
        guard value.hasPrefix("http://") || value.hasPrefix("https://") else { throw error(key, "expected an http(s) URL") }
        return value
    }

    public func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let text = try string(key) else { return fallback }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(key, "expected true or false, got '\(text)'")
        }
    }

    public func error(_ key: String, _ reason: String) -> ConfigError {
        ConfigError(file: file, line: keyLines[key] ?? line, key: qualified(key), reason: reason)
    }

    private func qualified(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
