import ArgumentParser
import Foundation
import Webshop

/// Feed import and search: `xmllint --stream` and ChatBuddy on the same generated feed in the same run,
/// the import's peak memory on two feed sizes, then search latency over mixed queries.
struct CatalogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Measure UNAS feed import against xmllint --stream, and catalog search latency.")

    @OptionGroup var server: ServerOption

    @Option(help: "Products in the large feed.")
    var products = 100_000

    @Option(help: "Search queries to time.")
    var queries = 1_000

    @Option(help: "Runs of each import measurement; the best is reported.")
    var runs = 3

    @Flag(help: "Only build the index of the large feed and time searches (no imports).")
    var searchOnly = false

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-catalog-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("feed-small.xml").path
        let large = folder.appendingPathComponent("feed-large.xml").path
        print("writing feeds of \(products / 10) and \(products) products…")
        try FeedGenerator.write(count: products, to: large)
        if searchOnly { return try measureSearch(large) }
        try FeedGenerator.write(count: products / 10, to: small)
        let megabytes = Double(try FileManager.default.attributesOfItem(atPath: large)[.size] as? Int ?? 0) / 1_048_576

        // Each child's peak memory is its own high-water mark, so runs do not mix.
        var smallImport = ChildRun(seconds: .infinity, peakKilobytes: 0)
        var largeImport = ChildRun(seconds: .infinity, peakKilobytes: 0)
        var xmllint = ChildRun(seconds: .infinity, peakKilobytes: 0)
        var again = ChildRun(seconds: .infinity, peakKilobytes: 0)
        var parse = Double.infinity
        for run in 1...runs {
            print("run \(run) of \(runs)…")
            xmllint = min(xmllint, try ChildRun.measure("/usr/bin/xmllint", ["--stream", "--noout", large]))
            parse = min(parse, try Self.parseOnly(large))
            let smallDatabase = folder.appendingPathComponent("import-small-\(run)-\(UUID().uuidString).sqlite").path
            smallImport = min(smallImport, try Self.importFeed(small, into: smallDatabase, executable: server.path))
            let database = folder.appendingPathComponent("import-\(run)-\(UUID().uuidString).sqlite").path
            largeImport = min(largeImport, try Self.importFeed(large, into: database, executable: server.path))
            // The periodic case: the same feed again, into the catalog it just made.
            again = min(again, try Self.importFeed(large, into: database, executable: server.path))
        }

        print("")
        print(String(format: "feed: %d products, %.1f MB (best of %d runs)", products, megabytes, runs))
        print("                                   MB/s   products/s   of xmllint   peak RSS")
        func line(_ name: String, _ seconds: Double, _ rss: Int?) {
            print(
                name.padding(toLength: 32, withPad: " ", startingAt: 0),
                String(format: "%7.1f   %10.0f   %9.0f%%", megabytes / seconds, Double(products) / seconds, xmllint.seconds / seconds * 100),
                rss.map { String(format: "  %6.1f MB", Double($0) / 1024) } ?? "")
        }
        line("xmllint --stream", xmllint.seconds, xmllint.peakKilobytes)
        line("feed reader (parse + map)", parse, nil)
        line("chatbuddy import-feed (SQLite)", largeImport.seconds, largeImport.peakKilobytes)
        line("the same feed again, unchanged", again.seconds, again.peakKilobytes)
        print(String(format: "import peak RSS by feed size: %d products %.1f MB, %d products %.1f MB",
                     products / 10, Double(smallImport.peakKilobytes) / 1024, products, Double(largeImport.peakKilobytes) / 1024))

        try measureSearch(large)
    }

    /// Builds the index of the feed at `path` and times `queries` searches over it.
    func measureSearch(_ path: String) throws {
        let reader = try UNASFeedReader(path: path)
        var products: [Product] = []
        while let entry = try reader.next() { if let product = entry.product { products.append(product) } }
        let started = ContinuousClock.now
        let index = SearchIndex(products: products)
        print("index of \(products.count) products built in \(started.duration(to: .now))")
        let latencies = Self.searchLatencies(index, count: queries)
        print(String(format: "search over %d products, %d mixed queries: p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                     index.products.count, latencies.count, latencies.p50 * 1000, latencies.p99 * 1000, latencies.max * 1000))
    }

    /// The feed read with the reader alone: libxml2 streaming and mapping to products, no store.
    static func parseOnly(_ path: String) throws -> Double {
        let started = ContinuousClock.now
        let reader = try UNASFeedReader(path: path)
        var count = 0
        while try reader.next() != nil { count += 1 }
        return (ContinuousClock.now - started) / .seconds(1)
    }

    /// `chatbuddy import-feed` into the SQLite file at `database`.
    static func importFeed(_ path: String, into database: String, executable: String) throws -> ChildRun {
        return try ChildRun.measure(executable, ["import-feed", path], environment: ["DATABASE_URL": "sqlite:" + database, "LOG_LEVEL": "warning"])
    }

    static let mixedQueries: [ProductQuery] = [
        ProductQuery("kávéfőző"), ProductQuery("kavefozo"), ProductQuery("fekete futócipő"), ProductQuery("okostelefon"),
        ProductQuery("porszivo", inStockOnly: true), ProductQuery("kavefozp"), ProductQuery("headphones"),
        ProductQuery("coffee maker"), ProductQuery("vezeték nélküli fejhallgató"), ProductQuery("Samsung laptop"),
        ProductQuery("női póló", maxPrice: 20_000), ProductQuery("gyerek kerékpár"), ProductQuery("vízálló hátizsák"),
        ProductQuery("LEGO építőkészlet", inStockOnly: true), ProductQuery("fúró"), ProductQuery("piros serpenyőt"),
        ProductQuery("okosora"), ProductQuery("egér", brand: "Lenovo"), ProductQuery("", maxPrice: 5_000, category: "Sport"),
        ProductQuery("prémium fejhalgató"), ProductQuery("running shoes"), ProductQuery("Philips kávéfőzők"),
        ProductQuery("kompakt porszívót keresek 30 ezer alatt", maxPrice: 30_000), ProductQuery("smartwatch"),
    ]

    static func searchLatencies(_ index: SearchIndex, count: Int) -> (p50: Double, p99: Double, max: Double, count: Int) {
        for query in mixedQueries { _ = index.search(query) }
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        var byQuery = [Double](repeating: 0, count: mixedQueries.count)
        for number in 0..<count {
            let query = mixedQueries[number % mixedQueries.count]
            let started = ContinuousClock.now
            _ = index.search(query)
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            latencies.append(seconds)
            byQuery[number % mixedQueries.count] = max(byQuery[number % mixedQueries.count], seconds)
        }
        let slowest = byQuery.indices.sorted { byQuery[$0] > byQuery[$1] }.prefix(3)
        print("slowest queries: " + slowest.map { "\"\(mixedQueries[$0].text)\" " + String(format: "%.3f ms", byQuery[$0] * 1000) }.joined(separator: ", "))
        latencies.sort()
        let latency = Load.Latency(sorted: latencies, failures: 0)
        return (latency.p50, latency.p99, latencies.last ?? .nan, latencies.count)
    }
}

/// A child process's wall time and peak resident memory.
struct ChildRun: Comparable {
    var seconds: Double
    var peakKilobytes: Int

    static func < (a: ChildRun, b: ChildRun) -> Bool { a.seconds < b.seconds }

    static func measure(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:]) throws -> ChildRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        process.standardOutput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try process.run()
        // The child's own high-water mark, read while it runs (Foundation reaps it, so its rusage is not ours).
        var peak = 0
        while process.isRunning {
            peak = max(peak, highWaterMark(process.processIdentifier) ?? 0)
            Thread.sleep(forTimeInterval: 0.005)
        }
        process.waitUntilExit()
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        guard process.terminationStatus == 0 else {
            throw BenchError("\(executable) \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus))")
        }
        return ChildRun(seconds: seconds, peakKilobytes: peak)
    }

    /// `VmHWM` of a running process, in kilobytes.
    static func highWaterMark(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
}
