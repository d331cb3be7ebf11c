import ChatModel
import Prometheus

/// The gateway's Prometheus metrics, kept in one registry per running server.
public struct GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        outboxDepthGauge = registry.makeGauge(name: "chatbuddy_outbox_depth", help: "Outbox rows waiting to be sent")
        widgetSockets = registry.makeGauge(name: "chatbuddy_widget_sockets", help: "Widget sockets open")
    }

    private let outboxDepthGauge: Gauge
    private let widgetSockets: Gauge

    /// One webhook request answered, by channel and result (`accepted`, `duplicate`, `unauthorized`, …).
    func webhook(_ channel: Channel, result: String) {
        count("chatbuddy_webhooks_total", [("channel", channel.rawValue), ("result", result)],
            help: "Webhook requests by channel and result")
    }

    /// Events of a kind the gateway does not handle, acknowledged and dropped.
    func ignoredEvent(_ channel: Channel, kind: String) {
        count("chatbuddy_webhook_events_ignored_total", [("channel", channel.rawValue), ("kind", kind)],
            help: "Webhook events of kinds the gateway does not handle")
    }

    /// Inbound events stored or recognised as retries.
    func inboundEvents(_ channel: Channel, result: String, count: Int) {
        guard count > 0 else { return }
        self.count("chatbuddy_inbound_events_total", [("channel", channel.rawValue), ("result", result)],
            help: "Inbound events by result (stored, duplicate, receipt, echo, rate_limited)", by: Int64(count))
    }

    /// An event handled by the runner (`answered`, `silent`, `failed`, `human`).
    func eventProcessed(_ channel: Channel, outcome: String) {
        count("chatbuddy_events_processed_total", [("channel", channel.rawValue), ("outcome", outcome)],
            help: "Inbound events handled by the conversation runner")
    }

    /// One node of the agent graph ran: its time, and its outcome's kind (`routed:product_info` keeps the route).
    func agentNode(_ step: NodeTrace) {
        let outcome = step.outcome.hasPrefix("routed:") ? step.outcome : String(step.outcome.prefix { $0 != ":" })
        count("chatbuddy_agent_node_outcomes_total", [("node", step.node), ("outcome", outcome)],
            help: "Agent graph node runs by outcome")
        registry.makeDurationHistogram(
            name: "chatbuddy_agent_node_duration_seconds", labels: [("node", step.node)],
            buckets: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
                      .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5)],
            help: "Time of one agent graph node"
        ).record(.nanoseconds(Int64(step.milliseconds * 1_000_000)))
    }

    func sendLatency(_ channel: Channel, _ duration: Duration) {
        registry.makeDurationHistogram(
            name: "chatbuddy_send_duration_seconds", labels: [("channel", channel.rawValue)],
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                      .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)],
            help: "Time of one send request to a platform"
        ).record(duration)
    }

    /// A send attempt finished (`sent`, `retry`, `rejected`).
    func sendAttempt(_ channel: Channel, result: String) {
        count("chatbuddy_send_attempts_total", [("channel", channel.rawValue), ("result", result)],
            help: "Send attempts by result")
    }

    /// Sends whose outcome was not recorded before the platform answered or the gateway died: `confirmed` by the
    /// platform's own report, `waiting` for it, `resent` when none came in time.
    func sendsInDoubt(_ channel: Channel, result: String, count: Int = 1) {
        self.count("chatbuddy_sends_in_doubt_total", [("channel", channel.rawValue), ("result", result)],
            help: "Sends whose outcome was not recorded, by how they were resolved", by: Int64(count))
    }

    func retryScheduled(_ channel: Channel) {
        count("chatbuddy_send_retries_total", [("channel", channel.rawValue)],
            help: "Sends scheduled for another attempt")
    }

    func eventParked() {
        count("chatbuddy_events_parked_total", [], help: "Inbound events set aside after failing every attempt")
    }

    func deadLettered(_ channel: Channel) {
        count("chatbuddy_dead_letters_total", [("channel", channel.rawValue)],
            help: "Messages moved to the dead-letter state")
    }

    /// A reply withdrawn without sending (closed service window).
    func suppressed(_ channel: Channel) {
        count("chatbuddy_suppressed_total", [("channel", channel.rawValue)],
            help: "Replies withdrawn without sending, e.g. outside the service window")
    }

    func outboxDepth(_ depth: Int) {
        outboxDepthGauge.set(Int64(depth))
    }

    func widgetSocketOpened() {
        widgetSockets.increment()
    }

    func widgetSocketClosed() {
        widgetSockets.decrement()
    }

    /// A widget frame or REST turn refused, by `error_type`.
    func widgetError(_ type: String) {
        count("chatbuddy_widget_errors_total", [("type", type)], help: "Widget frames and REST turns refused, by error type")
    }

    /// A widget message or connection refused by a rate limit (`session` or `address`).
    func widgetRateLimited(scope: String) {
        count("chatbuddy_widget_rate_limited_total", [("scope", scope)], help: "Widget requests refused by a rate limit")
    }

    /// Adds to the counter `name` with these labels (the registry keeps one counter per label set).
    private func count(_ name: String, _ labels: [(String, String)], help: String, by amount: Int64 = 1) {
        registry.makeCounter(name: name, labels: labels, help: help).increment(by: amount)
    }
}
