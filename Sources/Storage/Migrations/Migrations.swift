/// The schema's history, oldest first; append, never edit a released step.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "conversations, messages and outbox") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                """
                CREATE TABLE participants (
                    id \(primaryKey),
                    channel TEXT NOT NULL,
                    platform_user_id TEXT NOT NULL,
                    display_name TEXT,
                    created_at BIGINT NOT NULL,
                    UNIQUE (channel, platform_user_id)
                )
                """,
                """
                CREATE TABLE conversations (
                    id \(primaryKey),
                    participant_id BIGINT NOT NULL REFERENCES participants (id),
                    channel TEXT NOT NULL,
                    account_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    mode TEXT NOT NULL DEFAULT 'bot',
                    locale TEXT,
                    last_inbound_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    UNIQUE (channel, account_id, user_id)
                )
                """,
                """
                CREATE TABLE messages (
                    id \(primaryKey),
                    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
                    direction TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    platform_message_id TEXT,
                    in_reply_to BIGINT,
                    kind TEXT NOT NULL,
                    text TEXT,
                    body TEXT NOT NULL,
                    status TEXT NOT NULL,
                    error TEXT,
                    platform_timestamp BIGINT,
                    created_at BIGINT NOT NULL,
                    sent_at BIGINT,
                    updated_at BIGINT NOT NULL,
                    UNIQUE (channel, platform_message_id)
                )
                """,
                "CREATE INDEX messages_by_conversation ON messages (conversation_id, id)",
                "CREATE INDEX messages_unprocessed ON messages (conversation_id, id) WHERE status = 'received'",
                """
                CREATE TABLE outbox (
                    id \(primaryKey),
                    message_id BIGINT NOT NULL REFERENCES messages (id),
                    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
                    channel TEXT NOT NULL,
                    account_id TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT NOT NULL,
                    last_error TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX outbox_pending ON outbox (conversation_id, id) WHERE state = 'pending'",
                "CREATE INDEX outbox_state ON outbox (state, id)",
            ]
        },
        Migration(version: 2, name: "webshop catalog") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                """
                CREATE TABLE catalog_products (
                    sku TEXT PRIMARY KEY,
                    data TEXT NOT NULL,
                    price DOUBLE PRECISION,
                    sale_price DOUBLE PRECISION,
                    stock DOUBLE PRECISION,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE catalog_imports (
                    id \(primaryKey),
                    source TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    finished_at BIGINT,
                    outcome TEXT
                )
                """,
                """
                CREATE TABLE catalog_staging (
                    import_id BIGINT NOT NULL,
                    sku TEXT NOT NULL,
                    deleted INTEGER NOT NULL,
                    data TEXT NOT NULL,
                    price DOUBLE PRECISION,
                    sale_price DOUBLE PRECISION,
                    stock DOUBLE PRECISION,
                    PRIMARY KEY (import_id, sku)
                )
                """,
                """
                CREATE TABLE catalog_changes (
                    id \(primaryKey),
                    sku TEXT NOT NULL,
                    field TEXT NOT NULL,
                    old_value DOUBLE PRECISION,
                    new_value DOUBLE PRECISION,
                    changed_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX catalog_changes_by_sku ON catalog_changes (sku, id)",
            ]
        },
        Migration(version: 3, name: "agent memory, handoffs and consents") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                "ALTER TABLE conversations ADD COLUMN agent_memory TEXT",
                "ALTER TABLE conversations ADD COLUMN human_active_at BIGINT",
                "ALTER TABLE messages ADD COLUMN metadata TEXT",
                "ALTER TABLE outbox ADD COLUMN consent_topic TEXT",
                """
                CREATE TABLE handoffs (
                    id \(primaryKey),
                    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
                    reason TEXT NOT NULL,
                    state TEXT NOT NULL,
                    operator TEXT,
                    requested_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX handoffs_by_state ON handoffs (state, id)",
                "CREATE INDEX handoffs_by_conversation ON handoffs (conversation_id, id)",
                """
                CREATE TABLE consents (
                    participant_id BIGINT NOT NULL REFERENCES participants (id),
                    topic TEXT NOT NULL,
                    granted INTEGER NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (participant_id, topic)
                )
                """,
            ]
        },
        Migration(version: 4, name: "SMS opt-outs and short links") { _ in
            [
                "ALTER TABLE participants ADD COLUMN opted_out_at BIGINT",
                "CREATE TABLE short_links (code TEXT PRIMARY KEY, url TEXT NOT NULL, created_at BIGINT NOT NULL)",
            ]
        },
        Migration(version: 5, name: "parked inbound events") { _ in
            [
                "ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
                "CREATE INDEX messages_parked ON messages (id) WHERE status = 'parked'",
            ]
        },
        Migration(version: 6, name: "failed order verifications") { _ in
            [
                """
                CREATE TABLE verification_failures (
                    subject TEXT PRIMARY KEY,
                    failures INTEGER NOT NULL,
                    window_start BIGINT NOT NULL,
                    locked_until BIGINT
                )
                """
            ]
        },
        Migration(version: 7, name: "indexes that keep per-turn and per-round work flat") { _ in
            [
                // The history of a turn: replies right after what they answer.
                "CREATE INDEX messages_thread ON messages (conversation_id, (COALESCE(in_reply_to, id)), id)",
                // The delivery worker's next wake-up.
                // Each conversation's oldest pending row, probed once per conversation (SQLite's planner
                // prefers outbox_state to the partial outbox_pending there, which reads the whole backlog).
                "CREATE INDEX outbox_heads ON outbox (state, conversation_id, id)",
                // The delivery worker's next wake-up.
                "CREATE INDEX outbox_due ON outbox (state, next_attempt_at)",
            ]
        },
        Migration(version: 8, name: "what a channel keeps of a conversation, apart from the agents' memory") { _ in
            ["ALTER TABLE conversations ADD COLUMN channel_state TEXT"]
        },
        Migration(version: 9, name: "operator accounts") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                """
                CREATE TABLE operators (
                    id \(primaryKey),
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    disabled_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """
            ]
        },
        Migration(version: 10, name: "console sessions") { _ in
            [
                // The session token is kept only as its SHA-256; the CSRF token is sent with every console form.
                """
                CREATE TABLE console_sessions (
                    token_hash TEXT PRIMARY KEY,
                    operator_id BIGINT NOT NULL REFERENCES operators (id),
                    csrf_token TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)",
            ]
        },
        Migration(version: 11, name: "audit log of operator actions") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                """
                CREATE TABLE audit_log (
                    id \(primaryKey),
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    conversation_id BIGINT,
                    detail TEXT,
                    at BIGINT NOT NULL
                )
                """
            ]
        },
        Migration(version: 12, name: "the console: assignment, read marks, notes, and durable jobs") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                // The operator account a conversation is assigned to, and when an operator last read it.
                "ALTER TABLE conversations ADD COLUMN operator_id BIGINT REFERENCES operators (id)",
                "ALTER TABLE conversations ADD COLUMN seen_at BIGINT",
                """
                CREATE TABLE conversation_notes (
                    id \(primaryKey),
                    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
                    author TEXT NOT NULL,
                    text TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX conversation_notes_by_conversation ON conversation_notes (conversation_id, id)",
                // Delayed and retried work (operator notifications first): claimed with a lease, retried with backoff.
                """
                CREATE TABLE jobs (
                    id \(primaryKey),
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    state TEXT NOT NULL,
                    run_at BIGINT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    lease_until BIGINT,
                    last_error TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX jobs_due ON jobs (state, run_at)",
            ]
        },
        Migration(version: 13, name: "outbox rows and conversations claimed with a lease, so several gateways share the work") { _ in
            [
                // Who is sending a row and until when; a lease that ran out (its gateway died) is taken over.
                "ALTER TABLE outbox ADD COLUMN lease_until BIGINT",
                "ALTER TABLE outbox ADD COLUMN claimed_by TEXT",
                // Which gateway is handling a conversation's events, and until when.
                "ALTER TABLE conversations ADD COLUMN runner_lease_until BIGINT",
                "ALTER TABLE conversations ADD COLUMN runner_claimed_by TEXT",
                // Work done once across the gateways (the feed import): who does it, until when.
                """
                CREATE TABLE cluster_leases (
                    name TEXT PRIMARY KEY,
                    holder TEXT NOT NULL,
                    lease_until BIGINT NOT NULL
                )
                """,
            ]
        },
        Migration(version: 14, name: "sends in doubt: when a claimed row's send may have started") { _ in
            [
                // Set when a row is claimed for sending, cleared when its outcome is recorded; a row found with it
                // set under another claim (its gateway died mid-send) waits for the platform's confirmation.
                "ALTER TABLE outbox ADD COLUMN sending_at BIGINT",
            ]
        },
        Migration(version: 15, name: "customers: one person's participants on every channel") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            var steps = [
                // The person behind participants; `email` and `phone` are identities the platforms verified
                // (a phone number's SMS and WhatsApp, an e-mail address), which link a new participant to them.
                """
                CREATE TABLE customers (
                    id \(primaryKey),
                    display_name TEXT,
                    email TEXT,
                    phone TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX customers_by_email ON customers (email)",
                "CREATE INDEX customers_by_phone ON customers (phone)",
                "ALTER TABLE participants ADD COLUMN customer_id BIGINT REFERENCES customers (id)",
                "CREATE INDEX participants_by_customer ON participants (customer_id)",
                // Every participant so far is a customer of its own, with the same id.
                """
                INSERT INTO customers (id, display_name, email, phone, created_at, updated_at)
                SELECT id, display_name,
                       CASE WHEN channel = 'email' THEN LOWER(platform_user_id) END,
                       CASE WHEN channel = 'sms' THEN REPLACE(platform_user_id, 'whatsapp:', '')
                            WHEN channel = 'whatsapp' THEN '+' || platform_user_id END,
                       created_at, created_at
                FROM participants
                """,
                "UPDATE participants SET customer_id = id",
            ]
            if dialect == .postgres {
                steps.append("SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM customers), false)")
            }
            return steps
        },
        Migration(version: 16, name: "the shop's own id of a customer") { _ in
            [
                // Set when the shop vouched for the customer (the widget's signed data-user-id); links their sessions.
                "ALTER TABLE customers ADD COLUMN shop_customer_id TEXT",
                "CREATE INDEX customers_by_shop_id ON customers (shop_customer_id)",
            ]
        },
        Migration(version: 17, name: "closed widget conversations") { _ in
            [
                // When an idle widget conversation was closed; its user_id then gets "#id" appended, freeing the
                // session for a new conversation.
                "ALTER TABLE conversations ADD COLUMN closed_at BIGINT",
            ]
        },
        Migration(version: 18, name: "participants an operator linked") { _ in
            [
                // 1 when an operator put the participant with its customer: the customer did not prove it, so the agents
                // share nothing between it and the customer's other participants.
                "ALTER TABLE participants ADD COLUMN linked_by_operator INTEGER NOT NULL DEFAULT 0",
            ]
        },
        Migration(version: 19, name: "shop events") { _ in
            [
                // What the shop reported (carts, orders), by its own event id; the customer when known.
                """
                CREATE TABLE shop_events (
                    id TEXT PRIMARY KEY,
                    type TEXT NOT NULL,
                    body TEXT NOT NULL,
                    customer_id BIGINT REFERENCES customers (id),
                    received_at BIGINT NOT NULL,
                    processed_at BIGINT
                )
                """,
                "CREATE INDEX shop_events_by_customer ON shop_events (customer_id)",
            ]
        },
        Migration(version: 20, name: "proactive messages") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                // The cart or order an event is about, which the reminders and updates look events up by.
                "ALTER TABLE shop_events ADD COLUMN cart_id TEXT",
                "ALTER TABLE shop_events ADD COLUMN order_id TEXT",
                "CREATE INDEX shop_events_by_cart ON shop_events (cart_id, received_at)",
                "CREATE INDEX shop_events_by_order ON shop_events (order_id, received_at)",
                // Each message nobody asked for, decided once per purpose and reference (a cart's reminder, an order's
                // status, a campaign's customer): sent (its first message) or skipped with the reason. No foreign keys:
                // the row outlives a conversation retention deletes, and goes with its customer.
                """
                CREATE TABLE proactive_messages (
                    id \(primaryKey),
                    purpose TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    customer_id BIGINT,
                    campaign_id BIGINT,
                    channel TEXT,
                    conversation_id BIGINT,
                    message_id BIGINT,
                    outcome TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    UNIQUE (purpose, reference)
                )
                """,
                "CREATE INDEX proactive_by_customer ON proactive_messages (customer_id, created_at)",
                "CREATE INDEX proactive_by_campaign ON proactive_messages (campaign_id, outcome)",
            ]
        },
        Migration(version: 21, name: "campaigns") { dialect in
            let primaryKey = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                // A campaign: its audience and message (JSON), when it goes, and how far its sending got (customer ids
                // are gone through in order; each customer's decision is a proactive_messages row).
                """
                CREATE TABLE campaigns (
                    id \(primaryKey),
                    name TEXT NOT NULL,
                    audience TEXT NOT NULL,
                    message TEXT NOT NULL,
                    send_at BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    cursor BIGINT NOT NULL DEFAULT 0,
                    created_by TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                // A recipient's own short link, and whether it was followed.
                "ALTER TABLE proactive_messages ADD COLUMN link_code TEXT",
                "ALTER TABLE short_links ADD COLUMN clicks INTEGER NOT NULL DEFAULT 0",
            ]
        },
        Migration(version: 22, name: "catalog products told apart by a hash") { _ in
            [
                // A product's JSON is compared by its hash (docs/architecture.md §3.6); a row without one is taken as changed.
                "ALTER TABLE catalog_products ADD COLUMN hash BIGINT",
                // A staged product that is as stored keeps only its hash (`kept`), not its JSON.
                "ALTER TABLE catalog_staging ADD COLUMN hash BIGINT",
                "ALTER TABLE catalog_staging ADD COLUMN kept INTEGER NOT NULL DEFAULT 0",
            ]
        },
        Migration(version: 23, name: "conversations by participant") { _ in
            [
                // A turn reads the customer's other conversations (their verified orders), and consents, marketing and
                // erasure go from participants to conversations: without it each was a scan of every conversation.
                "CREATE INDEX conversations_by_participant ON conversations (participant_id)"
            ]
        },
        Migration(version: 24, name: "catalog products told apart by their feed texts") { _ in
            [
                // The hash of the feed texts a product was made from (docs/architecture.md §3.6): an import maps and
                // encodes again only the products whose texts changed.
                "ALTER TABLE catalog_products ADD COLUMN source_hash BIGINT",
                "ALTER TABLE catalog_staging ADD COLUMN source_hash BIGINT",
            ]
        },
    ]
}
