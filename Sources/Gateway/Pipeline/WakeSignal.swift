/// A doorbell: `ring()` wakes one waiter, or the next one to wait if nobody is waiting.
actor WakeSignal {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns when rung, or after `timeout`, whichever comes first.
    func wait(timeout: Duration) async {
        if rung {
            rung = false
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { await self.ring() }
            }
            await withCheckedContinuation { self.waiter = $0 }
            group.cancelAll()
        }
        rung = false
    }
}
