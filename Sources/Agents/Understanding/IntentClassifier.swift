import Foundation
import Webshop

/// Names the node a message should go to: a softmax (multinomial logistic) model over word, stem,
/// character n-gram and word-pair features of the normalized text, trained from labeled messages.
public struct IntentClassifier: Sendable {
    /// The intents the model knows, in the order of its weight rows.
    public let intents: [String]
    private let vocabulary: [String: Int32]
    /// `intents.count` weights per feature, feature-major.
    private let weights: [Float]
    private let bias: [Float]

    /// The intent with the highest probability, and that probability.
    public struct Prediction: Sendable, Hashable {
        public var intent: String
        public var confidence: Double
    }

    /// Trains on `messages`: `epochs` passes of stochastic gradient descent for each of three fixed
    /// shuffles, whose weights are averaged; the same messages always give the same model.
    public init(training messages: [LabeledMessage], epochs: Int = 30) {
        let intents = Array(Set(messages.map(\.intent))).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: intents.enumerated().map { ($1, $0) })
        var vocabulary: [String: Int32] = [:]
        let samples: [(features: [Int32], label: Int)] = messages.map { message in
            let names = Self.features(TextNormalizer.normalize(message.text))
            let ids = names.map { name in
                if let id = vocabulary[name] { return id }
                let id = Int32(vocabulary.count)
                vocabulary[name] = id
                return id
            }
            return (Array(Set(ids)).sorted(), classIndex[message.intent]!)
        }
        let classes = intents.count
        var averageWeights = [Float](repeating: 0, count: vocabulary.count * classes)
        var averageBias = [Float](repeating: 0, count: classes)
        for seed in Self.seeds {
            var weights = [Float](repeating: 0, count: vocabulary.count * classes)
            var bias = [Float](repeating: 0, count: classes)
            var order = Array(samples.indices)
            var random = SplitMix64(seed: seed)
            var scores = [Float](repeating: 0, count: classes)
            for epoch in 0..<epochs {
                order.shuffle(using: &random)
                let rate = 0.5 / (1 + Float(epoch) * 0.2)
                weights.withUnsafeMutableBufferPointer { weights in
                    bias.withUnsafeMutableBufferPointer { bias in
                        scores.withUnsafeMutableBufferPointer { scores in
                            Self.descend(samples, in: order, rate: rate, weights: weights, bias: bias, scores: scores)
                        }
                    }
                }
            }
            for index in weights.indices { averageWeights[index] += weights[index] / Float(Self.seeds.count) }
            for index in bias.indices { averageBias[index] += bias[index] / Float(Self.seeds.count) }
        }
        let weights = averageWeights
        let bias = averageBias
        self.intents = intents
        self.vocabulary = vocabulary
        self.weights = weights
        self.bias = bias
    }

    /// One epoch of stochastic gradient descent over `samples` in `order`. On buffers, without an array's checks on
    /// every step: a debug build trained for seconds, holding a thread of the concurrency pool that every gateway
    /// start waits on.
    private static func descend(
        _ samples: [(features: [Int32], label: Int)], in order: [Int], rate: Float,
        weights: UnsafeMutableBufferPointer<Float>, bias: UnsafeMutableBufferPointer<Float>, scores: UnsafeMutableBufferPointer<Float>
    ) {
        let classes = bias.count
        for sampleIndex in order {
            let (features, label) = samples[sampleIndex]
            let scale = 1 / Float(features.count).squareRoot()
            features.withUnsafeBufferPointer { features in
                score(features, scale: scale, weights: UnsafeBufferPointer(weights), bias: UnsafeBufferPointer(bias), into: scores)
                softmax(scores)
                for c in 0..<classes {
                    let gradient = scores[c] - (c == label ? 1 : 0)
                    bias[c] -= rate * gradient * 0.1
                    for feature in features {
                        let w = Int(feature) * classes + c
                        weights[w] -= rate * (gradient * scale + 1e-4 * weights[w])
                    }
                }
            }
        }
    }

    /// The shuffles averaged (fewer lucky or unlucky orders).
    private static let seeds: [UInt64] = [0x5EED, 0xC0FFEE, 0xBEEF]

    /// The model trained on ChatBuddy's built-in labeled set.
    public static let builtIn = IntentClassifier(training: LabeledMessage.builtIn)

    public func predict(_ text: NormalizedText) -> Prediction {
        let ids = Array(Set(Self.features(text).compactMap { vocabulary[$0] })).sorted()
        var scores = [Float](repeating: 0, count: intents.count)
        scores.withUnsafeMutableBufferPointer { scores in
            ids.withUnsafeBufferPointer { ids in
                weights.withUnsafeBufferPointer { weights in
                    bias.withUnsafeBufferPointer { bias in
                        Self.score(ids, scale: ids.isEmpty ? 0 : 1 / Float(ids.count).squareRoot(), weights: weights, bias: bias, into: scores)
                    }
                }
            }
            Self.softmax(scores)
        }
        let best = scores.indices.max { scores[$0] < scores[$1] } ?? 0
        return Prediction(intent: intents[best], confidence: Double(scores[best]))
    }

    /// Whole words, their shortest Hungarian stem, character 3- and 4-grams of each word with its edges
    /// marked, pairs of neighbouring words, and the intents whose cue words occur.
    static func features(_ text: NormalizedText) -> [String] {
        var features: [String] = []
        features.reserveCapacity(text.words.count * 12)
        var previous = "^"
        for word in text.words {
            features.append("w:" + word)
            let cues = IntentCues.cues(of: word)
            for (index, entry) in IntentCues.byIntent.enumerated() where cues.intents & (1 << UInt64(index)) != 0 {
                features.append("cue:" + entry.intent)
                features.append("cue:" + entry.intent + "+")
            }
            if cues.productNoun { features.append("cue:product_noun") }
            if let stem = HungarianStemmer.candidates(word).last, stem != word { features.append("s:" + stem) }
            features.append("b:" + previous + "_" + word)
            previous = word
            let marked = Array("<" + word + ">")
            for length in 4...5 where marked.count >= length {
                for start in 0...(marked.count - length) {
                    features.append("c:" + String(marked[start..<(start + length)]))
                }
            }
        }
        if text.words.isEmpty { features.append("empty") }
        for (intent, phrases) in IntentCues.phrases where phrases.contains(where: text.contains(phrase:)) {
            features.append("phrase:" + intent)
            features.append("phrase:" + intent + "+")
        }
        return features
    }

    private static func score(
        _ features: UnsafeBufferPointer<Int32>, scale: Float, weights: UnsafeBufferPointer<Float>, bias: UnsafeBufferPointer<Float>,
        into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let classes = bias.count
        for c in 0..<classes { scores[c] = bias[c] }
        for feature in features {
            let base = Int(feature) * classes
            for c in 0..<classes { scores[c] += weights[base + c] * scale }
        }
    }

    private static func softmax(_ scores: UnsafeMutableBufferPointer<Float>) {
        let top = scores.max() ?? 0
        var sum: Float = 0
        for index in scores.indices {
            scores[index] = exp(scores[index] - top)
            sum += scores[index]
        }
        for index in scores.indices { scores[index] /= sum }
    }
}

/// A small seeded generator, so training shuffles the same way on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
