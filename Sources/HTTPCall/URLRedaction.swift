import Foundation

extension String {
    /// This URL as it may be logged: scheme, host, port and path, without credentials, query or fragment
    /// (where feed and API URLs carry their keys); text that is not an http(s) URL is returned as it is.
    public var redactedURL: String {
        guard var components = URLComponents(string: self), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { return self }
        let hidden = components.user != nil || components.password != nil || components.query != nil || components.fragment != nil
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return (components.string ?? "") + (hidden ? " (credentials and query hidden)" : "")
    }
}
