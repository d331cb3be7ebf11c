/// Expands `${NAME}`, `${NAME:-default}` (unset or empty) and `${NAME-default}` (unset) in configuration values.
public struct EnvironmentSubstitution: Sendable {
    let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// The value with every reference replaced; throws the reason when a reference cannot be resolved.
    func expand(_ value: String) throws(Failure) -> String {
        var output = ""
        var rest = Substring(value)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw Failure(reason: "unterminated ${ in value")
            }
            let reference = rest[start.upperBound..<end]
            if let separator = reference.range(of: ":-") {
                let name = String(reference[..<separator.lowerBound])
                try validate(name)
                let fallback = String(reference[separator.upperBound...])
                if let set = environment[name], !set.isEmpty { output += set } else { output += fallback }
            } else if let separator = reference.firstIndex(of: "-") {
                // `${NAME-default}`: the default only when unset, so an empty value can switch a feature off.
                let name = String(reference[..<separator])
                try validate(name)
                output += environment[name] ?? String(reference[reference.index(after: separator)...])
            } else {
                let name = String(reference)
                try validate(name)
                guard let set = environment[name] else {
                    throw Failure(reason: "environment variable \(name) is not set")
                }
                output += set
            }
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }

    private func validate(_ name: String) throws(Failure) {
        let valid = !name.isEmpty && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard valid else { throw Failure(reason: "invalid environment variable name '\(name)'") }
    }

    struct Failure: Error {
        var reason: String
    }
}
