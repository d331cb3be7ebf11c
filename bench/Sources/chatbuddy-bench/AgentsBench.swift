import Agents
import ArgumentParser
import ChatModel
import Foundation

/// Agent graph benchmark: routing accuracy on the held-out fifth of the labeled set, and time per turn
/// of the embedded graph over the sample catalog (no network).
struct AgentsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "Measure the embedded agent graph: held-out routing accuracy and time per turn.")

    func run() async throws {
        let split = LabeledMessage.split(LabeledMessage.builtIn)
        let trainingStarted = ContinuousClock.now
        let classifier = IntentClassifier(training: split.training)
        print("trained on \(split.training.count) messages in \(ContinuousClock.now - trainingStarted)")
        let evaluation = await RoutingEvaluation.run(split.heldOut, classifier: classifier)
        for (message, routed) in evaluation.misses {
            print("  routed \(message.intent) → \(routed): \(message.text)")
        }
        print("5-fold cross-validation accuracy of the classifier alone: \(Self.percent(Self.crossValidation(LabeledMessage.builtIn)))")
        print("held-out routing accuracy: \(evaluation.correct)/\(evaluation.total) = \(Self.percent(evaluation.accuracy))")
    }

    /// Accuracy over five folds of the whole set (each message predicted by a model that did not see it).
    static func crossValidation(_ messages: [LabeledMessage]) -> Double {
        var correct = 0
        for fold in 0..<5 {
            let training = messages.enumerated().filter { $0.offset % 5 != fold }.map(\.element)
            let test = messages.enumerated().filter { $0.offset % 5 == fold }.map(\.element)
            let classifier = IntentClassifier(training: training)
            for message in test {
                let prediction = classifier.predict(TextNormalizer.normalize(message.text))
                if prediction.intent == message.intent { correct += 1 }
            }
        }
        return Double(correct) / Double(messages.count)
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }
}
