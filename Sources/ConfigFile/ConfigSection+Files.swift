import Foundation
import Yams

extension ConfigSection {
    /// The top of the YAML file at `path`, its values expanded by `substitution`; relative paths in it are
    /// resolved against `folder`.
    public static func read(_ path: String, folder: String, substitution: EnvironmentSubstitution) throws(ConfigError) -> ConfigSection {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: nil, key: "", reason: "cannot read the file (missing, unreadable or not UTF-8)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: path, line: line(of: error), key: "", reason: "not valid YAML (\(problem(of: error)))")
        } catch {
            throw ConfigError(file: path, line: nil, key: "", reason: "not valid YAML")
        }
        return try ConfigSection(file: path, path: "", node: node, folder: folder, substitution: substitution)
    }

    /// Another YAML file this configuration names (a channel profile, a template), read the same way.
    public func readFile(_ path: String) throws(ConfigError) -> ConfigSection {
        try Self.read(resolve(path), folder: folder, substitution: substitution)
    }

    /// `path` resolved against the configuration's folder, unless absolute.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicate keys: \(duplicates.joined(separator: ", "))"
        default: "unreadable"
        }
    }
}
