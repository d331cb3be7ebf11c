/// The release this build is, as `chatbuddy --version` prints it (CHANGELOG.md lists what each brought).
enum ChatBuddyVersion {
    static let current = "0.7.0"
}
